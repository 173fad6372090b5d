/**
 * MongoDB adapter of the pharma stores; runs unchanged on FerretDB v1.
 *
 * What FerretDB v1 (SQLite) guarantees, measured with concurrent clients
 * (services/pharma/README.md, "Concurrency"): an insert is refused when its
 * `_id` or a unique index key exists, because SQLite enforces both. A
 * conditional update is not atomic: its filter is read, then the document
 * is written back whole, so two `$inc`s can both pass `available >= 1` and
 * one can overwrite the other. Only `_id` lookups use an index; every other
 * filter scans the collection.
 *
 * Hence the shape of this file: stock is a ledger of immutable movements
 * whose `_id` is `<sku>#<seq>`. A movement is computed from the one before
 * it and inserted at the next sequence number; the `_id` lets only one
 * writer win each number, so every balance is derived from the true
 * previous balance and is checked to stay at or above zero. A second unique
 * key per movement (`reserve:<orderId>:<sku>` ...) makes each business
 * operation apply at most once. On MongoDB the same inserts are atomic for
 * the same reasons, across any number of pharma instances.
 */
import {
  type Collection,
  type Db,
  MongoNetworkError,
  MongoNotConnectedError,
  MongoServerError,
  MongoServerSelectionError,
  MongoTopologyClosedError,
} from 'mongodb';
import { UnavailableError } from '../../lib/errors';
import type { OrderLine } from '../../lib/pharma-contract';
import { KeyedMutex } from './keyed-mutex';
import type {
  AppendResult,
  CatalogueStore,
  MedicineRecord,
  Movement,
  PharmacyStores,
  ReservationIntent,
  ReservationOutcome,
  ReservationStore,
  StockLedger,
} from './store';

export const COLLECTIONS = {
  medicines: 'medicines',
  movements: 'stock_movements',
  heads: 'stock_heads',
  intents: 'reservation_intents',
  outcomes: 'reservation_outcomes',
  releases: 'reservation_releases',
} as const;

interface MedicineDoc extends Omit<MedicineRecord, 'sku'> {
  _id: string;
  /** Lower-case sku, name and form: what `search` matches. */
  search: string;
}

interface MovementDoc extends Omit<Movement, 'sku'> {
  _id: string;
  sku: string;
  seq: number;
  /** Units available after this movement; never negative. */
  balance: number;
  at: Date;
}

/** Newest known movement of a sku. A hint: it may lag, never lead. */
interface HeadDoc {
  _id: string;
  seq: number;
  balance: number;
}

interface IntentDoc {
  _id: string;
  fingerprint: string;
  lines: OrderLine[];
  at: Date;
}

type OutcomeDoc = { _id: string; at: Date } & Record<string, unknown>;

interface ReleaseDoc {
  _id: string;
  at: Date;
}

/** Creates the indexes (idempotent) and the three stores on one database. */
export async function createMongoStores(db: Db): Promise<PharmacyStores> {
  await guard('createIndexes', () =>
    db
      .collection<MovementDoc>(COLLECTIONS.movements)
      .createIndex({ key: 1 }, { unique: true, name: 'key_unique' }),
  );
  return {
    catalogue: new MongoCatalogue(db),
    ledger: new MongoStockLedger(db),
    reservations: new MongoReservations(db),
  };
}

export class MongoCatalogue implements CatalogueStore {
  readonly #medicines: Collection<MedicineDoc>;

  constructor(db: Db) {
    this.#medicines = db.collection(COLLECTIONS.medicines);
  }

  getMany(skus: string[]): Promise<Map<string, MedicineRecord>> {
    return guard('catalogue.getMany', async () => {
      const docs = await this.#medicines.find({ _id: { $in: skus } }).toArray();
      return new Map(docs.map((doc) => [doc._id, toMedicine(doc)]));
    });
  }

  list(query: {
    search: string;
    afterSku: string;
    limit: number;
  }): Promise<MedicineRecord[]> {
    return guard('catalogue.list', async () => {
      const filter: Record<string, unknown> = {};
      if (query.afterSku) filter._id = { $gt: query.afterSku };
      // The text is escaped: it reaches the database as a literal only.
      if (query.search) filter.search = { $regex: literal(query.search) };
      const docs = await this.#medicines
        .find(filter)
        .sort({ _id: 1 })
        .limit(query.limit)
        .toArray();
      return docs.map(toMedicine);
    });
  }

  upsertMany(records: MedicineRecord[]): Promise<void> {
    return guard('catalogue.upsertMany', async () => {
      // One update at a time: FerretDB 1.24 (SQLite) stalls for good on a
      // batch of a hundred upserts over existing documents (one `update`
      // command with many statements), which bulkWrite would send.
      for (const { sku, ...fields } of records) {
        await this.#medicines.updateOne(
          { _id: sku },
          { $set: { ...fields, search: searchText(sku, fields) } },
          { upsert: true },
        );
      }
    });
  }
}

export class MongoStockLedger implements StockLedger {
  readonly #movements: Collection<MovementDoc>;
  readonly #heads: Collection<HeadDoc>;
  /** Newest head this process has seen per sku: saves the head lookup. */
  readonly #known = new Map<string, { seq: number; balance: number }>();
  readonly #mutex = new KeyedMutex();

  constructor(db: Db) {
    this.#movements = db.collection(COLLECTIONS.movements);
    this.#heads = db.collection(COLLECTIONS.heads);
  }

  append(movement: Movement): Promise<AppendResult> {
    return guard('ledger.append', () =>
      this.#mutex.run(movement.sku, () => this.#append(movement)),
    );
  }

  has(key: string): Promise<boolean> {
    return guard('ledger.has', async () => {
      const found = await this.#movements.findOne(
        { key },
        { projection: { _id: 1 } },
      );
      return found !== null;
    });
  }

  available(skus: string[]): Promise<Map<string, number>> {
    return guard('ledger.available', async () => {
      const heads = await Promise.all(skus.map((sku) => this.#head(sku)));
      return new Map(skus.map((sku, i) => [sku, heads[i]?.balance ?? 0]));
    });
  }

  /**
   * Inserts the movement at the sequence number after the newest one.
   *
   *   read head (seq n, balance b) ─► b + delta < 0 ? insufficient
   *   insert <sku>#<n+1> {balance: b + delta, key}
   *     ok                          ─► applied
   *     duplicate, #<n+1> is absent ─► the key exists: applied before
   *     duplicate, #<n+1> has key   ─► our own earlier insert (driver retry)
   *     duplicate, #<n+1> is other  ─► lost the race: read on, try again
   */
  async #append(movement: Movement): Promise<AppendResult> {
    let head = await this.#head(movement.sku);
    for (;;) {
      const balance = head.balance + movement.delta;
      if (balance < 0)
        return { status: 'insufficient', available: head.balance };

      const seq = head.seq + 1;
      const _id = movementId(movement.sku, seq);
      try {
        await this.#movements.insertOne({
          ...movement,
          _id,
          seq,
          balance,
          at: new Date(),
        });
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
        const winner = await this.#movements.findOne({ _id });
        if (!winner || winner.key === movement.key) {
          return { status: 'duplicate' };
        }
        head = await this.#probe(movement.sku, winner);
        continue;
      }

      await this.#remember(movement.sku, seq, balance);
      return { status: 'applied', available: balance };
    }
  }

  /** The newest movement of a sku: from the best hint, then read forward. */
  async #head(sku: string): Promise<{ seq: number; balance: number }> {
    const start = this.#known.get(sku) ??
      (await this.#heads.findOne({ _id: sku })) ?? { seq: 0, balance: 0 };
    return this.#probe(sku, start);
  }

  async #probe(
    sku: string,
    from: { seq: number; balance: number },
  ): Promise<{ seq: number; balance: number }> {
    let head = { seq: from.seq, balance: from.balance };
    for (;;) {
      const next = await this.#movements.findOne({
        _id: movementId(sku, head.seq + 1),
      });
      if (!next) break;
      head = { seq: next.seq, balance: next.balance };
    }
    const known = this.#known.get(sku);
    if (!known || known.seq < head.seq) this.#known.set(sku, head);
    return head;
  }

  async #remember(sku: string, seq: number, balance: number): Promise<void> {
    this.#known.set(sku, { seq, balance });
    // A hint for other processes. On FerretDB two of these can race and
    // leave an older head; readers always read forward from it, so a stale
    // hint costs lookups, never correctness.
    try {
      await this.#heads.updateOne(
        { _id: sku, seq: { $lt: seq } },
        { $set: { seq, balance } },
        { upsert: true },
      );
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
    }
  }
}

export class MongoReservations implements ReservationStore {
  readonly #intents: Collection<IntentDoc>;
  readonly #outcomes: Collection<OutcomeDoc>;
  readonly #releases: Collection<ReleaseDoc>;

  constructor(db: Db) {
    this.#intents = db.collection(COLLECTIONS.intents);
    this.#outcomes = db.collection(COLLECTIONS.outcomes);
    this.#releases = db.collection(COLLECTIONS.releases);
  }

  claim(intent: ReservationIntent) {
    return guard('reservations.claim', async () => {
      const { orderId, ...fields } = intent;
      const first = await insertOnce(this.#intents, {
        _id: orderId,
        ...fields,
        at: new Date(),
      });
      const stored = first ? intent : await this.intent(orderId);
      if (!stored) throw new Error(`intent of ${orderId} vanished`);
      return { intent: stored, first };
    });
  }

  intent(orderId: string): Promise<ReservationIntent | undefined> {
    return guard('reservations.intent', async () => {
      const doc = await this.#intents.findOne({ _id: orderId });
      if (!doc) return undefined;
      return { orderId, fingerprint: doc.fingerprint, lines: doc.lines };
    });
  }

  outcome(orderId: string): Promise<ReservationOutcome | undefined> {
    return guard('reservations.outcome', async () => {
      const doc = await this.#outcomes.findOne({ _id: orderId });
      if (!doc) return undefined;
      const { _id, at: _at, ...fields } = doc;
      return { ...fields, orderId: _id } as ReservationOutcome;
    });
  }

  settle(outcome: ReservationOutcome) {
    return guard('reservations.settle', async () => {
      const { orderId, ...fields } = outcome;
      const first = await insertOnce(this.#outcomes, {
        _id: orderId,
        ...fields,
        at: new Date(),
      });
      const stored = first ? outcome : await this.outcome(orderId);
      if (!stored) throw new Error(`outcome of ${orderId} vanished`);
      return { outcome: stored, first };
    });
  }

  markReleased(orderId: string): Promise<void> {
    return guard('reservations.markReleased', async () => {
      await insertOnce(this.#releases, { _id: orderId, at: new Date() });
    });
  }

  isReleased(orderId: string): Promise<boolean> {
    return guard('reservations.isReleased', async () => {
      return (await this.#releases.findOne({ _id: orderId })) !== null;
    });
  }
}

function movementId(sku: string, seq: number): string {
  return `${sku}#${seq}`;
}

function toMedicine(doc: MedicineDoc): MedicineRecord {
  return {
    sku: doc._id,
    name: doc.name,
    form: doc.form,
    strength: doc.strength,
    priceCents: doc.priceCents,
    prescriptionRequired: doc.prescriptionRequired,
  };
}

function searchText(sku: string, fields: Omit<MedicineRecord, 'sku'>) {
  return [sku, fields.name, fields.form].join(' ').toLowerCase();
}

/** A regular expression matching `text` literally, case-insensitively. */
function literal(text: string): string {
  return text.toLowerCase().replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Inserts unless the `_id` exists; tells whether this call inserted. */
async function insertOnce<T extends { _id: string }>(
  collection: Collection<T>,
  doc: T,
): Promise<boolean> {
  try {
    // biome-ignore lint/suspicious/noExplicitAny: the driver's OptionalId<T> does not narrow for generic T
    await collection.insertOne(doc as any);
    return true;
  } catch (error) {
    if (isDuplicateKey(error)) return false;
    throw error;
  }
}

function isDuplicateKey(error: unknown): boolean {
  return error instanceof MongoServerError && error.code === 11000;
}

const UNREACHABLE = [
  MongoNetworkError,
  MongoServerSelectionError,
  MongoNotConnectedError,
  MongoTopologyClosedError,
];

/** Driver failures that mean "cannot reach the database" become UNAVAILABLE. */
async function guard<T>(operation: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (UNREACHABLE.some((type) => error instanceof type)) {
      throw new UnavailableError(`Database unreachable (${operation})`, {
        cause: error,
      });
    }
    throw error;
  }
}
