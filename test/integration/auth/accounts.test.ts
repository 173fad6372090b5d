import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { verifyToken } from '../../../lib/auth/token';
import { type ApiRequest, invoke } from '../../helpers/api-event';
import {
  type AuthContainer,
  freshAuthHandler,
  uniqueEmail,
  useAuthEnv,
} from '../../helpers/auth';

const PASSWORD = 'correct horse battery';

let container: AuthContainer;
const call = (request: ApiRequest) => invoke(container.handler, request);

function register(body: object) {
  return call({ route: 'POST /auth/register', body });
}
function login(email: string, password: string) {
  return call({
    route: 'POST /auth/login',
    body: { email, password },
  });
}
function me(token?: string) {
  return call({
    route: 'GET /auth/me',
    ...(token ? { token } : {}),
  });
}

describe('auth function: accounts', () => {
  beforeAll(async () => {
    useAuthEnv();
    container = await freshAuthHandler();
  });
  afterAll(() => container.close());

  it('registers a customer, logs in and reads the profile, never showing a hash', async () => {
    // Prepare
    const email = uniqueEmail('ann');

    // Act
    const registered = await register({
      email,
      password: PASSWORD,
      name: 'Ann',
      locale: 'en',
    });
    const loggedIn = await login(email, PASSWORD);
    const profile = await me(loggedIn.body.token);

    // Assess
    const user = {
      id: expect.any(String),
      email,
      name: 'Ann',
      role: 'customer',
      locale: 'en',
    };
    expect(registered.status).toBe(201);
    expect(registered.body).toEqual({ user, token: expect.any(String) });
    expect(loggedIn.status).toBe(200);
    expect(loggedIn.body).toEqual({
      user,
      token: expect.any(String),
      expiresIn: 3600,
    });
    expect(profile.status).toBe(200);
    expect(profile.body).toEqual({ user: registered.body.user });
    for (const response of [registered, loggedIn, profile]) {
      expect(response.raw).not.toMatch(/passwordHash|\$2[aby]\$/);
      expect(response.raw).not.toContain(PASSWORD);
    }
  });

  it('signs a token naming the user and its role', async () => {
    // Prepare
    const email = uniqueEmail();

    // Act
    const { body } = await register({ email, password: PASSWORD, name: 'Bo' });

    // Assess
    expect(verifyToken(body.token)).toEqual({
      userId: body.user.id,
      role: 'customer',
      email,
    });
  });

  it('stores the email normalised and defaults the locale to French', async () => {
    // Prepare
    const email = uniqueEmail('Mixed.Case');

    // Act
    const { body } = await register({
      email: `  ${email.toUpperCase()} `,
      password: PASSWORD,
      name: 'Cy',
    });

    // Assess
    expect(body.user).toMatchObject({
      email: email.toLowerCase(),
      locale: 'fr',
    });
  });

  it('answers 409 for an email that has an account, also in another case', async () => {
    // Prepare
    const email = uniqueEmail('dup');
    await register({ email, password: PASSWORD, name: 'First' });

    // Act
    const same = await register({ email, password: PASSWORD, name: 'Second' });
    const upper = await register({
      email: email.toUpperCase(),
      password: PASSWORD,
      name: 'Third',
    });

    // Assess
    for (const response of [same, upper]) {
      expect(response.status).toBe(409);
      expect(response.body.error.code).toBe('EMAIL_TAKEN');
    }
  });

  it('logs in whatever the case of the email', async () => {
    // Prepare
    const email = uniqueEmail('case');
    await register({ email, password: PASSWORD, name: 'Di' });

    // Act
    const response = await login(email.toUpperCase(), PASSWORD);

    // Assess
    expect(response.status).toBe(200);
  });

  it('answers an unknown email and a wrong password with the same 401 body', async () => {
    // Prepare
    const email = uniqueEmail('known');
    await register({ email, password: PASSWORD, name: 'Ed' });

    // Act
    const unknown = await login(uniqueEmail('unknown'), PASSWORD);
    const wrong = await login(email, 'not the password');

    // Assess
    expect(unknown.status).toBe(401);
    expect(wrong.status).toBe(401);
    expect(wrong.raw).toBe(unknown.raw);
    expect(unknown.body.error.code).toBe('UNAUTHENTICATED');
  });

  it('refuses a role chosen at registration', async () => {
    // Act
    const response = await register({
      email: uniqueEmail(),
      password: PASSWORD,
      name: 'Fay',
      role: 'admin',
    });

    // Assess
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('VALIDATION_FAILED');
  });

  it('answers 401 for the profile without a token', async () => {
    // Act
    const response = await me();

    // Assess
    expect(response.status).toBe(401);
    expect(response.body.error.code).toBe('UNAUTHENTICATED');
  });

  it('answers 404 with a code for a route it does not serve', async () => {
    // Act
    const response = await call({ route: 'DELETE /auth/me' });

    // Assess
    expect(response.status).toBe(404);
    expect(response.body.error.code).toBe('NOT_FOUND');
  });

  it('logs neither passwords, hashes nor tokens', async () => {
    // Prepare: a container logging at every level, its output captured
    const previous = process.env.LOG_LEVEL;
    process.env.LOG_LEVEL = 'DEBUG';
    const logging = await freshAuthHandler();
    const written: string[] = [];
    const spy = vi
      .spyOn(process.stdout, 'write')
      .mockImplementation((chunk) => {
        written.push(String(chunk));
        return true;
      });
    const email = uniqueEmail('logs');
    const send = (request: ApiRequest) => invoke(logging.handler, request);

    // Act
    let tokens: string[];
    try {
      const registered = await send({
        route: 'POST /auth/register',
        body: { email, password: PASSWORD, name: 'Gil' },
      });
      await send({
        route: 'POST /auth/login',
        body: { email, password: 'wrong password' },
      });
      const loggedIn = await send({
        route: 'POST /auth/login',
        body: { email, password: PASSWORD },
      });
      await send({ route: 'GET /auth/me', token: loggedIn.body.token });
      tokens = [registered.body.token, loggedIn.body.token];
    } finally {
      spy.mockRestore();
      process.env.LOG_LEVEL = previous;
      await logging.close();
    }

    // Assess
    const logs = written.join('');
    expect(logs).toContain('login succeeded');
    expect(logs).toContain('login refused');
    for (const secret of [PASSWORD, 'wrong password', ...tokens]) {
      expect(logs).not.toContain(secret);
    }
    expect(logs).not.toMatch(/\$2[aby]\$\d\d\$/);
  });
});
