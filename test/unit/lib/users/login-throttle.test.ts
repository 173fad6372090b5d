import { beforeEach, describe, expect, it } from 'vitest';
import {
  type LoginAttempt,
  LoginThrottle,
} from '../../../../lib/users/login-throttle';
import { MemoryLoginAttemptsStore } from '../../../helpers/memory-users';

const settings = {
  windowSeconds: 60,
  maxFailuresPerAccount: 3,
  maxFailuresPerClient: 5,
};

describe('LoginThrottle', () => {
  let clock: number;
  let store: MemoryLoginAttemptsStore;
  let throttle: LoginThrottle;
  const ann: LoginAttempt = { email: 'ann@example.org', clientIp: '192.0.2.1' };

  beforeEach(() => {
    clock = Date.parse('2026-12-03T10:00:00Z');
    store = new MemoryLoginAttemptsStore();
    throttle = new LoginThrottle(store, settings, () => clock);
  });

  async function fail(attempt: LoginAttempt, times: number, stepMs = 1000) {
    for (let i = 0; i < times; i += 1) {
      await throttle.recordFailure(attempt);
      clock += stepMs;
    }
  }

  it('lets an account through below its limit', async () => {
    // Prepare
    await fail(ann, 2);

    // Act
    const block = await throttle.blocked(ann);

    // Assess
    expect(block).toBeUndefined();
  });

  it('blocks an account at its limit until the oldest failure leaves the window', async () => {
    // Prepare: failures at t0, t0+1s, t0+2s; now t0+3s
    await fail(ann, 3);

    // Act
    const block = await throttle.blocked(ann);

    // Assess
    expect(block).toEqual({ scope: 'account', retryAfterSeconds: 57 });
  });

  it('frees the account once the window has passed', async () => {
    // Prepare
    await fail(ann, 3);
    clock += 57_000;

    // Act
    const block = await throttle.blocked(ann);

    // Assess
    expect(block).toBeUndefined();
  });

  it('blocks a client after failures on several accounts', async () => {
    // Prepare: five accounts, one failure each, from one address
    for (const name of ['a', 'b', 'c', 'd', 'e']) {
      await fail({ email: `${name}@example.org`, clientIp: '192.0.2.9' }, 1);
    }

    // Act
    const fromThere = await throttle.blocked({
      email: 'f@example.org',
      clientIp: '192.0.2.9',
    });
    const fromElsewhere = await throttle.blocked({
      email: 'f@example.org',
      clientIp: '192.0.2.10',
    });

    // Assess
    expect(fromThere?.scope).toBe('client');
    expect(fromElsewhere).toBeUndefined();
  });

  it('clears the account but not the client on success', async () => {
    // Prepare: the client is one failure short of its limit
    await fail(ann, 2);
    await fail({ email: 'bob@example.org', clientIp: ann.clientIp }, 2);

    // Act
    await throttle.recordSuccess(ann);

    // Assess
    await fail(ann, 2);
    const block = await throttle.blocked(ann);
    expect(block?.scope).toBe('client');
  });

  it('reports the longer of two blocks', async () => {
    // Prepare: the client fills first, the account later
    await fail({ email: 'x@example.org', clientIp: ann.clientIp }, 2, 10_000);
    await fail(ann, 3);

    // Act
    const block = await throttle.blocked(ann);

    // Assess: the account's oldest failure is the more recent one
    expect(block?.scope).toBe('account');
  });

  it('counts only the account when the client address is unknown', async () => {
    // Prepare
    const anonymous = { email: ann.email };
    await fail(anonymous, 3);

    // Act
    const block = await throttle.blocked(anonymous);

    // Assess
    expect(block?.scope).toBe('account');
    expect([...store.failures.keys()]).toHaveLength(1);
  });

  it('stores hashed keys, never the email or the address', async () => {
    // Act
    await fail(ann, 1);

    // Assess
    const keys = [...store.failures.keys()].join(' ');
    expect(keys).not.toContain('ann');
    expect(keys).not.toContain('192.0.2.1');
  });
});
