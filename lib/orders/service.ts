import { createHash } from 'node:crypto';
import { isStaff } from '../auth/roles';
import { ConflictError, ForbiddenError, NotFoundError } from '../errors';
import { orderStatusChanged } from '../events';
import type { Logger } from '../logger';
import type { Principal } from '../principal';
import {
  CURRENCY,
  type Order,
  type PlaceOrderInput,
  publicOrder,
  type StoredOrder,
} from './order';
import type { OutboxPublisher } from './publisher';
import { type Actor, canMove, type OrderStatus } from './status';
import type { OrderTaskQueue, StockService } from './stock';
import {
  OrderExistsError,
  type OrdersStore,
  type Page,
  type PageRequest,
  StaleOrderError,
  type Transition,
} from './store';

export interface OrderServiceDeps {
  store: OrdersStore;
  publisher: OutboxPublisher;
  tasks: OrderTaskQueue;
  stock: StockService;
  logger: Logger;
  now?: () => Date;
}

export type ValidationResult = 'CONFIRMED' | 'REJECTED' | 'skipped';

/**
 * The order lifecycle: every read and every status change of an order
 * goes through here, whoever asks (REST, GraphQL, the validate function).
 * Moves are checked against the state machine in ./status.ts and written
 * conditionally on the status and version that were read.
 */
export class OrderService {
  readonly #deps: OrderServiceDeps;
  readonly #now: () => Date;

  constructor(deps: OrderServiceDeps) {
    this.#deps = deps;
    this.#now = deps.now ?? (() => new Date());
  }

  /**
   * Stores a new PENDING order and queues its validation. The order id is
   * derived from the customer and the Idempotency-Key, so a retry after a
   * crash between the two steps finds the stored order and queues it again
   * instead of placing a second one.
   */
  async place(
    principal: Principal,
    input: PlaceOrderInput,
    idempotencyKey: string,
  ): Promise<Order> {
    if (principal.role !== 'customer') {
      throw new ForbiddenError('Only customers place orders');
    }
    const id = orderIdFor(principal.userId, idempotencyKey);
    const createdAt = this.#now().toISOString();
    const order: StoredOrder = {
      id,
      userId: principal.userId,
      status: 'PENDING',
      items: input.items.map(({ sku, quantity }) => ({
        sku,
        quantity,
        name: null,
        unitPrice: null,
      })),
      total: null,
      currency: CURRENCY,
      createdAt,
      updatedAt: createdAt,
      version: 1,
      ...(input.prescriptionRef && { prescriptionRef: input.prescriptionRef }),
    };
    const event = orderStatusChanged({
      orderId: id,
      userId: principal.userId,
      status: 'PENDING',
      previousStatus: null,
      occurredAt: createdAt,
    });

    let stored = order;
    let publish: Promise<void>;
    try {
      await this.#deps.store.create(order, event);
      this.#deps.logger.info('order placed', {
        orderId: id,
        lines: order.items.length,
      });
      publish = this.#deps.publisher.publishCreated({
        orderId: id,
        seq: order.version,
        event,
      });
    } catch (error) {
      if (!(error instanceof OrderExistsError)) throw error;
      stored = (await this.#deps.store.get(id)) ?? order;
      this.#deps.logger.info('order placement repeated', { orderId: id });
      publish = this.#deps.publisher.publishOrder(id);
    }
    // Independent round trips, so side by side. Should validation publish
    // first, it sends this event too: readers drop repeats by event id.
    await Promise.all([this.#deps.tasks.validate(id), publish]);
    return publicOrder(stored);
  }

  /** An order its owner or staff may see; 404 for anyone else. */
  async get(principal: Principal, id: string): Promise<Order> {
    return publicOrder(await this.#visible(principal, id));
  }

  /** Customers list their own orders; staff list everyone's. */
  async list(
    principal: Principal,
    page: PageRequest,
    status?: OrderStatus,
  ): Promise<Page<Order>> {
    const { store } = this.#deps;
    const result = isStaff(principal.role)
      ? status
        ? await store.listByStatus(status, page)
        : await store.listAll(page)
      : await store.listForUser(principal.userId, page, status);
    return {
      items: result.items.map(publicOrder),
      nextCursor: result.nextCursor,
    };
  }

  /**
   * Cancels an order from PENDING, CONFIRMED or PREPARING and gives its
   * stock back. The stock is released after the cancellation is stored; if
   * the pharmacy cannot be reached then, the release is queued and retried.
   */
  async cancel(principal: Principal, id: string): Promise<Order> {
    const order = await this.#visible(principal, id);
    const actor: Actor = isStaff(principal.role) ? 'staff' : 'owner';
    const cancelled = await this.#move(order, 'CANCELLED', actor);
    await this.releaseStock(id, { queueOnFailure: true });
    return publicOrder(cancelled);
  }

  /** A staff move along PREPARING, READY, DELIVERED (or a cancellation). */
  async moveByStaff(
    principal: Principal,
    id: string,
    to: OrderStatus,
  ): Promise<Order> {
    if (!isStaff(principal.role))
      throw new ForbiddenError('Only staff change order status');
    if (to === 'CANCELLED') return this.cancel(principal, id);
    const order = await this.#visible(principal, id);
    return publicOrder(await this.#move(order, to, 'staff'));
  }

  /**
   * The validation step: reserves the order's stock and moves it to
   * CONFIRMED (priced) or REJECTED (with the reason). Safe to run again for
   * the same order: the pharmacy reserves once per order id, and an order
   * no longer PENDING is left alone. Throws when the pharmacy cannot be
   * reached, so that the queue delivers the task again.
   */
  async validate(orderId: string): Promise<ValidationResult> {
    const { store, stock, logger } = this.#deps;
    const order = await store.get(orderId);
    if (order?.status !== 'PENDING') {
      logger.info('validation skipped', {
        orderId,
        status: order?.status ?? 'missing',
      });
      return 'skipped';
    }

    // An order stored without lines (written by hand, or by a bug) can
    // never be reserved: reject it instead of failing the task forever.
    if (!Array.isArray(order.items) || order.items.length === 0) {
      await this.#move(order, 'REJECTED', 'validation', {
        rejectionReason: 'INVALID_ORDER',
      });
      return 'REJECTED';
    }

    const outcome = await stock.reserve(
      orderId,
      order.items,
      order.prescriptionRef,
    );
    try {
      if (outcome.kind === 'reserved') {
        await this.#move(order, 'CONFIRMED', 'validation', {
          items: outcome.lines,
          total: outcome.total,
        });
        return 'CONFIRMED';
      }
      await this.#move(order, 'REJECTED', 'validation', {
        rejectionReason: outcome.reason,
      });
      return 'REJECTED';
    } catch (error) {
      // Cancelled while the pharmacy was reserving: give the stock back.
      if (error instanceof ConflictError && outcome.kind === 'reserved') {
        logger.info('order cancelled during validation', { orderId });
        await this.releaseStock(orderId, { queueOnFailure: true });
        return 'skipped';
      }
      throw error;
    }
  }

  /** Gives an order's reserved stock back; idempotent at the pharmacy. */
  async releaseStock(
    orderId: string,
    { queueOnFailure = false } = {},
  ): Promise<void> {
    try {
      await this.#deps.stock.release(orderId);
      this.#deps.logger.info('stock released', { orderId });
    } catch (error) {
      if (!queueOnFailure) throw error;
      this.#deps.logger.warn('stock release queued', {
        orderId,
        error: error as Error,
      });
      await this.#deps.tasks.releaseStock(orderId);
    }
  }

  async #visible(principal: Principal, id: string): Promise<StoredOrder> {
    const order = await this.#deps.store.get(id);
    // Someone else's order answers exactly like a missing one.
    if (
      !order ||
      (!isStaff(principal.role) && order.userId !== principal.userId)
    ) {
      throw new NotFoundError('Order not found');
    }
    return order;
  }

  async #move(
    order: StoredOrder,
    to: OrderStatus,
    actor: Actor,
    changes: Omit<Transition['changes'], 'status'> = {},
  ): Promise<StoredOrder> {
    if (!canMove(order.status, to, actor)) {
      throw new ConflictError(
        `An order in ${order.status} cannot move to ${to}`,
        'INVALID_TRANSITION',
      );
    }
    const event = orderStatusChanged({
      orderId: order.id,
      userId: order.userId,
      status: to,
      previousStatus: order.status,
      occurredAt: this.#now().toISOString(),
      ...(changes.rejectionReason && { reason: changes.rejectionReason }),
      ...(typeof changes.total === 'number' && { total: changes.total }),
    });

    let moved: StoredOrder;
    try {
      moved = await this.#deps.store.transition(order.id, {
        expected: { status: order.status, version: order.version },
        changes: { ...changes, status: to },
        event,
      });
    } catch (error) {
      if (error instanceof StaleOrderError) {
        throw new ConflictError(
          `The order changed meanwhile (now ${error.current?.status ?? 'gone'}); reload and retry`,
        );
      }
      throw error;
    }
    this.#deps.logger.info('order status changed', {
      orderId: order.id,
      from: order.status,
      to,
      version: moved.version,
    });
    await this.#deps.publisher.publishOrder(order.id);
    return moved;
  }
}

/** A stable UUID-shaped id for (customer, Idempotency-Key). */
export function orderIdFor(userId: string, idempotencyKey: string): string {
  const hex = createHash('sha256')
    .update(`${userId}\u0000${idempotencyKey}`)
    .digest('hex');
  return [
    hex.slice(0, 8),
    hex.slice(8, 12),
    hex.slice(12, 16),
    hex.slice(16, 20),
    hex.slice(20, 32),
  ].join('-');
}
