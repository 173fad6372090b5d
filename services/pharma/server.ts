/**
 * The gRPC face of the pharmacy: argument checks, deadlines, one status
 * normaliser, logs, health checking and a graceful shutdown.
 */
import * as grpc from '@grpc/grpc-js';
import { HealthImplementation } from 'grpc-health-check';
import type { z } from 'zod';
import { AppError } from '../../lib/errors';
import { validate } from '../../lib/http';
import type { Logger } from '../../lib/logger';
import {
  adjustStockSchema,
  getMedicineSchema,
  listMedicinesSchema,
  PHARMACY_SERVICE,
  releaseStockSchema,
  reserveStockSchema,
} from '../../lib/pharma-contract';
import { pharmacyService } from '../../lib/pharma-service';
import type { Pharmacy } from './pharmacy';
import { toStatus } from './status';

export interface PharmaServerOptions {
  pharmacy: Pharmacy;
  logger: Logger;
}

export class PharmaServer {
  readonly #server = new grpc.Server();
  readonly #health = new HealthImplementation({
    '': 'NOT_SERVING',
    [PHARMACY_SERVICE]: 'NOT_SERVING',
  });
  readonly #logger: Logger;

  constructor({ pharmacy, logger }: PharmaServerOptions) {
    this.#logger = logger;
    const call = <S extends z.ZodType, R>(
      method: string,
      schema: S,
      run: (args: z.output<S>) => Promise<R>,
    ) => unary(method, schema, run, logger);

    this.#server.addService(pharmacyService().service, {
      ReserveStock: call('ReserveStock', reserveStockSchema, (args) =>
        pharmacy.reserveStock(args),
      ),
      ReleaseStock: call('ReleaseStock', releaseStockSchema, async (args) => ({
        orderId: args.orderId,
        released: await pharmacy.releaseStock(args.orderId),
      })),
      ListMedicines: call('ListMedicines', listMedicinesSchema, (args) =>
        pharmacy.listMedicines(args),
      ),
      GetMedicine: call('GetMedicine', getMedicineSchema, (args) =>
        pharmacy.getMedicine(args.sku),
      ),
      AdjustStock: call('AdjustStock', adjustStockSchema, (args) =>
        pharmacy.adjustStock(args),
      ),
    });
    this.#health.addToServer(this.#server);
  }

  /** Binds and starts serving; answers the port (useful with port 0). */
  async listen(host: string, port: number): Promise<number> {
    const bound = await new Promise<number>((resolve, reject) => {
      this.#server.bindAsync(
        `${host}:${port}`,
        grpc.ServerCredentials.createInsecure(),
        (error, actual) => (error ? reject(error) : resolve(actual)),
      );
    });
    this.#setHealth('SERVING');
    return bound;
  }

  /**
   * Stops taking calls, lets the calls in flight finish for up to
   * `graceMs`, then cuts whatever is left. Health `Watch` streams count as
   * calls in flight, so with a watcher connected shutdown takes the whole
   * grace period (watchers are told NOT_SERVING first).
   */
  async shutdown(graceMs: number): Promise<void> {
    this.#setHealth('NOT_SERVING');
    const graceful = new Promise<boolean>((resolve) => {
      this.#server.tryShutdown(() => resolve(true));
    });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), graceMs);
    });
    const finished = await Promise.race([graceful, timeout]);
    clearTimeout(timer);
    if (!finished) {
      this.#logger.warn('calls still running after grace period', { graceMs });
      this.#server.forceShutdown();
    }
  }

  #setHealth(status: 'SERVING' | 'NOT_SERVING'): void {
    this.#health.setStatus('', status);
    this.#health.setStatus(PHARMACY_SERVICE, status);
  }
}

/**
 * One unary method: refuse calls whose deadline has passed, validate the
 * request, run it, answer exactly once.
 *
 * A call that has started runs to its end even if its deadline passes
 * meanwhile: a reservation stopped between two lines would hold part of an
 * order until a repeat or a release. Its outcome is stored, so the
 * client's retry gets it at once.
 */
function unary<S extends z.ZodType, R>(
  method: string,
  schema: S,
  run: (args: z.output<S>) => Promise<R>,
  logger: Logger,
): grpc.handleUnaryCall<unknown, R> {
  return async (call, callback) => {
    const started = performance.now();
    const keys = { method, ...idsOf(call.request) };
    if (call.cancelled || expired(call.getDeadline())) {
      logger.warn('call expired before it started', keys);
      callback({
        code: grpc.status.DEADLINE_EXCEEDED,
        details: 'Deadline passed before the call started',
      });
      return;
    }

    try {
      const response = await run(validate(schema, call.request));
      callback(null, response);
      logger.info('call answered', {
        ...keys,
        code: 'OK',
        durationMs: elapsed(started),
      });
    } catch (error) {
      const status = toStatus(error);
      callback(status);
      const fields = {
        ...keys,
        code: grpc.status[status.code],
        durationMs: elapsed(started),
      };
      if (error instanceof AppError) {
        logger.info('call refused', { ...fields, errorCode: error.code });
      } else {
        logger.error('call failed', { ...fields, error: error as Error });
      }
    }
  };
}

/** The ids worth a log key; never the prescription reference. */
function idsOf(request: unknown): { orderId?: string; sku?: string } {
  const { orderId, sku } = (request ?? {}) as Record<string, unknown>;
  return {
    ...(typeof orderId === 'string' && orderId ? { orderId } : {}),
    ...(typeof sku === 'string' && sku ? { sku } : {}),
  };
}

function expired(deadline: grpc.Deadline): boolean {
  const at = deadline instanceof Date ? deadline.getTime() : deadline;
  return at <= Date.now();
}

function elapsed(started: number): number {
  return Math.round(performance.now() - started);
}
