import { GraphQLError } from 'graphql';
import { describe, expect, it, vi } from 'vitest';
import {
  formatGraphQLError,
  graphQLCodeOf,
} from '../../../../functions/graphql/errors';
import {
  AppError,
  ConflictError,
  type ErrorCode,
  ForbiddenError,
  IdempotencyKeyReusedError,
  NotFoundError,
  TooManyRequestsError,
  UnauthenticatedError,
  UnavailableError,
  ValidationError,
} from '../../../../lib/errors';

/** An error as Apollo hands a resolver's throw to formatError. */
function thrownByResolver(original: unknown): GraphQLError {
  return new GraphQLError((original as Error).message, {
    path: ['order'],
    originalError: original as Error,
  });
}

const formatted = (error: GraphQLError) => ({
  message: error.message,
  path: ['order'],
  extensions: { code: 'INTERNAL_SERVER_ERROR', stacktrace: ['at x'] },
});

describe('graphQLCodeOf', () => {
  it.each<[ErrorCode, string]>([
    ['UNAUTHENTICATED', 'UNAUTHENTICATED'],
    ['FORBIDDEN', 'FORBIDDEN'],
    ['BAD_REQUEST', 'BAD_USER_INPUT'],
    ['VALIDATION_FAILED', 'BAD_USER_INPUT'],
    ['PAYLOAD_TOO_LARGE', 'BAD_USER_INPUT'],
    ['UNSUPPORTED_MEDIA_TYPE', 'BAD_USER_INPUT'],
    ['IDEMPOTENCY_KEY_REUSED', 'BAD_USER_INPUT'],
    ['NOT_FOUND', 'NOT_FOUND'],
    ['CONFLICT', 'CONFLICT'],
    ['EMAIL_TAKEN', 'CONFLICT'],
    ['INVALID_TRANSITION', 'CONFLICT'],
    ['TOO_MANY_REQUESTS', 'TOO_MANY_REQUESTS'],
    ['UNAVAILABLE', 'SERVICE_UNAVAILABLE'],
    ['INTERNAL', 'INTERNAL_SERVER_ERROR'],
  ])('maps %s to %s', (code, expected) => {
    expect(graphQLCodeOf(new AppError(code, 'm', 400))).toBe(expected);
  });
});

describe('formatGraphQLError', () => {
  it.each([
    [
      'an expired token',
      new UnauthenticatedError('Token has expired'),
      'UNAUTHENTICATED',
      undefined,
    ],
    [
      'a customer at a staff field',
      new ForbiddenError(),
      'FORBIDDEN',
      undefined,
    ],
    [
      "another customer's order",
      new NotFoundError('Order not found'),
      'NOT_FOUND',
      undefined,
    ],
    [
      'a taken email',
      new ConflictError('Email taken', 'EMAIL_TAKEN'),
      'CONFLICT',
      'EMAIL_TAKEN',
    ],
    [
      'an invalid move',
      new ConflictError('No', 'INVALID_TRANSITION'),
      'CONFLICT',
      'INVALID_TRANSITION',
    ],
    [
      'a reused idempotency key',
      new IdempotencyKeyReusedError(),
      'BAD_USER_INPUT',
      'IDEMPOTENCY_KEY_REUSED',
    ],
  ])('renders %s with its code and message', (_case, error, code, reason) => {
    // Prepare
    const thrown = thrownByResolver(error);

    // Act
    const result = formatGraphQLError(formatted(thrown), thrown, {
      debug: false,
    });

    // Assess
    expect(result.message).toBe(error.message);
    expect(result.path).toEqual(['order']);
    expect(result.extensions).toEqual({
      code,
      ...(reason ? { reason } : {}),
    });
  });

  it('keeps validation details so the client can point at the field', () => {
    // Prepare
    const error = new ValidationError('Request is invalid', [
      { path: 'items.0.quantity', message: 'must be at least 1' },
    ]);
    const thrown = thrownByResolver(error);

    // Act
    const result = formatGraphQLError(formatted(thrown), thrown, {
      debug: false,
    });

    // Assess
    expect(result.extensions).toEqual({
      code: 'BAD_USER_INPUT',
      reason: 'VALIDATION_FAILED',
      details: [{ path: 'items.0.quantity', message: 'must be at least 1' }],
    });
  });

  it('tells a throttled caller when to retry', () => {
    const thrown = thrownByResolver(new TooManyRequestsError(42));

    const result = formatGraphQLError(formatted(thrown), thrown, {
      debug: false,
    });

    expect(result.extensions).toEqual({
      code: 'TOO_MANY_REQUESTS',
      retryAfter: 42,
    });
  });

  it.each([
    ['a plain Error', new Error('connect ECONNREFUSED 10.0.0.7:27017')],
    [
      'an AppError of code INTERNAL',
      new AppError('INTERNAL', 'GET /orders answered 500', 500),
    ],
    ['a thrown string', 'boom'],
  ])('masks %s as an internal error and reports it', (_case, error) => {
    // Prepare
    const thrown = new GraphQLError('details', {
      path: ['order'],
      originalError: error instanceof Error ? error : new Error(String(error)),
    });
    const onInternal = vi.fn();

    // Act
    const result = formatGraphQLError(formatted(thrown), thrown, {
      debug: false,
      onInternal,
    });

    // Assess
    expect(result).toEqual({
      message: 'Internal server error',
      path: ['order'],
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
    expect(JSON.stringify(result)).not.toMatch(/ECONNREFUSED|answered|stack/);
    expect(onInternal).toHaveBeenCalledOnce();
  });

  it('keeps the message and stack of an internal error in debug mode', () => {
    const thrown = thrownByResolver(new Error('connect ECONNREFUSED'));

    const result = formatGraphQLError(formatted(thrown), thrown, {
      debug: true,
    });

    expect(result.message).toBe('connect ECONNREFUSED');
    expect(result.extensions?.code).toBe('INTERNAL_SERVER_ERROR');
    expect(result.extensions?.stacktrace).toEqual(expect.any(Array));
  });

  it.each([
    'GRAPHQL_PARSE_FAILED',
    'GRAPHQL_VALIDATION_FAILED',
    'BAD_USER_INPUT',
    'BAD_REQUEST',
  ])("passes Apollo's request code %s through without a stack", (code) => {
    // Prepare
    const error = new GraphQLError('Cannot query field "x"', {
      extensions: { code },
    });
    const onInternal = vi.fn();

    // Act
    const result = formatGraphQLError(
      { message: error.message, extensions: { code, stacktrace: ['at y'] } },
      error,
      { debug: false, onInternal },
    );

    // Assess
    expect(result).toEqual({
      message: 'Cannot query field "x"',
      extensions: { code },
    });
    expect(onInternal).not.toHaveBeenCalled();
  });

  it('reports an outage as SERVICE_UNAVAILABLE, not as a bug', () => {
    const thrown = thrownByResolver(
      new UnavailableError('The catalogue is not answering'),
    );

    const result = formatGraphQLError(formatted(thrown), thrown, {
      debug: false,
    });

    expect(result.extensions).toEqual({
      code: 'SERVICE_UNAVAILABLE',
      reason: 'UNAVAILABLE',
    });
  });
});
