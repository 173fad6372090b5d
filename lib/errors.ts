/**
 * The error family of PharmaExpress.
 *
 * Every failure a caller can act on is an AppError with a stable `code`.
 * The code is rendered in exactly one place per protocol: the REST error
 * body (`lib/http.ts`), the GraphQL `extensions.code`, the gRPC status.
 * Anything that is not an AppError is an internal error and is answered
 * with a plain 500 that carries no details.
 */

export type ErrorCode =
  | 'BAD_REQUEST'
  | 'VALIDATION_FAILED'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'EMAIL_TAKEN'
  | 'INVALID_TRANSITION'
  | 'IDEMPOTENCY_KEY_REUSED'
  | 'TOO_MANY_REQUESTS'
  | 'UNAVAILABLE'
  | 'INTERNAL';

export interface ErrorDetail {
  path?: string;
  message: string;
}

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly status: number,
    options?: { cause?: unknown; details?: ErrorDetail[] },
  ) {
    super(message, options);
    this.name = new.target.name;
    this.details = options?.details;
  }

  readonly details: ErrorDetail[] | undefined;
}

export class BadRequestError extends AppError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('BAD_REQUEST', message, 400, options);
  }
}

export class ValidationError extends AppError {
  constructor(message: string, details: ErrorDetail[] = []) {
    super('VALIDATION_FAILED', message, 400, { details });
  }
}

export class PayloadTooLargeError extends AppError {
  constructor(limitBytes: number) {
    super('PAYLOAD_TOO_LARGE', `Body exceeds ${limitBytes} bytes`, 413);
  }
}

export class UnauthenticatedError extends AppError {
  constructor(message = 'Authentication required') {
    super('UNAUTHENTICATED', message, 401);
  }
}

export class ForbiddenError extends AppError {
  constructor(message = 'Not allowed') {
    super('FORBIDDEN', message, 403);
  }
}

export class NotFoundError extends AppError {
  constructor(message = 'Not found') {
    super('NOT_FOUND', message, 404);
  }
}

export class ConflictError extends AppError {
  constructor(
    message: string,
    code: Extract<
      ErrorCode,
      'CONFLICT' | 'EMAIL_TAKEN' | 'INVALID_TRANSITION'
    > = 'CONFLICT',
  ) {
    super(code, message, 409);
  }
}

export class TooManyRequestsError extends AppError {
  constructor(readonly retryAfterSeconds: number) {
    super('TOO_MANY_REQUESTS', 'Too many attempts, try again later', 429);
  }
}

export class UnavailableError extends AppError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('UNAVAILABLE', message, 503, options);
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}

/** An Idempotency-Key reused with a different request body. */
export class IdempotencyKeyReusedError extends AppError {
  constructor() {
    super(
      'IDEMPOTENCY_KEY_REUSED',
      'This Idempotency-Key was used with a different request',
      422,
    );
  }
}
