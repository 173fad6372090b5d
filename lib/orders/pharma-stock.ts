import { type ServiceError, status } from '@grpc/grpc-js';
import { UnavailableError } from '../errors';
import {
  REJECTION_METADATA,
  type Rejection,
  type ReleaseStockRequest,
  type ReleaseStockResponse,
  type ReserveStockRequest,
  type ReserveStockResponse,
} from '../pharma-contract';
import type { ReserveOutcome, StockLine, StockService } from './stock';

/** The two pharmacy calls the order lifecycle makes. */
export interface PharmacyCalls {
  reserveStock(request: ReserveStockRequest): Promise<ReserveStockResponse>;
  releaseStock(request: ReleaseStockRequest): Promise<ReleaseStockResponse>;
}

/** gRPC codes that mean "try again later", not "no". */
const TRANSIENT = new Set([
  status.UNAVAILABLE,
  status.DEADLINE_EXCEEDED,
  status.RESOURCE_EXHAUSTED,
  status.ABORTED,
]);

/**
 * The pharmacy, seen from the order lifecycle: a rejected reservation
 * (FAILED_PRECONDITION with the rejection in its metadata) becomes an
 * outcome; a pharmacy that cannot be reached becomes UnavailableError, so
 * the task is retried; any other error is passed on as it is.
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
      throw translate(error);
    }
  }

  async release(orderId: string): Promise<void> {
    try {
      await this.pharmacy.releaseStock({ orderId });
    } catch (error) {
      throw translate(error);
    }
  }
}

function isServiceError(error: unknown): error is ServiceError {
  return (
    typeof (error as ServiceError)?.code === 'number' &&
    'metadata' in (error as object)
  );
}

function rejectionOf(error: unknown): Rejection | undefined {
  if (!isServiceError(error) || error.code !== status.FAILED_PRECONDITION)
    return undefined;
  const [raw] = error.metadata?.get(REJECTION_METADATA) ?? [];
  return typeof raw === 'string' ? (JSON.parse(raw) as Rejection) : undefined;
}

function translate(error: unknown): unknown {
  if (isServiceError(error) && TRANSIENT.has(error.code)) {
    return new UnavailableError('The pharmacy service is unavailable', {
      cause: error,
    });
  }
  return error;
}
