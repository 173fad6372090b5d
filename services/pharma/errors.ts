import { AppError, ConflictError } from '../../lib/errors';
import type {
  FailingLine,
  Rejection,
  RejectionReason,
} from '../../lib/pharma-contract';

/**
 * ReserveStock answered "no": the order cannot be reserved as it stands.
 * A conflict with the state of the stock or the catalogue, so the gRPC
 * status is FAILED_PRECONDITION and the rejection travels as metadata.
 */
export class ReservationRejectedError extends ConflictError {
  readonly rejection: Rejection;

  constructor(
    orderId: string,
    reason: RejectionReason,
    failingLines: FailingLine[],
  ) {
    const skus = failingLines.map((line) => line.sku).join(', ');
    super(`Order ${orderId} rejected: ${reason}${skus ? ` (${skus})` : ''}`);
    this.rejection = { orderId, reason, failingLines };
  }
}

/** AdjustStock would take the stock below zero. */
export class InsufficientStockError extends ConflictError {
  constructor(sku: string, available: number) {
    super(`Only ${available} units of ${sku} are available`);
  }
}

/** The same order id came back with different lines or prescription. */
export class OrderIdReusedError extends AppError {
  constructor(orderId: string) {
    super(
      'IDEMPOTENCY_KEY_REUSED',
      `Order ${orderId} was already submitted with different lines`,
      409,
    );
  }
}
