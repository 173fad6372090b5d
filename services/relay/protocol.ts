/**
 * The Socket.IO contract of the relay (docs/design.md, "Realtime"), as
 * the event maps both sides are typed with:
 * `new Server<ClientToServerEvents, ServerToClientEvents, ...>()` here and
 * `io(url) as Socket<ServerToClientEvents, ClientToServerEvents>` in a
 * client. Payloads are the `order.status_changed` event of lib/events.ts.
 */

import type { ErrorCode } from '../../lib/errors';
import type { OrderStatusChanged } from '../../lib/events';
import type { Principal } from '../../lib/principal';

/** Event name of a status change pushed to clients. */
export const ORDER_STATUS_EVENT = 'order.status';

/** Message of the connect_error a refused handshake gets. */
export const UNAUTHORIZED = 'unauthorized';

/** `data` of that connect_error. */
export interface HandshakeErrorData {
  code: 'UNAUTHENTICATED';
}

/** The answer to `subscribe` and `unsubscribe`. */
export type AckReply =
  | { ok: true }
  | { ok: false; error: { code: ErrorCode; message: string } };

export interface ServerToClientEvents {
  [ORDER_STATUS_EVENT]: (event: OrderStatusChanged) => void;
}

export interface ClientToServerEvents {
  /** Joins the order's room; refused with NOT_FOUND for another's order. */
  subscribe: (orderId: string, ack: (reply: AckReply) => void) => void;
  unsubscribe: (orderId: string, ack: (reply: AckReply) => void) => void;
}

/** Nothing travels between relay instances: each reads Kafka itself. */
export type InterServerEvents = Record<never, never>;

/** What the handshake established, kept with the socket. */
export interface SocketData {
  principal: Principal;
  /**
   * The caller's token, to ask the API on their behalf at `subscribe`.
   * Held in memory only and never logged.
   */
  token: string;
}
