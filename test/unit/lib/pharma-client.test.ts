import { Metadata, type ServiceError, status } from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { rejectionOf, toAppError } from '../../../lib/pharma-client';

function serviceError(code: status, metadata = new Metadata()): ServiceError {
  return Object.assign(new Error(`${code} failure`), {
    code,
    details: `details of ${status[code]}`,
    metadata,
  });
}

describe('toAppError', () => {
  it.each([
    [status.INVALID_ARGUMENT, 'VALIDATION_FAILED', 400],
    [status.NOT_FOUND, 'NOT_FOUND', 404],
    [status.FAILED_PRECONDITION, 'CONFLICT', 409],
    [status.ALREADY_EXISTS, 'IDEMPOTENCY_KEY_REUSED', 409],
    [status.UNAVAILABLE, 'UNAVAILABLE', 503],
    [status.DEADLINE_EXCEEDED, 'UNAVAILABLE', 503],
    [status.INTERNAL, 'INTERNAL', 500],
  ])(
    'maps gRPC status %s to %s (%s), keeping the gRPC error as cause',
    (code, appCode, httpStatus) => {
      // Prepare
      const error = serviceError(code);

      // Act
      const mapped = toAppError(error);

      // Assess
      expect(mapped.code).toBe(appCode);
      expect(mapped.status).toBe(httpStatus);
      expect(mapped.cause).toBe(error);
    },
  );
});

describe('rejectionOf', () => {
  it('reads the rejection carried by FAILED_PRECONDITION', () => {
    // Prepare
    const rejection = {
      orderId: 'o-1',
      reason: 'OUT_OF_STOCK',
      failingLines: [{ sku: 'SKU-1', requested: 2, available: 0 }],
    };
    const metadata = new Metadata();
    metadata.set('pharma-rejection', JSON.stringify(rejection));

    // Act
    const read = rejectionOf(
      serviceError(status.FAILED_PRECONDITION, metadata),
    );

    // Assess
    expect(read).toEqual(rejection);
  });

  it('answers nothing for other failures', () => {
    expect(
      rejectionOf(serviceError(status.FAILED_PRECONDITION)),
    ).toBeUndefined();
    expect(rejectionOf(serviceError(status.UNAVAILABLE))).toBeUndefined();
    expect(rejectionOf(new Error('plain'))).toBeUndefined();
  });
});
