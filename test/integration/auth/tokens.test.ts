import jwt from 'jsonwebtoken';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiRequest, invoke } from '../../helpers/api-event';
import {
  AUTH_TEST_ENV,
  type AuthContainer,
  freshAuthHandler,
  uniqueEmail,
  useAuthEnv,
} from '../../helpers/auth';

let container: AuthContainer;
const call = (request: ApiRequest) => invoke(container.handler, request);

const { JWT_SECRET, JWT_ISSUER, JWT_AUDIENCE } = AUTH_TEST_ENV;
const base64url = (value: object) =>
  Buffer.from(JSON.stringify(value)).toString('base64url');
const now = () => Math.floor(Date.now() / 1000);

/** A token as the function signs them, with `change` applied. */
function forge(
  userId: string,
  change: { claims?: object; options?: jwt.SignOptions; secret?: string } = {},
): string {
  return jwt.sign(
    { role: 'customer', ...change.claims },
    change.secret ?? JWT_SECRET,
    {
      algorithm: 'HS256',
      subject: userId,
      issuer: JWT_ISSUER,
      audience: JWT_AUDIENCE,
      ...(change.claims && 'exp' in change.claims ? {} : { expiresIn: 600 }),
      ...change.options,
    },
  );
}

describe('auth function: tokens GET /auth/me refuses', () => {
  let userId: string;
  let validToken: string;

  beforeAll(async () => {
    useAuthEnv();
    container = await freshAuthHandler();
    const { body } = await call({
      route: 'POST /auth/register',
      body: {
        email: uniqueEmail('tokens'),
        password: 'correct horse battery',
        name: 'Tom',
      },
    });
    userId = body.user.id;
    validToken = body.token;
  });
  afterAll(() => container.close());

  it('accepts the token the function signed (the control case)', async () => {
    // Act
    const response = await call({ route: 'GET /auth/me', token: validToken });

    // Assess
    expect(response.status).toBe(200);
    expect(response.body.user.id).toBe(userId);
  });

  it('accepts a token forged with the right settings (the control of the table)', async () => {
    // Act
    const response = await call({
      route: 'GET /auth/me',
      token: forge(userId),
    });

    // Assess
    expect(response.status).toBe(200);
  });

  it.each<[string, () => string]>([
    [
      'a wrong signature',
      () => forge(userId, { secret: 'someone-elses-secret-of-32-chars!!' }),
    ],
    [
      'alg none',
      () =>
        `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url({
          sub: userId,
          role: 'admin',
          iss: JWT_ISSUER,
          aud: JWT_AUDIENCE,
          exp: now() + 600,
        })}.`,
    ],
    ['an expired token', () => forge(userId, { claims: { exp: now() - 10 } })],
    [
      'a wrong audience',
      () => forge(userId, { options: { audience: 'another-api' } }),
    ],
    [
      'a wrong issuer',
      () => forge(userId, { options: { issuer: 'someone-else' } }),
    ],
    [
      'an edited role claim',
      () => {
        const [header, payload, signature] = validToken.split('.');
        const claims = JSON.parse(
          Buffer.from(payload ?? '', 'base64url').toString(),
        );
        return [
          header,
          base64url({ ...claims, role: 'admin' }),
          signature,
        ].join('.');
      },
    ],
    ['a token that is no JWT', () => 'garbage'],
  ])('%s', async (_case, makeToken) => {
    // Act
    const response = await call({ route: 'GET /auth/me', token: makeToken() });

    // Assess
    expect(response.status).toBe(401);
    expect(response.body.error.code).toBe('UNAUTHENTICATED');
    expect(response.body.user).toBeUndefined();
  });

  it.each([
    ['another scheme', 'Basic dXNlcjpwYXNz'],
    ['a scheme without a token', 'Bearer '],
  ])('an Authorization header with %s', async (_case, authorization) => {
    // Act
    const response = await call({
      route: 'GET /auth/me',
      headers: { authorization },
    });

    // Assess
    expect(response.status).toBe(401);
    expect(response.body.error.code).toBe('UNAUTHENTICATED');
  });
});
