import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyToken } from '../../../lib/auth/token';
import { type ApiRequest, invoke } from '../../helpers/api-event';
import {
  type AuthContainer,
  freshAuthHandler,
  uniqueEmail,
  useAuthEnv,
} from '../../helpers/auth';

const ROOT = path.resolve(__dirname, '../../..');
const PASSWORD = 'staff password 1';

let container: AuthContainer;
const call = (request: ApiRequest) => invoke(container.handler, request);

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the users command as documented, password on standard input. */
function users(
  args: string[],
  input = '',
  env: Record<string, string> = {},
): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      path.join(ROOT, 'node_modules', '.bin', 'tsx'),
      ['functions/auth/cli.ts', ...args],
      {
        cwd: ROOT,
        env: { ...process.env, ...env, JWT_SECRET: '' },
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

function login(email: string, password: string) {
  return call({ route: 'POST /auth/login', body: { email, password } });
}

describe('users command', () => {
  beforeAll(async () => {
    useAuthEnv();
    container = await freshAuthHandler();
  });
  afterAll(() => container.close());

  it('creates a pharmacist who logs in with that role', async () => {
    // Prepare
    const email = uniqueEmail('pharmacist');

    // Act
    const run = await users(
      [
        'create-staff',
        '--email',
        email,
        '--name',
        'Pia Pharma',
        '--role',
        'pharmacist',
      ],
      `${PASSWORD}\n`,
    );

    // Assess
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout).created).toMatchObject({
      email,
      role: 'pharmacist',
    });
    expect(run.stdout + run.stderr).not.toContain(PASSWORD);
    const response = await login(email, PASSWORD);
    expect(response.status).toBe(200);
    expect(response.body.user.role).toBe('pharmacist');
    expect(verifyToken(response.body.token).role).toBe('pharmacist');
  });

  it('refuses to make a customer, and makes no account', async () => {
    // Prepare
    const email = uniqueEmail('not-staff');

    // Act
    const run = await users(
      ['create-staff', '--email', email, '--name', 'Cy', '--role', 'customer'],
      PASSWORD,
    );

    // Assess
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('role');
    expect((await login(email, PASSWORD)).status).toBe(401);
  });

  it('refuses an email that has an account', async () => {
    // Prepare
    const email = uniqueEmail('taken');
    await call({
      route: 'POST /auth/register',
      body: { email, password: PASSWORD, name: 'Cus' },
    });

    // Act
    const run = await users(
      ['create-staff', '--email', email, '--name', 'Adm', '--role', 'admin'],
      PASSWORD,
    );

    // Assess
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('EMAIL_TAKEN');
    const response = await login(email, PASSWORD);
    expect(response.body.user.role).toBe('customer');
  });

  it('creates the configured admin once with ensure-admin', async () => {
    // Prepare
    const env = { ADMIN_EMAIL: uniqueEmail('root'), ADMIN_PASSWORD: PASSWORD };

    // Act
    const first = await users(['ensure-admin'], '', env);
    const second = await users(['ensure-admin'], '', env);

    // Assess
    expect([first.code, second.code]).toEqual([0, 0]);
    expect(first.stdout).toContain(': created');
    expect(second.stdout).toContain(': present');
    expect((await login(env.ADMIN_EMAIL, PASSWORD)).body.user.role).toBe(
      'admin',
    );
  });
});

describe('first admin from configuration', () => {
  it('exists after the first call of a new container', async () => {
    // Prepare
    const email = uniqueEmail('first-admin');
    useAuthEnv({ ADMIN_EMAIL: email, ADMIN_PASSWORD: PASSWORD });
    const fresh = await freshAuthHandler();

    // Act
    try {
      const response = await invoke(fresh.handler, {
        route: 'POST /auth/login',
        body: { email, password: PASSWORD },
      });

      // Assess
      expect(response.status).toBe(200);
      expect(response.body.user.role).toBe('admin');
    } finally {
      delete process.env.ADMIN_EMAIL;
      delete process.env.ADMIN_PASSWORD;
      await fresh.close();
    }
  });
});
