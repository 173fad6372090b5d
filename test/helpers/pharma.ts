import { randomUUID } from 'node:crypto';
import { type Db, MongoClient } from 'mongodb';
import { requireEnv } from '../../lib/config';
import { createLogger } from '../../lib/logger';
import { createMongoStores } from '../../services/pharma/mongo-store';
import { Pharmacy } from '../../services/pharma/pharmacy';
import { type SeedEntry, seedCatalogue } from '../../services/pharma/seed/seed';
import { PharmaServer } from '../../services/pharma/server';
import type { PharmacyStores } from '../../services/pharma/store';

/**
 * A real pharma gRPC server in the test process, on a database of its own
 * so tests control the catalogue and stock. `stop` and `start` let a test
 * take it down and bring it back on the same port.
 */
export class TestPharma {
  url = '';
  stores!: PharmacyStores;
  #client!: MongoClient;
  #db!: Db;
  #server: PharmaServer | undefined;
  #port = 0;

  static async start(medicines: SeedEntry[]): Promise<TestPharma> {
    const pharma = new TestPharma();
    pharma.#client = await MongoClient.connect(requireEnv('MONGODB_URI'));
    pharma.#db = pharma.#client.db(`it_pharma_${randomUUID().slice(0, 8)}`);
    pharma.stores = await createMongoStores(pharma.#db);
    await seedCatalogue(pharma.stores, medicines);
    await pharma.start();
    return pharma;
  }

  async start(): Promise<void> {
    const logger = createLogger('pharma-test');
    logger.setLogLevel('WARN');
    const pharmacy = new Pharmacy({
      stores: this.stores,
      logger,
      currency: 'EUR',
    });
    this.#server = new PharmaServer({ pharmacy, logger });
    this.#port = await this.#server.listen('127.0.0.1', this.#port);
    this.url = `127.0.0.1:${this.#port}`;
  }

  async stop(): Promise<void> {
    await this.#server?.shutdown(1000);
    this.#server = undefined;
  }

  async available(sku: string): Promise<number> {
    return (await this.stores.ledger.available([sku])).get(sku) ?? 0;
  }

  async close(): Promise<void> {
    await this.stop();
    await this.#db.dropDatabase();
    await this.#client.close();
  }
}
