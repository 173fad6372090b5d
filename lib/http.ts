import type {
  APIGatewayProxyEventV2,
  APIGatewayProxyStructuredResultV2,
} from 'aws-lambda';
import type { z } from 'zod';
import {
  AppError,
  BadRequestError,
  PayloadTooLargeError,
  TooManyRequestsError,
  ValidationError,
} from './errors';
import type { Logger } from './logger';

/** Request bodies larger than this are refused before parsing. */
export const DEFAULT_BODY_LIMIT_BYTES = 16 * 1024;

type Result = APIGatewayProxyStructuredResultV2;

/** The one response builder: every REST answer goes through here. */
export function json(
  statusCode: number,
  body: unknown,
  headers: Record<string, string> = {},
): Result {
  return {
    statusCode,
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  };
}

/**
 * Renders any thrown value as `{error: {code, message}}`.
 * AppErrors keep their status and code; anything else is logged and
 * answered with a bare 500 so that no internals leak.
 */
export function errorResponse(error: unknown, logger: Logger): Result {
  if (error instanceof AppError) {
    const headers: Record<string, string> =
      error instanceof TooManyRequestsError
        ? { 'retry-after': String(error.retryAfterSeconds) }
        : {};
    const body = {
      error: {
        code: error.code,
        message: error.message,
        ...(error.details?.length ? { details: error.details } : {}),
      },
    };
    return json(error.status, body, headers);
  }
  logger.error('unhandled error', { error: error as Error });
  return json(500, {
    error: { code: 'INTERNAL', message: 'Internal server error' },
  });
}

/**
 * Decodes, size-checks and schema-validates a JSON request body.
 * Throws PayloadTooLargeError, BadRequestError (empty or malformed JSON)
 * or ValidationError (schema), each with a stable code.
 */
export function parseBody<S extends z.ZodType>(
  event: Pick<APIGatewayProxyEventV2, 'body' | 'isBase64Encoded'>,
  schema: S,
  limitBytes = DEFAULT_BODY_LIMIT_BYTES,
): z.output<S> {
  const text = decodeBody(event);
  if (Buffer.byteLength(text, 'utf8') > limitBytes) {
    throw new PayloadTooLargeError(limitBytes);
  }
  if (text.trim() === '') throw new BadRequestError('Request body is empty');

  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (cause) {
    throw new BadRequestError('Request body is not valid JSON', { cause });
  }
  return validate(schema, data);
}

/** Validates a value against a schema, mapping issues to details. */
export function validate<S extends z.ZodType>(
  schema: S,
  data: unknown,
): z.output<S> {
  const result = schema.safeParse(data);
  if (!result.success) {
    const details = result.error.issues.map((issue) => ({
      path: issue.path.join('.'),
      message: issue.message,
    }));
    throw new ValidationError('Request is invalid', details);
  }
  return result.data;
}

function decodeBody(
  event: Pick<APIGatewayProxyEventV2, 'body' | 'isBase64Encoded'>,
): string {
  if (!event.body) return '';
  return event.isBase64Encoded
    ? Buffer.from(event.body, 'base64').toString('utf8')
    : event.body;
}

/** Case-insensitive header lookup (API Gateway v2 lowercases, offline may not). */
export function header(
  event: Pick<APIGatewayProxyEventV2, 'headers'>,
  name: string,
): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(event.headers ?? {})) {
    if (key.toLowerCase() === wanted) return value;
  }
  return undefined;
}
