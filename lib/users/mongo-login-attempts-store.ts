import type { Collection, Db } from 'mongodb';
import type { Logger } from '../logger';
import { unlessUnreachable } from './mongo-errors';
import type { LoginAttemptsStore } from './store';

export const LOGIN_FAILURES_COLLECTION = 'login_failures';

interface FailureDocument {
  key: string;
  at: Date;
  expiresAt: Date;
}

/**
 * Failed logins in MongoDB, one document per failure. Inserting a document
 * is atomic on every MongoDB-compatible server, where a `$inc` counter is
 * not on FerretDB v1 (its updates read, then write).
 *
 * Old failures are removed twice over: a TTL index on `expiresAt` where the
 * server has one, and by key on every new failure. FerretDB v1 has no TTL
 * indexes, so there a key that never fails again keeps at most its last
 * window of documents; a limit per key bounds those.
 */
export class MongoLoginAttemptsStore implements LoginAttemptsStore {
  readonly #failures: Collection<FailureDocument>;

  private constructor(db: Db) {
    this.#failures = db.collection<FailureDocument>(LOGIN_FAILURES_COLLECTION);
  }

  static async open(db: Db, logger?: Logger): Promise<MongoLoginAttemptsStore> {
    const store = new MongoLoginAttemptsStore(db);
    const failures = store.#failures;
    await unlessUnreachable('MongoDB', () =>
      failures.createIndex({ key: 1, at: -1 }, { name: 'key_at' }),
    );
    try {
      await failures.createIndex(
        { expiresAt: 1 },
        { expireAfterSeconds: 0, name: 'expires_ttl' },
      );
    } catch (error) {
      // Shortcoming (auth, issue 3): FerretDB v1 answers "not implemented
      // yet", so only pruning by key remains there; goes with FerretDB v2
      // or a real MongoDB, where this index is created.
      logger?.debug('no TTL index for login failures', {
        error: (error as Error).message,
      });
    }
    return store;
  }

  async recentFailures(
    key: string,
    since: Date,
    limit: number,
  ): Promise<Date[]> {
    const found = await unlessUnreachable('MongoDB', () =>
      this.#failures
        .find({ key: { $eq: key }, at: { $gt: since } })
        .sort({ at: -1 })
        .limit(limit)
        .project<{ at: Date }>({ _id: 0, at: 1 })
        .toArray(),
    );
    return found.map((failure) => failure.at);
  }

  async addFailure(key: string, at: Date, expiresAt: Date): Promise<void> {
    await unlessUnreachable('MongoDB', async () => {
      await this.#failures.deleteMany({
        key: { $eq: key },
        expiresAt: { $lte: at },
      });
      await this.#failures.insertOne({ key, at, expiresAt });
    });
  }

  async clear(key: string): Promise<void> {
    await unlessUnreachable('MongoDB', () =>
      this.#failures.deleteMany({ key: { $eq: key } }),
    );
  }
}
