/**
 * Limits on what one request may ask for. Every one of them refuses the
 * request before any resolver runs: the body check in the Lambda
 * middleware, the token count while parsing, depth and aliases while
 * validating. Batched requests (a JSON array of operations) are refused by
 * Apollo itself (`allowBatchedHttpRequests: false`).
 */
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import {
  GraphQLError,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';
import type { GraphQLLimits } from './config';

export type LimitName = 'depth' | 'aliases';

/**
 * Validation rules for depth and aliases. Fragments count: nested inline
 * fragments deepen a query as much as nested fields, and an alias inside
 * a fragment counts at each spread.
 */
export function limitRules(limits: GraphQLLimits): ValidationRule[] {
  return [
    maxDepthRule({
      n: limits.maxDepth,
      // Sandbox's own introspection query is deep; it is governed by the
      // introspection switch instead.
      ignoreIntrospection: true,
      onReject: [report('depth', limits.maxDepth)],
      propagateOnRejection: false,
    }),
    maxAliasesRule({
      n: limits.maxAliases,
      onReject: [report('aliases', limits.maxAliases)],
      propagateOnRejection: false,
    }),
  ];
}

// graphql-armor throws by default, which escapes graphql-js's `validate`
// and would turn into an internal error; reporting keeps it a validation
// error (400, GRAPHQL_VALIDATION_FAILED).
function report(limit: LimitName, max: number) {
  return (context: ValidationContext | null, error: GraphQLError) => {
    const message = error.message.replace(/^Syntax Error: /, '');
    context?.reportError(
      new GraphQLError(message, { extensions: { limit, max } }),
    );
  };
}

export interface RefusedRequest {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * Checks the raw HTTP body before Apollo reads it: its size, and that a
 * JSON body is JSON (the Lambda integration would otherwise answer a
 * malformed one with a bare parser message). Returns the answer for a
 * refused request, or undefined to let it through.
 */
export function checkBody(
  event: Pick<APIGatewayProxyEventV2, 'body' | 'isBase64Encoded' | 'headers'>,
  maxBodyBytes: number,
): RefusedRequest | undefined {
  if (!event.body) return undefined;
  const text = event.isBase64Encoded
    ? Buffer.from(event.body, 'base64').toString('utf8')
    : event.body;
  if (Buffer.byteLength(text, 'utf8') > maxBodyBytes) {
    return refuse(413, `Request body exceeds ${maxBodyBytes} bytes`);
  }
  const contentType = Object.entries(event.headers ?? {}).find(
    ([name]) => name.toLowerCase() === 'content-type',
  )?.[1];
  if (contentType?.toLowerCase().startsWith('application/json')) {
    try {
      JSON.parse(text);
    } catch {
      return refuse(400, 'Request body is not valid JSON');
    }
  }
  return undefined;
}

/** An answer in the GraphQL response shape, with Apollo's request code. */
function refuse(statusCode: number, message: string): RefusedRequest {
  return {
    statusCode,
    headers: { 'content-type': 'application/json; charset=utf-8' },
    body: JSON.stringify({
      errors: [{ message, extensions: { code: 'BAD_REQUEST' } }],
    }),
  };
}
