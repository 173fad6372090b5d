/**
 * The order state machine of docs/design.md, the one place every writer
 * asks whether a move is allowed and who may make it.
 *
 *   PENDING ──► CONFIRMED ──► PREPARING ──► READY ──► DELIVERED
 *      │            │             │
 *      ├──► REJECTED│             │
 *      └────────────┴─────────────┴──► CANCELLED
 */

export const ORDER_STATUSES = [
  'PENDING',
  'CONFIRMED',
  'REJECTED',
  'PREPARING',
  'READY',
  'DELIVERED',
  'CANCELLED',
] as const;

export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** Who drives a move: the validation step, staff, or the order's owner. */
export type Actor = 'validation' | 'staff' | 'owner';

const MOVES: Record<OrderStatus, Partial<Record<OrderStatus, Actor[]>>> = {
  PENDING: {
    CONFIRMED: ['validation'],
    REJECTED: ['validation'],
    CANCELLED: ['owner', 'staff'],
  },
  CONFIRMED: {
    PREPARING: ['staff'],
    CANCELLED: ['owner', 'staff'],
  },
  PREPARING: {
    READY: ['staff'],
    CANCELLED: ['owner', 'staff'],
  },
  READY: { DELIVERED: ['staff'] },
  DELIVERED: {},
  REJECTED: {},
  CANCELLED: {},
};

/** True when `actor` may move an order from `from` to `to`. */
export function canMove(
  from: OrderStatus,
  to: OrderStatus,
  actor: Actor,
): boolean {
  return MOVES[from][to]?.includes(actor) ?? false;
}

/** The statuses `actor` may move an order in `from` to. */
export function nextStatuses(from: OrderStatus, actor: Actor): OrderStatus[] {
  return (Object.keys(MOVES[from]) as OrderStatus[]).filter((to) =>
    canMove(from, to, actor),
  );
}

export function isFinal(status: OrderStatus): boolean {
  return Object.keys(MOVES[status]).length === 0;
}
