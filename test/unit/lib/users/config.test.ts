import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../../lib/config';
import { readUsersConfig } from '../../../../lib/users/config';

describe('readUsersConfig', () => {
  it('applies the defaults', () => {
    // Act
    const config = readUsersConfig({});

    // Assess
    expect(config).toEqual({
      bcryptCost: 12,
      throttle: {
        windowSeconds: 900,
        maxFailuresPerAccount: 5,
        maxFailuresPerClient: 30,
      },
      admin: undefined,
    });
  });

  it('reads the first admin, email normalised', () => {
    // Act
    const { admin } = readUsersConfig({
      ADMIN_EMAIL: ' Root@Pharmacy.Example ',
      ADMIN_PASSWORD: 'a long admin password',
    });

    // Assess
    expect(admin).toEqual({
      email: 'root@pharmacy.example',
      password: 'a long admin password',
      name: 'Administrator',
    });
  });

  it.each<[string, Record<string, string>, string]>([
    ['a bcrypt cost under 10', { BCRYPT_COST: '9' }, 'BCRYPT_COST'],
    ['a bcrypt cost over 15', { BCRYPT_COST: '16' }, 'BCRYPT_COST'],
    [
      'a zero window',
      { LOGIN_THROTTLE_WINDOW_SECONDS: '0' },
      'LOGIN_THROTTLE_WINDOW_SECONDS',
    ],
    [
      'a zero account limit',
      { LOGIN_FAILURES_PER_ACCOUNT: '0' },
      'LOGIN_FAILURES_PER_ACCOUNT',
    ],
    ['an admin email alone', { ADMIN_EMAIL: 'root@x.org' }, 'go together'],
    [
      'an admin password alone',
      { ADMIN_PASSWORD: 'long enough' },
      'go together',
    ],
    [
      'an admin email that is no address',
      { ADMIN_EMAIL: 'root', ADMIN_PASSWORD: 'long enough' },
      'ADMIN_EMAIL',
    ],
    [
      'a short admin password',
      { ADMIN_EMAIL: 'root@x.org', ADMIN_PASSWORD: 'short' },
      'at least 8',
    ],
    [
      'an admin password over 72 bytes',
      { ADMIN_EMAIL: 'root@x.org', ADMIN_PASSWORD: 'p'.repeat(73) },
      '72 bytes',
    ],
  ])('refuses %s', (_case, env, message) => {
    expect(() => readUsersConfig(env)).toThrow(ConfigError);
    expect(() => readUsersConfig(env)).toThrow(message);
  });

  it('never echoes a rejected admin password', () => {
    // Prepare
    const password = 'tiny';

    // Act
    const read = () =>
      readUsersConfig({ ADMIN_EMAIL: 'root@x.org', ADMIN_PASSWORD: password });

    // Assess
    expect(read).toThrow(
      expect.objectContaining({
        message: expect.not.stringContaining(password),
      }),
    );
  });
});
