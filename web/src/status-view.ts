import type { OrderStatus } from '../../lib/orders/status';
import { ApiError, type Order } from './api';
import { h } from './dom';
import { dateTime, errorText, money, statusText, t } from './i18n';
import type { ConnectionState } from './live';

/** Rank of a status along the state machine, to drop stale updates. */
const RANK: Record<OrderStatus, number> = {
  PENDING: 0,
  CONFIRMED: 1,
  REJECTED: 4,
  PREPARING: 2,
  READY: 3,
  DELIVERED: 4,
  CANCELLED: 4,
};

/** True when `next` is newer than `current` (never goes back). */
export function isNewer(current: Order | undefined, next: Order): boolean {
  if (!current) return true;
  if (next.version !== current.version) return next.version > current.version;
  return RANK[next.status] > RANK[current.status];
}

export type History = { status: OrderStatus; at: string }[];

/** Adds a status seen for an order once (events may come twice). */
export function record(history: History, status: OrderStatus, at: string) {
  if (!history.some((entry) => entry.status === status)) {
    history.push({ status, at });
  }
}

export function badge(status: OrderStatus): HTMLElement {
  return h(
    'span',
    { class: `badge s-${status}`, 'data-status': status },
    statusText(status),
  );
}

export function connectionBadge(): {
  element: HTMLElement;
  set(state: ConnectionState): void;
} {
  const value = h('strong', {}, t('conn.connecting'));
  const element = h(
    'p',
    {
      class: 'connection',
      role: 'status',
      'data-testid': 'connection',
      'data-state': 'connecting',
    },
    `${t('connection')}: `,
    value,
  );
  return {
    element,
    set(state) {
      element.dataset.state = state;
      value.textContent = t(`conn.${state}`);
    },
  };
}

/** Items, total, dates and the statuses seen, for one order. */
export function orderSummary(order: Order, seen: History): HTMLElement {
  const history: History = seen.length
    ? seen
    : [{ status: order.status, at: order.updatedAt }];
  return h(
    'div',
    { class: 'summary' },
    h(
      'ul',
      { class: 'items', 'aria-label': t('items') },
      order.items.map((item) =>
        h(
          'li',
          {},
          `${item.quantity} × ${item.name ?? item.sku}`,
          item.unitPrice !== null &&
            ` — ${money(item.unitPrice, order.currency)}`,
        ),
      ),
    ),
    h(
      'p',
      {},
      `${t('total')}: `,
      h('strong', {}, money(order.total, order.currency)),
    ),
    order.rejectionReason &&
      h('p', {}, `${t('reason')}: ${order.rejectionReason}`),
    h('p', { class: 'muted' }, `${t('created')}: ${dateTime(order.createdAt)}`),
    h('p', { class: 'muted' }, `${t('updated')}: ${dateTime(order.updatedAt)}`),
    h(
      'ol',
      {
        class: 'history',
        'aria-label': t('history'),
        'data-testid': 'history',
      },
      history.map((entry) =>
        h(
          'li',
          { 'data-status': entry.status },
          `${statusText(entry.status)} — ${dateTime(entry.at)}`,
        ),
      ),
    ),
  );
}

export function errorCode(error: unknown): string {
  return errorText(error instanceof ApiError ? error.code : 'UNKNOWN');
}
