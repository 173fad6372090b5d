import { randomUUID } from 'node:crypto';
import type { Api } from './api';
import { load } from './load';
import type { Figures } from './stats';

export interface OrderLoad {
  api: Api;
  tokens: string[];
  skus: string[];
}

/** The `index`th order of a load: customers and skus taken in turn. */
function nth(target: OrderLoad, index: number) {
  return {
    token: target.tokens[index % target.tokens.length],
    items: [{ sku: target.skus[index % target.skus.length], quantity: 1 }],
  };
}

/** POST /orders, each with its own Idempotency-Key, round-robin customers. */
export async function ordersLoad(
  target: OrderLoad,
  concurrency: number,
  durationMs: number,
): Promise<Figures> {
  return load(
    { concurrency, durationMs, maxRequests: 2_000 },
    async (index) => {
      const { token, items } = nth(target, index);
      const { status } = await target.api.send('POST', '/orders', {
        token,
        key: randomUUID(),
        body: { items },
      });
      // Only 202 is a placement: serverless-offline answers a Lambda timeout
      // with 200 and an error body.
      return status === 202;
    },
  );
}

/** The floor: GET /health, a function that touches nothing. */
export async function healthLoad(
  api: Api,
  concurrency: number,
  durationMs: number,
): Promise<Figures> {
  return load(
    { concurrency, durationMs, maxRequests: 20_000 },
    async () => (await api.send('GET', '/health')).body.status === 'ok',
  );
}

const PLACE_ORDER = `mutation Place($input: PlaceOrderInput!, $key: String!) {
  placeOrder(input: $input, idempotencyKey: $key) { id status }
}`;

/** The same order as ordersLoad, through the GraphQL mutation. */
export async function graphqlOrdersLoad(
  target: OrderLoad,
  concurrency: number,
  durationMs: number,
): Promise<Figures> {
  return load(
    { concurrency, durationMs, maxRequests: 2_000 },
    async (index) => {
      const { token, items } = nth(target, index);
      const { body } = await target.api.send('POST', '/graphql', {
        token,
        body: {
          query: PLACE_ORDER,
          variables: { key: randomUUID(), input: { items } },
        },
      });
      const data = body.data as { placeOrder?: { id: string } } | undefined;
      return Boolean(data?.placeOrder?.id);
    },
  );
}
