/**
 * Typed client of the pharma gRPC service.
 *
 * Every call has one deadline covering all its attempts. A call waits for
 * the channel to be ready (so a call made while pharma restarts goes out
 * once it is back) and is retried, with backoff, only on UNAVAILABLE: every
 * pharma method is idempotent (reservations and releases per order id,
 * adjustments per request id, which this client sets).
 *
 * Arguments are checked before they leave (ValidationError): protobuf.js
 * would silently send 1.5 as 1. gRPC failures are thrown as they come
 * (`grpc.ServiceError`); `rejectionOf` reads the rejection of a refused
 * reservation and `toAppError` maps the rest onto the AppError family.
 *
 * @example
 * const pharma = new PharmaClient(); // PHARMA_GRPC_URL, PHARMA_DEADLINE_MS
 * try {
 *   const reserved = await pharma.reserveStock({ orderId, lines });
 * } catch (error) {
 *   const rejection = rejectionOf(error); // reason and failing lines
 *   if (!rejection) throw toAppError(error);
 * }
 */
import { randomUUID } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import { intEnv, stringEnv } from './config';
import { AppError, type ErrorCode, UnavailableError } from './errors';
import { validate } from './http';
import type { Logger } from './logger';
import {
  type AdjustStockResponse,
  adjustStockSchema,
  getMedicineSchema,
  type ListMedicinesResponse,
  listMedicinesSchema,
  type Medicine,
  type OrderLine,
  REJECTION_METADATA,
  type Rejection,
  type ReleaseStockResponse,
  type ReserveStockResponse,
  releaseStockSchema,
  reserveStockSchema,
} from './pharma-contract';
import { pharmacyService } from './pharma-service';

export interface PharmaClientOptions {
  /** `host:port`; default PHARMA_GRPC_URL, else 127.0.0.1:50051. */
  url?: string;
  /** Budget of one call, all attempts included; default PHARMA_DEADLINE_MS, else 3000. */
  deadlineMs?: number;
  /** Attempts per call, the first included; default 4. */
  attempts?: number;
  logger?: Logger;
}

// grpc-js backs reconnection off up to 2 minutes by default; pharma is
// local or in the same VPC, so try again often and the restart window stays
// short.
const CHANNEL_OPTIONS: grpc.ChannelOptions = {
  'grpc.initial_reconnect_backoff_ms': 100,
  'grpc.max_reconnect_backoff_ms': 1_000,
};

type Method =
  | 'ReserveStock'
  | 'ReleaseStock'
  | 'ListMedicines'
  | 'GetMedicine'
  | 'AdjustStock';

type UnaryMethod = (
  request: unknown,
  metadata: grpc.Metadata,
  options: grpc.CallOptions,
  callback: (error: grpc.ServiceError | null, response: unknown) => void,
) => grpc.ClientUnaryCall;

export class PharmaClient {
  readonly #client: grpc.Client & Record<Method, UnaryMethod>;
  readonly #deadlineMs: number;
  readonly #attempts: number;
  readonly #logger: Logger | undefined;

  constructor(options: PharmaClientOptions = {}) {
    const Pharmacy = pharmacyService();
    const url = options.url ?? stringEnv('PHARMA_GRPC_URL', '127.0.0.1:50051');
    this.#client = new Pharmacy(
      url,
      grpc.credentials.createInsecure(),
      CHANNEL_OPTIONS,
    ) as unknown as grpc.Client & Record<Method, UnaryMethod>;
    this.#deadlineMs =
      options.deadlineMs ?? intEnv('PHARMA_DEADLINE_MS', 3_000, { min: 50 });
    this.#attempts = options.attempts ?? 4;
    this.#logger = options.logger;
  }

  /**
   * Reserves all lines or none; a repeat for the same order id answers the
   * same. A rejection is thrown as FAILED_PRECONDITION: see `rejectionOf`.
   * Like every method, it checks its arguments first and rejects with a
   * ValidationError, never throwing synchronously.
   */
  async reserveStock(request: {
    orderId: string;
    lines: OrderLine[];
    prescriptionRef?: string;
  }): Promise<ReserveStockResponse> {
    return this.#call('ReserveStock', validate(reserveStockSchema, request));
  }

  /** Gives back what the order holds; answers what this call gave back. */
  async releaseStock(request: {
    orderId: string;
  }): Promise<ReleaseStockResponse> {
    return this.#call('ReleaseStock', validate(releaseStockSchema, request));
  }

  async listMedicines(
    request: { search?: string; pageSize?: number; pageToken?: string } = {},
  ): Promise<ListMedicinesResponse> {
    return this.#call('ListMedicines', validate(listMedicinesSchema, request));
  }

  async getMedicine(request: { sku: string }): Promise<Medicine> {
    return this.#call('GetMedicine', validate(getMedicineSchema, request));
  }

  /** Restock (delta > 0) or correction (delta < 0), applied once. */
  async adjustStock(request: {
    sku: string;
    delta: number;
    reason?: string;
    requestId?: string;
  }): Promise<AdjustStockResponse> {
    const args = validate(adjustStockSchema, request);
    return this.#call('AdjustStock', {
      ...args,
      requestId: args.requestId || randomUUID(),
    });
  }

  close(): void {
    this.#client.close();
  }

  /** One call: attempts until success, a final error, or the deadline. */
  async #call<T>(method: Method, request: unknown): Promise<T> {
    const deadline = Date.now() + this.#deadlineMs;
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await this.#attempt<T>(method, request, deadline);
      } catch (error) {
        const pause = backoff(attempt);
        const retry =
          isStatus(error, grpc.status.UNAVAILABLE) &&
          attempt < this.#attempts &&
          Date.now() + pause < deadline;
        if (!retry) throw error;
        this.#logger?.warn('pharma unavailable, retrying', {
          method,
          attempt,
          pauseMs: pause,
        });
        await new Promise((resolve) => setTimeout(resolve, pause));
      }
    }
  }

  #attempt<T>(method: Method, request: unknown, deadline: number): Promise<T> {
    return new Promise((resolve, reject) => {
      this.#client[method](
        request,
        // Wait for a ready channel instead of failing fast while pharma
        // restarts; the deadline still bounds the wait.
        new grpc.Metadata({ waitForReady: true }),
        { deadline },
        (error, response) => (error ? reject(error) : resolve(response as T)),
      );
    });
  }
}

/** 100 ms, 200 ms, 400 ms ... with ±20% jitter. */
function backoff(attempt: number): number {
  const base = 100 * 2 ** (attempt - 1);
  return Math.round(base * (0.8 + Math.random() * 0.4));
}

function isStatus(error: unknown, code: grpc.status): boolean {
  return (error as Partial<grpc.ServiceError> | null)?.code === code;
}

/** The rejection carried by a refused ReserveStock, if that is what failed. */
export function rejectionOf(error: unknown): Rejection | undefined {
  if (!isStatus(error, grpc.status.FAILED_PRECONDITION)) return undefined;
  const [raw] = (error as grpc.ServiceError).metadata.get(REJECTION_METADATA);
  return typeof raw === 'string' ? (JSON.parse(raw) as Rejection) : undefined;
}

const APP_ERRORS: Partial<
  Record<grpc.status, { code: ErrorCode; status: number }>
> = {
  [grpc.status.INVALID_ARGUMENT]: { code: 'VALIDATION_FAILED', status: 400 },
  [grpc.status.NOT_FOUND]: { code: 'NOT_FOUND', status: 404 },
  [grpc.status.FAILED_PRECONDITION]: { code: 'CONFLICT', status: 409 },
  [grpc.status.ALREADY_EXISTS]: {
    code: 'IDEMPOTENCY_KEY_REUSED',
    status: 409,
  },
};

/** The AppError a gRPC failure stands for; the gRPC error is its cause. */
export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  const code = (error as Partial<grpc.ServiceError> | null)?.code;
  if (
    code === grpc.status.UNAVAILABLE ||
    code === grpc.status.DEADLINE_EXCEEDED
  ) {
    return new UnavailableError('Pharma service unavailable', {
      cause: error,
    });
  }
  const known = code === undefined ? undefined : APP_ERRORS[code];
  if (!known) {
    return new AppError('INTERNAL', 'Pharma call failed', 500, {
      cause: error,
    });
  }
  const details = (error as grpc.ServiceError).details;
  return new AppError(known.code, details, known.status, { cause: error });
}
