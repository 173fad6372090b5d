import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  connectClient,
  newOrderId,
  newUser,
  OrderEventsWriter,
  ReceivedEvents,
  type RelayClient,
  startTestRelay,
} from '../../helpers/relay';

const writer = new OrderEventsWriter();

beforeAll(() => writer.start());
afterAll(() => writer.stop());

function next(socket: RelayClient, event: 'connect' | 'disconnect') {
  return new Promise<void>((resolve) => socket.once(event, () => resolve()));
}

describe('relay reconnects', () => {
  it('give a client that dropped briefly the events it missed', async () => {
    // Prepare
    const relay = await startTestRelay();
    const alice = newUser();
    const socket = await connectClient(relay.url, alice.token);
    const received = new ReceivedEvents(socket);
    const staff = new ReceivedEvents(
      await connectClient(relay.url, newUser('admin').token),
    );
    const orderId = newOrderId();
    const before = await writer.publish(orderId, alice.userId, 'PENDING');
    await received.waitFor(orderId, 1);

    // Act: the connection drops; an event is relayed while it is down.
    socket.io.reconnection(false);
    const dropped = next(socket, 'disconnect');
    socket.io.engine.close();
    await dropped;
    const missed = await writer.publish(orderId, alice.userId, 'CONFIRMED');
    await staff.waitFor(orderId, 2);
    const back = next(socket, 'connect');
    socket.io.reconnection(true);
    socket.connect();
    await back;

    // Assess
    expect(socket.recovered).toBe(true);
    expect(await received.waitFor(orderId, 2)).toEqual([before, missed]);
  });

  it('reconnect a client to a restarted relay, which then delivers new events', async () => {
    // Prepare
    const first = await startTestRelay();
    const alice = newUser();
    const socket = await connectClient(first.url, alice.token);
    const received = new ReceivedEvents(socket);
    const orderId = newOrderId();
    const before = await writer.publish(orderId, alice.userId, 'PENDING');
    await received.waitFor(orderId, 1);

    // Act: the relay stops; an event is published while none runs; a
    // new relay starts on the same port and the client finds it alone.
    const dropped = next(socket, 'disconnect');
    await first.close();
    await dropped;
    await writer.publish(orderId, alice.userId, 'CONFIRMED', 'PENDING');
    const back = next(socket, 'connect');
    await startTestRelay({ port: first.port });
    await back;
    const after = await writer.publish(
      orderId,
      alice.userId,
      'PREPARING',
      'CONFIRMED',
    );

    // Assess: the event published while no relay ran is not replayed
    // (same order, same partition: it would have come before `after`);
    // the client reads the current status from GET /orders/{id}.
    expect(socket.recovered).toBe(false);
    expect(await received.waitFor(orderId, 2)).toEqual([before, after]);
  });

  it('give a resumed session that shows another user’s token none of the first user’s events', async () => {
    // Prepare
    const relay = await startTestRelay();
    const [alice, bob] = [newUser(), newUser()];
    const socket = await connectClient(relay.url, alice.token);
    const received = new ReceivedEvents(socket);
    const staff = new ReceivedEvents(
      await connectClient(relay.url, newUser('admin').token),
    );
    const [aliceOrder, bobOrder] = [newOrderId(), newOrderId()];
    await writer.publish(aliceOrder, alice.userId, 'PENDING');
    await received.waitFor(aliceOrder, 1);

    // Act: the same client resumes its session as Bob.
    socket.io.reconnection(false);
    const dropped = next(socket, 'disconnect');
    socket.io.engine.close();
    await dropped;
    socket.auth = { token: bob.token };
    const back = next(socket, 'connect');
    socket.connect();
    await back;
    await writer.publish(aliceOrder, alice.userId, 'CONFIRMED', 'PENDING');
    await staff.waitFor(aliceOrder, 2);
    await writer.publish(bobOrder, bob.userId, 'PENDING');
    await received.waitFor(bobOrder, 1);

    // Assess
    expect(socket.recovered).toBe(true);
    expect(received.of(aliceOrder)).toHaveLength(1);
    expect(received.of(bobOrder)).toHaveLength(1);
  });
});
