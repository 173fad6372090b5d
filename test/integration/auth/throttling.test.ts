import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiRequest, invoke, randomIp } from '../../helpers/api-event';
import {
  type AuthContainer,
  freshAuthHandler,
  uniqueEmail,
  useAuthEnv,
} from '../../helpers/auth';

const PASSWORD = 'correct horse battery';
const WINDOW_SECONDS = 2;

let container: AuthContainer;
const call = (request: ApiRequest) => invoke(container.handler, request);

function login(email: string, password: string, sourceIp: string) {
  return call({
    route: 'POST /auth/login',
    body: { email, password },
    sourceIp,
  });
}

async function registered(label: string): Promise<string> {
  const email = uniqueEmail(label);
  const response = await call({
    route: 'POST /auth/register',
    body: { email, password: PASSWORD, name: label },
  });
  expect(response.status).toBe(201);
  return email;
}

describe('auth function: login throttling', () => {
  beforeAll(async () => {
    useAuthEnv({
      LOGIN_THROTTLE_WINDOW_SECONDS: String(WINDOW_SECONDS),
      LOGIN_FAILURES_PER_ACCOUNT: '3',
      LOGIN_FAILURES_PER_CLIENT: '5',
    });
    container = await freshAuthHandler();
  });
  afterAll(() => container.close());

  it('answers 429 after repeated failures on one account, then lets the right password in once the window passes', async () => {
    // Prepare
    const email = await registered('locked');
    const ip = randomIp();
    const failures = [];
    for (let i = 0; i < 3; i += 1)
      failures.push(await login(email, 'wrong password', ip));

    // Act
    const blocked = await login(email, PASSWORD, ip);
    await sleep(Number(blocked.headers['retry-after']) * 1000 + 100);
    const released = await login(email, PASSWORD, ip);

    // Assess
    expect(failures.map((response) => response.status)).toEqual([
      401, 401, 401,
    ]);
    expect(blocked.status).toBe(429);
    expect(blocked.body.error.code).toBe('TOO_MANY_REQUESTS');
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(Number(blocked.headers['retry-after'])).toBeLessThanOrEqual(
      WINDOW_SECONDS,
    );
    expect(released.status).toBe(200);
  });

  it('blocks the account from any address', async () => {
    // Prepare
    const email = await registered('anywhere');
    for (let i = 0; i < 3; i += 1)
      await login(email, 'wrong password', randomIp());

    // Act
    const response = await login(email, PASSWORD, randomIp());

    // Assess
    expect(response.status).toBe(429);
  });

  it('resets the account count on a successful login', async () => {
    // Prepare: two failures, a success, two failures; never three in a row
    const email = await registered('reset');
    const ip = randomIp();
    for (let i = 0; i < 2; i += 1) await login(email, 'wrong password', ip);
    const success = await login(email, PASSWORD, ip);
    const after = [
      await login(email, 'wrong password', ip),
      await login(email, 'wrong password', ip),
    ];

    // Act
    const response = await login(email, PASSWORD, ip);

    // Assess
    expect(success.status).toBe(200);
    expect(after.map((r) => r.status)).toEqual([401, 401]);
    expect(response.status).toBe(200);
  });

  it('blocks one client address across accounts, and only that address', async () => {
    // Prepare: five unknown accounts tried from one address
    const email = await registered('shared-ip');
    const ip = randomIp();
    for (let i = 0; i < 5; i += 1)
      await login(uniqueEmail('guess'), 'guess', ip);

    // Act
    const fromThere = await login(email, PASSWORD, ip);
    const fromElsewhere = await login(email, PASSWORD, randomIp());

    // Assess
    expect(fromThere.status).toBe(429);
    expect(fromElsewhere.status).toBe(200);
  });

  it('counts failures across Lambda instances', async () => {
    // Prepare: a second container with its own memory and client
    const other = await freshAuthHandler();
    const email = await registered('instances');
    const ip = randomIp();

    // Act
    try {
      await login(email, 'wrong password', ip);
      await invoke(other.handler, {
        route: 'POST /auth/login',
        body: { email, password: 'wrong' },
        sourceIp: ip,
      });
      await login(email, 'wrong password', ip);
      const here = await login(email, PASSWORD, ip);
      const there = await invoke(other.handler, {
        route: 'POST /auth/login',
        body: { email, password: PASSWORD },
        sourceIp: ip,
      });

      // Assess
      expect(here.status).toBe(429);
      expect(there.status).toBe(429);
    } finally {
      await other.close();
    }
  });
});
