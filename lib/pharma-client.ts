import * as grpc from '@grpc/grpc-js';
import { intEnv, stringEnv } from './config';
import {
  type AdjustStockRequest,
  type AdjustStockResponse,
  type GetMedicineRequest,
  type ListMedicinesRequest,
  type ListMedicinesResponse,
  type Medicine,
  pharmacyService,
  type ReleaseStockRequest,
  type ReleaseStockResponse,
  type ReserveStockRequest,
  type ReserveStockResponse,
} from './pharma-contract';

export interface PharmaClientOptions {
  /** `host:port`; default PHARMA_GRPC_URL, else 127.0.0.1:50051. */
  url?: string;
  /** Deadline of each attempt; default PHARMA_DEADLINE_MS, else 3000. */
  deadlineMs?: number;
  /** Attempts for a call that fails UNAVAILABLE; default 3. */
  attempts?: number;
}

/**
 * A typed client of the pharma service. Every call carries a deadline; a
 * call that fails UNAVAILABLE (server restarting, connection refused) is
 * retried with backoff, and nothing else is: a refusal or a deadline is
 * the caller's to handle, since the call may have taken effect. The
 * channel reconnects by itself after the server comes back.
 *
 * @example
 * const pharma = new PharmaClient();
 * const medicine = await pharma.getMedicine({ sku: 'PARACETAMOL-500MG-TAB' });
 */
export class PharmaClient {
  readonly #client: grpc.Client;
  readonly #deadlineMs: number;
  readonly #attempts: number;

  constructor(options: PharmaClientOptions = {}) {
    const Service = pharmacyService();
    const url = options.url ?? stringEnv('PHARMA_GRPC_URL', '127.0.0.1:50051');
    this.#client = new Service(url, grpc.credentials.createInsecure());
    this.#deadlineMs =
      options.deadlineMs ?? intEnv('PHARMA_DEADLINE_MS', 3000, { min: 100 });
    this.#attempts = options.attempts ?? 3;
  }

  reserveStock(request: ReserveStockRequest): Promise<ReserveStockResponse> {
    return this.#call('ReserveStock', request);
  }

  releaseStock(request: ReleaseStockRequest): Promise<ReleaseStockResponse> {
    return this.#call('ReleaseStock', request);
  }

  listMedicines(request: ListMedicinesRequest): Promise<ListMedicinesResponse> {
    return this.#call('ListMedicines', request);
  }

  getMedicine(request: GetMedicineRequest): Promise<Medicine> {
    return this.#call('GetMedicine', request);
  }

  adjustStock(request: AdjustStockRequest): Promise<AdjustStockResponse> {
    return this.#call('AdjustStock', request);
  }

  close(): void {
    this.#client.close();
  }

  async #call<Req, Res>(method: string, request: Req): Promise<Res> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.#once<Req, Res>(method, request);
      } catch (error) {
        const retryable =
          (error as grpc.ServiceError).code === grpc.status.UNAVAILABLE;
        if (!retryable || attempt >= this.#attempts) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100 * 2 ** attempt));
      }
    }
  }

  #once<Req, Res>(method: string, request: Req): Promise<Res> {
    const fn = (
      this.#client as unknown as Record<string, UnaryMethod<Req, Res>>
    )[method];
    return new Promise<Res>((resolve, reject) => {
      fn?.call(
        this.#client,
        request,
        new grpc.Metadata(),
        { deadline: Date.now() + this.#deadlineMs },
        (error, response) => (error ? reject(error) : resolve(response as Res)),
      );
    });
  }
}

/** A unary method as proto-loader generates it on the client. */
type UnaryMethod<Req, Res> = (
  request: Req,
  metadata: grpc.Metadata,
  options: grpc.CallOptions,
  callback: (error: grpc.ServiceError | null, response?: Res) => void,
) => grpc.ClientUnaryCall;
