/**
 * The ports of the pharma service: what the domain (`pharmacy.ts`) needs
 * from storage, with no database in sight. `mongo-store.ts` is the adapter
 * for MongoDB and FerretDB.
 *
 * Every write the domain relies on for correctness is an insert that a
 * unique key makes happen at most once (see the README, "Concurrency"):
 * the only kind of write that FerretDB makes atomic.
 */
import type {
  FailingLine,
  OrderLine,
  PricedLine,
  RejectionReason,
} from '../../lib/pharma-contract';

export interface MedicineRecord {
  sku: string;
  name: string;
  form: string;
  strength: string;
  priceCents: number;
  prescriptionRequired: boolean;
}

export interface CatalogueStore {
  /** The medicines among `skus` that exist, by sku. */
  getMany(skus: string[]): Promise<Map<string, MedicineRecord>>;
  /** Up to `limit` medicines after `afterSku`, by sku, matching `search`. */
  list(query: {
    search: string;
    afterSku: string;
    limit: number;
  }): Promise<MedicineRecord[]>;
  /** Inserts new entries and refreshes existing ones (seed). */
  upsertMany(records: MedicineRecord[]): Promise<void>;
}

export type MovementKind = 'seed' | 'adjust' | 'reserve' | 'release';

export interface Movement {
  sku: string;
  /** Negative takes units, positive gives them. */
  delta: number;
  /** Unique across the ledger: the same key is never applied twice. */
  key: string;
  kind: MovementKind;
  orderId?: string;
  reason?: string;
}

export type AppendResult =
  | { status: 'applied'; available: number }
  /** A movement with this key was applied before. */
  | { status: 'duplicate' }
  /** Applying it would take the stock below zero; nothing was written. */
  | { status: 'insufficient'; available: number };

/** Append-only stock ledger: the only way stock changes. */
export interface StockLedger {
  append(movement: Movement): Promise<AppendResult>;
  /**
   * Whether a movement with this key exists. A recovery path only: on
   * FerretDB it scans the ledger (only `_id` lookups use an index there).
   */
  has(key: string): Promise<boolean>;
  /** Units available now, per sku; 0 for skus with no movement. */
  available(skus: string[]): Promise<Map<string, number>>;
}

/** The lines an order asked for, fixed by the first call for that order. */
export interface ReservationIntent {
  orderId: string;
  fingerprint: string;
  lines: OrderLine[];
}

/** The first answer to an order, returned again to every repeat. */
export type ReservationOutcome =
  | {
      orderId: string;
      status: 'RESERVED';
      fingerprint: string;
      lines: PricedLine[];
      totalCents: number;
      currency: string;
    }
  | {
      orderId: string;
      status: 'REJECTED';
      fingerprint: string;
      reason: RejectionReason;
      failingLines: FailingLine[];
      /** Lines taken before the rejection; they are given back. */
      taken: OrderLine[];
    }
  /** Released before any answer: the order will never be reserved. */
  | { orderId: string; status: 'RELEASED' };

export interface ReservationStore {
  /** Stores the intent unless one exists; returns the stored one. */
  claim(
    intent: ReservationIntent,
  ): Promise<{ intent: ReservationIntent; first: boolean }>;
  intent(orderId: string): Promise<ReservationIntent | undefined>;
  outcome(orderId: string): Promise<ReservationOutcome | undefined>;
  /** Stores the outcome unless one exists; returns the stored one. */
  settle(
    outcome: ReservationOutcome,
  ): Promise<{ outcome: ReservationOutcome; first: boolean }>;
  markReleased(orderId: string): Promise<void>;
  isReleased(orderId: string): Promise<boolean>;
}

export interface PharmacyStores {
  catalogue: CatalogueStore;
  ledger: StockLedger;
  reservations: ReservationStore;
}
