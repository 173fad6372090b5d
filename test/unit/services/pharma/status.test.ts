import { status } from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import {
  AppError,
  ConflictError,
  NotFoundError,
  UnavailableError,
  ValidationError,
} from '../../../../lib/errors';
import {
  InsufficientStockError,
  OrderIdReusedError,
  ReservationRejectedError,
} from '../../../../services/pharma/errors';
import {
  ERROR_CODE_METADATA,
  toStatus,
} from '../../../../services/pharma/status';

describe('toStatus', () => {
  it.each([
    ['a validation error', new ValidationError('bad'), status.INVALID_ARGUMENT],
    ['an unknown sku', new NotFoundError('no such sku'), status.NOT_FOUND],
    [
      'a rejected reservation',
      new ReservationRejectedError('o', 'OUT_OF_STOCK', []),
      status.FAILED_PRECONDITION,
    ],
    [
      'too little stock to adjust',
      new InsufficientStockError('SKU-1', 2),
      status.FAILED_PRECONDITION,
    ],
    ['a conflict', new ConflictError('stale'), status.FAILED_PRECONDITION],
    ['a reused order id', new OrderIdReusedError('o'), status.ALREADY_EXISTS],
    [
      'an unreachable database',
      new UnavailableError('down'),
      status.UNAVAILABLE,
    ],
    [
      'an AppError of an unmapped status',
      new AppError('INTERNAL', 'odd', 418),
      status.INTERNAL,
    ],
  ])(
    'maps %s to its gRPC status, keeping code and message',
    (_case, error, code) => {
      // Act
      const result = toStatus(error);

      // Assess
      expect(result.code).toBe(code);
      expect(result.details).toContain(error.message);
      expect(result.metadata?.get(ERROR_CODE_METADATA)).toEqual([error.code]);
    },
  );

  it('lists each invalid field in the details', () => {
    // Prepare
    const error = new ValidationError('Request is invalid', [
      { path: 'lines.0.quantity', message: 'must be at least 1' },
      { path: 'orderId', message: 'is required' },
    ]);

    // Act
    const result = toStatus(error);

    // Assess
    expect(result.details).toBe(
      'Request is invalid: lines.0.quantity: must be at least 1; orderId: is required',
    );
  });

  it('carries the reason and failing lines of a rejection in metadata', () => {
    // Prepare
    const failing = [{ sku: 'SKU-1', requested: 3, available: 1 }];
    const error = new ReservationRejectedError(
      'order-9',
      'OUT_OF_STOCK',
      failing,
    );

    // Act
    const result = toStatus(error);

    // Assess
    expect(result.metadata?.get('pharma-rejection-reason')).toEqual([
      'OUT_OF_STOCK',
    ]);
    const [json] = result.metadata?.get('pharma-rejection') ?? [];
    expect(JSON.parse(String(json))).toEqual({
      orderId: 'order-9',
      reason: 'OUT_OF_STOCK',
      failingLines: failing,
    });
  });

  it('answers INTERNAL without the message for anything that is not an AppError', () => {
    // Act
    const result = toStatus(new Error('connection string mongodb://secret'));

    // Assess
    expect(result.code).toBe(status.INTERNAL);
    expect(result.details).toBe('Internal error');
  });
});
