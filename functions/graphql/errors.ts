/**
 * The one place GraphQL errors are shaped: AppError codes become
 * `extensions.code`, Apollo's own request errors keep theirs, and anything
 * else is an internal error answered without a message or stack.
 */
import type { GraphQLFormattedError } from 'graphql';
import { AppError, type ErrorCode } from '../../lib/errors';

export const GRAPHQL_CODES = [
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'BAD_USER_INPUT',
  'NOT_FOUND',
  'CONFLICT',
  'TOO_MANY_REQUESTS',
  'SERVICE_UNAVAILABLE',
  'INTERNAL_SERVER_ERROR',
] as const;
export type GraphQLCode = (typeof GRAPHQL_CODES)[number];

/**
 * AppError code → GraphQL code. TOO_MANY_REQUESTS and UNAVAILABLE keep
 * codes of their own because the client's answer differs (wait and
 * retry) from that to a bug.
 */
const APP_TO_GRAPHQL: Record<ErrorCode, GraphQLCode> = {
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  BAD_REQUEST: 'BAD_USER_INPUT',
  VALIDATION_FAILED: 'BAD_USER_INPUT',
  PAYLOAD_TOO_LARGE: 'BAD_USER_INPUT',
  UNSUPPORTED_MEDIA_TYPE: 'BAD_USER_INPUT',
  IDEMPOTENCY_KEY_REUSED: 'BAD_USER_INPUT',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  EMAIL_TAKEN: 'CONFLICT',
  INVALID_TRANSITION: 'CONFLICT',
  TOO_MANY_REQUESTS: 'TOO_MANY_REQUESTS',
  UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  INTERNAL: 'INTERNAL_SERVER_ERROR',
};

/**
 * Codes Apollo Server sets on requests it refuses before any resolver
 * runs (syntax, validation including our limits, variables, CSRF): they
 * are part of Apollo's public contract and pass through unchanged.
 */
const APOLLO_REQUEST_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'OPERATION_RESOLUTION_FAILURE',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
]);

export function graphQLCodeOf(error: AppError): GraphQLCode {
  return APP_TO_GRAPHQL[error.code] ?? 'INTERNAL_SERVER_ERROR';
}

export interface FormatOptions {
  /** Keep internal messages and stack traces (development only). */
  debug: boolean;
  /** Called with every error that is not the caller's doing. */
  onInternal?: (error: unknown) => void;
}

/**
 * Apollo's `formatError`. `error` is what was thrown (wrapped by Apollo
 * when a resolver threw); `formatted` is Apollo's rendering of it.
 */
export function formatGraphQLError(
  formatted: GraphQLFormattedError,
  error: unknown,
  { debug, onInternal }: FormatOptions,
): GraphQLFormattedError {
  const original = thrownByResolver(error);
  const base = {
    message: formatted.message,
    ...(formatted.locations ? { locations: formatted.locations } : {}),
    ...(formatted.path ? { path: formatted.path } : {}),
  };

  if (original instanceof AppError) {
    const code = graphQLCodeOf(original);
    if (code === 'INTERNAL_SERVER_ERROR') {
      onInternal?.(original);
      return internal(base, original, debug);
    }
    return {
      ...base,
      message: original.message,
      extensions: {
        code,
        // The REST code when it says more than the GraphQL one.
        ...(original.code === code ? {} : { reason: original.code }),
        ...(original.details?.length ? { details: original.details } : {}),
        ...('retryAfterSeconds' in original
          ? { retryAfter: original.retryAfterSeconds }
          : {}),
      },
    };
  }

  const apolloCode = formatted.extensions?.code;
  if (typeof apolloCode === 'string' && APOLLO_REQUEST_CODES.has(apolloCode)) {
    // Apollo's own rejections; drop only a stack trace outside debug.
    const { stacktrace: _stack, ...extensions } = formatted.extensions ?? {};
    return { ...base, extensions: debug ? formatted.extensions : extensions };
  }

  onInternal?.(original);
  return internal(base, original, debug);
}

/**
 * What a resolver threw, out of the GraphQLError that wraps it. Read by
 * shape, not `instanceof`: graphql ships CommonJS and ESM builds, and a
 * test runner or bundler may load both (Apollo's `unwrapResolverError`
 * would then miss).
 */
function thrownByResolver(error: unknown): unknown {
  const wrapper = error as { path?: unknown; originalError?: unknown } | null;
  return wrapper?.path && wrapper.originalError ? wrapper.originalError : error;
}

function internal(
  base: Pick<GraphQLFormattedError, 'message' | 'locations' | 'path'>,
  error: unknown,
  debug: boolean,
): GraphQLFormattedError {
  if (debug) {
    return {
      ...base,
      extensions: {
        code: 'INTERNAL_SERVER_ERROR',
        stacktrace: String((error as Error)?.stack ?? error).split('\n'),
      },
    };
  }
  return {
    ...base,
    message: 'Internal server error',
    extensions: { code: 'INTERNAL_SERVER_ERROR' },
  };
}
