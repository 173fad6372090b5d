/**
 * The REST API as the resolvers see it: typed calls over `fetch`, each with
 * a timeout, the caller's token forwarded as it came, and REST errors
 * turned back into the AppError they were rendered from.
 */
import {
  AppError,
  type ErrorCode,
  type ErrorDetail,
  TooManyRequestsError,
  UnavailableError,
} from '../../lib/errors';
import type { Order } from '../../lib/orders/order';
import type { OrderStatus } from '../../lib/orders/status';
import type { User } from '../../lib/users/user';

export type { User };

export interface Session {
  token: string;
  /** Absent from `POST /auth/register`, which answers `{user, token}`. */
  expiresIn?: number;
  user: User;
}

export interface OrdersPage {
  items: Order[];
  nextCursor: string | null;
}

export interface RestClientOptions {
  baseUrl: string;
  timeoutMs: number;
  /** The caller's bearer token, forwarded unchanged; never logged. */
  token?: string;
  fetch?: typeof fetch;
}

type Method = 'GET' | 'POST' | 'PATCH';

interface Call {
  body?: unknown;
  query?: Record<string, string | number | undefined>;
  headers?: Record<string, string>;
}

/** Calls of the REST contract (docs/design.md, "REST") the resolvers use. */
export class RestClient {
  readonly #options: RestClientOptions;
  readonly #fetch: typeof fetch;

  constructor(options: RestClientOptions) {
    this.#options = options;
    this.#fetch = options.fetch ?? fetch;
  }

  register(input: {
    email: string;
    password: string;
    name: string;
    locale?: string;
  }): Promise<Session> {
    return this.#call('POST', '/auth/register', { body: input });
  }

  /**
   * Shortcoming (graphql, issue 8): auth throttles failures per client
   * address, and REST sees this Lambda's, so GraphQL logins share one
   * bucket. Way out in functions/graphql/README.md, "Known shortcomings".
   */
  login(input: { email: string; password: string }): Promise<Session> {
    return this.#call('POST', '/auth/login', { body: input });
  }

  async me(): Promise<User> {
    return (await this.#call<{ user: User }>('GET', '/auth/me')).user;
  }

  async placeOrder(
    input: {
      items: { sku: string; quantity: number }[];
      prescriptionRef?: string;
    },
    idempotencyKey: string,
  ): Promise<Order> {
    const answer = await this.#call<{ order: Order }>('POST', '/orders', {
      body: input,
      headers: { 'idempotency-key': idempotencyKey },
    });
    return answer.order;
  }

  listOrders(query: {
    status?: OrderStatus;
    limit: number;
    cursor?: string;
  }): Promise<OrdersPage> {
    return this.#call('GET', '/orders', { query });
  }

  async getOrder(id: string): Promise<Order> {
    const path = `/orders/${encodeURIComponent(id)}`;
    return (await this.#call<{ order: Order }>('GET', path)).order;
  }

  async cancelOrder(id: string): Promise<Order> {
    const path = `/orders/${encodeURIComponent(id)}/cancel`;
    return (await this.#call<{ order: Order }>('POST', path)).order;
  }

  async updateOrderStatus(id: string, status: OrderStatus): Promise<Order> {
    const path = `/orders/${encodeURIComponent(id)}/status`;
    const answer = await this.#call<{ order: Order }>('PATCH', path, {
      body: { status },
    });
    return answer.order;
  }

  async #call<T>(method: Method, path: string, call: Call = {}): Promise<T> {
    const url = new URL(`${this.#options.baseUrl}${path}`);
    for (const [name, value] of Object.entries(call.query ?? {})) {
      if (value !== undefined) url.searchParams.set(name, String(value));
    }
    const headers: Record<string, string> = {
      accept: 'application/json',
      ...call.headers,
    };
    if (call.body !== undefined) headers['content-type'] = 'application/json';
    if (this.#options.token) {
      headers.authorization = `Bearer ${this.#options.token}`;
    }

    let response: Response;
    let text: string;
    try {
      response = await this.#fetch(url, {
        method,
        headers,
        body: call.body === undefined ? undefined : JSON.stringify(call.body),
        signal: AbortSignal.timeout(this.#options.timeoutMs),
      });
      text = await response.text();
    } catch (cause) {
      // Timeouts and refused connections alike: the API is not answering.
      throw new UnavailableError(`${method} ${path} did not answer`, { cause });
    }

    const body = parseJson(text);
    if (response.ok && body !== undefined) return body as T;
    throw restError(response, body, `${method} ${path}`);
  }
}

const KNOWN_CODES = new Set<ErrorCode>([
  'BAD_REQUEST',
  'VALIDATION_FAILED',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'EMAIL_TAKEN',
  'INVALID_TRANSITION',
  'IDEMPOTENCY_KEY_REUSED',
  'TOO_MANY_REQUESTS',
  'UNAVAILABLE',
]);

/**
 * The AppError a REST error body stands for. A body that is not ours
 * (a gateway's HTML page, a 502) is an outage when the status says so,
 * else an internal error whose details stay in the log.
 */
export function restError(
  response: Pick<Response, 'status' | 'headers'>,
  body: unknown,
  call: string,
): AppError {
  const error = (body as { error?: unknown } | undefined)?.error as
    | { code?: unknown; message?: unknown; details?: unknown }
    | undefined;
  const code = error?.code as ErrorCode | undefined;
  if (code && KNOWN_CODES.has(code) && typeof error?.message === 'string') {
    if (code === 'TOO_MANY_REQUESTS') {
      const retryAfter = Number(response.headers.get('retry-after'));
      return new TooManyRequestsError(
        Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : 1,
      );
    }
    return new AppError(code, error.message, response.status, {
      details: Array.isArray(error.details)
        ? (error.details as ErrorDetail[])
        : undefined,
    });
  }
  if ([502, 503, 504].includes(response.status)) {
    return new UnavailableError(`${call} answered ${response.status}`);
  }
  return new AppError(
    'INTERNAL',
    `${call} answered ${response.status}`,
    response.status,
  );
}

function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
