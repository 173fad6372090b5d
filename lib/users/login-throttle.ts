import { createHash } from 'node:crypto';
import type { LoginAttemptsStore } from './store';

export interface ThrottleSettings {
  /** How far back failures count, and how long a block lasts at most. */
  windowSeconds: number;
  /** Failures of one account within the window before it is blocked. */
  maxFailuresPerAccount: number;
  /** Failures from one client address within the window, any account. */
  maxFailuresPerClient: number;
}

export interface LoginAttempt {
  /** Normalised email, whether or not an account has it. */
  email: string;
  /** Source address as API Gateway saw it; absent when unknown. */
  clientIp?: string;
}

export type ThrottleScope = 'account' | 'client';

export interface Block {
  scope: ThrottleScope;
  retryAfterSeconds: number;
}

interface Rule {
  scope: ThrottleScope;
  key: string;
  limit: number;
}

/**
 * Sliding-window limit on failed logins, per account and per client.
 *
 * A key is blocked while its last `limit` failures all fall within the
 * window; it is free again once the oldest of them leaves the window:
 *
 *   failures   x   x   x               (limit 3)
 *   time     ──┼───┼───┼───────────┼──►
 *              t1          blocked  t1 + window: free
 *
 * Refused (429) attempts are not counted, so a blocked user is not kept
 * out longer by retrying. A success clears the account's failures but not
 * the client's: otherwise one could log into an own account between
 * guesses at others to wipe the client count.
 */
export class LoginThrottle {
  constructor(
    private readonly store: LoginAttemptsStore,
    private readonly settings: ThrottleSettings,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * The longest block on this attempt's account or client, if any.
   *
   * Shortcoming (auth, issue 3): the check and the count are two steps, so
   * attempts of one parallel burst can all pass before any is counted. Goes
   * when counting moves to one atomic server-side update, which FerretDB v1
   * cannot do (its updates read, then write).
   */
  async blocked(attempt: LoginAttempt): Promise<Block | undefined> {
    const blocks = await Promise.all(
      this.#rules(attempt).map((rule) => this.#blockOf(rule)),
    );
    return blocks
      .filter((block) => block !== undefined)
      .sort((a, b) => b.retryAfterSeconds - a.retryAfterSeconds)[0];
  }

  async recordFailure(attempt: LoginAttempt): Promise<void> {
    const at = new Date(this.now());
    const expiresAt = new Date(at.getTime() + this.#windowMs);
    await Promise.all(
      this.#rules(attempt).map((rule) =>
        this.store.addFailure(rule.key, at, expiresAt),
      ),
    );
  }

  async recordSuccess(attempt: LoginAttempt): Promise<void> {
    await this.store.clear(accountRule(attempt, this.settings).key);
  }

  async #blockOf(rule: Rule): Promise<Block | undefined> {
    const now = this.now();
    const since = new Date(now - this.#windowMs);
    const failures = await this.store.recentFailures(
      rule.key,
      since,
      rule.limit,
    );
    const oldest = failures[rule.limit - 1];
    if (!oldest) return undefined;

    const freeAt = oldest.getTime() + this.#windowMs;
    const retryAfterSeconds = Math.max(1, Math.ceil((freeAt - now) / 1000));
    return { scope: rule.scope, retryAfterSeconds };
  }

  #rules(attempt: LoginAttempt): Rule[] {
    const rules = [accountRule(attempt, this.settings)];
    if (attempt.clientIp) {
      rules.push({
        scope: 'client',
        key: keyOf('client', attempt.clientIp),
        limit: this.settings.maxFailuresPerClient,
      });
    }
    return rules;
  }

  get #windowMs(): number {
    return this.settings.windowSeconds * 1000;
  }
}

function accountRule(attempt: LoginAttempt, settings: ThrottleSettings): Rule {
  return {
    scope: 'account',
    key: keyOf('account', attempt.email),
    limit: settings.maxFailuresPerAccount,
  };
}

// Keys are hashed so the store holds no email addresses or client
// addresses, also of people who have no account.
function keyOf(scope: ThrottleScope, value: string): string {
  return createHash('sha256').update(`${scope}:${value}`).digest('hex');
}
