import { nextStatuses } from '../../lib/orders/status';
import type { Medicine, Order } from './api';
import { authForms } from './auth';
import { field, h, showMessage } from './dom';
import { money, t } from './i18n';
import { connectLive, type StatusEvent } from './live';
import type { Context } from './session';
import {
  badge,
  connectionBadge,
  errorCode,
  type History,
  isNewer,
  orderSummary,
  record,
} from './status-view';

/** The customer's page: catalogue, order, live status, past orders. */
export function customerView(ctx: Context): HTMLElement {
  const title = h('h1', { id: 'customer-title' }, t('customerView'));
  if (!ctx.user) {
    return h(
      'section',
      { 'aria-labelledby': 'customer-title' },
      title,
      authForms(ctx, true),
    );
  }

  const orders = new Map<string, Order>();
  const history = new Map<string, History>();
  const cart = new Map<string, { medicine: Medicine; quantity: number }>();
  // One key per cart: a retried submit places the order once.
  let idempotencyKey = crypto.randomUUID();
  const connection = connectionBadge();
  const message = h('p', { role: 'alert', class: 'message' });
  const list = h('ul', { class: 'orders', 'data-testid': 'my-orders' });
  const cartList = h('ul', { class: 'cart', 'data-testid': 'cart' });
  const results = h('ul', { class: 'results', 'data-testid': 'results' });
  const prescription = field(t('prescription'), { name: 'prescription' });
  const placeButton = h('button', { type: 'submit' }, t('placeOrder'));

  const upsert = (order: Order) => {
    const seen = history.get(order.id) ?? [];
    if (seen.length === 0) record(seen, 'PENDING', order.createdAt);
    record(seen, order.status, order.updatedAt);
    history.set(order.id, seen);
    if (isNewer(orders.get(order.id), order)) orders.set(order.id, order);
  };
  const refresh = async () => {
    try {
      for (const order of await ctx.api.orders(20)) upsert(order);
      renderOrders();
    } catch (error) {
      showMessage(message, errorCode(error));
    }
  };
  const onEvent = async (event: StatusEvent) => {
    const seen = history.get(event.orderId) ?? [];
    record(seen, event.status, event.occurredAt);
    history.set(event.orderId, seen);
    const order = await ctx.api.order(event.orderId).catch(() => null);
    if (order) upsert(order);
    renderOrders();
  };

  function renderOrders(): void {
    const sorted = [...orders.values()].sort((a, b) =>
      b.createdAt.localeCompare(a.createdAt),
    );
    list.replaceChildren(
      ...sorted.map((order) => {
        const canCancel = nextStatuses(order.status, 'owner').includes(
          'CANCELLED',
        );
        return h(
          'li',
          { class: 'order', 'data-order-id': order.id },
          h(
            'h3',
            {},
            `#${order.id.slice(0, 8)} `,
            h('span', { 'data-testid': 'order-status' }, badge(order.status)),
          ),
          orderSummary(order, history.get(order.id) ?? []),
          canCancel &&
            h(
              'button',
              {
                type: 'button',
                class: 'danger',
                'data-action': 'cancel',
                onclick: async (event: Event) => {
                  (event.currentTarget as HTMLButtonElement).disabled = true;
                  try {
                    upsert(await ctx.api.cancelOrder(order.id));
                  } catch (error) {
                    showMessage(message, errorCode(error));
                    // It may have moved meanwhile: show where it is now.
                    const now = await ctx.api.order(order.id).catch(() => null);
                    if (now) upsert(now);
                  }
                  renderOrders();
                },
              },
              t('cancel'),
            ),
        );
      }),
    );
  }

  function renderCart(): void {
    placeButton.disabled = cart.size === 0;
    cartList.replaceChildren(
      ...(cart.size === 0
        ? [h('li', { class: 'muted' }, t('cartEmpty'))]
        : [...cart.values()].map(({ medicine, quantity }) =>
            h(
              'li',
              { 'data-sku': medicine.sku },
              `${quantity} × ${medicine.name} ${medicine.strength} `,
              h(
                'button',
                {
                  type: 'button',
                  class: 'secondary',
                  onclick: () => {
                    cart.delete(medicine.sku);
                    idempotencyKey = crypto.randomUUID();
                    renderCart();
                  },
                },
                `${t('remove')} ${medicine.name}`,
              ),
            ),
          )),
    );
  }

  const search = field(t('searchCatalogue'), {
    type: 'search',
    name: 'catalogue-search',
  });
  const runSearch = async () => {
    try {
      const found = await ctx.api.medicines(search.input.value);
      results.replaceChildren(...found.map(resultRow));
    } catch (error) {
      showMessage(message, errorCode(error));
    }
  };
  const resultRow = (medicine: Medicine) => {
    const quantity = h('input', {
      type: 'number',
      min: 1,
      value: 1,
      'aria-label': `${t('quantity')} ${medicine.name}`,
    });
    return h(
      'li',
      {
        'data-sku': medicine.sku,
        'data-rx': String(medicine.prescriptionRequired),
      },
      h('strong', {}, `${medicine.name} ${medicine.strength}`),
      ` (${medicine.form}) — ${money(medicine.price, medicine.currency)} — ${t('available')}: ${medicine.available}`,
      medicine.prescriptionRequired &&
        h('span', { class: 'rx' }, ` ${t('rxOnly')}`),
      ' ',
      quantity,
      h(
        'button',
        {
          type: 'button',
          onclick: () => {
            cart.set(medicine.sku, {
              medicine,
              quantity: Math.max(1, Number(quantity.value) || 1),
            });
            idempotencyKey = crypto.randomUUID();
            renderCart();
          },
        },
        `${t('add')}: ${medicine.name}`,
      ),
    );
  };

  const orderForm = h(
    'form',
    {
      'aria-labelledby': 'cart-title',
      onsubmit: async (event: Event) => {
        event.preventDefault();
        placeButton.disabled = true;
        showMessage(message, undefined);
        try {
          const order = await ctx.api.placeOrder(
            [...cart.values()].map(({ medicine, quantity }) => ({
              sku: medicine.sku,
              quantity,
            })),
            prescription.input.value.trim() || undefined,
            idempotencyKey,
          );
          upsert(order);
          cart.clear();
          idempotencyKey = crypto.randomUUID();
          prescription.input.value = '';
          showMessage(message, t('orderPlaced'), 'ok');
          renderOrders();
        } catch (error) {
          showMessage(message, errorCode(error));
        }
        renderCart();
      },
    },
    h('h2', { id: 'cart-title' }, t('cart')),
    cartList,
    prescription.wrapper,
    placeButton,
  );

  ctx.onLeave(
    connectLive(ctx.endpoints.relayUrl, ctx.api.token as string, {
      onState: connection.set,
      onConnect: refresh,
      onEvent: (event) => void onEvent(event),
    }),
  );
  renderCart();

  return h(
    'section',
    { 'aria-labelledby': 'customer-title', 'data-testid': 'customer-view' },
    title,
    connection.element,
    message,
    h(
      'div',
      { class: 'columns' },
      h(
        'div',
        {},
        h(
          'form',
          {
            role: 'search',
            onsubmit: (event: Event) => {
              event.preventDefault();
              void runSearch();
            },
          },
          search.wrapper,
          h('button', { type: 'submit' }, t('search')),
        ),
        results,
        orderForm,
      ),
      h(
        'section',
        { 'aria-labelledby': 'orders-title' },
        h('h2', { id: 'orders-title' }, t('myOrders')),
        list,
      ),
    ),
  );
}
