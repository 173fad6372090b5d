import { ConflictError } from '../../lib/errors';
import type { LoginAttemptsStore, UsersStore } from '../../lib/users/store';
import type { UserRecord } from '../../lib/users/user';

/** UsersStore in memory, for unit tests of the logic above the store. */
export class MemoryUsersStore implements UsersStore {
  readonly records = new Map<string, UserRecord>();

  async create(user: UserRecord): Promise<UserRecord> {
    if (await this.findByEmail(user.email)) {
      throw new ConflictError(
        'An account with this email already exists',
        'EMAIL_TAKEN',
      );
    }
    this.records.set(user.id, { ...user });
    return user;
  }

  async findByEmail(email: string): Promise<UserRecord | undefined> {
    return [...this.records.values()].find((user) => user.email === email);
  }

  async findById(id: string): Promise<UserRecord | undefined> {
    return this.records.get(id);
  }
}

/** LoginAttemptsStore in memory. */
export class MemoryLoginAttemptsStore implements LoginAttemptsStore {
  readonly failures = new Map<string, { at: Date; expiresAt: Date }[]>();

  async recentFailures(key: string, since: Date, limit: number) {
    return (this.failures.get(key) ?? [])
      .filter((failure) => failure.at > since)
      .map((failure) => failure.at)
      .sort((a, b) => b.getTime() - a.getTime())
      .slice(0, limit);
  }

  async addFailure(key: string, at: Date, expiresAt: Date) {
    const kept = (this.failures.get(key) ?? []).filter(
      (failure) => failure.expiresAt > at,
    );
    this.failures.set(key, [...kept, { at, expiresAt }]);
  }

  async clear(key: string) {
    this.failures.delete(key);
  }
}
