import { describe, expect, it } from 'vitest';
import { RestClient } from '../../../../functions/graphql/rest-client';
import { fakeApi } from './support';

const ORDER = { id: 'o1', status: 'PENDING' };

function client(
  fetch: typeof globalThis.fetch,
  { token, timeoutMs = 1000 }: { token?: string; timeoutMs?: number } = {},
) {
  return new RestClient({
    baseUrl: 'http://api.test',
    timeoutMs,
    token,
    fetch,
  });
}

describe('RestClient', () => {
  it('forwards the caller token and the idempotency key unchanged', async () => {
    // Prepare
    const api = fakeApi({
      'POST /orders': () => ({ status: 202, body: { order: ORDER } }),
    });

    // Act
    const order = await client(api.fetch, { token: 'tok.en.value' }).placeOrder(
      { items: [{ sku: 'A-1', quantity: 2 }] },
      'key-12345678',
    );

    // Assess
    expect(order).toEqual(ORDER);
    expect(api.calls).toEqual([
      {
        method: 'POST',
        path: '/orders',
        authorization: 'Bearer tok.en.value',
        idempotencyKey: 'key-12345678',
        body: { items: [{ sku: 'A-1', quantity: 2 }] },
      },
    ]);
  });

  it('sends no authorization header for an anonymous caller', async () => {
    const api = fakeApi({
      'POST /auth/login': () => ({ status: 200, body: { token: 't' } }),
    });

    await client(api.fetch).login({ email: 'a@b.c', password: 'x' });

    expect(api.calls[0]?.authorization).toBeNull();
  });

  it('encodes an order id so it cannot reach another route', async () => {
    const api = fakeApi({});

    await client(api.fetch, { token: 't' })
      .getOrder('../auth/me')
      .catch(() => undefined);

    expect(api.calls[0]?.path).toBe('/orders/..%2Fauth%2Fme');
  });

  it('puts list filters in the query string and leaves out unset ones', async () => {
    const api = fakeApi({
      'GET /orders': () => ({
        status: 200,
        body: { items: [], nextCursor: null },
      }),
    });

    await client(api.fetch, { token: 't' }).listOrders({
      status: 'CONFIRMED',
      limit: 5,
    });

    expect(api.calls[0]?.path).toBe('/orders?status=CONFIRMED&limit=5');
  });

  it.each([
    ['a validation error', 400, 'VALIDATION_FAILED', 'VALIDATION_FAILED'],
    ['a taken email', 409, 'EMAIL_TAKEN', 'EMAIL_TAKEN'],
    ['a refused role', 403, 'FORBIDDEN', 'FORBIDDEN'],
    ['a reused key', 422, 'IDEMPOTENCY_KEY_REUSED', 'IDEMPOTENCY_KEY_REUSED'],
    ['an unknown code', 418, 'TEAPOT', 'INTERNAL'],
    ['a REST internal error', 500, 'INTERNAL', 'INTERNAL'],
  ])(
    'turns %s back into its AppError',
    async (_case, status, code, expected) => {
      // Prepare
      const api = fakeApi({
        'GET /auth/me': () => ({
          status,
          body: { error: { code, message: 'said REST' } },
        }),
      });

      // Act
      const outcome = client(api.fetch, { token: 't' }).me();

      // Assess
      await expect(outcome).rejects.toMatchObject({ code: expected });
    },
  );

  it('keeps the retry-after of a throttled login', async () => {
    const fetch = (async () =>
      new Response(
        JSON.stringify({ error: { code: 'TOO_MANY_REQUESTS', message: 'x' } }),
        { status: 429, headers: { 'retry-after': '30' } },
      )) as typeof globalThis.fetch;

    const outcome = client(fetch).login({ email: 'a@b.c', password: 'x' });

    await expect(outcome).rejects.toMatchObject({
      code: 'TOO_MANY_REQUESTS',
      retryAfterSeconds: 30,
    });
  });

  it.each([
    ['a gateway page', 502, '<html>Bad Gateway</html>', 'UNAVAILABLE'],
    ['an empty 503', 503, '', 'UNAVAILABLE'],
    ['a non-JSON 200', 200, 'ok', 'INTERNAL'],
  ])('treats %s as no answer of ours', async (_case, status, text, code) => {
    const fetch = (async () =>
      new Response(text, { status })) as typeof globalThis.fetch;

    await expect(client(fetch, { token: 't' }).me()).rejects.toMatchObject({
      code,
    });
  });

  it('gives up after its timeout with UNAVAILABLE', async () => {
    // Prepare: a server that never answers, but honours the abort signal.
    const fetch = ((_url: URL, init?: RequestInit) =>
      new Promise((_resolve, reject) => {
        init?.signal?.addEventListener('abort', () =>
          reject(init.signal?.reason),
        );
      })) as typeof globalThis.fetch;

    // Act
    const outcome = client(fetch, { token: 't', timeoutMs: 50 }).me();

    // Assess
    await expect(outcome).rejects.toMatchObject({ code: 'UNAVAILABLE' });
  });
});
