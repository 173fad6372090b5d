import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { PharmaHarness } from '../../helpers/pharma-harness';

type Handler = typeof import('../../../functions/medicines/handler').handler;

let pharma: PharmaHarness;
let handler: Handler;

/** The handler module loaded afresh, reading the environment as it is now. */
async function loadHandler(): Promise<Handler> {
  vi.resetModules();
  return (await import('../../../functions/medicines/handler')).handler;
}

async function get(query: Record<string, string> = {}, target = handler) {
  const response = await target({ queryStringParameters: query });
  return {
    status: response.statusCode,
    body: JSON.parse(String(response.body)),
  };
}

beforeAll(async () => {
  pharma = await PharmaHarness.start('medicines');
  await pharma.addMedicines(
    Array.from({ length: 5 }, (_, i) => ({
      stock: 10 + i,
      name: `Amoxicillin ${i}`,
      prescriptionRequired: true,
    })),
  );
  await pharma.addMedicines([{ stock: 3, name: 'Paracetamol' }]);
  vi.stubEnv('PHARMA_GRPC_URL', pharma.url);
  handler = await loadHandler();
});

afterAll(async () => {
  vi.unstubAllEnvs();
  await pharma?.close();
});

describe('GET /medicines', () => {
  it('answers items in the documented shape with a cursor to the next page', async () => {
    // Act
    const { status, body } = await get({ limit: '2' });

    // Assess
    expect(status).toBe(200);
    expect(body.items).toHaveLength(2);
    expect(Object.keys(body.items[0]).sort()).toEqual([
      'available',
      'form',
      'name',
      'prescriptionRequired',
      'price',
      'sku',
      'strength',
    ]);
    expect(body.items[0]).toMatchObject({
      price: 250,
      prescriptionRequired: true,
      available: 10,
    });
    expect(typeof body.nextCursor).toBe('string');
  });

  it('walks every medicine once by following nextCursor until it is null', async () => {
    // Act
    const skus: string[] = [];
    let cursor: string | null = '';
    let pages = 0;
    while (cursor !== null) {
      const { body } = await get(
        cursor ? { limit: '4', cursor } : { limit: '4' },
      );
      skus.push(...body.items.map((item: { sku: string }) => item.sku));
      cursor = body.nextCursor;
      pages += 1;
    }

    // Assess
    expect(pages).toBe(2);
    expect(skus).toHaveLength(6);
    expect(new Set(skus).size).toBe(6);
  });

  it('filters by search', async () => {
    // Act
    const { body } = await get({ search: 'paracet' });

    // Assess
    expect(body.items.map((item: { name: string }) => item.name)).toEqual([
      'Paracetamol',
    ]);
    expect(body.nextCursor).toBeNull();
  });

  it.each([
    ['a limit of 0', { limit: '0' }],
    ['a limit over 100', { limit: '101' }],
    ['a limit that is not a number', { limit: 'ten' }],
    ['a search text over 100 characters', { search: 'x'.repeat(101) }],
    ['a cursor it never issued', { cursor: 'bm90LWEtY3Vyc29y' }],
  ])('answers 400 VALIDATION_FAILED for %s', async (_case, query) => {
    // Act
    const { status, body } = await get(query);

    // Assess
    expect(status).toBe(400);
    expect(body.error.code).toBe('VALIDATION_FAILED');
  });

  it('answers 503 UNAVAILABLE when pharma cannot be reached', async () => {
    // Prepare
    vi.stubEnv('PHARMA_GRPC_URL', '127.0.0.1:1');
    vi.stubEnv('PHARMA_DEADLINE_MS', '300');
    const unreachable = await loadHandler();

    // Act
    const { status, body } = await get({}, unreachable);

    // Assess
    expect(status).toBe(503);
    expect(body.error.code).toBe('UNAVAILABLE');
  });
});
