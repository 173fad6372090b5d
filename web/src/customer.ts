import { nextStatuses } from '../../lib/orders/status';
import type { Medicine } from './api';
import { authForms } from './auth';
import { field, h, showMessage } from './dom';
import { money, t } from './i18n';
import { LiveOrders } from './live-orders';
import type { Context } from './session';
import { badge, connectionBadge, errorCode, orderSummary } from './status-view';

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

  const live = new LiveOrders(ctx, {
    first: 20,
    historyFromLoads: true,
    onState: connection.set,
    onChange: () => renderOrders(),
    onError: (code) => showMessage(message, code),
  });

  function renderOrders(): void {
    const sorted = [...live.orders.values()].sort((a, b) =>
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
          orderSummary(order, live.history.get(order.id) ?? []),
          canCancel &&
            h(
              'button',
              {
                type: 'button',
                class: 'danger',
                'data-action': 'cancel',
                onclick: async (event: Event) => {
                  (event.currentTarget as HTMLButtonElement).disabled = true;
                  await live.change(order.id, () =>
                    ctx.api.cancelOrder(order.id),
                  );
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
          live.upsert(order);
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

  ctx.onLeave(live.follow());
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
