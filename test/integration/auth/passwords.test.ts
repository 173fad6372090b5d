import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiRequest, invoke } from '../../helpers/api-event';
import {
  type AuthContainer,
  freshAuthHandler,
  uniqueEmail,
  useAuthEnv,
} from '../../helpers/auth';

let container: AuthContainer;
const call = (request: ApiRequest) => invoke(container.handler, request);

describe('auth function: passwords and bcrypt’s 72 bytes', () => {
  beforeAll(async () => {
    useAuthEnv();
    container = await freshAuthHandler();
  });
  afterAll(() => container.close());

  it.each([
    ['73 ASCII characters', 'a'.repeat(73)],
    ['37 two-byte characters (74 bytes)', 'é'.repeat(37)],
    ['19 four-byte characters (76 bytes)', '💊'.repeat(19)],
  ])(
    'refuses to register a password of %s, saying why',
    async (_case, password) => {
      // Prepare
      const email = uniqueEmail('long');

      // Act
      const response = await call({
        route: 'POST /auth/register',
        body: { email, password, name: 'Lou' },
      });

      // Assess
      expect(response.status).toBe(400);
      expect(response.body.error.code).toBe('VALIDATION_FAILED');
      expect(response.body.error.details).toContainEqual({
        path: 'password',
        message: expect.stringContaining('72 bytes'),
      });
      const login = await call({
        route: 'POST /auth/login',
        body: { email, password },
      });
      expect(login.status).toBe(401);
    },
  );

  it('never lets in a longer password that shares the first 72 bytes', async () => {
    // Prepare
    const email = uniqueEmail('exact');
    const password = `${'é'.repeat(30)}${'x'.repeat(12)}`; // 60 + 12 bytes
    const registered = await call({
      route: 'POST /auth/register',
      body: { email, password, name: 'Max' },
    });

    // Act
    const longer = await call({
      route: 'POST /auth/login',
      body: { email, password: `${password}-and-more` },
    });
    const exact = await call({
      route: 'POST /auth/login',
      body: { email, password },
    });

    // Assess
    expect(Buffer.byteLength(password)).toBe(72);
    expect(registered.status).toBe(201);
    expect(longer.status).toBe(401);
    expect(exact.status).toBe(200);
  });

  it('refuses a password under 8 characters', async () => {
    // Act
    const response = await call({
      route: 'POST /auth/register',
      body: { email: uniqueEmail(), password: 'short', name: 'Sam' },
    });

    // Assess
    expect(response.status).toBe(400);
    expect(response.body.error.details[0].path).toBe('password');
  });
});
