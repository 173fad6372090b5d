import { rejectionOf, toAppError } from '../pharma-client';
import type {
  ReleaseStockRequest,
  ReleaseStockResponse,
  ReserveStockRequest,
  ReserveStockResponse,
} from '../pharma-contract';
import type { ReserveOutcome, StockLine, StockService } from './stock';

/** The two pharmacy calls the order lifecycle makes. */
export interface PharmacyCalls {
  reserveStock(request: ReserveStockRequest): Promise<ReserveStockResponse>;
  releaseStock(request: ReleaseStockRequest): Promise<ReleaseStockResponse>;
}

/**
 * The pharmacy, seen from the order lifecycle: a rejected reservation
 * (FAILED_PRECONDITION with the rejection in its metadata) becomes an
 * outcome; a pharmacy that cannot be reached becomes UnavailableError, so
 * the task is retried; any other failure becomes its AppError.
 */
export class PharmaStockService implements StockService {
  constructor(private readonly pharmacy: PharmacyCalls) {}

  async reserve(
    orderId: string,
    lines: StockLine[],
    prescriptionRef?: string,
  ): Promise<ReserveOutcome> {
    try {
      const reserved = await this.pharmacy.reserveStock({
        orderId,
        lines: lines.map(({ sku, quantity }) => ({ sku, quantity })),
        prescriptionRef: prescriptionRef ?? '',
      });
      return {
        kind: 'reserved',
        lines: reserved.lines.map((line) => ({
          sku: line.sku,
          name: line.name,
          quantity: line.quantity,
          unitPrice: line.unitPriceCents,
        })),
        total: reserved.totalCents,
        currency: reserved.currency,
      };
    } catch (error) {
      const rejection = rejectionOf(error);
      if (rejection) {
        return {
          kind: 'rejected',
          reason: rejection.reason,
          failingSkus: rejection.failingLines.map((line) => line.sku),
        };
      }
      throw toAppError(error);
    }
  }

  async release(orderId: string): Promise<void> {
    try {
      await this.pharmacy.releaseStock({ orderId });
    } catch (error) {
      throw toAppError(error);
    }
  }
}
