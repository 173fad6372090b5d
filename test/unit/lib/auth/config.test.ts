import { describe, expect, it } from 'vitest';
import { readTokenConfig } from '../../../../lib/auth/config';
import { ConfigError } from '../../../../lib/config';

const SECRET = 'a-secret-of-exactly-thirty-two-c';

describe('readTokenConfig', () => {
  it('applies the defaults beside the secret', () => {
    // Act
    const config = readTokenConfig({ JWT_SECRET: SECRET });

    // Assess
    expect(config).toEqual({
      secret: SECRET,
      issuer: 'pharmaexpress',
      audience: 'pharmaexpress-api',
      ttlSeconds: 3600,
    });
  });

  it.each<[string, Record<string, string>, string]>([
    ['a missing secret', {}, 'JWT_SECRET is required'],
    ['a blank secret', { JWT_SECRET: '   ' }, 'JWT_SECRET is required'],
    ['a short secret', { JWT_SECRET: SECRET.slice(1) }, 'at least 32'],
    [
      'a lifetime under a minute',
      { JWT_SECRET: SECRET, JWT_TTL_SECONDS: '30' },
      'JWT_TTL_SECONDS',
    ],
    [
      'a lifetime over a day',
      { JWT_SECRET: SECRET, JWT_TTL_SECONDS: '90000' },
      'JWT_TTL_SECONDS',
    ],
  ])('refuses %s', (_case, env, message) => {
    expect(() => readTokenConfig(env)).toThrow(ConfigError);
    expect(() => readTokenConfig(env)).toThrow(message);
  });

  it('never echoes a rejected secret', () => {
    // Prepare
    const secret = 'too-short-but-secret';

    // Act
    const read = () => readTokenConfig({ JWT_SECRET: secret });

    // Assess
    expect(read).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining(secret) }),
    );
  });
});
