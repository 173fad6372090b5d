import jwt from 'jsonwebtoken';
import { describe, expect, it } from 'vitest';
import type { TokenConfig } from '../../../../lib/auth/config';
import { signToken, verifyToken } from '../../../../lib/auth/token';
import { UnauthenticatedError } from '../../../../lib/errors';

const config: TokenConfig = {
  secret: 'unit-test-secret-that-is-long-enough-0123',
  issuer: 'pharmaexpress-test',
  audience: 'pharmaexpress-test-api',
  ttlSeconds: 600,
};
const customer = { userId: 'user-1', role: 'customer' as const };

/**
 * A token signed with jsonwebtoken, defaults matching `config`; an option
 * set to undefined leaves that claim out.
 */
function forge(
  payload: Record<string, unknown>,
  options: jwt.SignOptions = {},
  secret = config.secret,
): string {
  const merged: jwt.SignOptions = {
    algorithm: 'HS256',
    issuer: config.issuer,
    audience: config.audience,
    subject: 'user-1',
    expiresIn: 600,
    ...options,
  };
  const defined = Object.fromEntries(
    Object.entries(merged).filter(([, value]) => value !== undefined),
  );
  return jwt.sign(payload, secret, defined);
}

const base64url = (value: object) =>
  Buffer.from(JSON.stringify(value)).toString('base64url');

/** The same token with its payload replaced and the signature kept. */
function withPayload(token: string, edit: (claims: object) => object): string {
  const [header, payload, signature] = token.split('.');
  const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString());
  return [header, base64url(edit(claims)), signature].join('.');
}

const now = () => Math.floor(Date.now() / 1000);

describe('signToken', () => {
  it('signs a token that verifyToken reads back', () => {
    // Prepare
    const user = {
      userId: 'user-7',
      role: 'pharmacist' as const,
      email: 'a@b.c',
    };

    // Act
    const { token, expiresIn } = signToken(user, config);

    // Assess
    expect(expiresIn).toBe(600);
    expect(verifyToken(token, config)).toEqual(user);
  });

  it('puts the user id in sub and pins HS256', () => {
    // Act
    const { token } = signToken(customer, config);

    // Assess
    const decoded = jwt.decode(token, { complete: true });
    expect(decoded?.header.alg).toBe('HS256');
    expect(decoded?.payload).toMatchObject({
      sub: 'user-1',
      role: 'customer',
      iss: config.issuer,
      aud: config.audience,
    });
  });
});

describe('verifyToken', () => {
  it.each<[string, () => string]>([
    [
      'a wrong signature',
      () =>
        forge(
          { role: 'customer' },
          {},
          'another-secret-also-32-characters-long!',
        ),
    ],
    [
      'alg none',
      () =>
        `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url({
          sub: 'user-1',
          role: 'admin',
          iss: config.issuer,
          aud: config.audience,
          exp: now() + 600,
        })}.`,
    ],
    [
      'another HMAC algorithm',
      () => forge({ role: 'customer' }, { algorithm: 'HS512' }),
    ],
    [
      'an expired token',
      () =>
        forge({ role: 'customer', exp: now() - 60 }, { expiresIn: undefined }),
    ],
    [
      'a wrong audience',
      () => forge({ role: 'customer' }, { audience: 'elsewhere' }),
    ],
    [
      'a wrong issuer',
      () => forge({ role: 'customer' }, { issuer: 'elsewhere' }),
    ],
    [
      'an edited role claim',
      () =>
        withPayload(signToken(customer, config).token, (claims) => ({
          ...claims,
          role: 'admin',
        })),
    ],
    ['no subject', () => forge({ role: 'customer' }, { subject: undefined })],
    ['an unknown role', () => forge({ role: 'superuser' })],
    ['no role', () => forge({})],
    ['no expiry', () => forge({ role: 'customer' }, { expiresIn: undefined })],
    [
      'a token not valid yet',
      () => forge({ role: 'customer' }, { notBefore: 600 }),
    ],
    ['a string that is no JWT', () => 'not-a-token'],
    ['an empty string', () => ''],
  ])('refuses %s', (_case, makeToken) => {
    // Prepare
    const token = makeToken();

    // Act
    const verify = () => verifyToken(token, config);

    // Assess
    expect(verify).toThrow(UnauthenticatedError);
    expect(verify).toThrow(
      expect.objectContaining({ code: 'UNAUTHENTICATED', status: 401 }),
    );
  });

  it('says an expired token has expired', () => {
    // Prepare
    const token = forge(
      { role: 'customer', exp: now() - 60 },
      { expiresIn: undefined },
    );

    // Act
    const verify = () => verifyToken(token, config);

    // Assess
    expect(verify).toThrow('Token has expired');
  });

  it('accepts the same claims when nothing was edited', () => {
    // Prepare: the control case of "an edited role claim"
    const token = withPayload(
      signToken(customer, config).token,
      (claims) => claims,
    );

    // Act
    const user = verifyToken(token, config);

    // Assess
    expect(user).toEqual(customer);
  });
});
