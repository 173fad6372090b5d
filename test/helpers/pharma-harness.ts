import { randomUUID } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import { type Db, MongoClient } from 'mongodb';
import { requireEnv } from '../../lib/config';
import { createLogger } from '../../lib/logger';
import { PharmaClient } from '../../lib/pharma-client';
import { pharmacyService } from '../../lib/pharma-service';
import {
  COLLECTIONS,
  createMongoStores,
} from '../../services/pharma/mongo-store';
import { Pharmacy } from '../../services/pharma/pharmacy';
import { type SeedEntry, seedCatalogue } from '../../services/pharma/seed/seed';
import { PharmaServer } from '../../services/pharma/server';
import type { PharmacyStores } from '../../services/pharma/store';

type NewMedicine = Partial<SeedEntry> & { stock: number };

type RawMethod = (
  request: unknown,
  options: grpc.CallOptions,
  callback: (error: grpc.ServiceError | null, response: unknown) => void,
) => void;

/** The answer of a raw gRPC call: the status as the wire carried it. */
export interface RawAnswer {
  error: grpc.ServiceError | null;
  response: unknown;
}

/**
 * Pharma servers in the test process on a database of their own
 * (`it_pharma_<file>_<random>`), with a typed client, a raw gRPC client and
 * direct access to the ledger for assertions.
 */
export class PharmaHarness {
  readonly db: Db;
  readonly stores: PharmacyStores;
  readonly #mongo: MongoClient;
  readonly #servers: PharmaServer[] = [];
  #clients: PharmaClient[] = [];
  #raw: grpc.Client | undefined;
  #skus = 0;
  url = '';
  port = 0;

  private constructor(mongo: MongoClient, db: Db, stores: PharmacyStores) {
    this.#mongo = mongo;
    this.db = db;
    this.stores = stores;
  }

  static async start(name: string): Promise<PharmaHarness> {
    const mongo = await MongoClient.connect(requireEnv('MONGODB_URI'));
    const db = mongo.db(`it_pharma_${name}_${randomUUID().slice(0, 8)}`);
    const harness = new PharmaHarness(mongo, db, await createMongoStores(db));
    harness.port = await harness.listen();
    harness.url = `127.0.0.1:${harness.port}`;
    return harness;
  }

  /** Another server on the same database, as a second pharma instance. */
  async listen(port = 0, stores?: PharmacyStores): Promise<number> {
    const logger = createLogger('pharma-test');
    logger.setLogLevel('SILENT');
    const pharmacy = new Pharmacy({
      stores: stores ?? this.stores,
      logger,
      currency: 'EUR',
    });
    const server = new PharmaServer({ pharmacy, logger });
    this.#servers.push(server);
    return server.listen('127.0.0.1', port);
  }

  /** Stops every server (grace 1 s); `listen(this.port)` brings one back. */
  async stopServers(graceMs = 1_000): Promise<void> {
    const servers = this.#servers.splice(0);
    await Promise.all(servers.map((server) => server.shutdown(graceMs)));
  }

  client(
    options: { url?: string; deadlineMs?: number; attempts?: number } = {},
  ): PharmaClient {
    const client = new PharmaClient({ url: this.url, ...options });
    this.#clients.push(client);
    return client;
  }

  /** A raw call, no client-side checks: what the server itself answers. */
  raw(method: string, request: unknown, deadlineMs = 5_000) {
    this.#raw ??= new (pharmacyService())(
      this.url,
      grpc.credentials.createInsecure(),
    );
    const call = (this.#raw as unknown as Record<string, RawMethod>)[method];
    return new Promise<RawAnswer>((resolve) => {
      call?.call(
        this.#raw,
        request,
        { deadline: Date.now() + deadlineMs },
        (error, response) => resolve({ error, response }),
      );
    });
  }

  /** Adds medicines with fresh skus (`TEST<n>-<random>-TAB`) and their stock. */
  async addMedicines<T extends NewMedicine[]>(
    entries: [...T],
  ): Promise<{ [K in keyof T]: SeedEntry }> {
    const medicines = entries.map((entry) => {
      this.#skus += 1;
      return {
        sku: `TEST${this.#skus}-${randomUUID().slice(0, 6).toUpperCase()}-TAB`,
        name: `Test medicine ${this.#skus}`,
        form: 'tablet',
        strength: '10 mg',
        priceCents: 250,
        prescriptionRequired: false,
        ...entry,
      };
    });
    await seedCatalogue(this.stores, medicines);
    return medicines as { [K in keyof T]: SeedEntry };
  }

  async available(sku: string): Promise<number> {
    return (await this.stores.ledger.available([sku])).get(sku) ?? 0;
  }

  /** Every movement of a sku, oldest first, as stored. */
  movements(sku: string) {
    return this.db
      .collection<{ sku: string; seq: number; balance: number; delta: number }>(
        COLLECTIONS.movements,
      )
      .find({ sku })
      .sort({ seq: 1 })
      .toArray();
  }

  async close(): Promise<void> {
    for (const client of this.#clients) client.close();
    this.#raw?.close();
    await this.stopServers(0);
    await this.db.dropDatabase();
    await this.#mongo.close();
  }
}
