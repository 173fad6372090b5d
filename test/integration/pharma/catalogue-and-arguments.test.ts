import { randomUUID } from 'node:crypto';
import { status } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PharmaClient } from '../../../lib/pharma-client';
import type { Medicine } from '../../../lib/pharma-contract';
import { PharmaHarness } from '../../helpers/pharma-harness';

let pharma: PharmaHarness;
let client: PharmaClient;
let sku: string;

beforeAll(async () => {
  pharma = await PharmaHarness.start('arguments');
  client = pharma.client({ deadlineMs: 10_000 });
  const [medicine] = await pharma.addMedicines([{ stock: 100 }]);
  sku = medicine.sku;
});

afterAll(async () => {
  await pharma?.close();
});

const line = (quantity: number, other = sku) => ({ sku: other, quantity });

describe('bad arguments', () => {
  // Sent raw, past the client's own checks: what the server answers.
  it.each([
    ['no lines', 'ReserveStock', () => ({ orderId: 'o-1', lines: [] })],
    [
      'a zero quantity',
      'ReserveStock',
      () => ({ orderId: 'o-2', lines: [line(0)] }),
    ],
    [
      'a negative quantity',
      'ReserveStock',
      () => ({ orderId: 'o-3', lines: [line(-2)] }),
    ],
    [
      'a huge quantity',
      'ReserveStock',
      () => ({ orderId: 'o-4', lines: [line(2 ** 40)] }),
    ],
    [
      'a quantity over the line limit',
      'ReserveStock',
      () => ({ orderId: 'o-5', lines: [line(1001)] }),
    ],
    [
      'a fraction below one, which the wire truncates to 0',
      'ReserveStock',
      () => ({ orderId: 'o-6', lines: [line(0.5)] }),
    ],
    [
      'the same sku twice',
      'ReserveStock',
      () => ({ orderId: 'o-7', lines: [line(1), line(2)] }),
    ],
    [
      'a malformed sku',
      'ReserveStock',
      () => ({ orderId: 'o-8', lines: [line(1, 'not a sku')] }),
    ],
    [
      'an empty order id',
      'ReserveStock',
      () => ({ orderId: '', lines: [line(1)] }),
    ],
    [
      '51 lines',
      'ReserveStock',
      () => ({
        orderId: 'o-9',
        lines: Array.from({ length: 51 }, (_, i) => line(1, `SKU-${i}-TAB`)),
      }),
    ],
    ['an empty order id to release', 'ReleaseStock', () => ({ orderId: '' })],
    ['a page size over 100', 'ListMedicines', () => ({ pageSize: 101 })],
    [
      'a page token it never issued',
      'ListMedicines',
      () => ({ pageToken: 'bm90LWEtdG9rZW4' }),
    ],
    ['a malformed sku to get', 'GetMedicine', () => ({ sku: 'lower-case' })],
    ['a zero adjustment', 'AdjustStock', () => ({ sku, delta: 0 })],
    [
      'an adjustment beyond ±100000',
      'AdjustStock',
      () => ({ sku, delta: 100_001 }),
    ],
  ])('answers INVALID_ARGUMENT for %s', async (_case, method, request) => {
    // Act
    const { error } = await pharma.raw(method, request());

    // Assess
    expect(error?.code, error?.details).toBe(status.INVALID_ARGUMENT);
  });

  it('names the invalid field in the status details', async () => {
    // Act
    const { error } = await pharma.raw('ReserveStock', {
      orderId: 'o-10',
      lines: [line(0)],
    });

    // Assess
    expect(error?.details).toContain('lines.0.quantity');
  });

  it.each([
    ['a fractional quantity', 1.5],
    ['a quantity that is not a number', Number.NaN],
    ['an infinite quantity', Number.POSITIVE_INFINITY],
  ])(
    'refuses %s in the client before it is sent and truncated',
    async (_case, quantity) => {
      // Act
      const failure = await client
        .reserveStock({ orderId: `o-${randomUUID()}`, lines: [line(quantity)] })
        .catch((error: unknown) => error);

      // Assess
      expect(failure).toMatchObject({ code: 'VALIDATION_FAILED' });
      expect(await pharma.available(sku)).toBe(100);
    },
  );

  it('reserves nothing for any refused request', async () => {
    // Assess: every case above left the stock alone.
    expect(await pharma.available(sku)).toBe(100);
  });
});

describe('GetMedicine', () => {
  it('answers the medicine with its available stock', async () => {
    // Act
    const medicine = await client.getMedicine({ sku });

    // Assess
    expect(medicine).toMatchObject({
      sku,
      priceCents: 250,
      currency: 'EUR',
      available: 100,
    });
  });

  it('answers NOT_FOUND for an unknown sku', async () => {
    // Act
    const { error } = await pharma.raw('GetMedicine', {
      sku: 'UNKNOWN-1MG-TAB',
    });

    // Assess
    expect(error?.code).toBe(status.NOT_FOUND);
  });
});

describe('AdjustStock', () => {
  it('restocks and answers the units now available', async () => {
    // Prepare
    const [medicine] = await pharma.addMedicines([{ stock: 3 }]);

    // Act
    const adjusted = await client.adjustStock({
      sku: medicine.sku,
      delta: 7,
      reason: 'restock',
    });

    // Assess
    expect(adjusted).toEqual({ sku: medicine.sku, available: 10 });
  });

  it('applies a retried adjustment once', async () => {
    // Prepare
    const [medicine] = await pharma.addMedicines([{ stock: 3 }]);
    const request = { sku: medicine.sku, delta: 5, requestId: randomUUID() };
    await client.adjustStock(request);

    // Act
    const again = await client.adjustStock(request);

    // Assess
    expect(again.available).toBe(8);
  });

  it('answers FAILED_PRECONDITION when a correction would go below zero', async () => {
    // Prepare
    const [medicine] = await pharma.addMedicines([{ stock: 3 }]);

    // Act
    const { error } = await pharma.raw('AdjustStock', {
      sku: medicine.sku,
      delta: -4,
    });

    // Assess
    expect(error?.code).toBe(status.FAILED_PRECONDITION);
    expect(await pharma.available(medicine.sku)).toBe(3);
  });

  it('answers NOT_FOUND for an unknown sku', async () => {
    // Act
    const { error } = await pharma.raw('AdjustStock', {
      sku: 'UNKNOWN-1MG-TAB',
      delta: 5,
    });

    // Assess
    expect(error?.code).toBe(status.NOT_FOUND);
  });
});

describe('ListMedicines', () => {
  it('pages through the whole catalogue in sku order, each medicine once', async () => {
    // Prepare
    await pharma.addMedicines(Array.from({ length: 7 }, () => ({ stock: 1 })));
    const expected = (
      await pharma.stores.catalogue.list({
        search: '',
        afterSku: '',
        limit: 1000,
      })
    ).map((medicine) => medicine.sku);

    // Act
    const seen: Medicine[] = [];
    let pageToken = '';
    do {
      const page = await client.listMedicines({ pageSize: 3, pageToken });
      seen.push(...page.medicines);
      pageToken = page.nextPageToken;
    } while (pageToken);

    // Assess
    expect(expected.length).toBeGreaterThan(6);
    expect(seen.map((medicine) => medicine.sku)).toEqual(expected);
  });

  it('filters on name, form or sku, ignoring case', async () => {
    // Prepare
    await pharma.addMedicines([
      { stock: 1, name: 'Zinc sulfate', form: 'dispersible tablet' },
    ]);

    // Act
    const page = await client.listMedicines({ search: 'ZINC SUL' });

    // Assess
    expect(page.medicines.map((medicine) => medicine.name)).toEqual([
      'Zinc sulfate',
    ]);
  });

  it('matches the search text literally, never as a pattern', async () => {
    // Act
    const page = await client.listMedicines({ search: '.*' });

    // Assess
    expect(page.medicines).toEqual([]);
  });
});
