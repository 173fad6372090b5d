import type { OrderStatusChanged } from '../events';
import type { StoredOrder } from './order';
import type { OrderStatus } from './status';

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface PageRequest {
  limit: number;
  cursor?: string;
}

/** A status change to write: conditional on the status and version read. */
export interface Transition {
  expected: { status: OrderStatus; version: number };
  /** Fields that change with the status (priced lines, a reason). */
  changes: Partial<Pick<StoredOrder, 'items' | 'total' | 'rejectionReason'>> & {
    status: OrderStatus;
  };
  event: OrderStatusChanged;
}

/**
 * Where orders live. Every write stores the order and its event together
 * (the outbox), so an accepted change always has its event on record even
 * when Kafka is down.
 */
export interface OrdersStore {
  /** Stores a new order; throws OrderExistsError when the id is taken. */
  create(order: StoredOrder, event: OrderStatusChanged): Promise<void>;
  get(id: string): Promise<StoredOrder | undefined>;
  /**
   * Applies a transition; throws StaleOrderError (carrying the stored
   * order) when the status or version no longer match.
   */
  transition(id: string, transition: Transition): Promise<StoredOrder>;
  listForUser(
    userId: string,
    page: PageRequest,
    status?: OrderStatus,
  ): Promise<Page<StoredOrder>>;
  listByStatus(
    status: OrderStatus,
    page: PageRequest,
  ): Promise<Page<StoredOrder>>;
  listAll(page: PageRequest): Promise<Page<StoredOrder>>;
  /** PENDING orders created before `before`, oldest first. */
  listPendingBefore(before: string, limit: number): Promise<StoredOrder[]>;
}

/** An event stored with its order; `seq` is the order version it made. */
export interface OutboxRecord {
  orderId: string;
  seq: number;
  event: OrderStatusChanged;
}

/** Events stored with their order, not yet known to be on Kafka. */
export interface Outbox {
  /** Pending events of one order, oldest first. */
  pendingFor(orderId: string): Promise<OutboxRecord[]>;
  /** Pending events of any order, oldest first within each order. */
  pending(limit: number): Promise<OutboxRecord[]>;
  markPublished(record: OutboxRecord): Promise<void>;
}

export class OrderExistsError extends Error {
  override name = 'OrderExistsError';
}

/** The order moved since it was read; `current` is what is stored now. */
export class StaleOrderError extends Error {
  override name = 'StaleOrderError';
  constructor(readonly current: StoredOrder | undefined) {
    super('order changed since it was read');
  }
}
