import type { UsersStore } from '../../lib/users/store';
import { type Locale, localeOf } from './render';

/** Where an order's customer is reached. */
export interface CustomerContact {
  email: string;
  name: string;
  locale: Locale;
}

/**
 * The one question notify asks about users. A port, so that the handler
 * and its tests do not depend on how users are stored.
 */
export interface CustomerDirectory {
  findContact(userId: string): Promise<CustomerContact | undefined>;
}

/**
 * Contacts read through the users store (lib/users), opened on first use.
 * A failed open is not kept: the next record tries again.
 */
export class UsersStoreDirectory implements CustomerDirectory {
  #store: Promise<Pick<UsersStore, 'findById'>> | undefined;

  constructor(
    private readonly open: () => Promise<Pick<UsersStore, 'findById'>>,
  ) {}

  async findContact(userId: string): Promise<CustomerContact | undefined> {
    this.#store ??= this.open().catch((error: unknown) => {
      this.#store = undefined;
      throw error;
    });
    const user = await (await this.#store).findById(userId);
    if (!user) return undefined;
    return {
      email: user.email,
      name: user.name,
      locale: localeOf(user.locale),
    };
  }
}
