/**
 * `npm run pharma:seed [-- --reset]`: loads services/pharma/seed/medicines.json
 * into the database of MONGODB_URI. Safe to run again: see seedCatalogue.
 */
import { closeMongo, getMongoDb } from '../../../lib/mongo';
import { createMongoStores } from '../mongo-store';
import { readSeed, seedCatalogue } from './seed';

async function main(): Promise<void> {
  const reset = process.argv.includes('--reset');
  const stores = await createMongoStores(await getMongoDb());
  const report = await seedCatalogue(stores, readSeed(), { reset });
  process.stdout.write(
    `pharma seed: ${report.medicines} medicines, starting stock added for ${report.stocked}, reset ${report.reset}\n`,
  );
}

main()
  .catch((error: unknown) => {
    process.stderr.write(`pharma seed failed: ${(error as Error).stack}\n`);
    process.exitCode = 1;
  })
  .finally(() => closeMongo());
