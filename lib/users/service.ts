import { randomUUID } from 'node:crypto';
import type { TokenConfig } from '../auth/config';
import { signToken } from '../auth/token';
import {
  ConflictError,
  TooManyRequestsError,
  UnauthenticatedError,
} from '../errors';
import type { Logger } from '../logger';
import type { Role } from '../principal';
import type { AdminAccount } from './config';
import type { LoginThrottle } from './login-throttle';
import { hashPassword, verifyPassword } from './password';
import type { Credentials, Registration, StaffAccount } from './schemas';
import type { UsersStore } from './store';
import { toPublicUser, type User, type UserRecord } from './user';

export interface Session {
  user: User;
  token: string;
  /** Seconds until the token expires. */
  expiresIn: number;
}

export interface UsersServiceOptions {
  store: UsersStore;
  throttle: LoginThrottle;
  /** Token settings; read from the environment at first sign-in if unset. */
  tokens?: TokenConfig;
  bcryptCost: number;
  logger: Logger;
}

/** One answer for an unknown email and a wrong password alike. */
const BAD_CREDENTIALS = 'Email or password is incorrect';

/**
 * Accounts and sign-in: registration (always a customer), login with
 * throttling, the profile of a signed-in user, and staff accounts.
 */
export class UsersService {
  readonly #store: UsersStore;
  readonly #throttle: LoginThrottle;
  readonly #tokens: TokenConfig | undefined;
  readonly #cost: number;
  readonly #logger: Logger;
  #dummyHash: Promise<string> | undefined;

  constructor(options: UsersServiceOptions) {
    this.#store = options.store;
    this.#throttle = options.throttle;
    this.#tokens = options.tokens;
    this.#cost = options.bcryptCost;
    this.#logger = options.logger;
  }

  /** Creates a customer; ConflictError `EMAIL_TAKEN` if the email is used. */
  async register(input: Registration): Promise<Omit<Session, 'expiresIn'>> {
    const record = await this.#create(input, 'customer');
    this.#logger.info('user registered', { userId: record.id });

    const { user, token } = this.#session(record);
    return { user, token };
  }

  /**
   * Checks credentials. Throws TooManyRequestsError while the account or
   * the client is throttled (also for the right password, or guessing
   * could go on), else UnauthenticatedError with one message for every
   * failure.
   */
  async login(credentials: Credentials, clientIp?: string): Promise<Session> {
    const attempt = { email: credentials.email, clientIp };
    const block = await this.#throttle.blocked(attempt);
    if (block) {
      this.#logger.warn('login throttled', { ...block });
      throw new TooManyRequestsError(block.retryAfterSeconds);
    }

    const record = await this.#store.findByEmail(credentials.email);
    // Compare against a throwaway hash for an unknown email, so that both
    // failures take as long and timing does not tell them apart.
    const hash = record?.passwordHash ?? (await this.#unknownUserHash());
    const matches = await verifyPassword(credentials.password, hash);
    if (!record || !matches) {
      await this.#throttle.recordFailure(attempt);
      this.#logger.info('login refused', {
        reason: record ? 'wrong_password' : 'unknown_email',
        ...(record ? { userId: record.id } : {}),
      });
      throw new UnauthenticatedError(BAD_CREDENTIALS);
    }

    await this.#throttle.recordSuccess(attempt);
    this.#logger.info('login succeeded', { userId: record.id });
    return this.#session(record);
  }

  /** The current profile; UnauthenticatedError if the account is gone. */
  async profile(userId: string): Promise<User> {
    const record = await this.#store.findById(userId);
    if (!record) throw new UnauthenticatedError('Account no longer exists');
    return toPublicUser(record);
  }

  /** Creates a pharmacist or admin account (the users command). */
  async createStaff(input: StaffAccount): Promise<User> {
    const record = await this.#create(input, input.role);
    this.#logger.info('staff account created', {
      userId: record.id,
      role: record.role,
    });
    return toPublicUser(record);
  }

  /**
   * Creates the configured first admin unless its email already has an
   * account. An existing account is left as it is, whatever its role:
   * promoting it would hand admin to whoever registered that email first.
   */
  async ensureAdmin(admin: AdminAccount): Promise<'created' | 'present'> {
    const existing = await this.#store.findByEmail(admin.email);
    if (existing) {
      if (existing.role !== 'admin') {
        this.#logger.warn('configured admin email has a non-admin account', {
          userId: existing.id,
        });
      }
      return 'present';
    }
    try {
      await this.createStaff({ ...admin, locale: 'fr', role: 'admin' });
      return 'created';
    } catch (error) {
      // Another instance created it between our read and our write.
      if (error instanceof ConflictError) return 'present';
      throw error;
    }
  }

  async #create(input: Registration, role: Role): Promise<UserRecord> {
    return this.#store.create({
      id: randomUUID(),
      email: input.email,
      name: input.name,
      role,
      locale: input.locale,
      passwordHash: await hashPassword(input.password, this.#cost),
      createdAt: new Date().toISOString(),
    });
  }

  #session(record: UserRecord): Session {
    const { token, expiresIn } = signToken(
      { userId: record.id, role: record.role, email: record.email },
      this.#tokens,
    );
    return { user: toPublicUser(record), token, expiresIn };
  }

  #unknownUserHash(): Promise<string> {
    this.#dummyHash ??= hashPassword(randomUUID(), this.#cost);
    return this.#dummyHash;
  }
}
