/**
 * The users command: staff accounts, which registration never makes, and
 * the first admin. Reads MONGODB_URI and the users settings of
 * lib/users/config.ts; needs no JWT_SECRET.
 *
 *   npm run users -- create-staff --email ann@pharmacy.example \
 *     --name "Ann Martin" --role pharmacist [--locale fr|en]
 *   npm run users -- ensure-admin      (ADMIN_EMAIL, ADMIN_PASSWORD)
 *
 * create-staff reads the password from standard input: typed at a hidden
 * prompt, or piped (`printf '%s' "$PW" | npm run users -- create-staff ...`),
 * so that it never shows in the shell history or the process list.
 */
import { parseArgs } from 'node:util';
import { ConfigError } from '../../lib/config';
import { isAppError } from '../../lib/errors';
import { validate } from '../../lib/http';
import { createLogger } from '../../lib/logger';
import { closeMongo } from '../../lib/mongo';
import { readUsersConfig } from '../../lib/users/config';
import { openUsersService } from '../../lib/users/open';
import { staffAccountSchema } from '../../lib/users/schemas';

const USAGE = `usage:
  users create-staff --email EMAIL --name NAME --role pharmacist|admin [--locale fr|en]
  users ensure-admin`;

// The service's JSON log lines would bury the command's own output.
process.env.LOG_LEVEL ??= 'WARN';
const logger = createLogger('users-cli');

async function createStaff(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      email: { type: 'string' },
      name: { type: 'string' },
      role: { type: 'string' },
      locale: { type: 'string' },
    },
  });
  const password = await readPassword();
  const account = validate(staffAccountSchema, { ...values, password });

  const users = await openUsersService(logger);
  const user = await users.createStaff(account);

  console.log(JSON.stringify({ created: user }, null, 2));
}

async function ensureAdmin(): Promise<void> {
  const { admin } = readUsersConfig();
  if (!admin) throw new ConfigError('ADMIN_EMAIL and ADMIN_PASSWORD are unset');

  const users = await openUsersService(logger);
  const outcome = await users.ensureAdmin(admin);

  console.log(`admin ${admin.email}: ${outcome}`);
}

async function readPassword(): Promise<string> {
  if (process.stdin.isTTY) return promptHidden('Password: ');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  // One trailing newline is the terminator of `echo`, not the password.
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

function promptHidden(question: string): Promise<string> {
  const stdin = process.stdin;
  process.stdout.write(question);
  stdin.setRawMode(true);
  stdin.setEncoding('utf8');
  stdin.resume();

  return new Promise((resolve, reject) => {
    let typed = '';
    const done = (error?: Error) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off('data', onData);
      process.stdout.write('\n');
      if (error) reject(error);
      else resolve(typed);
    };
    const onData = (chunk: string) => {
      for (const char of chunk) {
        if (char === '\r' || char === '\n') return done();
        if (char === '\u0003') return done(new Error('cancelled'));
        typed = char === '\u007f' ? typed.slice(0, -1) : typed + char;
      }
    };
    stdin.on('data', onData);
  });
}

async function main(): Promise<number> {
  const [command, ...args] = process.argv.slice(2);
  try {
    if (command === 'create-staff') await createStaff(args);
    else if (command === 'ensure-admin') await ensureAdmin();
    else {
      console.error(USAGE);
      return 2;
    }
    return 0;
  } catch (error) {
    console.error(describe(error));
    return 1;
  } finally {
    await closeMongo();
  }
}

function describe(error: unknown): string {
  if (isAppError(error)) {
    const details = (error.details ?? []).map(
      (detail) => `\n  ${detail.path}: ${detail.message}`,
    );
    return `${error.code}: ${error.message}${details.join('')}`;
  }
  return error instanceof Error ? error.message : String(error);
}

main().then((code) => {
  process.exitCode = code;
});
