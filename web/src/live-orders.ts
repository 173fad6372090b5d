import type { Order } from './api';
import { type ConnectionState, connectLive, type StatusEvent } from './live';
import type { Context } from './session';
import { errorCode, type History, isNewer, record } from './status-view';

export interface LiveOrdersOptions {
  /** How many of the newest orders to load; the API's default when unset. */
  first?: number;
  /**
   * Also note the statuses a loaded order shows (from PENDING): right for
   * a customer's own orders, which the page saw placed.
   */
  historyFromLoads: boolean;
  onState(state: ConnectionState): void;
  /** The orders or their history changed: render again. */
  onChange(): void;
  /** An error code for the page to show. */
  onError(code: string): void;
}

/**
 * The orders a page shows, kept current: loaded again at every connection
 * to the relay (events may have been missed meanwhile), then updated from
 * status events and from the page's own changes. An order never goes back
 * to an older state, whatever the order answers arrive in.
 */
export class LiveOrders {
  readonly orders = new Map<string, Order>();
  readonly history = new Map<string, History>();

  constructor(
    private readonly ctx: Context,
    private readonly options: LiveOrdersOptions,
  ) {}

  /** Connects to the relay; answers the disconnect, for `ctx.onLeave`. */
  follow(): () => void {
    return connectLive(
      this.ctx.endpoints.relayUrl,
      this.ctx.api.token as string,
      {
        onState: this.options.onState,
        onConnect: () => void this.#load(),
        onEvent: (event) => void this.#onEvent(event),
      },
    );
  }

  upsert(order: Order): void {
    if (this.options.historyFromLoads) {
      const seen = this.#historyOf(order.id);
      if (seen.length === 0) record(seen, 'PENDING', order.createdAt);
      record(seen, order.status, order.updatedAt);
    }
    if (isNewer(this.orders.get(order.id), order)) {
      this.orders.set(order.id, order);
    }
  }

  /**
   * Applies a change the user asked for. When it is refused, the error is
   * shown and the order read again: it may have moved meanwhile.
   */
  async change(orderId: string, call: () => Promise<Order>): Promise<void> {
    try {
      this.upsert(await call());
    } catch (error) {
      this.options.onError(errorCode(error));
      const now = await this.ctx.api.order(orderId).catch(() => null);
      if (now) this.upsert(now);
    }
    this.options.onChange();
  }

  async #load(): Promise<void> {
    try {
      for (const order of await this.ctx.api.orders(this.options.first)) {
        this.upsert(order);
      }
      this.options.onChange();
    } catch (error) {
      this.options.onError(errorCode(error));
    }
  }

  async #onEvent(event: StatusEvent): Promise<void> {
    record(this.#historyOf(event.orderId), event.status, event.occurredAt);
    const order = await this.ctx.api.order(event.orderId).catch(() => null);
    if (order) this.upsert(order);
    this.options.onChange();
  }

  #historyOf(orderId: string): History {
    let seen = this.history.get(orderId);
    if (!seen) {
      seen = [];
      this.history.set(orderId, seen);
    }
    return seen;
  }
}
