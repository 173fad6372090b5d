/**
 * The one place where pharma errors become gRPC statuses.
 *
 * An AppError keeps its message and its stable code (in the `error-code`
 * metadata); a rejected reservation adds its reason and failing lines.
 * Anything else is INTERNAL with a bare message: no internals leak.
 */
import { Metadata, type StatusObject, status } from '@grpc/grpc-js';
import { AppError, type ErrorCode } from '../../lib/errors';
import {
  REJECTION_METADATA,
  REJECTION_REASON_METADATA,
} from '../../lib/pharma-contract';
import { ReservationRejectedError } from './errors';

export const ERROR_CODE_METADATA = 'error-code';

/** Codes whose gRPC status differs from what their HTTP status suggests. */
const BY_CODE: Partial<Record<ErrorCode, status>> = {
  EMAIL_TAKEN: status.ALREADY_EXISTS,
  IDEMPOTENCY_KEY_REUSED: status.ALREADY_EXISTS,
  PAYLOAD_TOO_LARGE: status.RESOURCE_EXHAUSTED,
};

const BY_HTTP_STATUS: Record<number, status> = {
  400: status.INVALID_ARGUMENT,
  401: status.UNAUTHENTICATED,
  403: status.PERMISSION_DENIED,
  404: status.NOT_FOUND,
  409: status.FAILED_PRECONDITION,
  415: status.INVALID_ARGUMENT,
  429: status.RESOURCE_EXHAUSTED,
  503: status.UNAVAILABLE,
};

export type ErrorStatus = Pick<StatusObject, 'code' | 'details' | 'metadata'>;

export function toStatus(error: unknown): ErrorStatus {
  const metadata = new Metadata();
  if (!(error instanceof AppError)) {
    metadata.set(ERROR_CODE_METADATA, 'INTERNAL');
    return { code: status.INTERNAL, details: 'Internal error', metadata };
  }

  metadata.set(ERROR_CODE_METADATA, error.code);
  if (error instanceof ReservationRejectedError) {
    metadata.set(REJECTION_REASON_METADATA, error.rejection.reason);
    metadata.set(REJECTION_METADATA, JSON.stringify(error.rejection));
  }
  const code =
    BY_CODE[error.code] ?? BY_HTTP_STATUS[error.status] ?? status.INTERNAL;
  return { code, details: describe(error), metadata };
}

/** The message, followed by each invalid field: `lines.0.quantity: ...`. */
function describe(error: AppError): string {
  const fields = (error.details ?? []).map((detail) =>
    detail.path ? `${detail.path}: ${detail.message}` : detail.message,
  );
  return fields.length > 0
    ? `${error.message}: ${fields.join('; ')}`
    : error.message;
}
