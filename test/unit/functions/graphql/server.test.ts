import { buildSchema, isObjectType } from 'graphql';
import { afterEach, describe, expect, it } from 'vitest';
import { readSchemaSdl } from '../../../../functions/graphql/schema';
import {
  type Harness,
  medicine,
  startHarness,
  TOKENS,
  tokenFor,
} from './support';

let harness: Harness;
afterEach(() => harness?.stop());

const customer = tokenFor('customer', 'cust-1');
const pharmacist = tokenFor('pharmacist', 'staff-1');

const USER = {
  id: 'cust-1',
  email: 'ann@example.org',
  name: 'Ann',
  role: 'customer',
  locale: 'fr',
};

function order(id: string, skus: string[]) {
  return {
    id,
    userId: 'cust-1',
    status: 'PENDING',
    items: skus.map((sku) => ({
      sku,
      name: null,
      quantity: 1,
      unitPrice: null,
    })),
    total: null,
    currency: 'EUR',
    createdAt: '2026-12-03T10:00:00.000Z',
    updatedAt: '2026-12-03T10:00:00.000Z',
    version: 1,
  };
}

const restError =
  (status: number, code: string, message = 'said REST') =>
  () => ({
    status,
    body: { error: { code, message } },
  });

describe('schema', () => {
  it('takes no token as an argument anywhere', () => {
    // Prepare
    const schema = buildSchema(readSchemaSdl());

    // Act
    const argumentNames = Object.values(schema.getTypeMap())
      .filter(isObjectType)
      .flatMap((type) => Object.values(type.getFields()))
      .flatMap((field) => field.args.map((arg) => arg.name.toLowerCase()));

    // Assess
    expect(argumentNames.length).toBeGreaterThan(5);
    expect(argumentNames.filter((name) => /token|authori/.test(name))).toEqual(
      [],
    );
  });
});

describe('CSRF prevention', () => {
  it('does not run a mutation sent as text/plain without a preflight header', async () => {
    // Prepare
    harness = await startHarness();
    const query =
      'mutation { restock(sku: "PARACETAMOL-500MG-TAB", quantity: 5) { available } }';

    // Act
    const response = await harness.post(
      { query },
      { token: pharmacist, contentType: 'text/plain' },
    );

    // Assess
    expect(response.status).toBe(400);
    expect(response.body.errors[0].message).toMatch(
      /Cross-Site Request Forgery/,
    );
    expect(harness.catalogue.calls).toEqual([]);
  });
});

describe('introspection', () => {
  it.each([
    [true, 200],
    [false, 400],
  ])(
    'with introspection %s answers a schema query with %i',
    async (introspection, status) => {
      // Prepare
      harness = await startHarness({ introspection });

      // Act
      const response = await harness.post({
        query: '{ __schema { queryType { name } } }',
      });

      // Assess
      expect(response.status).toBe(status);
    },
  );

  it.each([
    [true, 'text/html'],
    [false, 'application/json'],
  ])(
    'with introspection %s serves a browser %s',
    async (introspection, type) => {
      // Prepare
      harness = await startHarness({ introspection });

      // Act
      const page = await harness.openInBrowser();

      // Assess
      expect(page.contentType).toMatch(type);
    },
  );

  it('suggests no field names when introspection is off', async () => {
    harness = await startHarness({ introspection: false });

    const response = await harness.post({ query: '{ medicine { sku } }' });

    expect(response.body.errors[0].message).not.toMatch(/Did you mean/);
  });
});

describe('authentication', () => {
  it.each([
    ['no Authorization header', undefined],
    ['a token signed with another secret', 'x.y.z'],
  ])(
    'refuses me with UNAUTHENTICATED for %s, without calling REST',
    async (_case, token) => {
      // Prepare
      harness = await startHarness({
        routes: {
          'GET /auth/me': () => ({ status: 200, body: { user: USER } }),
        },
      });

      // Act
      const response = await harness.post(
        { query: '{ me { id } }' },
        { token },
      );

      // Assess
      expect(response.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
      expect(harness.api.calls).toEqual([]);
    },
  );

  it('answers me from REST, forwarding the caller token', async () => {
    // Prepare
    harness = await startHarness({
      routes: { 'GET /auth/me': () => ({ status: 200, body: { user: USER } }) },
    });

    // Act
    const response = await harness.post(
      { query: '{ me { id email role } }' },
      { token: customer },
    );

    // Assess
    expect(response.body.data.me).toEqual({
      id: 'cust-1',
      email: 'ann@example.org',
      role: 'customer',
    });
    expect(harness.api.calls[0]?.authorization).toBe(`Bearer ${customer}`);
  });
});

describe('register', () => {
  it('reads expiresIn from the token REST issued, and sends no null locale', async () => {
    // Prepare
    const issued = tokenFor('customer', 'cust-1');
    harness = await startHarness({
      routes: {
        'POST /auth/register': () => ({
          status: 201,
          body: { user: USER, token: issued },
        }),
      },
    });

    // Act
    const response = await harness.post({
      query:
        'mutation { register(input: {email: "ann@example.org", password: "long enough", name: "Ann", locale: null}) { token expiresIn user { id } } }',
    });

    // Assess
    const payload = response.body.data.register;
    expect(payload.token).toBe(issued);
    expect(payload.expiresIn).toBeGreaterThan(TOKENS.ttlSeconds - 5);
    expect(payload.expiresIn).toBeLessThanOrEqual(TOKENS.ttlSeconds);
    expect(harness.api.calls[0]?.body).toEqual({
      email: 'ann@example.org',
      password: 'long enough',
      name: 'Ann',
    });
  });
});

describe('errors from REST', () => {
  it.each([
    [
      'a taken email',
      'POST /auth/register',
      restError(409, 'EMAIL_TAKEN'),
      'CONFLICT',
    ],
    [
      'a wrong password',
      'POST /auth/login',
      restError(401, 'UNAUTHENTICATED'),
      'UNAUTHENTICATED',
    ],
    [
      'a throttled login',
      'POST /auth/login',
      restError(429, 'TOO_MANY_REQUESTS'),
      'TOO_MANY_REQUESTS',
    ],
    [
      'a REST crash',
      'POST /auth/login',
      () => ({ status: 500, body: 'boom' }),
      'INTERNAL_SERVER_ERROR',
    ],
  ])('maps %s to %s', async (_case, route, answer, code) => {
    // Prepare
    harness = await startHarness({ routes: { [route]: answer } });
    const field = route.endsWith('register')
      ? 'register(input: {email: "a@b.org", password: "long enough", name: "A"})'
      : 'login(input: {email: "a@b.org", password: "wrong"})';

    // Act
    const response = await harness.post({
      query: `mutation { ${field} { token } }`,
    });

    // Assess
    expect(response.body.errors[0].extensions.code).toBe(code);
    expect(JSON.stringify(response.body)).not.toMatch(/boom|stack/);
  });

  it("answers order null with NOT_FOUND for an order that is not the caller's", async () => {
    harness = await startHarness({
      routes: {
        'GET /orders/o-9': restError(404, 'NOT_FOUND', 'Order not found'),
      },
    });

    const response = await harness.post(
      { query: '{ order(id: "o-9") { id } }' },
      { token: customer },
    );

    expect(response.body.data).toEqual({ order: null });
    expect(response.body.errors[0]).toMatchObject({
      message: 'Order not found',
      path: ['order'],
      extensions: { code: 'NOT_FOUND' },
    });
  });
});

describe('placeOrder', () => {
  it('forwards the idempotency key and the caller token to REST', async () => {
    // Prepare
    harness = await startHarness({
      routes: {
        'POST /orders': () => ({
          status: 202,
          body: { order: order('o-1', ['PARACETAMOL-500MG-TAB']) },
        }),
      },
    });

    // Act
    const response = await harness.post(
      {
        query:
          'mutation Place($input: PlaceOrderInput!) { placeOrder(input: $input, idempotencyKey: "key-0001") { id status } }',
        variables: {
          input: { items: [{ sku: 'PARACETAMOL-500MG-TAB', quantity: 2 }] },
        },
      },
      { token: customer },
    );

    // Assess
    expect(response.body.data.placeOrder).toEqual({
      id: 'o-1',
      status: 'PENDING',
    });
    expect(harness.api.calls[0]).toMatchObject({
      authorization: `Bearer ${customer}`,
      idempotencyKey: 'key-0001',
      body: { items: [{ sku: 'PARACETAMOL-500MG-TAB', quantity: 2 }] },
    });
  });
});

describe('orders', () => {
  it('reads each medicine of the order lines once per request', async () => {
    // Prepare
    harness = await startHarness({
      medicines: [medicine('A-1'), medicine('B-2')],
      routes: {
        'GET /orders': () => ({
          status: 200,
          body: {
            items: [
              order('o-1', ['A-1', 'B-2']),
              order('o-2', ['A-1']),
              order('o-3', ['B-2', 'A-1']),
            ],
            nextCursor: null,
          },
        }),
      },
    });

    // Act
    const response = await harness.post(
      {
        query:
          '{ orders(first: 10) { edges { node { id items { sku medicine { name price } } } } pageInfo { hasNextPage } } }',
      },
      { token: customer },
    );

    // Assess
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data.orders.edges).toHaveLength(3);
    expect(response.body.data.orders.edges[0].node.items[0].medicine).toEqual({
      name: 'a-1',
      price: 250,
    });
    expect(harness.catalogue.calls.sort()).toEqual(['get A-1', 'get B-2']);
  });
});

describe('restock', () => {
  it('refuses a customer with FORBIDDEN and touches no stock', async () => {
    harness = await startHarness();

    const response = await harness.post(
      {
        query:
          'mutation { restock(sku: "PARACETAMOL-500MG-TAB", quantity: 5) { available } }',
      },
      { token: customer },
    );

    expect(response.body.errors[0].extensions.code).toBe('FORBIDDEN');
    expect(harness.catalogue.calls).toEqual([]);
  });

  it.each([
    ['a quantity of 0', 'quantity: 0'],
    ['a negative quantity', 'quantity: -3'],
    ['a lower-case sku', 'sku: "paracetamol", quantity: 1'],
    ['a short idempotency key', 'quantity: 1, idempotencyKey: "k"'],
  ])('refuses %s with BAD_USER_INPUT', async (_case, args) => {
    harness = await startHarness();
    const withSku = args.includes('sku:')
      ? args
      : `sku: "PARACETAMOL-500MG-TAB", ${args}`;

    const response = await harness.post(
      { query: `mutation { restock(${withSku}) { available } }` },
      { token: pharmacist },
    );

    expect(response.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(harness.catalogue.calls).toEqual([]);
  });

  it('adds stock for staff under a request id scoped to the caller', async () => {
    // Prepare
    harness = await startHarness({
      medicines: [medicine('PARACETAMOL-500MG-TAB', 10)],
    });

    // Act
    const response = await harness.post(
      {
        query:
          'mutation { restock(sku: "PARACETAMOL-500MG-TAB", quantity: 5, idempotencyKey: "restock-0001") { sku available } }',
      },
      { token: pharmacist },
    );

    // Assess
    expect(response.body.data.restock).toEqual({
      sku: 'PARACETAMOL-500MG-TAB',
      available: 15,
    });
    expect(harness.catalogue.calls[0]).toBe(
      'adjust PARACETAMOL-500MG-TAB 5 gql:staff-1:restock-0001',
    );
  });
});

describe('medicines', () => {
  it('pages the catalogue with Relay cursors, open to anyone', async () => {
    // Prepare
    harness = await startHarness({
      medicines: ['A-1', 'B-2', 'C-3'].map((sku) => medicine(sku)),
    });
    const query =
      'query Page($after: String) { medicines(first: 2, after: $after) { edges { node { sku } } pageInfo { hasNextPage endCursor } } }';

    // Act
    const first = await harness.post({ query });
    const second = await harness.post({
      query,
      variables: { after: first.body.data.medicines.pageInfo.endCursor },
    });

    // Assess
    const skus = (page: {
      body: { data: { medicines: { edges: { node: { sku: string } }[] } } };
    }) => page.body.data.medicines.edges.map((edge) => edge.node.sku);
    expect(skus(first)).toEqual(['A-1', 'B-2']);
    expect(first.body.data.medicines.pageInfo.hasNextPage).toBe(true);
    expect(skus(second)).toEqual(['C-3']);
    expect(second.body.data.medicines.pageInfo.hasNextPage).toBe(false);
  });
});
