import {
  AppError,
  isAppError,
  NotFoundError,
  ValidationError,
} from '../../lib/errors';
import type { Logger } from '../../lib/logger';
import type { OrderAccess } from './order-access';
import type { AckReply, SocketData } from './protocol';
import { countOrderRooms, orderRoom } from './rooms';

/** What subscriptions need of a Socket.IO socket. */
export interface SubscriberSocket {
  readonly rooms: ReadonlySet<string>;
  readonly data: SocketData;
  join(room: string): unknown;
  leave(room: string): unknown;
}

export interface SubscriptionsOptions {
  access: OrderAccess;
  logger: Logger;
  /** Order rooms one socket may join, so a client cannot pile up rooms. */
  maxSubscriptions: number;
}

/** Order ids are short opaque strings; anything else never reaches the API. */
const ORDER_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * `subscribe` and `unsubscribe`: each answers an AckReply and never
 * throws, so every client request gets its acknowledgement.
 *
 *   orderId well formed? ─no─► VALIDATION_FAILED
 *   already in the room? ─yes─► ok (no API call)
 *   under the cap? ─no─► TOO_MANY_REQUESTS
 *   API: GET /orders/{id} as the caller ─404/403─► NOT_FOUND
 *                                        ─down───► UNAVAILABLE
 *                                        ─200────► join order:<id>, ok
 */
export class Subscriptions {
  readonly #options: SubscriptionsOptions;

  constructor(options: SubscriptionsOptions) {
    this.#options = options;
  }

  // Shortcoming (relay, issue 7): the cap bounds rooms, not the rate of
  // requests; each new subscribe costs one API call. Rate limiting per
  // user belongs with the API gateway's throttling once it is configured.
  subscribe(socket: SubscriberSocket, orderId: unknown): Promise<AckReply> {
    return this.#answer(socket, 'subscribe', async () => {
      const id = parseOrderId(orderId);
      const room = orderRoom(id);
      if (socket.rooms.has(room)) return;
      const { access, maxSubscriptions } = this.#options;
      if (countOrderRooms(socket.rooms) >= maxSubscriptions) {
        throw new AppError(
          'TOO_MANY_REQUESTS',
          `At most ${maxSubscriptions} subscriptions per connection`,
          429,
        );
      }
      const allowed = await access.canRead(id, socket.data.token);
      // Not theirs and does not exist read the same, as in the API.
      if (!allowed) throw new NotFoundError('Order not found');
      await socket.join(room);
    });
  }

  unsubscribe(socket: SubscriberSocket, orderId: unknown): Promise<AckReply> {
    return this.#answer(socket, 'unsubscribe', async () => {
      await socket.leave(orderRoom(parseOrderId(orderId)));
    });
  }

  async #answer(
    socket: SubscriberSocket,
    action: 'subscribe' | 'unsubscribe',
    run: () => Promise<void>,
  ): Promise<AckReply> {
    const { logger } = this.#options;
    const userId = socket.data.principal.userId;
    try {
      await run();
      logger.debug('relay request done', { action, userId });
      return { ok: true };
    } catch (error) {
      if (isAppError(error)) {
        logger.info('relay request refused', {
          action,
          userId,
          code: error.code,
        });
        return {
          ok: false,
          error: { code: error.code, message: error.message },
        };
      }
      logger.error('relay request failed', {
        action,
        userId,
        error: error as Error,
      });
      return {
        ok: false,
        error: { code: 'INTERNAL', message: 'Internal server error' },
      };
    }
  }
}

function parseOrderId(value: unknown): string {
  if (typeof value !== 'string' || !ORDER_ID.test(value)) {
    throw new ValidationError('orderId must be an order id', [
      { path: 'orderId', message: 'invalid' },
    ]);
  }
  return value;
}
