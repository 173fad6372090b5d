import { randomUUID } from 'node:crypto';
import type { Order } from '../lib/orders/order';

/** The REST API as a customer or a pharmacist calls it. */
export class Api {
  constructor(readonly baseUrl: string) {}

  /** One request; answers the status and the parsed body. */
  async send(
    method: string,
    path: string,
    options: { token?: string; body?: unknown; key?: string } = {},
  ): Promise<{ status: number; body: Record<string, unknown> }> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: {
        'content-type': 'application/json',
        ...(options.token && { authorization: `Bearer ${options.token}` }),
        ...(options.key && { 'idempotency-key': options.key }),
      },
      body:
        options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: AbortSignal.timeout(30_000),
    });
    const body = (await response.json()) as Record<string, unknown>;
    return { status: response.status, body };
  }

  /** Like send, but throws unless the answer is a 2xx. */
  async call<T>(
    method: string,
    path: string,
    options: { token?: string; body?: unknown; key?: string } = {},
  ): Promise<T> {
    const { status, body } = await this.send(method, path, options);
    if (status >= 300) {
      throw new Error(`${method} ${path} answered ${status}`);
    }
    return body as T;
  }

  async login(email: string, password: string): Promise<string> {
    const body = { email, password };
    return (await this.call<{ token: string }>('POST', '/auth/login', { body }))
      .token;
  }

  /** Registers a fresh customer; answers its credentials and a token. */
  async newCustomer(): Promise<{
    email: string;
    password: string;
    token: string;
  }> {
    const email = `bench-${randomUUID().slice(0, 8)}@example.org`;
    const password = `bench-${randomUUID()}`;
    await this.call('POST', '/auth/register', {
      body: { email, password, name: 'Bench Customer', locale: 'en' },
    });
    return { email, password, token: await this.login(email, password) };
  }

  async placeOrder(token: string, body: unknown): Promise<Order> {
    const key = randomUUID();
    return (
      await this.call<{ order: Order }>('POST', '/orders', {
        token,
        body,
        key,
      })
    ).order;
  }

  async getOrder(token: string, id: string): Promise<Order> {
    return (
      await this.call<{ order: Order }>('GET', `/orders/${id}`, { token })
    ).order;
  }
}

/** Polls until `check` holds, every `everyMs`, for at most `timeoutMs`. */
export async function until(
  check: () => Promise<boolean>,
  timeoutMs: number,
  everyMs = 100,
  what = 'condition',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline)
      throw new Error(`${what}: timed out after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
