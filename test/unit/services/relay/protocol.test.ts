/**
 * Type tests of the Socket.IO contract. They assert nothing at run time:
 * `npm run typecheck` (tsc over test/, run by CI) is what fails when the
 * event maps drift, and each `@ts-expect-error` fails it if the line
 * below ever compiles.
 */
import type { Socket as ClientSocket } from 'socket.io-client';
import { describe, expectTypeOf, it } from 'vitest';
import type { OrderStatusChanged } from '../../../../lib/events';
import type {
  AckReply,
  ClientToServerEvents,
  ServerToClientEvents,
} from '../../../../services/relay/protocol';
import type { RelayIo } from '../../../../services/relay/server';

type RelayClient = ClientSocket<ServerToClientEvents, ClientToServerEvents>;

describe('the relay event maps', () => {
  it('give a client the order event as an OrderStatusChanged', () => {
    expectTypeOf<
      Parameters<ServerToClientEvents['order.status']>[0]
    >().toEqualTypeOf<OrderStatusChanged>();
  });

  it('resolve a subscribe with an acknowledgement to an AckReply', () => {
    // Without timeout(): socket.io-client 4.8 types a timed emitWithAck as
    // Promise<any> (https://github.com/socketio/socket.io/issues/4925), so
    // callers annotate that reply as AckReply.
    const subscribe = (socket: RelayClient) =>
      socket.emitWithAck('subscribe', 'o-1');
    expectTypeOf<
      Awaited<ReturnType<typeof subscribe>>
    >().toEqualTypeOf<AckReply>();
  });

  it('refuse events outside the contract on both sides', () => {
    // Declared only: the compiler checks the bodies, nothing runs them.
    const _server = (io: RelayIo, event: OrderStatusChanged) => {
      io.to('staff').emit('order.status', event);
      // @ts-expect-error the payload is an event, not a status string
      io.to('staff').emit('order.status', 'CONFIRMED');
      // @ts-expect-error no such server-to-client event
      io.emit('order.updated', event);
    };
    const _client = async (socket: RelayClient) => {
      await socket.timeout(1000).emitWithAck('subscribe', 'o-1');
      // @ts-expect-error an order id is a string
      await socket.timeout(1000).emitWithAck('subscribe', 42);
      // @ts-expect-error clients cannot push order events
      socket.emit('order.status', {} as OrderStatusChanged);
    };
    expectTypeOf(_server).toBeFunction();
    expectTypeOf(_client).toBeFunction();
  });
});
