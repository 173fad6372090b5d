import { describe, expect, it } from 'vitest';
import {
  adjustStockSchema,
  listMedicinesSchema,
  reserveStockSchema,
} from '../../../lib/pharma-contract';

const sku = 'PARACETAMOL-500MG-TAB';
const valid = { orderId: 'order-1', lines: [{ sku, quantity: 2 }] };

describe('reserveStockSchema', () => {
  it('accepts a well-formed request and defaults the prescription to none', () => {
    // Act
    const parsed = reserveStockSchema.parse(valid);

    // Assess
    expect(parsed).toEqual({ ...valid, prescriptionRef: '' });
  });

  it.each([
    ['no lines', { ...valid, lines: [] }, 'lines'],
    [
      'a zero quantity',
      { ...valid, lines: [{ sku, quantity: 0 }] },
      'lines.0.quantity',
    ],
    [
      'a negative quantity',
      { ...valid, lines: [{ sku, quantity: -1 }] },
      'lines.0.quantity',
    ],
    [
      'a fractional quantity',
      { ...valid, lines: [{ sku, quantity: 1.5 }] },
      'lines.0.quantity',
    ],
    [
      'a huge quantity',
      { ...valid, lines: [{ sku, quantity: 2 ** 40 }] },
      'lines.0.quantity',
    ],
    [
      'an unsafe integer',
      { ...valid, lines: [{ sku, quantity: 2 ** 60 }] },
      'lines.0.quantity',
    ],
    [
      'NaN',
      { ...valid, lines: [{ sku, quantity: Number.NaN }] },
      'lines.0.quantity',
    ],
    [
      'a quantity as text',
      { ...valid, lines: [{ sku, quantity: '2' }] },
      'lines.0.quantity',
    ],
    [
      'the same sku twice',
      {
        ...valid,
        lines: [
          { sku, quantity: 1 },
          { sku, quantity: 1 },
        ],
      },
      'lines.1.sku',
    ],
    [
      'a lower-case sku',
      { ...valid, lines: [{ sku: 'paracetamol', quantity: 1 }] },
      'lines.0.sku',
    ],
    [
      '51 lines',
      {
        ...valid,
        lines: Array.from({ length: 51 }, (_, i) => ({
          sku: `SKU-${i}`,
          quantity: 1,
        })),
      },
      'lines',
    ],
    ['an empty order id', { ...valid, orderId: '' }, 'orderId'],
    ['an order id with spaces', { ...valid, orderId: 'order 1' }, 'orderId'],
    [
      'an order id of 129 characters',
      { ...valid, orderId: 'o'.repeat(129) },
      'orderId',
    ],
    [
      'an operator object as order id',
      { ...valid, orderId: { $gt: '' } },
      'orderId',
    ],
  ])('refuses %s', (_case, request, path) => {
    // Act
    const result = reserveStockSchema.safeParse(request);

    // Assess
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.path.join('.'))).toContain(
      path,
    );
  });
});

describe('listMedicinesSchema', () => {
  it('turns a page size of 0 into the default of 20', () => {
    // Act
    const parsed = listMedicinesSchema.parse({ pageSize: 0 });

    // Assess
    expect(parsed).toEqual({ search: '', pageSize: 20, pageToken: '' });
  });

  it.each([
    ['a page size over 100', { pageSize: 101 }],
    ['a negative page size', { pageSize: -1 }],
    ['a search over 100 characters', { search: 'x'.repeat(101) }],
  ])('refuses %s', (_case, request) => {
    // Act
    const result = listMedicinesSchema.safeParse(request);

    // Assess
    expect(result.success).toBe(false);
  });
});

describe('adjustStockSchema', () => {
  it.each([
    ['a zero delta', { sku, delta: 0 }],
    ['a fractional delta', { sku, delta: 0.5 }],
    ['a delta beyond +100000', { sku, delta: 100_001 }],
    ['a delta beyond -100000', { sku, delta: -100_001 }],
    ['a request id with spaces', { sku, delta: 1, requestId: 'a b' }],
  ])('refuses %s', (_case, request) => {
    // Act
    const result = adjustStockSchema.safeParse(request);

    // Assess
    expect(result.success).toBe(false);
  });

  it('accepts a negative correction', () => {
    // Act
    const parsed = adjustStockSchema.parse({
      sku,
      delta: -3,
      reason: 'expired',
    });

    // Assess
    expect(parsed).toEqual({
      sku,
      delta: -3,
      reason: 'expired',
      requestId: '',
    });
  });
});
