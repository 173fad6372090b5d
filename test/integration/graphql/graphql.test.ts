/**
 * The graphql function through the HTTP API of the local stack: requests go
 * to serverless-offline, which runs the function, which calls the auth and
 * orders functions over REST and pharma over gRPC; orders are validated by
 * the validate function polling the local queue.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningStack, startStack } from '../../../localstack/stack';
import {
  codeOf,
  createStaff,
  type GraphQLAnswer,
  gql,
  seedMedicines,
  uniqueEmail,
  uniqueKey,
  waitFor,
} from './support';

let stack: RunningStack;
let url: string;
let OTC: string;
let SPARE: string;
const PASSWORD = 'correct horse battery';
const STAFF_PASSWORD = 'staff horse battery';
let staffEmail: string;

beforeAll(async () => {
  stack = await startStack({ parts: ['pharma', 'functions'] });
  Object.assign(process.env, stack.env);
  url = `${stack.env.API_URL}/graphql`;
  [OTC, SPARE] = (await seedMedicines([
    {
      name: 'Testamol (integration test)',
      form: 'tablet',
      strength: '500 mg',
      priceCents: 249,
      prescriptionRequired: false,
      stock: 100,
    },
    {
      name: 'Testprofen (integration test)',
      form: 'tablet',
      strength: '400 mg',
      priceCents: 375,
      prescriptionRequired: false,
      stock: 50,
    },
  ])) as [string, string];
  staffEmail = createStaff('pharmacist', STAFF_PASSWORD);
});

afterAll(async () => {
  await stack?.stop();
});

// Operations, as a front end would send them.

const REGISTER = `mutation Register($input: RegisterInput!) {
  register(input: $input) { token expiresIn user { id email role locale } }
}`;
const LOGIN = `mutation Login($input: LoginInput!) {
  login(input: $input) { token expiresIn user { id email role } }
}`;
const ME = 'query Me { me { id email name role } }';
const MEDICINES = `query Browse($search: String, $first: Int, $after: String) {
  medicines(search: $search, first: $first, after: $after) {
    edges { cursor node { sku name price currency prescriptionRequired available } }
    pageInfo { hasNextPage endCursor }
  }
}`;
const PLACE = `mutation Place($input: PlaceOrderInput!, $key: String!) {
  placeOrder(input: $input, idempotencyKey: $key) { id status userId version }
}`;
const ORDER = `query Order($id: ID!) {
  order(id: $id) {
    id status total currency version rejectionReason
    items { sku name quantity unitPrice medicine { sku name price } }
  }
}`;
const ORDERS = `query Orders($status: OrderStatus, $first: Int, $after: String) {
  orders(status: $status, first: $first, after: $after) {
    edges { node { id status userId } }
    pageInfo { hasNextPage endCursor }
  }
}`;
const CANCEL =
  'mutation Cancel($id: ID!) { cancelOrder(id: $id) { id status version } }';
const MOVE = `mutation Move($id: ID!, $status: OrderStatus!) {
  updateOrderStatus(id: $id, status: $status) { id status version }
}`;
const RESTOCK = `mutation Restock($sku: String!, $quantity: Int!) {
  restock(sku: $sku, quantity: $quantity) { sku available }
}`;

function ok(answer: GraphQLAnswer) {
  expect(answer.body.errors, JSON.stringify(answer.body)).toBeUndefined();
  return answer.body.data;
}

async function newCustomer(label: string) {
  const email = uniqueEmail(label);
  const data = ok(
    await gql(url, REGISTER, {
      input: { email, password: PASSWORD, name: `Customer ${label}` },
    }),
  );
  return { email, token: data.register.token as string };
}

async function staffToken(): Promise<string> {
  const data = ok(
    await gql(url, LOGIN, {
      input: { email: staffEmail, password: STAFF_PASSWORD },
    }),
  );
  return data.login.token;
}

async function available(sku: string): Promise<number> {
  const data = ok(await gql(url, MEDICINES, { search: sku, first: 1 }));
  return data.medicines.edges[0].node.available;
}

async function placeOrder(token: string, sku = OTC, quantity = 2) {
  const data = ok(
    await gql(
      url,
      PLACE,
      { input: { items: [{ sku, quantity }] }, key: uniqueKey() },
      { token },
    ),
  );
  return data.placeOrder as { id: string; status: string };
}

async function orderOf(token: string, id: string) {
  return (await gql(url, ORDER, { id }, { token })).body.data?.order;
}

async function confirmed(token: string, id: string) {
  return waitFor(
    () => orderOf(token, id),
    (order) => order?.status === 'CONFIRMED',
    { what: `order ${id} CONFIRMED` },
  );
}

async function myOrders(token: string) {
  const data = ok(await gql(url, ORDERS, { first: 50 }, { token }));
  return data.orders.edges.map(
    (edge: { node: { id: string } }) => edge.node.id,
  );
}

describe('customer journey by GraphQL alone', () => {
  it('registers, logs in, browses, orders, sees it confirmed and cancels it', async () => {
    // Register and log in.
    const email = uniqueEmail('journey');
    const registered = ok(
      await gql(url, REGISTER, {
        input: { email, password: PASSWORD, name: 'Journey', locale: 'en' },
      }),
    ).register;
    expect(registered.user).toMatchObject({
      email,
      role: 'customer',
      locale: 'en',
    });
    expect(registered.expiresIn).toBeGreaterThan(0);

    const session = ok(
      await gql(url, LOGIN, { input: { email, password: PASSWORD } }),
    ).login;
    expect(session.user.id).toBe(registered.user.id);
    const token = session.token as string;
    expect(ok(await gql(url, ME, {}, { token })).me.email).toBe(email);

    // Browse.
    const catalogue = ok(
      await gql(url, MEDICINES, { search: OTC.slice(0, -2), first: 10 }),
    ).medicines;
    expect(
      catalogue.edges.map((e: { node: { sku: string } }) => e.node.sku),
    ).toEqual([OTC, SPARE]);
    expect(catalogue.edges[0].node).toMatchObject({
      price: 249,
      currency: 'EUR',
    });
    const stockBefore = await available(OTC);

    // Place an order, then retry it with the same key.
    const key = uniqueKey();
    const input = { items: [{ sku: OTC, quantity: 3 }] };
    const placed = ok(
      await gql(url, PLACE, { input, key }, { token }),
    ).placeOrder;
    const retried = ok(
      await gql(url, PLACE, { input, key }, { token }),
    ).placeOrder;
    expect(placed).toMatchObject({
      status: 'PENDING',
      userId: registered.user.id,
    });
    expect(retried.id).toBe(placed.id);

    // The validate function confirms it: priced lines, the catalogue entry.
    const order = await confirmed(token, placed.id);
    expect(order).toMatchObject({
      total: 3 * 249,
      currency: 'EUR',
      items: [
        {
          sku: OTC,
          name: 'Testamol (integration test)',
          quantity: 3,
          unitPrice: 249,
          medicine: { sku: OTC, price: 249 },
        },
      ],
    });
    expect(await available(OTC)).toBe(stockBefore - 3);

    // Cancel: the order is CANCELLED and its stock comes back.
    const cancelled = ok(await gql(url, CANCEL, { id: placed.id }, { token }));
    expect(cancelled.cancelOrder).toMatchObject({
      id: placed.id,
      status: 'CANCELLED',
    });
    await waitFor(
      () => available(OTC),
      (units) => units === stockBefore,
      { what: 'stock released' },
    );
  });
});

describe('staff journey by GraphQL alone', () => {
  it('lists confirmed orders, moves one to delivery and restocks', async () => {
    // Prepare: a customer's confirmed order.
    const customer = await newCustomer('staff-journey');
    const placed = await placeOrder(customer.token, SPARE, 1);
    await confirmed(customer.token, placed.id);
    const staff = await staffToken();

    // Orders by status, paged until this one shows.
    const seen: { id: string; status: string }[] = [];
    let after: string | null = null;
    for (
      let page = 0;
      page < 20 && !seen.some((o) => o.id === placed.id);
      page++
    ) {
      const data = ok(
        await gql(
          url,
          ORDERS,
          { status: 'CONFIRMED', first: 50, after },
          { token: staff },
        ),
      );
      seen.push(
        ...data.orders.edges.map(
          (e: { node: { id: string; status: string } }) => e.node,
        ),
      );
      if (!data.orders.pageInfo.hasNextPage) break;
      after = data.orders.pageInfo.endCursor;
    }
    expect(seen.map((o) => o.id)).toContain(placed.id);
    expect(new Set(seen.map((o) => o.status))).toEqual(new Set(['CONFIRMED']));

    // Move it on to delivery.
    for (const status of ['PREPARING', 'READY', 'DELIVERED']) {
      const moved = ok(
        await gql(url, MOVE, { id: placed.id, status }, { token: staff }),
      );
      expect(moved.updateOrderStatus).toMatchObject({ id: placed.id, status });
    }
    expect((await orderOf(customer.token, placed.id)).status).toBe('DELIVERED');

    // Restock.
    const before = await available(SPARE);
    const restocked = ok(
      await gql(url, RESTOCK, { sku: SPARE, quantity: 7 }, { token: staff }),
    ).restock;
    expect(restocked).toEqual({ sku: SPARE, available: before + 7 });
    expect(await available(SPARE)).toBe(before + 7);
  });
});

describe('error codes, each from a real case', () => {
  it.each<[string, string, () => Promise<GraphQLAnswer>]>([
    ['me without a token', 'UNAUTHENTICATED', () => gql(url, ME)],
    [
      'a wrong password',
      'UNAUTHENTICATED',
      async () =>
        gql(url, LOGIN, {
          input: {
            email: (await newCustomer('wrong-pw')).email,
            password: 'not it at all',
          },
        }),
    ],
    [
      'a customer moving their own order on',
      'FORBIDDEN',
      async () => {
        const customer = await newCustomer('forbidden');
        const order = await placeOrder(customer.token);
        return gql(
          url,
          MOVE,
          { id: order.id, status: 'PREPARING' },
          { token: customer.token },
        );
      },
    ],
    [
      'a customer restocking',
      'FORBIDDEN',
      async () =>
        gql(
          url,
          RESTOCK,
          { sku: OTC, quantity: 1 },
          { token: (await newCustomer('restock')).token },
        ),
    ],
    [
      'an order line of quantity 0',
      'BAD_USER_INPUT',
      async () =>
        gql(
          url,
          PLACE,
          { input: { items: [{ sku: OTC, quantity: 0 }] }, key: uniqueKey() },
          { token: (await newCustomer('bad-input')).token },
        ),
    ],
    [
      'an idempotency key reused with another order',
      'BAD_USER_INPUT',
      async () => {
        const { token } = await newCustomer('key-reuse');
        const key = uniqueKey();
        ok(
          await gql(
            url,
            PLACE,
            { input: { items: [{ sku: OTC, quantity: 1 }] }, key },
            { token },
          ),
        );
        return gql(
          url,
          PLACE,
          { input: { items: [{ sku: OTC, quantity: 2 }] }, key },
          { token },
        );
      },
    ],
    [
      "another customer's order",
      'NOT_FOUND',
      async () => {
        const owner = await newCustomer('owner');
        const order = await placeOrder(owner.token);
        return gql(
          url,
          ORDER,
          { id: order.id },
          { token: (await newCustomer('other')).token },
        );
      },
    ],
    [
      'an email already registered',
      'CONFLICT',
      async () =>
        gql(url, REGISTER, {
          input: {
            email: (await newCustomer('taken')).email,
            password: PASSWORD,
            name: 'Again',
          },
        }),
    ],
    [
      'cancelling a cancelled order',
      'CONFLICT',
      async () => {
        const { token } = await newCustomer('twice');
        const order = await placeOrder(token);
        // Once validated, so that validation cannot move it meanwhile.
        await confirmed(token, order.id);
        ok(await gql(url, CANCEL, { id: order.id }, { token }));
        return gql(url, CANCEL, { id: order.id }, { token });
      },
    ],
  ])('answers %s with %s', async (_case, code, act) => {
    // Act
    const answer = await act();

    // Assess
    expect(codeOf(answer), JSON.stringify(answer.body)).toBe(code);
    expect(JSON.stringify(answer.body)).not.toMatch(
      /stacktrace|\bat \/|node_modules/,
    );
  });
});

describe('CSRF prevention', () => {
  it('does not run a mutation POSTed as text/plain without a preflight header', async () => {
    // Prepare
    const email = uniqueEmail('csrf');
    const variables = { input: { email, password: PASSWORD, name: 'CSRF' } };

    // Act
    const refused = await gql(url, REGISTER, variables, {
      contentType: 'text/plain',
      rawBody: JSON.stringify({ query: REGISTER, variables }),
    });

    // Assess: refused, and the account was never made (registering works).
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.body)).toMatch(/Cross-Site Request Forgery/);
    const registered = await gql(url, REGISTER, variables);
    expect(registered.body.data?.register.user.email).toBe(email);
  });
});

describe('limits, checked before anything runs', () => {
  /** `... on Order { ... on Order { id } }`, `levels` deep. */
  const nested = (levels: number) => {
    let inner = 'id';
    for (let level = 0; level < levels; level++)
      inner = `... on Order { ${inner} }`;
    return inner;
  };

  const placeFields = (count: number) =>
    Array.from(
      { length: count },
      (_, i) =>
        `o${i}: placeOrder(input: {items: [{sku: "${OTC}", quantity: 1}]}, idempotencyKey: "${uniqueKey()}") { id }`,
    ).join('\n');

  it.each([
    [
      'nested past the depth limit',
      () =>
        `mutation { placeOrder(input: {items: [{sku: "${OTC}", quantity: 1}]}, idempotencyKey: "${uniqueKey()}") { ${nested(10)} } }`,
      'depth',
    ],
    [
      'aliased past the alias limit',
      () => `mutation { ${placeFields(11)} }`,
      'aliases',
    ],
  ])(
    'refuses a mutation %s, and places no order',
    async (_case, build, limit) => {
      // Prepare
      const { token } = await newCustomer(`limit-${limit}`);

      // Act
      const answer = await gql(url, build(), {}, { token });

      // Assess
      expect(answer.status, JSON.stringify(answer.body)).toBe(400);
      expect(answer.body.errors[0].extensions).toMatchObject({
        code: 'GRAPHQL_VALIDATION_FAILED',
        limit,
      });
      expect(answer.body.data).toBeUndefined();
      expect(await myOrders(token)).toEqual([]);
    },
  );

  it('runs the same mutation within the alias limit', async () => {
    // Prepare
    const { token } = await newCustomer('limit-ok');

    // Act
    const answer = await gql(
      url,
      `mutation { ${placeFields(2)} }`,
      {},
      { token },
    );

    // Assess
    ok(answer);
    expect(await myOrders(token)).toHaveLength(2);
  });

  it('refuses a batch of operations and runs none of them', async () => {
    // Prepare
    const emails = [uniqueEmail('batch'), uniqueEmail('batch')];
    const operations = emails.map((email) => ({
      query: REGISTER,
      variables: { input: { email, password: PASSWORD, name: 'Batch' } },
    }));

    // Act
    const answer = await gql(
      url,
      '',
      {},
      { rawBody: JSON.stringify(operations) },
    );

    // Assess
    expect(answer.status).toBe(400);
    expect(codeOf(answer)).toBe('BAD_REQUEST');
    for (const email of emails) {
      const again = await gql(url, REGISTER, {
        input: { email, password: PASSWORD, name: 'Batch' },
      });
      expect(again.body.data?.register.user.email).toBe(email);
    }
  });

  it('refuses a body over the size limit with 413', async () => {
    const answer = await gql(url, `{ me { id } } # ${'x'.repeat(40_000)}`);

    expect(answer.status).toBe(413);
    expect(codeOf(answer)).toBe('BAD_REQUEST');
  });
});

describe('GET /graphql', () => {
  it('answers a query sent with the preflight header', async () => {
    // Prepare
    const query = encodeURIComponent(
      `{ medicines(search: "${OTC}") { edges { node { sku } } } }`,
    );

    // Act
    const response = await fetch(`${url}?query=${query}`, {
      headers: { 'apollo-require-preflight': 'true' },
    });

    // Assess
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      data: { medicines: { edges: unknown[] } };
    };
    expect(body.data.medicines.edges).toEqual([{ node: { sku: OTC } }]);
  });

  it('refuses a mutation', async () => {
    const query = encodeURIComponent(
      `mutation { restock(sku: "${OTC}", quantity: 1) { sku } }`,
    );

    const response = await fetch(`${url}?query=${query}`, {
      headers: { 'apollo-require-preflight': 'true' },
    });

    expect(response.status).toBe(405);
  });
});
