import type { UserRecord } from './user';

/**
 * Where users live. Emails arrive normalised (see `normaliseEmail`); the
 * store keeps them unique.
 */
export interface UsersStore {
  /** Stores a new user; ConflictError `EMAIL_TAKEN` if the email exists. */
  create(user: UserRecord): Promise<UserRecord>;
  findByEmail(email: string): Promise<UserRecord | undefined>;
  findById(id: string): Promise<UserRecord | undefined>;
}

/**
 * Failed logins, counted per key (an account or a client address) so that
 * every Lambda instance sees the same counts.
 */
export interface LoginAttemptsStore {
  /** Times of failures after `since`, newest first, at most `limit`. */
  recentFailures(key: string, since: Date, limit: number): Promise<Date[]>;
  /** Records one failure, kept at least until `expiresAt`. */
  addFailure(key: string, at: Date, expiresAt: Date): Promise<void>;
  /** Forgets every failure of a key. */
  clear(key: string): Promise<void>;
}
