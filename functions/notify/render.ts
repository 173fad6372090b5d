import type { OrderStatusChanged } from '../../lib/events';
import type { OrderStatus } from '../../lib/orders/status';
import type { Locale } from '../../lib/users/user';

export type { Locale };

/** French unless the customer chose English (docs/design.md, Email). */
export function localeOf(value: unknown): Locale {
  return value === 'en' ? 'en' : 'fr';
}

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

interface Copy {
  intlLocale: string;
  subject: (reference: string, status: string) => string;
  greeting: (name: string) => string;
  status: Record<OrderStatus, string>;
  sentence: Record<OrderStatus, (reference: string) => string>;
  /** A labelled value: `Motif : ...`, `Reason: ...`. */
  field: (label: string, value: string) => string;
  reason: string;
  total: string;
  signature: string;
}

const COPY: Record<Locale, Copy> = {
  fr: {
    intlLocale: 'fr-FR',
    // French puts a no-break space before the colon.
    subject: (reference, status) => `Commande ${reference}\u00a0: ${status}`,
    greeting: (name) => `Bonjour ${name},`,
    status: {
      PENDING: 'reçue',
      CONFIRMED: 'confirmée',
      REJECTED: 'refusée',
      PREPARING: 'en préparation',
      READY: 'prête',
      DELIVERED: 'livrée',
      CANCELLED: 'annulée',
    },
    sentence: {
      PENDING: (ref) =>
        `Nous avons bien reçu votre commande ${ref}. La pharmacie la vérifie.`,
      CONFIRMED: (ref) =>
        `Votre commande ${ref} est confirmée\u00a0: la pharmacie l'a acceptée.`,
      REJECTED: (ref) => `Votre commande ${ref} a été refusée.`,
      PREPARING: (ref) => `Votre commande ${ref} est en préparation.`,
      READY: (ref) => `Votre commande ${ref} est prête.`,
      DELIVERED: (ref) => `Votre commande ${ref} a été livrée.`,
      CANCELLED: (ref) => `Votre commande ${ref} a été annulée.`,
    },
    field: (label, value) => `${label}\u00a0: ${value}`,
    reason: 'Motif',
    total: 'Montant',
    signature: "L'équipe PharmaExpress",
  },
  en: {
    intlLocale: 'en-GB',
    subject: (reference, status) => `Order ${reference}: ${status}`,
    greeting: (name) => `Hello ${name},`,
    status: {
      PENDING: 'received',
      CONFIRMED: 'confirmed',
      REJECTED: 'rejected',
      PREPARING: 'being prepared',
      READY: 'ready',
      DELIVERED: 'delivered',
      CANCELLED: 'cancelled',
    },
    sentence: {
      PENDING: (ref) =>
        `We have received your order ${ref}. The pharmacy is checking it.`,
      CONFIRMED: (ref) =>
        `Your order ${ref} is confirmed: the pharmacy has accepted it.`,
      REJECTED: (ref) => `Your order ${ref} has been rejected.`,
      PREPARING: (ref) => `Your order ${ref} is being prepared.`,
      READY: (ref) => `Your order ${ref} is ready.`,
      DELIVERED: (ref) => `Your order ${ref} has been delivered.`,
      CANCELLED: (ref) => `Your order ${ref} has been cancelled.`,
    },
    field: (label, value) => `${label}: ${value}`,
    reason: 'Reason',
    total: 'Total',
    signature: 'The PharmaExpress team',
  },
};

/**
 * The short reference customers see for an order: the first eight
 * characters of its id, upper case (`3f2a9c1b-...` → `3F2A9C1B`).
 */
export function orderReference(orderId: string): string {
  return orderId.replaceAll('-', '').slice(0, 8).toUpperCase();
}

/** Integer cents as money in the locale's format (1234 → "12,34 €"). */
export function formatMoney(
  cents: number,
  locale: Locale,
  currency: string,
): string {
  return new Intl.NumberFormat(COPY[locale].intlLocale, {
    style: 'currency',
    currency,
  }).format(cents / 100);
}

/**
 * The email for one status change: subject naming the order and its new
 * status, a plain-text part and an HTML part saying the same. Text from
 * outside (the customer's name, a rejection reason) is escaped in HTML.
 */
export function renderStatusEmail(
  event: OrderStatusChanged,
  customer: { name: string; locale: Locale },
  // TODO(issue 6): the event carries no currency; every order is in euros
  // (lib/orders/order.ts CURRENCY). Take it from the event once it has one.
  currency = 'EUR',
): RenderedEmail {
  const copy = COPY[customer.locale];
  const reference = orderReference(event.orderId);
  const lines = [
    copy.greeting(customer.name),
    copy.sentence[event.status](reference),
    ...(event.reason ? [copy.field(copy.reason, event.reason)] : []),
    ...(event.total !== undefined
      ? [
          copy.field(
            copy.total,
            formatMoney(event.total, customer.locale, currency),
          ),
        ]
      : []),
    copy.signature,
  ];

  return {
    subject: copy.subject(reference, copy.status[event.status]),
    text: `${lines.join('\n\n')}\n`,
    html: [
      '<!doctype html>',
      `<html lang="${customer.locale}"><body>`,
      ...lines.map((line) => `<p>${escapeHtml(line)}</p>`),
      '</body></html>',
    ].join('\n'),
  };
}

function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}
