/**
 * The catalogue seed: real medicines from the WHO Model List of Essential
 * Medicines (23rd list, 2023), with a sku, a price in cents and a starting
 * stock. Loaded by `npm run pharma:seed` (`seed-cli.ts`) and by whoever
 * starts a fresh local stack.
 */

import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { SKU_PATTERN } from '../../../lib/pharma-contract';
import type { PharmacyStores } from '../store';

export const SEED_PATH = path.join(__dirname, 'medicines.json');

const entrySchema = z.object({
  sku: z.string().regex(SKU_PATTERN),
  name: z.string().min(1),
  form: z.string().min(1),
  strength: z.string().min(1),
  priceCents: z.int().positive(),
  prescriptionRequired: z.boolean(),
  stock: z.int().min(0),
});

export type SeedEntry = z.infer<typeof entrySchema>;

export function readSeed(file = SEED_PATH): SeedEntry[] {
  const entries = z
    .array(entrySchema)
    .parse(JSON.parse(fs.readFileSync(file, 'utf8')));
  const skus = new Set(entries.map((entry) => entry.sku));
  if (skus.size !== entries.length) throw new Error(`${file}: duplicate sku`);
  return entries;
}

export interface SeedReport {
  medicines: number;
  /** Skus whose starting stock was added by this run. */
  stocked: number;
  /** Skus whose stock --reset moved back to the seed figure. */
  reset: number;
}

/**
 * Upserts every entry into the catalogue. Starting stock is added once per
 * sku, ever (ledger key `seed:<sku>`), so a second run leaves stock alone;
 * with `reset`, each sku's stock is moved back to its seed figure by an
 * adjustment, which keeps the ledger whole.
 */
export async function seedCatalogue(
  stores: PharmacyStores,
  entries: SeedEntry[],
  { reset = false } = {},
): Promise<SeedReport> {
  await stores.catalogue.upsertMany(
    entries.map(({ stock: _stock, ...medicine }) => medicine),
  );

  const report: SeedReport = {
    medicines: entries.length,
    stocked: 0,
    reset: 0,
  };
  for (const { sku, stock } of entries) {
    const seeded = await stores.ledger.append({
      sku,
      delta: stock,
      key: `seed:${sku}`,
      kind: 'seed',
      reason: 'seed',
    });
    if (seeded.status === 'applied') {
      report.stocked += 1;
      continue;
    }
    if (!reset) continue;

    const available = (await stores.ledger.available([sku])).get(sku) ?? 0;
    if (available === stock) continue;
    await stores.ledger.append({
      sku,
      delta: stock - available,
      key: `reset:${sku}:${randomUUID()}`,
      kind: 'adjust',
      reason: 'seed reset',
    });
    report.reset += 1;
  }
  return report;
}
