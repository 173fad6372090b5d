import { randomInt, randomUUID } from 'node:crypto';
import type {
  APIGatewayProxyEventV2,
  APIGatewayProxyStructuredResultV2,
  Context,
} from 'aws-lambda';

export interface ApiRequest {
  /** The route as declared, `"GET /orders/{id}"`: the event's routeKey. */
  route: string;
  /** The path called when it differs from the route (path parameters). */
  path?: string;
  pathParameters?: Record<string, string>;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  /** Sent as `Authorization: Bearer <token>`. */
  token?: string;
  /** An object is sent as JSON; a string is sent as it is. */
  body?: unknown;
  /** Defaults to a fresh address per event, so throttles never collide. */
  sourceIp?: string;
}

/**
 * An API Gateway HTTP API (payload 2.0) event, as the service delivers it
 * to a Lambda: lowercase headers, routeKey, requestContext with the
 * caller's address.
 *
 * @example
 * const event = apiEvent({ route: 'POST /auth/login', body: { email, password } });
 */
export function apiEvent(request: ApiRequest): APIGatewayProxyEventV2 {
  const [method = 'GET', routePath = '/'] = request.route.split(' ');
  const path = request.path ?? routePath;
  const sourceIp = request.sourceIp ?? randomIp();
  const body =
    request.body === undefined || typeof request.body === 'string'
      ? request.body
      : JSON.stringify(request.body);
  const query = new URLSearchParams(request.query).toString();
  const now = new Date();

  const headers: Record<string, string> = {
    accept: 'application/json',
    host: 'api.pharmaexpress.test',
    'user-agent': 'vitest',
    'x-forwarded-for': sourceIp,
    'x-forwarded-port': '443',
    'x-forwarded-proto': 'https',
    ...(body === undefined
      ? {}
      : {
          'content-type': 'application/json',
          'content-length': String(Buffer.byteLength(body)),
        }),
    ...(request.token ? { authorization: `Bearer ${request.token}` } : {}),
  };
  for (const [name, value] of Object.entries(request.headers ?? {})) {
    headers[name.toLowerCase()] = value;
  }

  return {
    version: '2.0',
    routeKey: request.route,
    rawPath: path,
    rawQueryString: query,
    headers,
    ...(request.query ? { queryStringParameters: request.query } : {}),
    ...(request.pathParameters
      ? { pathParameters: request.pathParameters }
      : {}),
    requestContext: {
      accountId: '123456789012',
      apiId: 'localapi',
      domainName: 'api.pharmaexpress.test',
      domainPrefix: 'api',
      http: {
        method,
        path,
        protocol: 'HTTP/1.1',
        sourceIp,
        userAgent: 'vitest',
      },
      requestId: randomUUID(),
      routeKey: request.route,
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    ...(body === undefined ? {} : { body }),
    isBase64Encoded: false,
  };
}

/** A Lambda context with the fields the Powertools logger reads. */
export function lambdaContext(functionName = 'test-function'): Context {
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:eu-west-1:123456789012:function:${functionName}`,
    memoryLimitInMB: '512',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'test',
    getRemainingTimeInMillis: () => 10_000,
    done: () => {},
    fail: () => {},
    succeed: () => {},
  };
}

type ApiHandler = (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<APIGatewayProxyStructuredResultV2>;

export interface ApiResponse {
  status: number;
  headers: Record<string, string>;
  /** The body parsed as JSON (undefined when empty). */
  // biome-ignore lint/suspicious/noExplicitAny: each test reads the shape its route answers
  body: any;
  /** The body as sent, to check what it must never contain. */
  raw: string;
}

/** Invokes a handler as API Gateway would and reads its answer. */
export async function invoke(
  handler: ApiHandler,
  request: ApiRequest,
): Promise<ApiResponse> {
  const result = await handler(apiEvent(request), lambdaContext());
  const raw = result.body ?? '';
  return {
    status: result.statusCode ?? 200,
    headers: Object.fromEntries(
      Object.entries(result.headers ?? {}).map(([k, v]) => [k, String(v)]),
    ),
    body: raw ? JSON.parse(raw) : undefined,
    raw,
  };
}

/** An address from the benchmarking range (RFC 2544), random per call. */
export function randomIp(): string {
  return `198.18.${randomInt(256)}.${randomInt(1, 255)}`;
}
