import { describe, expect, it } from 'vitest';
import {
  formatMoney,
  localeOf,
  orderReference,
  renderStatusEmail,
} from '../../../../functions/notify/render';
import { orderStatusChanged } from '../../../../lib/events';
import type { OrderStatus } from '../../../../lib/orders/status';

const ORDER_ID = '3f2a9c1b-0d4e-4f00-9a1b-2c3d4e5f6a7b';

function event(
  status: OrderStatus,
  extra: { reason?: string; total?: number } = {},
) {
  return orderStatusChanged({
    orderId: ORDER_ID,
    userId: 'user-1',
    status,
    previousStatus: 'PENDING',
    ...extra,
  });
}

const ann = { name: 'Ann', locale: 'en' as const };
const zoe = { name: 'Zoé', locale: 'fr' as const };

describe('orderReference', () => {
  it('is the first eight characters of the id, upper case', () => {
    expect(orderReference(ORDER_ID)).toBe('3F2A9C1B');
  });
});

describe('formatMoney', () => {
  // ICU versions differ on which no-break space French puts before €.
  it.each([
    ['fr', 1234, /^12,34\s€$/],
    ['en', 1234, /^€12\.34$/],
    ['fr', 5, /^0,05\s€$/],
    ['fr', 123456, /^1\s234,56\s€$/],
    ['en', 123456, /^€1,234\.56$/],
  ] as const)('writes %s %i cents as %s', (locale, cents, expected) => {
    expect(formatMoney(cents, locale, 'EUR')).toMatch(expected);
  });
});

describe('localeOf', () => {
  it.each([
    ['en', 'en'],
    ['fr', 'fr'],
    [undefined, 'fr'],
    ['de', 'fr'],
  ])('reads %s as %s', (value, expected) => {
    expect(localeOf(value)).toBe(expected);
  });
});

describe('renderStatusEmail', () => {
  it.each([
    ['fr', 'CONFIRMED', 'Commande 3F2A9C1B\u00a0: confirmée'],
    ['fr', 'REJECTED', 'Commande 3F2A9C1B\u00a0: refusée'],
    ['fr', 'READY', 'Commande 3F2A9C1B\u00a0: prête'],
    ['en', 'CONFIRMED', 'Order 3F2A9C1B: confirmed'],
    ['en', 'PREPARING', 'Order 3F2A9C1B: being prepared'],
    ['en', 'CANCELLED', 'Order 3F2A9C1B: cancelled'],
  ] as const)(
    'names the order and its new status in the subject (%s, %s)',
    (locale, status, subject) => {
      // Act
      const email = renderStatusEmail(event(status), { name: 'X', locale });

      // Assess
      expect(email.subject).toBe(subject);
    },
  );

  it('writes to a French customer in French, text and HTML alike', () => {
    // Act
    const email = renderStatusEmail(event('CONFIRMED', { total: 1234 }), zoe);

    // Assess
    expect(email.text).toContain('Bonjour Zoé,');
    expect(email.text).toContain('Votre commande 3F2A9C1B est confirmée');
    expect(email.text).toMatch(/Montant\u00a0: 12,34\s€/);
    expect(email.html).toContain('<html lang="fr">');
    expect(email.html).toMatch(/Montant\u00a0: 12,34\s€/);
  });

  it('writes to an English customer in English, text and HTML alike', () => {
    // Act
    const email = renderStatusEmail(event('CONFIRMED', { total: 1234 }), ann);

    // Assess
    expect(email.text).toContain('Hello Ann,');
    expect(email.text).toContain('Your order 3F2A9C1B is confirmed');
    expect(email.text).toContain('Total: €12.34');
    expect(email.html).toContain('<html lang="en">');
    expect(email.html).toContain('Total: €12.34');
  });

  it.each([
    ['fr', zoe, 'Motif\u00a0: Ordonnance manquante'],
    ['en', ann, 'Reason: Ordonnance manquante'],
  ] as const)('gives the rejection reason (%s)', (_locale, customer, line) => {
    // Act
    const email = renderStatusEmail(
      event('REJECTED', { reason: 'Ordonnance manquante' }),
      customer,
    );

    // Assess
    expect(email.text).toContain(line);
    expect(email.html).toContain(line);
  });

  it('leaves out the reason and total lines when the event has none', () => {
    // Act
    const email = renderStatusEmail(event('PREPARING'), ann);

    // Assess
    expect(email.text).not.toMatch(/Reason|Total/);
  });

  it('escapes HTML in the name and the reason, in the HTML part only', () => {
    // Act
    const email = renderStatusEmail(
      event('REJECTED', { reason: '<b>stock</b> & "co"' }),
      { name: '<script>x</script>', locale: 'en' },
    );

    // Assess
    expect(email.html).not.toContain('<script>');
    expect(email.html).toContain('&lt;script&gt;x&lt;/script&gt;');
    expect(email.html).toContain(
      '&lt;b&gt;stock&lt;/b&gt; &amp; &quot;co&quot;',
    );
    expect(email.text).toContain('<b>stock</b> & "co"');
  });
});
