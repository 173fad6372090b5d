import type { Collection, Db } from 'mongodb';
import { ConflictError } from '../errors';
import { isDuplicateKey, unlessUnreachable } from './mongo-errors';
import type { UsersStore } from './store';
import type { UserRecord } from './user';

export const USERS_COLLECTION = 'users';

type UserDocument = Omit<UserRecord, 'id'> & { _id: string };

/**
 * Users in MongoDB, one document per user keyed by its id. Emails are
 * unique through a plain unique index on the normalised email: FerretDB
 * has no collation indexes, and a stored lowercase form works everywhere.
 *
 * Every filter compares with `$eq`, so even a value that slipped past the
 * schemas as an object (`{"$gt": ""}`) is matched literally, never run as
 * an operator.
 */
export class MongoUsersStore implements UsersStore {
  readonly #users: Collection<UserDocument>;

  private constructor(db: Db) {
    this.#users = db.collection<UserDocument>(USERS_COLLECTION);
  }

  /** Opens the store, creating its index if missing (idempotent). */
  static async open(db: Db): Promise<MongoUsersStore> {
    const store = new MongoUsersStore(db);
    await unlessUnreachable('MongoDB', () =>
      store.#users.createIndex(
        { email: 1 },
        { unique: true, name: 'email_unique' },
      ),
    );
    return store;
  }

  async create(user: UserRecord): Promise<UserRecord> {
    const { id, ...rest } = user;
    try {
      await unlessUnreachable('MongoDB', () =>
        this.#users.insertOne({ _id: id, ...rest }),
      );
    } catch (error) {
      if (isDuplicateKey(error)) {
        throw new ConflictError(
          'An account with this email already exists',
          'EMAIL_TAKEN',
        );
      }
      throw error;
    }
    return user;
  }

  async findByEmail(email: string): Promise<UserRecord | undefined> {
    return this.#findOne({ email: { $eq: email } });
  }

  async findById(id: string): Promise<UserRecord | undefined> {
    return this.#findOne({ _id: { $eq: id } });
  }

  async #findOne(
    filter: Parameters<Collection<UserDocument>['findOne']>[0],
  ): Promise<UserRecord | undefined> {
    const found = await unlessUnreachable('MongoDB', () =>
      this.#users.findOne(filter),
    );
    if (!found) return undefined;
    const { _id, ...rest } = found;
    return { id: _id, ...rest };
  }
}
