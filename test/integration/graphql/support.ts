import { spawnSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import path from 'node:path';
import { closeMongo, getMongoDb } from '../../../lib/mongo';
import { createMongoStores } from '../../../services/pharma/mongo-store';
import {
  type SeedEntry,
  seedCatalogue,
} from '../../../services/pharma/seed/seed';

const ROOT = path.resolve(__dirname, '../../..');

export interface GraphQLAnswer {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: each test reads the shape its operation answers
  body: any;
}

export interface SendOptions {
  token?: string;
  headers?: Record<string, string>;
  /** Sent as is instead of `{query, variables}` as JSON. */
  rawBody?: string;
  contentType?: string;
}

/** POSTs one GraphQL request to the HTTP API of the local stack. */
export async function gql(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  options: SendOptions = {},
): Promise<GraphQLAnswer> {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': options.contentType ?? 'application/json',
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...options.headers,
    },
    body: options.rawBody ?? JSON.stringify({ query, variables }),
    signal: AbortSignal.timeout(20_000),
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // Left as text: the test says what it expected.
  }
  return { status: response.status, body };
}

/** The first `extensions.code` of an answer, or undefined. */
export function codeOf(answer: GraphQLAnswer): string | undefined {
  return answer.body?.errors?.[0]?.extensions?.code;
}

/** Polls `read` until `done` holds, or fails after `timeoutMs`. */
export async function waitFor<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  { timeoutMs = 45_000, intervalMs = 500, what = 'condition' } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T = await read();
  while (!done(last)) {
    if (Date.now() > deadline) {
      throw new Error(
        `timed out waiting for ${what}; last: ${JSON.stringify(last)}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
    last = await read();
  }
  return last;
}

/** A fresh address, so that tests never share an account. */
export function uniqueEmail(label: string): string {
  return `gql-${label}-${randomUUID().slice(0, 8)}@example.org`;
}

export function uniqueKey(): string {
  return `gql-${randomUUID()}`;
}

/**
 * Medicines of this run only, in the main catalogue the stack's pharma
 * serves: unique skus, so stock counts are ours alone.
 */
export async function seedMedicines(
  entries: Omit<SeedEntry, 'sku'>[],
): Promise<string[]> {
  const run = randomBytes(3).toString('hex').toUpperCase();
  const withSkus = entries.map((entry, i) => ({
    ...entry,
    sku: `IT-GQL-${run}-${i}`,
  }));
  const stores = await createMongoStores(
    await getMongoDb(process.env.MONGODB_URI),
  );
  await seedCatalogue(stores, withSkus);
  await closeMongo();
  return withSkus.map((entry) => entry.sku);
}

/** A staff account made the documented way: the users command. */
export function createStaff(
  role: 'pharmacist' | 'admin',
  password: string,
): string {
  const email = uniqueEmail(role);
  const run = spawnSync(
    path.join(ROOT, 'node_modules', '.bin', 'tsx'),
    [
      'functions/auth/cli.ts',
      'create-staff',
      '--email',
      email,
      '--name',
      `Staff ${role}`,
      '--role',
      role,
    ],
    { cwd: ROOT, input: password, encoding: 'utf8', timeout: 60_000 },
  );
  if (run.status !== 0) {
    throw new Error(`users create-staff failed: ${run.stderr || run.stdout}`);
  }
  return email;
}
