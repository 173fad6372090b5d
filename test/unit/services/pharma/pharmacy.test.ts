import { beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../../../lib/logger';
import {
  OrderIdReusedError,
  ReservationRejectedError,
} from '../../../../services/pharma/errors';
import { Pharmacy } from '../../../../services/pharma/pharmacy';
import { memoryStores } from '../../../helpers/pharma-memory-stores';

const logger = createLogger('pharma-test');
logger.setLogLevel('SILENT');

let stores: ReturnType<typeof memoryStores>;
let pharmacy: Pharmacy;

/** Two medicines, AAA and BBB (reserved in that order), with stock. */
beforeEach(async () => {
  stores = memoryStores();
  pharmacy = new Pharmacy({ stores, logger, currency: 'EUR' });
  for (const [sku, stock] of [
    ['AAA-1MG-TAB', 5],
    ['BBB-1MG-TAB', 5],
  ] as const) {
    await stores.catalogue.upsertMany([
      {
        sku,
        name: sku,
        form: 'tablet',
        strength: '1 mg',
        priceCents: 100,
        prescriptionRequired: false,
      },
    ]);
    await stores.ledger.append({
      sku,
      delta: stock,
      key: `seed:${sku}`,
      kind: 'seed',
    });
  }
});

const lineA = { sku: 'AAA-1MG-TAB', quantity: 2 };
const lineB = { sku: 'BBB-1MG-TAB', quantity: 3 };
const order = {
  orderId: 'order-1',
  lines: [lineA, lineB],
  prescriptionRef: '',
};

const stock = () => Object.fromEntries(stores.ledger.balances);

/** A crash on the first attempt to take BBB for the order. */
function crashOnSecondLine() {
  let crashed = false;
  stores.ledger.failWhen = (movement) => {
    if (crashed || movement.key !== 'reserve:order-1:BBB-1MG-TAB') return false;
    crashed = true;
    return true;
  };
}

describe('Pharmacy.reserveStock', () => {
  it('takes each line once when a repeat finishes a reservation that crashed between lines', async () => {
    // Prepare
    crashOnSecondLine();
    await expect(pharmacy.reserveStock(order)).rejects.toThrow('crashed');

    // Act
    const reserved = await pharmacy.reserveStock(order);

    // Assess
    expect(reserved.totalCents).toBe(500);
    expect(stock()).toEqual({ 'AAA-1MG-TAB': 3, 'BBB-1MG-TAB': 2 });
  });

  it('counts a line it already holds as taken even when too little stock is left for it', async () => {
    // Prepare: the first call took all of AAA, then crashed.
    crashOnSecondLine();
    const greedy = {
      ...order,
      lines: [{ sku: 'AAA-1MG-TAB', quantity: 5 }, lineB],
    };
    await expect(pharmacy.reserveStock(greedy)).rejects.toThrow('crashed');

    // Act
    const reserved = await pharmacy.reserveStock(greedy);

    // Assess
    expect(reserved.lines).toHaveLength(2);
    expect(stock()).toEqual({ 'AAA-1MG-TAB': 0, 'BBB-1MG-TAB': 2 });
  });

  it('gives back what it took when another call settled the order as rejected first', async () => {
    // Prepare: another instance stores its rejection while this call runs.
    const settle = stores.reservations.settle.bind(stores.reservations);
    stores.reservations.settle = async (outcome) => {
      await settle({
        orderId: outcome.orderId,
        status: 'REJECTED',
        fingerprint: 'fingerprint' in outcome ? outcome.fingerprint : '',
        reason: 'OUT_OF_STOCK',
        failingLines: [],
        taken: [],
      });
      return settle(outcome);
    };

    // Act
    const answer = pharmacy.reserveStock(order);

    // Assess
    await expect(answer).rejects.toBeInstanceOf(ReservationRejectedError);
    expect(stock()).toEqual({ 'AAA-1MG-TAB': 5, 'BBB-1MG-TAB': 5 });
  });

  it('refuses an order id reused with other lines', async () => {
    // Prepare
    await pharmacy.reserveStock(order);

    // Act
    const reused = pharmacy.reserveStock({
      ...order,
      lines: [lineA],
    });

    // Assess
    await expect(reused).rejects.toBeInstanceOf(OrderIdReusedError);
    expect(stock()).toEqual({ 'AAA-1MG-TAB': 3, 'BBB-1MG-TAB': 2 });
  });
});

describe('Pharmacy.releaseStock', () => {
  it('gives back what a crashed reservation took, and the order is not reserved afterwards', async () => {
    // Prepare
    crashOnSecondLine();
    await expect(pharmacy.reserveStock(order)).rejects.toThrow('crashed');

    // Act
    const released = await pharmacy.releaseStock(order.orderId);

    // Assess
    expect(released).toEqual([{ sku: 'AAA-1MG-TAB', quantity: 2 }]);
    await expect(pharmacy.reserveStock(order)).rejects.toMatchObject({
      rejection: { reason: 'ORDER_RELEASED' },
    });
    expect(stock()).toEqual({ 'AAA-1MG-TAB': 5, 'BBB-1MG-TAB': 5 });
  });

  it('gives back the lines a rejection took when its own give-back crashed', async () => {
    // Prepare: BBB is short, so AAA is taken then given back; the give-back
    // crashes once.
    await stores.ledger.append({
      sku: 'BBB-1MG-TAB',
      delta: -4,
      key: 'drain',
      kind: 'adjust',
    });
    let crashed = false;
    stores.ledger.failWhen = (movement) => {
      if (crashed || movement.kind !== 'release') return false;
      crashed = true;
      return true;
    };
    await expect(pharmacy.reserveStock(order)).rejects.toThrow('crashed');

    // Act
    const released = await pharmacy.releaseStock(order.orderId);

    // Assess
    expect(released).toEqual([{ sku: 'AAA-1MG-TAB', quantity: 2 }]);
    expect(stock()).toEqual({ 'AAA-1MG-TAB': 5, 'BBB-1MG-TAB': 1 });
  });
});
