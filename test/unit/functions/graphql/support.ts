import { HeaderMap } from '@apollo/server';
import type { Catalogue } from '../../../../functions/graphql/catalogue';
import type { GraphQLLimits } from '../../../../functions/graphql/config';
import {
  createContext,
  type GraphQLContext,
} from '../../../../functions/graphql/context';
import { RestClient } from '../../../../functions/graphql/rest-client';
import { createGraphQLServer } from '../../../../functions/graphql/server';
import { signToken, type TokenConfig } from '../../../../lib/auth';
import { createLogger } from '../../../../lib/logger';
import type { Medicine } from '../../../../lib/pharma-contract';
import type { Role } from '../../../../lib/principal';

export const TOKENS: TokenConfig = {
  secret: 'unit-test-secret-that-is-long-enough-000',
  issuer: 'pharmaexpress',
  audience: 'pharmaexpress-api',
  ttlSeconds: 600,
};

export const LIMITS: GraphQLLimits = {
  maxDepth: 8,
  maxAliases: 10,
  maxTokens: 2000,
  maxBodyBytes: 32 * 1024,
  maxPageSize: 50,
};

export function tokenFor(role: Role, userId = `user-${role}`): string {
  return signToken({ userId, role }, TOKENS).token;
}

export function medicine(sku: string, available = 10): Medicine {
  return {
    sku,
    name: sku.toLowerCase(),
    form: 'tablet',
    strength: '500 mg',
    priceCents: 250,
    currency: 'EUR',
    prescriptionRequired: false,
    available,
  };
}

/** An in-memory catalogue that records every call it gets. */
export class FakeCatalogue implements Catalogue {
  readonly calls: string[] = [];
  readonly medicines: Medicine[];

  constructor(medicines: Medicine[]) {
    this.medicines = [...medicines].sort((a, b) => a.sku.localeCompare(b.sku));
  }

  async list(search: string, first: number, after: string | null) {
    this.calls.push(`list ${search} ${first} ${after ?? ''}`);
    const start = after ? Number(after) : 0;
    const page = this.medicines.slice(start, start + first);
    const end = start + page.length;
    return {
      medicines: page,
      nextPageToken: end < this.medicines.length ? String(end) : null,
    };
  }

  async get(sku: string) {
    this.calls.push(`get ${sku}`);
    return this.medicines.find((m) => m.sku === sku) ?? null;
  }

  async adjust(sku: string, delta: number, requestId: string) {
    this.calls.push(`adjust ${sku} ${delta} ${requestId}`);
    const found = this.medicines.find((m) => m.sku === sku);
    if (!found) throw new Error(`unknown ${sku}`);
    found.available += delta;
    return found.available;
  }
}

export interface RecordedCall {
  method: string;
  path: string;
  authorization: string | null;
  idempotencyKey: string | null;
  body: unknown;
}

type Route = (call: RecordedCall) => { status: number; body?: unknown };

/** A `fetch` that answers from routes keyed "METHOD /path" and records calls. */
export function fakeApi(routes: Record<string, Route>) {
  const calls: RecordedCall[] = [];
  const fetch = (async (input: URL | string, init?: RequestInit) => {
    const url = new URL(String(input));
    const headers = new Headers(init?.headers);
    const call: RecordedCall = {
      method: init?.method ?? 'GET',
      path: url.pathname + url.search,
      authorization: headers.get('authorization'),
      idempotencyKey: headers.get('idempotency-key'),
      body: init?.body ? JSON.parse(String(init.body)) : undefined,
    };
    calls.push(call);
    const route = routes[`${call.method} ${url.pathname}`];
    const answer = route
      ? route(call)
      : {
          status: 404,
          body: { error: { code: 'NOT_FOUND', message: 'No route' } },
        };
    return new Response(
      answer.body === undefined ? '' : JSON.stringify(answer.body),
      { status: answer.status },
    );
  }) as typeof globalThis.fetch;
  return { fetch, calls };
}

export interface Harness {
  catalogue: FakeCatalogue;
  api: ReturnType<typeof fakeApi>;
  /** Sends one HTTP request to the server, as the Lambda integration does. */
  post(
    body: unknown,
    options?: {
      token?: string;
      headers?: Record<string, string>;
      contentType?: string;
    },
  ): Promise<{
    status: number;
    // biome-ignore lint/suspicious/noExplicitAny: each test reads the shape its operation answers
    body: any;
  }>;
  /** GETs the endpoint as a browser opening it would. */
  openInBrowser(): Promise<{ status: number; contentType: string | undefined }>;
  stop(): Promise<void>;
}

/**
 * A started Apollo server of the graphql function over fakes: the real
 * schema, resolvers, limits and error mapping; REST and pharma in memory.
 */
export async function startHarness({
  medicines = [medicine('PARACETAMOL-500MG-TAB')],
  routes = {},
  introspection = true,
  limits = LIMITS,
}: {
  medicines?: Medicine[];
  routes?: Record<string, Route>;
  introspection?: boolean;
  limits?: GraphQLLimits;
} = {}): Promise<Harness> {
  const logger = createLogger('graphql-test');
  logger.setLogLevel('SILENT');
  const server = createGraphQLServer({
    config: { introspection, debugErrors: false, limits },
    logger,
  });
  await server.start();
  const catalogue = new FakeCatalogue(medicines);
  const api = fakeApi(routes);

  const context = (authorization: string | undefined): GraphQLContext =>
    createContext({
      authorization,
      rest: (token) =>
        new RestClient({
          baseUrl: 'http://api.test',
          timeoutMs: 1000,
          token,
          fetch: api.fetch,
        }),
      catalogue,
      limits,
      logger,
      tokens: TOKENS,
    });

  return {
    catalogue,
    api,
    async post(body, options = {}) {
      const headers = new HeaderMap([
        ['content-type', options.contentType ?? 'application/json'],
      ]);
      if (options.token)
        headers.set('authorization', `Bearer ${options.token}`);
      for (const [name, value] of Object.entries(options.headers ?? {})) {
        headers.set(name.toLowerCase(), value);
      }
      const response = await server.executeHTTPGraphQLRequest({
        httpGraphQLRequest: { method: 'POST', headers, search: '', body },
        context: async () => context(headers.get('authorization')),
      });
      const text =
        response.body.kind === 'complete' ? response.body.string : '';
      return { status: response.status ?? 200, body: JSON.parse(text) };
    },
    async openInBrowser() {
      const response = await server.executeHTTPGraphQLRequest({
        httpGraphQLRequest: {
          method: 'GET',
          headers: new HeaderMap([['accept', 'text/html']]),
          search: '',
          body: undefined,
        },
        context: async () => context(undefined),
      });
      return {
        status: response.status ?? 200,
        contentType: response.headers.get('content-type'),
      };
    },
    stop: () => server.stop(),
  };
}
