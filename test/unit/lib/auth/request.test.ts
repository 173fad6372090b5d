import { describe, expect, it } from 'vitest';
import type { TokenConfig } from '../../../../lib/auth/config';
import { authenticateRequest, bearerToken } from '../../../../lib/auth/request';
import { signToken } from '../../../../lib/auth/token';

const config: TokenConfig = {
  secret: 'unit-test-secret-that-is-long-enough-0123',
  issuer: 'pharmaexpress-test',
  audience: 'pharmaexpress-test-api',
  ttlSeconds: 600,
};

describe('bearerToken', () => {
  it.each([
    ['Bearer abc.def.ghi', 'abc.def.ghi'],
    ['bearer abc.def.ghi', 'abc.def.ghi'],
    ['  Bearer   abc.def.ghi  ', 'abc.def.ghi'],
  ])('reads the token of "%s"', (value, token) => {
    expect(bearerToken(value)).toBe(token);
  });

  it.each([
    ['no header', undefined],
    ['an empty header', ''],
    ['another scheme', 'Basic dXNlcjpwYXNz'],
    ['a scheme without a token', 'Bearer'],
    ['a token with a space in it', 'Bearer abc def'],
    ['a bare token', 'abc.def.ghi'],
  ])('refuses %s', (_case, value) => {
    expect(() => bearerToken(value)).toThrow(
      expect.objectContaining({ code: 'UNAUTHENTICATED' }),
    );
  });
});

describe('authenticateRequest', () => {
  it('returns the caller of a request with a valid token', () => {
    // Prepare
    const { token } = signToken({ userId: 'user-3', role: 'admin' }, config);
    const event = { headers: { authorization: `Bearer ${token}` } };

    // Act
    const caller = authenticateRequest(event, config);

    // Assess
    expect(caller).toEqual({ userId: 'user-3', role: 'admin' });
  });

  it('finds the header whatever its case', () => {
    // Prepare
    const { token } = signToken({ userId: 'user-4', role: 'customer' }, config);
    const event = { headers: { Authorization: `Bearer ${token}` } };

    // Act
    const caller = authenticateRequest(event, config);

    // Assess
    expect(caller.userId).toBe('user-4');
  });

  it('refuses a request without the header', () => {
    expect(() => authenticateRequest({ headers: {} }, config)).toThrow(
      'Authentication required',
    );
  });
});
