/** Lines to reserve, as the order holds them. */
export interface StockLine {
  sku: string;
  quantity: number;
}

export type ReserveOutcome =
  | {
      kind: 'reserved';
      lines: {
        sku: string;
        name: string;
        quantity: number;
        unitPrice: number;
      }[];
      total: number;
      currency: string;
    }
  | { kind: 'rejected'; reason: string; failingSkus: string[] };

/**
 * The pharmacy as the order lifecycle needs it. Both calls are idempotent
 * per order id. Infrastructure failures (pharma down, deadline) throw
 * UnavailableError so that the caller retries; a rejection is an outcome,
 * not an error.
 */
export interface StockService {
  reserve(
    orderId: string,
    lines: StockLine[],
    prescriptionRef?: string,
  ): Promise<ReserveOutcome>;
  release(orderId: string): Promise<void>;
}

/** Where the lifecycle queues work for the validate function. */
export interface OrderTaskQueue {
  /** Ask for an order to be validated (reserved and priced). */
  validate(orderId: string): Promise<void>;
  /** Ask for a cancelled order's stock to be given back. */
  releaseStock(orderId: string): Promise<void>;
}
