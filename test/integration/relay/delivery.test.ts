import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  connectClient,
  newOrderId,
  newUser,
  OrderEventsWriter,
  ReceivedEvents,
  startTestRelay,
} from '../../helpers/relay';

// Events go to the shared `order-status` topic, which other tests also
// write to: every assertion looks only at this test's own order ids.
const writer = new OrderEventsWriter();

beforeAll(() => writer.start());
afterAll(() => writer.stop());

describe('relay delivery of order events', () => {
  it('gives a customer the events of their order, in order', async () => {
    // Prepare
    const relay = await startTestRelay();
    const alice = newUser();
    const received = new ReceivedEvents(
      await connectClient(relay.url, alice.token),
    );
    const orderId = newOrderId();

    // Act
    const published = [
      await writer.publish(orderId, alice.userId, 'PENDING'),
      await writer.publish(orderId, alice.userId, 'CONFIRMED', 'PENDING'),
      await writer.publish(orderId, alice.userId, 'PREPARING', 'CONFIRMED'),
      await writer.publish(orderId, alice.userId, 'READY', 'PREPARING'),
    ];

    // Assess
    expect(await received.waitFor(orderId, 4)).toEqual(published);
  });

  it('gives another customer none of them', async () => {
    // Prepare
    const relay = await startTestRelay();
    const alice = newUser();
    const bob = newUser();
    const bobReceived = new ReceivedEvents(
      await connectClient(relay.url, bob.token),
    );
    const aliceReceived = new ReceivedEvents(
      await connectClient(relay.url, alice.token),
    );
    const aliceOrder = newOrderId();
    const bobOrder = newOrderId();

    // Act
    await writer.publish(aliceOrder, alice.userId, 'PENDING');
    await writer.publish(aliceOrder, alice.userId, 'CONFIRMED', 'PENDING');
    const aliceGot = await aliceReceived.waitFor(aliceOrder, 2);
    // Emitted after Alice's on Bob's one ordered connection: once it is
    // in, Alice's events would have reached Bob before it.
    await writer.publish(bobOrder, bob.userId, 'PENDING');
    const bobGot = await bobReceived.waitFor(bobOrder, 1);

    // Assess
    expect(aliceGot).toHaveLength(2);
    expect(bobGot).toHaveLength(1);
    expect(bobReceived.all.filter((e) => e.userId !== bob.userId)).toEqual([]);
  });

  it.each(['pharmacist', 'admin'] as const)(
    'gives a %s the events of every customer',
    async (role) => {
      // Prepare
      const relay = await startTestRelay();
      const staff = newUser(role);
      const received = new ReceivedEvents(
        await connectClient(relay.url, staff.token),
      );
      const [alice, bob] = [newUser(), newUser()];
      const [aliceOrder, bobOrder] = [newOrderId(), newOrderId()];

      // Act
      const fromAlice = await writer.publish(
        aliceOrder,
        alice.userId,
        'PENDING',
      );
      const fromBob = await writer.publish(bobOrder, bob.userId, 'PENDING');

      // Assess
      expect(await received.waitFor(aliceOrder, 1)).toEqual([fromAlice]);
      expect(await received.waitFor(bobOrder, 1)).toEqual([fromBob]);
    },
  );

  it('skips a malformed record and delivers the next event', async () => {
    // Prepare
    const relay = await startTestRelay();
    const alice = newUser();
    const received = new ReceivedEvents(
      await connectClient(relay.url, alice.token),
    );
    const orderId = newOrderId();

    // Act
    await writer.publishRaw(orderId, '{"orderId": "not json');
    await writer.publishRaw(
      orderId,
      JSON.stringify({
        type: 'order.status_changed',
        orderId,
        userId: alice.userId,
      }),
    );
    const valid = await writer.publish(orderId, alice.userId, 'PENDING');

    // Assess
    expect(await received.waitFor(orderId, 1)).toEqual([valid]);
  });
});
