import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AckReply } from '../../../services/relay/protocol';
import {
  connectClient,
  newOrderId,
  newUser,
  OrderEventsWriter,
  ReceivedEvents,
  type RelayClient,
  startTestRelay,
  TestOrdersApi,
} from '../../helpers/relay';

// The relay asks `GET /orders/{id}` of a tiny real HTTP server that keeps
// the REST contract (owner or staff 200, anyone else 404), through the
// same HttpOrderAccess the relay uses in production.
let api: TestOrdersApi;
const writer = new OrderEventsWriter();

beforeAll(async () => {
  api = await TestOrdersApi.start();
  await writer.start();
});

afterAll(async () => {
  await writer.stop();
  await api.close();
});

/** A subscribe whose acknowledgement must come within 5 s. */
function subscribe(socket: RelayClient, orderId: string): Promise<AckReply> {
  return socket.timeout(5000).emitWithAck('subscribe', orderId);
}

describe('relay subscribe', () => {
  it('acknowledges a customer subscribing to their own order', async () => {
    // Prepare
    const relay = await startTestRelay({ apiUrl: api.url });
    const alice = newUser();
    const orderId = newOrderId();
    api.put(orderId, alice.userId, 'PENDING');
    const socket = await connectClient(relay.url, alice.token);

    // Act
    const reply = await subscribe(socket, orderId);

    // Assess
    expect(reply).toEqual({ ok: true });
  });

  it('refuses a subscribe to another customer’s order and delivers none of its events', async () => {
    // Prepare
    const relay = await startTestRelay({ apiUrl: api.url });
    const [alice, bob] = [newUser(), newUser()];
    const [aliceOrder, bobOrder] = [newOrderId(), newOrderId()];
    api.put(aliceOrder, alice.userId, 'PENDING');
    const socket = await connectClient(relay.url, bob.token);
    const received = new ReceivedEvents(socket);

    // Act
    const reply = await subscribe(socket, aliceOrder);
    const aliceWatcher = new ReceivedEvents(
      await connectClient(relay.url, alice.token),
    );
    await writer.publish(aliceOrder, alice.userId, 'CONFIRMED', 'PENDING');
    await aliceWatcher.waitFor(aliceOrder, 1);
    await writer.publish(bobOrder, bob.userId, 'PENDING');
    await received.waitFor(bobOrder, 1);

    // Assess
    expect(reply).toEqual({
      ok: false,
      error: { code: 'NOT_FOUND', message: 'Order not found' },
    });
    expect(received.of(aliceOrder)).toEqual([]);
    expect(received.of(bobOrder)).toHaveLength(1);
  });

  it('refuses a subscribe to an order that does not exist', async () => {
    // Prepare
    const relay = await startTestRelay({ apiUrl: api.url });
    const socket = await connectClient(relay.url, newUser().token);

    // Act
    const reply = await subscribe(socket, newOrderId());

    // Assess
    expect(reply).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('delivers an event once to sockets that sit in several of its rooms', async () => {
    // Prepare
    const relay = await startTestRelay({ apiUrl: api.url });
    const alice = newUser();
    const pharmacist = newUser('pharmacist');
    const orderId = newOrderId();
    api.put(orderId, alice.userId, 'PENDING');
    const aliceSocket = await connectClient(relay.url, alice.token);
    const staffSocket = await connectClient(relay.url, pharmacist.token);
    await subscribe(aliceSocket, orderId);
    await subscribe(staffSocket, orderId);
    const [aliceGot, staffGot] = [aliceSocket, staffSocket].map(
      (socket) => new ReceivedEvents(socket),
    );

    // Act
    const first = await writer.publish(orderId, alice.userId, 'CONFIRMED');
    // A copy of the first would reach each socket before the second.
    const second = await writer.publish(orderId, alice.userId, 'PREPARING');

    // Assess
    expect(await aliceGot?.waitFor(orderId, 2)).toEqual([first, second]);
    expect(await staffGot?.waitFor(orderId, 2)).toEqual([first, second]);
  });

  it('answers UNAVAILABLE when the orders API does not answer', async () => {
    // Prepare
    const closedPort = await freePort();
    const relay = await startTestRelay({
      apiUrl: `http://127.0.0.1:${closedPort}`,
    });
    const socket = await connectClient(relay.url, newUser().token);

    // Act
    const reply = await subscribe(socket, newOrderId());

    // Assess
    expect(reply).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } });
  });
});

/** A port nothing listens on. */
async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
