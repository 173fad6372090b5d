import {
  nextStatuses,
  ORDER_STATUSES,
  type OrderStatus,
} from '../../lib/orders/status';
import type { Medicine } from './api';
import { authForms } from './auth';
import { field, h, showMessage } from './dom';
import { money, statusText, t } from './i18n';
import { LiveOrders } from './live-orders';
import { type Context, isStaff } from './session';
import { badge, connectionBadge, errorCode, orderSummary } from './status-view';

/** The staff dashboard: live board, order detail, stock. */
export function staffView(ctx: Context): HTMLElement {
  if (!ctx.user) {
    return h(
      'section',
      { 'aria-labelledby': 'staff-title' },
      h('h1', { id: 'staff-title' }, t('staffView')),
      authForms(ctx, false),
    );
  }
  if (!isStaff(ctx.user)) {
    return h(
      'section',
      { 'aria-labelledby': 'staff-title' },
      h('h1', { id: 'staff-title' }, t('staffView')),
      h('p', { role: 'alert', 'data-testid': 'staff-only' }, t('staffOnly')),
    );
  }

  let selected: string | undefined;
  const connection = connectionBadge();
  const board = h('div', { class: 'board', 'data-testid': 'board' });
  const detail = h('aside', {
    class: 'detail',
    'aria-labelledby': 'detail-title',
    'data-testid': 'order-detail',
    hidden: true,
  });
  const message = h('p', { role: 'alert', class: 'message' });

  const live = new LiveOrders(ctx, {
    historyFromLoads: false,
    onState: connection.set,
    onChange: () => render(),
    onError: (code) => showMessage(message, code),
  });

  function render(): void {
    board.replaceChildren(
      ...ORDER_STATUSES.map((status) => {
        // The latest change on top.
        const column = [...live.orders.values()]
          .filter((o) => o.status === status)
          .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
        return h(
          'section',
          {
            class: 'column',
            'aria-labelledby': `col-${status}`,
            'data-column': status,
          },
          h('h3', { id: `col-${status}` }, badge(status), ` ${column.length}`),
          column.length === 0
            ? h('p', { class: 'muted' }, t('noOrders'))
            : h(
                'ul',
                {},
                column.map((order) =>
                  h(
                    'li',
                    {},
                    h(
                      'button',
                      {
                        type: 'button',
                        class: `card${order.id === selected ? ' selected' : ''}`,
                        'data-order-id': order.id,
                        'aria-pressed': order.id === selected,
                        onclick: () => {
                          selected = order.id;
                          render();
                        },
                      },
                      h('strong', {}, `#${order.id.slice(0, 8)}`),
                      h(
                        'span',
                        {},
                        order.items[0]?.name ?? order.items[0]?.sku,
                        order.items.length > 1 && ` +${order.items.length - 1}`,
                      ),
                      h('span', {}, money(order.total, order.currency)),
                    ),
                  ),
                ),
              ),
        );
      }),
    );
    renderDetail();
  }

  function renderDetail(): void {
    const order = selected ? live.orders.get(selected) : undefined;
    detail.hidden = !order;
    if (!order) {
      detail.replaceChildren();
      return;
    }
    const moves = nextStatuses(order.status, 'staff');
    const act = (status: OrderStatus) => async (event: Event) => {
      (event.currentTarget as HTMLButtonElement).disabled = true;
      showMessage(message, undefined);
      await live.change(order.id, () =>
        status === 'CANCELLED'
          ? ctx.api.cancelOrder(order.id)
          : ctx.api.moveOrder(order.id, status),
      );
    };
    detail.replaceChildren(
      h(
        'h2',
        { id: 'detail-title' },
        `${t('detail')} #${order.id.slice(0, 8)}`,
      ),
      h('p', { 'data-testid': 'detail-status' }, badge(order.status)),
      h('p', { class: 'muted' }, `${t('customer')}: ${order.userId}`),
      orderSummary(order, live.history.get(order.id) ?? []),
      h(
        'div',
        { class: 'actions' },
        moves.map((status) =>
          h(
            'button',
            {
              type: 'button',
              class: status === 'CANCELLED' ? 'danger' : '',
              'data-move': status,
              onclick: act(status),
            },
            status === 'CANCELLED'
              ? t('cancel')
              : `${t('moveTo')} ${statusText(status)}`,
          ),
        ),
        h(
          'button',
          {
            type: 'button',
            class: 'secondary',
            onclick: () => {
              selected = undefined;
              render();
            },
          },
          t('close'),
        ),
      ),
    );
  }

  ctx.onLeave(live.follow());
  render();

  return h(
    'section',
    { 'aria-labelledby': 'staff-title', 'data-testid': 'staff-view' },
    h('h1', { id: 'staff-title' }, t('staffView')),
    connection.element,
    message,
    h('h2', {}, t('board')),
    h('div', { class: 'board-layout' }, board, detail),
    stockView(ctx),
  );
}

/** Search the catalogue, see what is available, add stock. */
function stockView(ctx: Context): HTMLElement {
  const search = field(t('search'), { type: 'search', name: 'stock-search' });
  const message = h('p', { role: 'alert', class: 'message' });
  const body = h('tbody');
  const row = (medicine: Medicine) => {
    const available = h(
      'td',
      { 'data-available': '' },
      String(medicine.available),
    );
    const quantity = h('input', {
      type: 'number',
      min: 1,
      value: 10,
      'aria-label': `${t('quantity')} ${medicine.name}`,
    });
    const button = h(
      'button',
      {
        type: 'button',
        onclick: async () => {
          button.disabled = true;
          try {
            const updated = await ctx.api.restock(
              medicine.sku,
              Number(quantity.value),
            );
            available.textContent = String(updated.available);
            showMessage(message, `${t('restocked')}: ${medicine.name}`, 'ok');
          } catch (error) {
            showMessage(message, errorCode(error));
          }
          button.disabled = false;
        },
      },
      t('restock'),
    );
    return h(
      'tr',
      { 'data-sku': medicine.sku },
      h('td', {}, medicine.sku),
      h('td', {}, `${medicine.name} ${medicine.strength} (${medicine.form})`),
      h('td', {}, money(medicine.price, medicine.currency)),
      available,
      h('td', {}, quantity, ' ', button),
    );
  };
  const load = async () => {
    try {
      body.replaceChildren(
        ...(await ctx.api.medicines(search.input.value)).map(row),
      );
    } catch (error) {
      showMessage(message, errorCode(error));
    }
  };
  void load();
  return h(
    'section',
    { 'aria-labelledby': 'stock-title', 'data-testid': 'stock' },
    h('h2', { id: 'stock-title' }, t('stock')),
    h(
      'form',
      {
        role: 'search',
        onsubmit: (event: Event) => {
          event.preventDefault();
          void load();
        },
      },
      search.wrapper,
      h('button', { type: 'submit' }, t('search')),
    ),
    message,
    h(
      'table',
      {},
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          [
            t('sku'),
            t('medicine'),
            t('price'),
            t('available'),
            t('restock'),
          ].map((label) => h('th', { scope: 'col' }, label)),
        ),
      ),
      body,
    ),
  );
}
