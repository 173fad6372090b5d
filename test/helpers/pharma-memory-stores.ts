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
} from '../../services/pharma/store';

/**
 * The pharma ports in memory, with the same insert-once rules as the
 * MongoDB adapter, and a hook to make an append fail (a crash mid-way).
 */
export class MemoryLedger implements StockLedger {
  readonly balances = new Map<string, number>();
  readonly keys = new Set<string>();
  /** When it answers true for a movement, append throws instead. */
  failWhen: ((movement: Movement) => boolean) | undefined;

  async append(movement: Movement): Promise<AppendResult> {
    if (this.failWhen?.(movement)) throw new Error('crashed mid-way');
    if (this.keys.has(movement.key)) return { status: 'duplicate' };
    const available = this.balances.get(movement.sku) ?? 0;
    const balance = available + movement.delta;
    if (balance < 0) return { status: 'insufficient', available };
    this.keys.add(movement.key);
    this.balances.set(movement.sku, balance);
    return { status: 'applied', available: balance };
  }

  async has(key: string): Promise<boolean> {
    return this.keys.has(key);
  }

  async available(skus: string[]): Promise<Map<string, number>> {
    return new Map(skus.map((sku) => [sku, this.balances.get(sku) ?? 0]));
  }
}

export class MemoryReservations implements ReservationStore {
  readonly intents = new Map<string, ReservationIntent>();
  readonly outcomes = new Map<string, ReservationOutcome>();
  readonly released = new Set<string>();

  async claim(intent: ReservationIntent) {
    const stored = this.intents.get(intent.orderId);
    if (stored) return { intent: stored, first: false };
    this.intents.set(intent.orderId, intent);
    return { intent, first: true };
  }

  async intent(orderId: string) {
    return this.intents.get(orderId);
  }

  async outcome(orderId: string) {
    return this.outcomes.get(orderId);
  }

  async settle(outcome: ReservationOutcome) {
    const stored = this.outcomes.get(outcome.orderId);
    if (stored) return { outcome: stored, first: false };
    this.outcomes.set(outcome.orderId, outcome);
    return { outcome, first: true };
  }

  async markReleased(orderId: string) {
    this.released.add(orderId);
  }

  async isReleased(orderId: string) {
    return this.released.has(orderId);
  }
}

export class MemoryCatalogue implements CatalogueStore {
  readonly records = new Map<string, MedicineRecord>();

  async getMany(skus: string[]) {
    return new Map(
      skus.flatMap((sku) => {
        const record = this.records.get(sku);
        return record ? [[sku, record] as const] : [];
      }),
    );
  }

  async list(query: { search: string; afterSku: string; limit: number }) {
    return [...this.records.values()]
      .filter((record) => record.sku > query.afterSku)
      .filter((record) =>
        record.name.toLowerCase().includes(query.search.toLowerCase()),
      )
      .sort((a, b) => a.sku.localeCompare(b.sku))
      .slice(0, query.limit);
  }

  async upsertMany(records: MedicineRecord[]) {
    for (const record of records) this.records.set(record.sku, record);
  }
}

export function memoryStores(): PharmacyStores & {
  catalogue: MemoryCatalogue;
  ledger: MemoryLedger;
  reservations: MemoryReservations;
} {
  return {
    catalogue: new MemoryCatalogue(),
    ledger: new MemoryLedger(),
    reservations: new MemoryReservations(),
  };
}
