import { Logger } from '@aws-lambda-powertools/logger';
import { describe, expect, it, vi } from 'vitest';
import { UnavailableError } from '../../../../lib/errors';
import type { OrderAccess } from '../../../../services/relay/order-access';
import { orderRoom, userRoom } from '../../../../services/relay/rooms';
import {
  type SubscriberSocket,
  Subscriptions,
} from '../../../../services/relay/subscriptions';

const quiet = new Logger({ logLevel: 'SILENT' });

/** A socket holding only what Subscriptions reads and changes. */
function fakeSocket(rooms: string[] = []): SubscriberSocket & {
  rooms: Set<string>;
} {
  const joined = new Set(['socket-1', userRoom('u-1'), ...rooms]);
  return {
    rooms: joined,
    data: { principal: { userId: 'u-1', role: 'customer' }, token: 'tok-1' },
    join: (room) => joined.add(room),
    leave: (room) => joined.delete(room),
  };
}

/** An OrderAccess that lets the caller read only the given orders. */
function accessTo(...orderIds: string[]) {
  return {
    canRead: vi.fn(async (orderId: string) => orderIds.includes(orderId)),
  } satisfies OrderAccess;
}

function subscriptions(access: OrderAccess, maxSubscriptions = 3) {
  return new Subscriptions({ access, logger: quiet, maxSubscriptions });
}

describe('Subscriptions.subscribe', () => {
  it('joins the order room when the API lets the caller read the order', async () => {
    // Prepare
    const socket = fakeSocket();
    const access = accessTo('o-1');

    // Act
    const reply = await subscriptions(access).subscribe(socket, 'o-1');

    // Assess
    expect(reply).toEqual({ ok: true });
    expect(socket.rooms.has(orderRoom('o-1'))).toBe(true);
    expect(access.canRead).toHaveBeenCalledWith('o-1', 'tok-1');
  });

  it('refuses with NOT_FOUND an order the API does not show the caller', async () => {
    // Prepare
    const socket = fakeSocket();

    // Act
    const reply = await subscriptions(accessTo('o-1')).subscribe(socket, 'o-2');

    // Assess
    expect(reply).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(socket.rooms.has(orderRoom('o-2'))).toBe(false);
  });

  it.each([
    ['a number', 42],
    ['an empty string', ''],
    ['a path', '../auth/me'],
    ['a string of 129 characters', 'a'.repeat(129)],
    ['an object', { orderId: 'o-1' }],
    ['nothing', undefined],
  ])(
    'refuses %s as order id without asking the API',
    async (_case, orderId) => {
      // Prepare
      const access = accessTo('o-1');

      // Act
      const reply = await subscriptions(access).subscribe(
        fakeSocket(),
        orderId,
      );

      // Assess
      expect(reply).toMatchObject({
        ok: false,
        error: { code: 'VALIDATION_FAILED' },
      });
      expect(access.canRead).not.toHaveBeenCalled();
    },
  );

  it('refuses a subscription beyond the cap with TOO_MANY_REQUESTS', async () => {
    // Prepare
    const socket = fakeSocket([orderRoom('a'), orderRoom('b')]);
    const access = accessTo('c');

    // Act
    const reply = await subscriptions(access, 2).subscribe(socket, 'c');

    // Assess
    expect(reply).toMatchObject({
      ok: false,
      error: { code: 'TOO_MANY_REQUESTS' },
    });
    expect(access.canRead).not.toHaveBeenCalled();
  });

  it('answers ok without asking the API again for an order already followed', async () => {
    // Prepare
    const socket = fakeSocket([orderRoom('o-1')]);
    const access = accessTo();

    // Act
    const reply = await subscriptions(access).subscribe(socket, 'o-1');

    // Assess
    expect(reply).toEqual({ ok: true });
    expect(access.canRead).not.toHaveBeenCalled();
  });

  it('answers UNAVAILABLE when the API cannot say', async () => {
    // Prepare
    const access: OrderAccess = {
      canRead: async () => {
        throw new UnavailableError('The orders API did not answer');
      },
    };

    // Act
    const reply = await subscriptions(access).subscribe(fakeSocket(), 'o-1');

    // Assess
    expect(reply).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } });
  });

  it('answers INTERNAL, without details, to an unexpected failure', async () => {
    // Prepare
    const access: OrderAccess = {
      canRead: async () => {
        throw new Error('socket hang up at 10.0.0.7');
      },
    };

    // Act
    const reply = await subscriptions(access).subscribe(fakeSocket(), 'o-1');

    // Assess
    expect(reply).toEqual({
      ok: false,
      error: { code: 'INTERNAL', message: 'Internal server error' },
    });
  });
});

describe('Subscriptions.unsubscribe', () => {
  it('leaves the order room and keeps the user room', async () => {
    // Prepare
    const socket = fakeSocket([orderRoom('o-1')]);

    // Act
    const reply = await subscriptions(accessTo()).unsubscribe(socket, 'o-1');

    // Assess
    expect(reply).toEqual({ ok: true });
    expect(socket.rooms.has(orderRoom('o-1'))).toBe(false);
    expect(socket.rooms.has(userRoom('u-1'))).toBe(true);
  });

  it('refuses a malformed order id', async () => {
    // Act
    const reply = await subscriptions(accessTo()).unsubscribe(
      fakeSocket(),
      '../orders',
    );

    // Assess
    expect(reply).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_FAILED' },
    });
  });
});
