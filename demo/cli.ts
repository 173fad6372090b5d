/**
 * `npm run demo`: walks one order through the running system (start it
 * first with `npm start`) and prints each step with its time.
 */
import fs from 'node:fs';
import path from 'node:path';
import { walk } from './walk';

const local = (name: string) =>
  fs
    .readFileSync(path.join(__dirname, '..', '.local', 'run', name), 'utf8')
    .trim();

async function main(): Promise<void> {
  const result = await walk({
    apiUrl: process.env.API_URL ?? 'http://127.0.0.1:3000',
    relayUrl: process.env.RELAY_URL ?? 'http://127.0.0.1:4000',
    mailApiUrl: process.env.MAIL_API_URL ?? 'http://127.0.0.1:1080',
    staff: {
      email: process.env.ADMIN_EMAIL ?? 'admin@pharmaexpress.local',
      password: process.env.ADMIN_PASSWORD ?? local('admin-password'),
    },
    say: (step, ms) =>
      process.stdout.write(`${(ms / 1000).toFixed(1).padStart(6)}s  ${step}\n`),
  });
  process.stdout.write(
    `\nDone: order ${result.delivered.id.slice(0, 8)} ${result.delivered.status}; ` +
      `${result.socketEvents.length} live events, ${result.emailSubjects.length} emails.\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(
    `demo failed: ${(error as Error).message}\nIs the system up? npm start\n`,
  );
  process.exit(1);
});
