import fs from 'node:fs';
import path from 'node:path';
import { httpOk, runStep, startDaemon } from '../process';
import { dirs, HOST, type Ports } from '../settings';
import { VERSIONS } from '../versions';
import { installedMarker, type Part } from './part';

/**
 * The SMTP catcher: MailDev from npm, installed into its own folder so its
 * dependencies stay out of the project's. It keeps every message it
 * receives and lists them at `GET /email` (web inbox at `/`).
 */
export function mailPart(ports: Ports): Part {
  const home = path.join(dirs.install, `maildev-${VERSIONS.maildev}`);
  const web = `http://${HOST}:${ports.mailWeb}`;

  return {
    name: 'mail',
    address: `smtp://${HOST}:${ports.smtp}, inbox ${web}`,
    ports: [ports.smtp, ports.mailWeb],
    managed: true,
    startTimeoutMs: 20_000,

    probe: () => httpOk(`${web}/email`, 1000),

    async install() {
      if (fs.existsSync(installedMarker(home))) return;
      fs.mkdirSync(home, { recursive: true });
      fs.writeFileSync(
        path.join(home, 'package.json'),
        JSON.stringify({ private: true, description: 'local mail catcher' }),
      );
      await runStep(
        'mail',
        'npm',
        [
          'install',
          '--no-audit',
          '--no-fund',
          '--omit=dev',
          `maildev@${VERSIONS.maildev}`,
        ],
        { cwd: home },
      );
      fs.writeFileSync(installedMarker(home), VERSIONS.maildev);
    },

    launch() {
      return startDaemon('mail', process.execPath, [
        path.join(home, 'node_modules', 'maildev', 'bin', 'maildev'),
        '--ip',
        HOST,
        '--smtp',
        String(ports.smtp),
        '--web',
        String(ports.mailWeb),
      ]);
    },

    env() {
      return {
        SMTP_URL: `smtp://${HOST}:${ports.smtp}`,
        MAIL_API_URL: web,
      };
    },
  };
}
