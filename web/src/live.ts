import { io, type Socket } from 'socket.io-client';
import type { OrderStatus } from '../../lib/orders/status';

/** The `order.status` payload of the relay (services/relay/protocol.ts). */
export interface StatusEvent {
  orderId: string;
  userId: string;
  status: OrderStatus;
  previousStatus: OrderStatus | null;
  reason?: string;
  occurredAt: string;
}

export type ConnectionState = 'connecting' | 'connected' | 'disconnected';

interface Handlers {
  onState(state: ConnectionState): void;
  onEvent(event: StatusEvent): void;
  /** After every (re)connection: events may have been missed meanwhile. */
  onConnect(): void;
}

/**
 * A socket to the relay with the user's token. WebSocket only: no
 * long-polling, so nothing depends on the relay's CORS list.
 */
export function connectLive(
  relayUrl: string,
  token: string,
  handlers: Handlers,
): () => void {
  const socket: Socket = io(relayUrl, {
    auth: { token },
    transports: ['websocket'],
  });
  handlers.onState('connecting');
  socket.on('connect', () => {
    handlers.onState('connected');
    handlers.onConnect();
  });
  socket.on('disconnect', () => handlers.onState('disconnected'));
  socket.on('connect_error', () => handlers.onState('disconnected'));
  socket.on('order.status', (event: StatusEvent) => handlers.onEvent(event));
  return () => socket.close();
}
