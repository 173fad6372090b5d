import { describe, expect, it } from 'vitest';
import {
  type Connection,
  connectionFrom,
  decodeCursor,
  encodeCursor,
  type FetchSourcePage,
} from '../../../../functions/graphql/connections';

const ITEMS = Array.from({ length: 23 }, (_, i) => `item-${i}`);

/**
 * A keyset-paged source as REST and pharma are: the token names the last
 * item read, and a page of `limit` is a prefix of any longer page.
 */
function source(items = ITEMS, maxPage = 100) {
  const calls: { token: string | null; limit: number }[] = [];
  const fetchPage: FetchSourcePage<string> = async (token, limit) => {
    calls.push({ token, limit });
    if (limit > maxPage) throw new Error(`limit ${limit} over ${maxPage}`);
    const start = token === null ? 0 : items.indexOf(token) + 1;
    const page = items.slice(start, start + limit);
    const last = page.at(-1);
    const more = start + page.length < items.length;
    return { items: page, next: more && last ? last : null };
  };
  return { fetchPage, calls };
}

const OPTIONS = { defaultFirst: 5, maxFirst: 10, maxSourcePage: 100 };
const nodes = (connection: Connection<string>) =>
  connection.edges.map((edge) => edge.node);

/** Reads the whole source page by page, following endCursor. */
async function readAll(first: number, maxSourcePage: number) {
  const { fetchPage } = source(ITEMS, maxSourcePage);
  const seen: string[] = [];
  let after: string | null = null;
  for (let guard = 0; guard < 50; guard++) {
    const page: Connection<string> = await connectionFrom(
      fetchPage,
      { first, after },
      { ...OPTIONS, maxSourcePage },
    );
    seen.push(...nodes(page));
    if (!page.pageInfo.hasNextPage) break;
    after = page.pageInfo.endCursor;
  }
  return seen;
}

describe('connectionFrom', () => {
  it.each([
    [1, 100],
    [5, 100],
    [10, 100],
    [7, 3],
    [10, 4],
  ])(
    'reads every item once with first %i over source pages of at most %i',
    async (first, maxSourcePage) => {
      // Act
      const seen = await readAll(first, maxSourcePage);

      // Assess
      expect(seen).toEqual(ITEMS);
    },
  );

  it('answers the first page with the default size', async () => {
    // Prepare
    const { fetchPage, calls } = source();

    // Act
    const page = await connectionFrom(fetchPage, {}, OPTIONS);

    // Assess
    expect(nodes(page)).toEqual(ITEMS.slice(0, 5));
    expect(page.pageInfo.hasNextPage).toBe(true);
    expect(calls).toEqual([{ token: null, limit: 5 }]);
  });

  it('reads on from the end cursor without refetching what it has', async () => {
    // Prepare
    const { fetchPage, calls } = source();
    const first = await connectionFrom(fetchPage, { first: 3 }, OPTIONS);
    calls.length = 0;

    // Act
    const second = await connectionFrom(
      fetchPage,
      { first: 3, after: first.pageInfo.endCursor },
      OPTIONS,
    );

    // Assess
    expect(nodes(second)).toEqual(['item-3', 'item-4', 'item-5']);
    expect(calls).toEqual([{ token: 'item-2', limit: 3 }]);
  });

  it('resumes after an edge in the middle of a page', async () => {
    // Prepare
    const { fetchPage } = source();
    const page = await connectionFrom(fetchPage, { first: 5 }, OPTIONS);
    const middle = page.edges[1]?.cursor;

    // Act
    const next = await connectionFrom(
      fetchPage,
      { first: 2, after: middle },
      OPTIONS,
    );

    // Assess
    expect(nodes(next)).toEqual(['item-2', 'item-3']);
  });

  it('says there is no next page on the last one', async () => {
    // Prepare
    const { fetchPage } = source(['a', 'b']);

    // Act
    const page = await connectionFrom(fetchPage, { first: 5 }, OPTIONS);

    // Assess
    expect(nodes(page)).toEqual(['a', 'b']);
    expect(page.pageInfo.hasNextPage).toBe(false);
  });

  it('answers an empty connection for an empty source', async () => {
    const { fetchPage } = source([]);

    const page = await connectionFrom(fetchPage, {}, OPTIONS);

    expect(page).toEqual({
      edges: [],
      pageInfo: { hasNextPage: false, endCursor: null },
    });
  });

  it('stops after its source-call budget on sparse pages and says where to resume', async () => {
    // Prepare: a source whose pages come back empty but keep a next token.
    let calls = 0;
    const sparse: FetchSourcePage<string> = async (token) => {
      calls += 1;
      return { items: [], next: `${token ?? ''}x` };
    };

    // Act
    const page = await connectionFrom(
      sparse,
      { first: 5 },
      {
        ...OPTIONS,
        maxSourceCalls: 3,
      },
    );

    // Assess
    expect(calls).toBe(3);
    expect(page.edges).toEqual([]);
    expect(page.pageInfo.hasNextPage).toBe(true);
    expect(decodeCursor(page.pageInfo.endCursor ?? '', 100)).toEqual({
      token: 'xxx',
      index: -1,
    });
  });

  it.each([[0], [11], [-1]])(
    'refuses first = %i with BAD_USER_INPUT details',
    async (first) => {
      const { fetchPage } = source();

      await expect(
        connectionFrom(fetchPage, { first }, OPTIONS),
      ).rejects.toMatchObject({
        code: 'VALIDATION_FAILED',
        details: [{ path: 'first', message: 'must be from 1 to 10' }],
      });
    },
  );
});

describe('decodeCursor', () => {
  it('reads back what encodeCursor wrote', () => {
    expect(decodeCursor(encodeCursor({ token: 'abc', index: 4 }), 100)).toEqual(
      { token: 'abc', index: 4 },
    );
  });

  it.each([
    ['random text', 'hello'],
    ['another prefix', Buffer.from('v9:[null,1]').toString('base64url')],
    ['malformed JSON', Buffer.from('c1:[null,').toString('base64url')],
    [
      'an index past the source page',
      encodeCursor({ token: null, index: 100 }),
    ],
    ['a fractional index', Buffer.from('c1:[null,1.5]').toString('base64url')],
    [
      'a token of the wrong type',
      Buffer.from('c1:[{"$gt":""},1]').toString('base64url'),
    ],
    ['an oversized cursor', 'a'.repeat(5000)],
  ])('refuses %s as a cursor we did not issue', (_case, cursor) => {
    expect(() => decodeCursor(cursor, 100)).toThrow(
      expect.objectContaining({ code: 'VALIDATION_FAILED' }),
    );
  });
});
