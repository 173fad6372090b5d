import { afterEach, describe, expect, it } from 'vitest';
import { checkBody } from '../../../../functions/graphql/limits';
import { type Harness, startHarness, tokenFor } from './support';

let harness: Harness;
afterEach(() => harness?.stop());

const staff = tokenFor('pharmacist');

/** `... on Medicine { ... on Medicine { sku } }`, `levels` deep. */
function nestedFragments(levels: number): string {
  let inner = 'sku';
  for (let level = 0; level < levels; level++) {
    inner = `... on Medicine { ${inner} }`;
  }
  return inner;
}

function aliasedRestocks(count: number): string {
  const fields = Array.from(
    { length: count },
    (_, i) =>
      `r${i}: restock(sku: "PARACETAMOL-500MG-TAB", quantity: 1) { sku }`,
  );
  return `mutation { ${fields.join(' ')} }`;
}

describe('limits', () => {
  it.each([
    [
      'a mutation nested past the depth limit',
      `mutation { restock(sku: "PARACETAMOL-500MG-TAB", quantity: 1) { ${nestedFragments(9)} } }`,
      'depth',
    ],
    ['a mutation aliased past the alias limit', aliasedRestocks(11), 'aliases'],
  ])('refuses %s before any resolver runs', async (_case, query, limit) => {
    // Prepare
    harness = await startHarness();

    // Act
    const response = await harness.post({ query }, { token: staff });

    // Assess
    expect(response.status).toBe(400);
    expect(response.body.errors[0].extensions).toMatchObject({
      code: 'GRAPHQL_VALIDATION_FAILED',
      limit,
    });
    expect(response.body.data).toBeUndefined();
    expect(harness.catalogue.calls).toEqual([]);
  });

  it('refuses a deep introspection query past the depth limit', async () => {
    // Prepare
    harness = await startHarness();
    const query =
      '{ __type(name: "Query") { fields { type { fields { type { fields { type { fields { name } } } } } } } } }';

    // Act
    const response = await harness.post({ query });

    // Assess
    expect(response.status).toBe(400);
    expect(response.body.errors[0].extensions.limit).toBe('depth');
  });

  it('runs a mutation at exactly the alias limit', async () => {
    // Prepare
    harness = await startHarness();

    // Act
    const response = await harness.post(
      { query: aliasedRestocks(10) },
      { token: staff },
    );

    // Assess
    expect(response.body.errors).toBeUndefined();
    expect(
      harness.catalogue.calls.filter((c) => c.startsWith('adjust')),
    ).toHaveLength(10);
  });

  it('refuses a batch of operations without running any', async () => {
    // Prepare
    harness = await startHarness();
    const restock = {
      query:
        'mutation { restock(sku: "PARACETAMOL-500MG-TAB", quantity: 1) { sku } }',
    };

    // Act
    const response = await harness.post([restock, restock], { token: staff });

    // Assess
    expect(response.status).toBe(400);
    expect(response.body.errors[0]).toMatchObject({
      message: 'Operation batching disabled.',
      extensions: { code: 'BAD_REQUEST' },
    });
    expect(harness.catalogue.calls).toEqual([]);
  });

  it('refuses a document past the token limit before parsing it whole', async () => {
    // Prepare
    harness = await startHarness();
    const query = `{ ${Array.from({ length: 2100 }, () => '__typename').join(' ')} }`;

    // Act
    const response = await harness.post({ query });

    // Assess
    expect(response.status).toBe(400);
    expect(response.body.errors[0].extensions.code).toBe(
      'GRAPHQL_PARSE_FAILED',
    );
    expect(response.body.errors[0].message).toMatch(/2000 tokens/);
  });
});

describe('checkBody', () => {
  const json = { 'content-type': 'application/json' };

  it.each([
    [
      'a body over the size limit',
      JSON.stringify({ query: 'x'.repeat(200) }),
      json,
      413,
    ],
    ['malformed JSON', '{"query":', json, 400],
    [
      'malformed JSON with a charset',
      '{',
      { 'Content-Type': 'application/json; charset=utf-8' },
      400,
    ],
  ])(
    'refuses %s in the GraphQL error shape',
    (_case, body, headers, status) => {
      // Act
      const refused = checkBody({ body, headers, isBase64Encoded: false }, 100);

      // Assess
      expect(refused?.statusCode).toBe(status);
      expect(JSON.parse(refused?.body ?? '{}').errors[0].extensions.code).toBe(
        'BAD_REQUEST',
      );
    },
  );

  it.each([
    ['a small JSON body', '{"query":"{ me { id } }"}', json],
    [
      'a text/plain body, left to CSRF prevention',
      'not json',
      { 'content-type': 'text/plain' },
    ],
    ['no body (GET)', undefined, {}],
  ])('lets %s through', (_case, body, headers) => {
    expect(
      checkBody({ body, headers, isBase64Encoded: false }, 100),
    ).toBeUndefined();
  });

  it('counts the size of a base64 body after decoding it', () => {
    // Prepare
    const body = Buffer.from(
      JSON.stringify({ query: 'é'.repeat(50) }),
    ).toString('base64');

    // Act
    const refused = checkBody(
      { body, headers: json, isBase64Encoded: true },
      100,
    );

    // Assess
    expect(refused?.statusCode).toBe(413);
  });
});
