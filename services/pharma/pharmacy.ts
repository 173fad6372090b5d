/**
 * The pharmacy domain: catalogue pages, stock adjustments, and reserving
 * and releasing the stock of orders. Arguments arrive validated; storage is
 * reached through the ports of `store.ts` only.
 *
 * How an order's stock stays right when calls repeat, race or crash:
 *
 * - The first call for an order stores its intent (lines, fingerprint);
 *   every later call works on those lines, and a call with other lines is
 *   refused. Each line is taken with the ledger key
 *   `reserve:<order>:<sku>` and given back with `release:<order>:<sku>`,
 *   so per order and sku stock is taken at most once and given back at
 *   most once, and only after it was taken.
 * - The first outcome stored wins (RESERVED, REJECTED, or RELEASED when a
 *   release came first), and every call returns it. A call whose own work
 *   disagrees with the stored outcome gives back what it took.
 * - A release stores the RELEASED marker before giving back, so a
 *   reservation still running sees it when it tries to settle.
 *
 * Known limitation (issue 4): a reservation whose process dies mid-way
 * holds what it took until the order is repeated (the orders sweeper
 * requeues stale PENDING orders) or released (cancel). A sweeper here
 * would need to tell a dead reservation from a slow one; none exists yet.
 */
import { createHash, randomUUID } from 'node:crypto';
import { NotFoundError } from '../../lib/errors';
import type { Logger } from '../../lib/logger';
import type {
  FailingLine,
  ListMedicinesResponse,
  Medicine,
  OrderLine,
  PricedLine,
  ReserveStockResponse,
} from '../../lib/pharma-contract';
import {
  InsufficientStockError,
  OrderIdReusedError,
  ReservationRejectedError,
} from './errors';
import { decodePageToken, encodePageToken } from './page-token';
import type {
  MedicineRecord,
  PharmacyStores,
  ReservationIntent,
  ReservationOutcome,
} from './store';

export interface PharmacyOptions {
  stores: PharmacyStores;
  logger: Logger;
  /** ISO 4217 code of every price in the catalogue. */
  currency: string;
}

export interface ReserveInput {
  orderId: string;
  lines: OrderLine[];
  prescriptionRef: string;
}

export class Pharmacy {
  readonly #stores: PharmacyStores;
  readonly #logger: Logger;
  readonly #currency: string;

  constructor(options: PharmacyOptions) {
    this.#stores = options.stores;
    this.#logger = options.logger;
    this.#currency = options.currency;
  }

  async listMedicines(query: {
    search: string;
    pageSize: number;
    pageToken: string;
  }): Promise<ListMedicinesResponse> {
    const afterSku = decodePageToken(query.pageToken);
    const page = await this.#stores.catalogue.list({
      search: query.search,
      afterSku,
      limit: query.pageSize + 1,
    });
    const records = page.slice(0, query.pageSize);
    const last = records.at(-1);

    return {
      medicines: await this.#withStock(records),
      nextPageToken:
        page.length > query.pageSize && last ? encodePageToken(last.sku) : '',
    };
  }

  async getMedicine(sku: string): Promise<Medicine> {
    const record = (await this.#stores.catalogue.getMany([sku])).get(sku);
    if (!record) throw new NotFoundError(`No medicine with sku ${sku}`);
    const [medicine] = await this.#withStock([record]);
    return medicine as Medicine;
  }

  async adjustStock(input: {
    sku: string;
    delta: number;
    reason: string;
    requestId: string;
  }): Promise<{ sku: string; available: number }> {
    const { sku, delta } = input;
    await this.getMedicine(sku);
    const key = `adjust:${input.requestId || randomUUID()}`;
    const result = await this.#stores.ledger.append({
      sku,
      delta,
      key,
      kind: 'adjust',
      reason: input.reason || 'unspecified',
    });

    // A retry of an applied adjustment may find the stock lower since.
    const applied =
      result.status !== 'insufficient' ||
      (input.requestId !== '' && (await this.#stores.ledger.has(key)));
    if (!applied) throw new InsufficientStockError(sku, result.available);

    const available = (await this.#stores.ledger.available([sku])).get(sku);
    this.#logger.info('stock adjusted', {
      sku,
      delta,
      available,
      replayed: result.status === 'duplicate',
    });
    return { sku, available: available ?? 0 };
  }

  /**
   * Reserves every line or none, once per order id. Answers the priced
   * lines, or throws ReservationRejectedError with the failing lines; a
   * repeat gets the first answer and changes nothing.
   */
  async reserveStock(input: ReserveInput): Promise<ReserveStockResponse> {
    const { orderId } = input;
    const fingerprint = fingerprintOf(input);
    const settled = await this.#stores.reservations.outcome(orderId);
    if (settled) {
      this.#logger.info('reservation replayed', { orderId });
      return answer(settled, fingerprint);
    }

    const claim = await this.#stores.reservations.claim({
      orderId,
      fingerprint,
      lines: [...input.lines].sort((a, b) => a.sku.localeCompare(b.sku)),
    });
    if (claim.intent.fingerprint !== fingerprint) {
      throw new OrderIdReusedError(orderId);
    }

    const { outcome, taken } = await this.#decide(
      claim.intent,
      input.prescriptionRef !== '',
      claim.first,
    );
    const stored = await this.#stores.reservations.settle(outcome);
    if (!keeps(stored.outcome) || !stored.first) {
      await this.#reconcile(stored.outcome, taken);
    }

    this.#logger.info('reservation settled', {
      orderId,
      status: stored.outcome.status,
      reason:
        stored.outcome.status === 'REJECTED'
          ? stored.outcome.reason
          : undefined,
      first: stored.first,
    });
    return answer(stored.outcome, fingerprint);
  }

  /** Gives back what the order holds, once; answers what this call gave. */
  async releaseStock(orderId: string): Promise<OrderLine[]> {
    const { reservations, ledger } = this.#stores;
    // Settle first, so that a reservation still running learns of this.
    const { outcome } = await reservations.settle({
      orderId,
      status: 'RELEASED',
    });
    await reservations.markReleased(orderId);
    const intent = await reservations.intent(orderId);
    if (!intent) return [];

    let held: OrderLine[];
    if (outcome.status === 'RESERVED') held = intent.lines;
    else if (outcome.status === 'REJECTED') held = outcome.taken;
    else {
      // Released before any answer: whatever a crashed or still running
      // reservation took. The lookup scans on FerretDB; this path is rare.
      const found = await Promise.all(
        intent.lines.map((line) => ledger.has(reserveKey(orderId, line.sku))),
      );
      held = intent.lines.filter((_, i) => found[i]);
    }

    const released = await this.#giveBack(orderId, held);
    this.#logger.info('stock released', {
      orderId,
      skus: released.map((line) => line.sku),
    });
    return released;
  }

  /** Works out the answer, taking stock line by line (by sku order). */
  async #decide(
    intent: ReservationIntent,
    hasPrescription: boolean,
    firstCall: boolean,
  ): Promise<{ outcome: ReservationOutcome; taken: OrderLine[] }> {
    const { orderId, fingerprint, lines } = intent;
    const rejected = (
      reason: 'UNKNOWN_MEDICINE' | 'PRESCRIPTION_REQUIRED' | 'OUT_OF_STOCK',
      failing: FailingLine[],
      taken: OrderLine[],
    ) => ({
      outcome: {
        orderId,
        status: 'REJECTED' as const,
        fingerprint,
        reason,
        failingLines: failing,
        taken,
      },
      taken,
    });

    const catalogue = await this.#stores.catalogue.getMany(
      lines.map((line) => line.sku),
    );
    const unknown = lines.filter((line) => !catalogue.has(line.sku));
    if (unknown.length > 0) {
      return rejected('UNKNOWN_MEDICINE', unknown.map(failing(0)), []);
    }
    const needsPrescription = lines.filter(
      (line) => catalogue.get(line.sku)?.prescriptionRequired,
    );
    if (!hasPrescription && needsPrescription.length > 0) {
      return rejected(
        'PRESCRIPTION_REQUIRED',
        needsPrescription.map(failing(0)),
        [],
      );
    }

    const taken: OrderLine[] = [];
    for (const [index, line] of lines.entries()) {
      const key = reserveKey(orderId, line.sku);
      const result = await this.#stores.ledger.append({
        sku: line.sku,
        delta: -line.quantity,
        key,
        kind: 'reserve',
        orderId,
      });
      // Only a repeat can hold a line already, and then the stock left may
      // be short for it: ask the ledger before calling the line failed.
      const held =
        result.status !== 'insufficient' ||
        (!firstCall && (await this.#stores.ledger.has(key)));
      if (held) {
        taken.push(line);
        continue;
      }

      // Name every short line in the answer, not only the first one.
      const rest = lines.slice(index + 1);
      const stock = await this.#stores.ledger.available(
        rest.map((other) => other.sku),
      );
      const short = rest.filter(
        (other) => (stock.get(other.sku) ?? 0) < other.quantity,
      );
      return rejected(
        'OUT_OF_STOCK',
        [
          {
            sku: line.sku,
            requested: line.quantity,
            available: result.available,
          },
          ...short.map((other) => failing(stock.get(other.sku) ?? 0)(other)),
        ],
        taken,
      );
    }

    return {
      outcome: this.#priced(orderId, fingerprint, lines, catalogue),
      taken,
    };
  }

  /** Makes what this call took agree with the stored outcome. */
  async #reconcile(
    outcome: ReservationOutcome,
    takenByThisCall: OrderLine[],
  ): Promise<void> {
    const { orderId } = outcome;
    if (
      keeps(outcome) &&
      !(await this.#stores.reservations.isReleased(orderId))
    )
      return;
    const takenByWinner = outcome.status === 'REJECTED' ? outcome.taken : [];
    await this.#giveBack(orderId, [...takenByThisCall, ...takenByWinner]);
  }

  /** Gives back each line once; answers the lines given back by this call. */
  async #giveBack(orderId: string, lines: OrderLine[]): Promise<OrderLine[]> {
    const given: OrderLine[] = [];
    const unique = new Map(lines.map((line) => [line.sku, line]));
    for (const line of unique.values()) {
      const result = await this.#stores.ledger.append({
        sku: line.sku,
        delta: line.quantity,
        key: `release:${orderId}:${line.sku}`,
        kind: 'release',
        orderId,
      });
      if (result.status === 'applied') given.push(line);
    }
    return given;
  }

  #priced(
    orderId: string,
    fingerprint: string,
    lines: OrderLine[],
    catalogue: Map<string, MedicineRecord>,
  ): ReservationOutcome {
    const priced: PricedLine[] = lines.map((line) => {
      const medicine = catalogue.get(line.sku) as MedicineRecord;
      return {
        sku: line.sku,
        name: medicine.name,
        quantity: line.quantity,
        unitPriceCents: medicine.priceCents,
        lineTotalCents: medicine.priceCents * line.quantity,
      };
    });
    return {
      orderId,
      status: 'RESERVED',
      fingerprint,
      lines: priced,
      totalCents: priced.reduce((sum, line) => sum + line.lineTotalCents, 0),
      currency: this.#currency,
    };
  }

  async #withStock(records: MedicineRecord[]): Promise<Medicine[]> {
    const stock = await this.#stores.ledger.available(
      records.map((record) => record.sku),
    );
    return records.map((record) => ({
      ...record,
      currency: this.#currency,
      available: stock.get(record.sku) ?? 0,
    }));
  }
}

function reserveKey(orderId: string, sku: string): string {
  return `reserve:${orderId}:${sku}`;
}

/** An outcome under which the order keeps its stock (unless released). */
function keeps(outcome: ReservationOutcome): boolean {
  return outcome.status === 'RESERVED';
}

function failing(available: number) {
  return (line: OrderLine): FailingLine => ({
    sku: line.sku,
    requested: line.quantity,
    available,
  });
}

/** Same lines in any order, and the same presence of a prescription. */
function fingerprintOf(input: ReserveInput): string {
  const lines = [...input.lines]
    .sort((a, b) => a.sku.localeCompare(b.sku))
    .map((line) => `${line.sku}*${line.quantity}`);
  const prescription = input.prescriptionRef ? 'rx' : 'no-rx';
  return createHash('sha256')
    .update([...lines, prescription].join('\n'))
    .digest('hex');
}

/** The stored outcome as an answer: priced lines, or a rejection thrown. */
function answer(
  outcome: ReservationOutcome,
  fingerprint: string,
): ReserveStockResponse {
  if ('fingerprint' in outcome && outcome.fingerprint !== fingerprint) {
    throw new OrderIdReusedError(outcome.orderId);
  }
  switch (outcome.status) {
    case 'RESERVED':
      return {
        orderId: outcome.orderId,
        lines: outcome.lines,
        totalCents: outcome.totalCents,
        currency: outcome.currency,
      };
    case 'REJECTED':
      throw new ReservationRejectedError(
        outcome.orderId,
        outcome.reason,
        outcome.failingLines,
      );
    case 'RELEASED':
      throw new ReservationRejectedError(outcome.orderId, 'ORDER_RELEASED', []);
  }
}
