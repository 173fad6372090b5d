import { ConfigError, intEnv, stringEnv } from '../config';
import type { ThrottleSettings } from './login-throttle';
import { MIN_BCRYPT_COST } from './password';
import { emailSchema, nameSchema, newPasswordSchema } from './schemas';

type Env = Record<string, string | undefined>;

/** The first admin, created when absent (see `UsersService.ensureAdmin`). */
export interface AdminAccount {
  email: string;
  password: string;
  name: string;
}

export interface UsersConfig {
  bcryptCost: number;
  throttle: ThrottleSettings;
  admin: AdminAccount | undefined;
}

/**
 * Users settings from the environment:
 *
 * | key                             | default | range        |
 * | ------------------------------- | ------- | ------------ |
 * | `BCRYPT_COST`                   | 12      | 10–15        |
 * | `LOGIN_THROTTLE_WINDOW_SECONDS` | 900     | 1–86400      |
 * | `LOGIN_FAILURES_PER_ACCOUNT`    | 5       | 1–1000       |
 * | `LOGIN_FAILURES_PER_CLIENT`     | 30      | 1–100000     |
 * | `ADMIN_EMAIL`, `ADMIN_PASSWORD` | unset   | both or none |
 * | `ADMIN_NAME`                    | Administrator |        |
 */
export function readUsersConfig(env: Env = process.env): UsersConfig {
  return {
    bcryptCost: intEnv(
      'BCRYPT_COST',
      12,
      { min: MIN_BCRYPT_COST, max: 15 },
      env,
    ),
    throttle: {
      windowSeconds: intEnv(
        'LOGIN_THROTTLE_WINDOW_SECONDS',
        900,
        { min: 1, max: 86_400 },
        env,
      ),
      maxFailuresPerAccount: intEnv(
        'LOGIN_FAILURES_PER_ACCOUNT',
        5,
        { min: 1, max: 1000 },
        env,
      ),
      // Higher than per account: many customers may share one address
      // (a pharmacy's own network, a mobile carrier's NAT).
      maxFailuresPerClient: intEnv(
        'LOGIN_FAILURES_PER_CLIENT',
        30,
        { min: 1, max: 100_000 },
        env,
      ),
    },
    admin: readAdmin(env),
  };
}

function readAdmin(env: Env): AdminAccount | undefined {
  const email = env.ADMIN_EMAIL?.trim();
  const password = env.ADMIN_PASSWORD;
  if (!email && !password) return undefined;
  if (!email || !password) {
    throw new ConfigError('ADMIN_EMAIL and ADMIN_PASSWORD go together');
  }

  const parsed = {
    email: emailSchema.safeParse(email),
    password: newPasswordSchema.safeParse(password),
    name: nameSchema.safeParse(stringEnv('ADMIN_NAME', 'Administrator', env)),
  };
  if (!parsed.email.success) {
    throw new ConfigError('ADMIN_EMAIL must be an email address');
  }
  if (!parsed.password.success) {
    // The schema's message states the rule; the value is never echoed.
    const rule = parsed.password.error.issues[0]?.message;
    throw new ConfigError(`ADMIN_PASSWORD is not acceptable: ${rule}`);
  }
  if (!parsed.name.success) {
    throw new ConfigError('ADMIN_NAME must be 1 to 100 characters');
  }
  return {
    email: parsed.email.data,
    password: parsed.password.data,
    name: parsed.name.data,
  };
}
