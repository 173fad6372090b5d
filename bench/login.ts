import bcrypt from 'bcryptjs';
import { getMongoDb } from '../lib/mongo';
import { USERS_COLLECTION } from '../lib/users/mongo-users-store';
import type { Api } from './api';
import { load } from './load';
import { type Figures, round } from './stats';

/** The bcrypt cost of a stored user's hash: what the stack really uses. */
export async function storedBcryptCost(email: string): Promise<number> {
  const db = await getMongoDb();
  const user = await db
    .collection<{ email: string; passwordHash: string }>(USERS_COLLECTION)
    .findOne({ email });
  const cost = /^\$2[aby]\$(\d+)\$/.exec(user?.passwordHash ?? '')?.[1];
  if (!cost) throw new Error(`no bcrypt hash stored for ${email}`);
  return Number(cost);
}

/** POST /auth/login of one customer by `concurrency` clients. */
export async function loginLoad(
  api: Api,
  customer: { email: string; password: string },
  concurrency: number,
  durationMs: number,
): Promise<Figures> {
  return load(
    { concurrency, durationMs, maxRequests: 500 },
    async () =>
      (
        await api.send('POST', '/auth/login', {
          body: { email: customer.email, password: customer.password },
        })
      ).status === 200,
  );
}

/**
 * The floor: bcryptjs compare at the same cost in this process, back to
 * back on one core (bcryptjs is JavaScript, so concurrency in one process
 * does not add throughput).
 */
export async function bareCompare(
  cost: number,
  durationMs: number,
): Promise<Figures> {
  const hash = await bcrypt.hash('bench-password', cost);
  return load({ concurrency: 1, durationMs, maxRequests: 500 }, async () =>
    bcrypt.compare('bench-password', hash),
  );
}

export { round };
