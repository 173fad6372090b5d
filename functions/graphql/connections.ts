/**
 * Relay connections over sources that page with opaque "next page" tokens
 * (REST `nextCursor`, gRPC `next_page_token`) and give no cursor per item.
 *
 * A GraphQL cursor names a position as (token of the source page the item
 * came from, index in that page). Resuming from the last edge of a page
 * costs one source call from the next token; resuming from an edge in the
 * middle refetches its source page up to that edge and skips it:
 *
 *   source pages:  [a b c d] --next=T1--> [e f g h] --next=T2--> ...
 *   first: 3       edges a(T0,0) b(T0,1) c(T0,2)         endCursor (T0,2)
 *   after (T0,2)   fetch T0 limit 3+3, skip 3 → d, then T1 → e f
 *   after d        d is last of its source page: cursor is (T1,-1)
 */
import { ValidationError } from '../../lib/errors';

export interface SourcePage<T> {
  items: T[];
  /** Token of the next source page; null on the last one. */
  next: string | null;
}

/** Reads up to `limit` items from the page at `token` (null: the first). */
export type FetchSourcePage<T> = (
  token: string | null,
  limit: number,
) => Promise<SourcePage<T>>;

export interface Connection<T> {
  edges: { node: T; cursor: string }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

export interface PageArgs {
  first?: number | null;
  after?: string | null;
}

export interface ConnectionOptions {
  defaultFirst: number;
  maxFirst: number;
  /** The largest `limit` the source accepts. */
  maxSourcePage: number;
  /** Source calls per connection, so that sparse pages cannot loop long. */
  maxSourceCalls?: number;
}

interface Position {
  /** Token of the source page; null for the first page. */
  token: string | null;
  /** Index of the item in that page; -1 for "before its first item". */
  index: number;
}

const CURSOR_PREFIX = 'c1:';

export function encodeCursor(position: Position): string {
  const text = `${CURSOR_PREFIX}${JSON.stringify([position.token, position.index])}`;
  return Buffer.from(text, 'utf8').toString('base64url');
}

/** Throws ValidationError (BAD_USER_INPUT) for anything we did not issue. */
export function decodeCursor(cursor: string, maxSourcePage: number): Position {
  const invalid = () =>
    new ValidationError('Request is invalid', [
      { path: 'after', message: 'is not a cursor this API issued' },
    ]);
  if (cursor.length > 4096) throw invalid();
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!text.startsWith(CURSOR_PREFIX)) throw invalid();
  let value: unknown;
  try {
    value = JSON.parse(text.slice(CURSOR_PREFIX.length));
  } catch {
    throw invalid();
  }
  if (!Array.isArray(value) || value.length !== 2) throw invalid();
  const [token, index] = value as [unknown, unknown];
  const tokenOk = token === null || typeof token === 'string';
  const indexOk =
    Number.isInteger(index) &&
    (index as number) >= -1 &&
    (index as number) < maxSourcePage;
  if (!tokenOk || !indexOk) throw invalid();
  return { token: token as string | null, index: index as number };
}

/** Checks `first` against the limits; throws ValidationError otherwise. */
export function pageSize(
  first: number | null | undefined,
  {
    defaultFirst,
    maxFirst,
  }: Pick<ConnectionOptions, 'defaultFirst' | 'maxFirst'>,
): number {
  const size = first ?? defaultFirst;
  if (size < 1 || size > maxFirst) {
    throw new ValidationError('Request is invalid', [
      { path: 'first', message: `must be from 1 to ${maxFirst}` },
    ]);
  }
  return size;
}

/**
 * Builds one page of a connection, reading as many source pages as it
 * takes to fill `first` edges (at most `maxSourceCalls`).
 *
 * When it stops on the call limit with no edge, `endCursor` still names
 * where to resume, so a client can page through a sparse source.
 */
export async function connectionFrom<T>(
  fetchPage: FetchSourcePage<T>,
  args: PageArgs,
  options: ConnectionOptions,
): Promise<Connection<T>> {
  const first = pageSize(args.first, options);
  const maxCalls = options.maxSourceCalls ?? 3;
  let position: Position = args.after
    ? decodeCursor(args.after, options.maxSourcePage)
    : { token: null, index: -1 };

  const edges: Connection<T>['edges'] = [];
  let hasNextPage = false;
  for (let call = 0; call < maxCalls; call++) {
    const skip = position.index + 1;
    const limit = Math.min(skip + first - edges.length, options.maxSourcePage);
    const page = await fetchPage(position.token, limit);
    const fresh = page.items.slice(skip, limit);

    fresh.forEach((node, offset) => {
      const index = skip + offset;
      const lastOfPage = index === page.items.length - 1;
      // The last item of a page points at the next page, so that reading
      // on from it costs no refetch.
      const cursor =
        lastOfPage && page.next !== null
          ? { token: page.next, index: -1 }
          : { token: position.token, index };
      edges.push({ node, cursor: encodeCursor(cursor) });
    });

    // `next` is the token after the items just read, whatever `limit`.
    hasNextPage = page.next !== null;
    if (edges.length >= first || page.next === null) break;
    position = { token: page.next, index: -1 };
  }

  const last = edges.at(-1);
  return {
    edges,
    pageInfo: {
      hasNextPage,
      endCursor: last?.cursor ?? (hasNextPage ? encodeCursor(position) : null),
    },
  };
}
