import { randomUUID } from 'node:crypto';
import { status } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PharmaClient, rejectionOf } from '../../../lib/pharma-client';
import {
  REJECTION_METADATA,
  REJECTION_REASON_METADATA,
  type Rejection,
} from '../../../lib/pharma-contract';
import { PharmaHarness } from '../../helpers/pharma-harness';

let pharma: PharmaHarness;
let client: PharmaClient;

beforeAll(async () => {
  pharma = await PharmaHarness.start('reservations');
  client = pharma.client({ deadlineMs: 10_000 });
});

afterAll(async () => {
  await pharma?.close();
});

const orderId = () => `order-${randomUUID()}`;

/** The rejection of a refused reservation; fails the test on success. */
async function rejection(
  call: Promise<unknown>,
): Promise<Rejection | undefined> {
  const error = await call.then(
    () => expect.fail('the reservation was accepted'),
    (failure: unknown) => failure,
  );
  return rejectionOf(error);
}

describe('ReserveStock', () => {
  it('reserves every line and answers priced lines with the total in cents', async () => {
    // Prepare
    const [a, b] = await pharma.addMedicines([
      { stock: 10, priceCents: 249 },
      { stock: 5, priceCents: 1290 },
    ]);
    const id = orderId();

    // Act
    const reserved = await client.reserveStock({
      orderId: id,
      lines: [
        { sku: b.sku, quantity: 2 },
        { sku: a.sku, quantity: 3 },
      ],
    });

    // Assess
    expect(reserved).toEqual({
      orderId: id,
      lines: expect.arrayContaining([
        {
          sku: a.sku,
          name: a.name,
          quantity: 3,
          unitPriceCents: 249,
          lineTotalCents: 747,
        },
        {
          sku: b.sku,
          name: b.name,
          quantity: 2,
          unitPriceCents: 1290,
          lineTotalCents: 2580,
        },
      ]),
      totalCents: 3327,
      currency: 'EUR',
    });
    expect(await pharma.available(a.sku)).toBe(7);
    expect(await pharma.available(b.sku)).toBe(3);
  });

  it('rejects with UNKNOWN_MEDICINE naming the unknown lines and reserves nothing', async () => {
    // Prepare
    const [known] = await pharma.addMedicines([{ stock: 4 }]);
    const id = orderId();

    // Act
    const rejected = await rejection(
      client.reserveStock({
        orderId: id,
        lines: [
          { sku: known.sku, quantity: 1 },
          { sku: 'NO-SUCH-MEDICINE-TAB', quantity: 2 },
        ],
      }),
    );

    // Assess
    expect(rejected).toEqual({
      orderId: id,
      reason: 'UNKNOWN_MEDICINE',
      failingLines: [
        { sku: 'NO-SUCH-MEDICINE-TAB', requested: 2, available: 0 },
      ],
    });
    expect(await pharma.available(known.sku)).toBe(4);
  });

  it('rejects with PRESCRIPTION_REQUIRED when a prescription-only line comes without a prescription', async () => {
    // Prepare
    const [otc, rx] = await pharma.addMedicines([
      { stock: 4 },
      { stock: 4, prescriptionRequired: true },
    ]);
    const id = orderId();

    // Act
    const rejected = await rejection(
      client.reserveStock({
        orderId: id,
        lines: [
          { sku: otc.sku, quantity: 1 },
          { sku: rx.sku, quantity: 1 },
        ],
      }),
    );

    // Assess
    expect(rejected?.reason).toBe('PRESCRIPTION_REQUIRED');
    expect(rejected?.failingLines.map((line) => line.sku)).toEqual([rx.sku]);
    expect(await pharma.available(otc.sku)).toBe(4);
    expect(await pharma.available(rx.sku)).toBe(4);
  });

  it('reserves prescription-only lines when a prescription reference comes with them', async () => {
    // Prepare
    const [rx] = await pharma.addMedicines([
      { stock: 4, prescriptionRequired: true },
    ]);

    // Act
    const reserved = await client.reserveStock({
      orderId: orderId(),
      lines: [{ sku: rx.sku, quantity: 2 }],
      prescriptionRef: 'rx-2026-0001',
    });

    // Assess
    expect(reserved.lines).toHaveLength(1);
    expect(await pharma.available(rx.sku)).toBe(2);
  });

  it('rejects with OUT_OF_STOCK naming every short line and gives back the lines it took', async () => {
    // Prepare: lines are taken in sku order, so the first one is taken
    // before the second is found short.
    const [first, short, alsoShort] = await pharma.addMedicines([
      { stock: 10 },
      { stock: 1 },
      { stock: 0 },
    ]);
    const id = orderId();

    // Act
    const rejected = await rejection(
      client.reserveStock({
        orderId: id,
        lines: [
          { sku: first.sku, quantity: 3 },
          { sku: short.sku, quantity: 2 },
          { sku: alsoShort.sku, quantity: 1 },
        ],
      }),
    );

    // Assess
    expect(rejected).toEqual({
      orderId: id,
      reason: 'OUT_OF_STOCK',
      failingLines: [
        { sku: short.sku, requested: 2, available: 1 },
        { sku: alsoShort.sku, requested: 1, available: 0 },
      ],
    });
    expect(await pharma.available(first.sku)).toBe(10);
    expect(await pharma.available(short.sku)).toBe(1);
  });

  it('sends a rejection as FAILED_PRECONDITION with the reason and failing lines in metadata', async () => {
    // Prepare
    const [scarce] = await pharma.addMedicines([{ stock: 1 }]);
    const id = orderId();

    // Act
    const { error } = await pharma.raw('ReserveStock', {
      orderId: id,
      lines: [{ sku: scarce.sku, quantity: 5 }],
    });

    // Assess
    expect(error?.code).toBe(status.FAILED_PRECONDITION);
    expect(error?.metadata.get(REJECTION_REASON_METADATA)).toEqual([
      'OUT_OF_STOCK',
    ]);
    const [carried] = error?.metadata.get(REJECTION_METADATA) ?? [];
    expect(JSON.parse(String(carried))).toEqual({
      orderId: id,
      reason: 'OUT_OF_STOCK',
      failingLines: [{ sku: scarce.sku, requested: 5, available: 1 }],
    });
  });

  it('answers a repeat with the first answer and reserves nothing more', async () => {
    // Prepare
    const [medicine] = await pharma.addMedicines([{ stock: 10 }]);
    const request = {
      orderId: orderId(),
      lines: [{ sku: medicine.sku, quantity: 4 }],
    };
    const first = await client.reserveStock(request);

    // Act
    const again = await client.reserveStock(request);

    // Assess
    expect(again).toEqual(first);
    expect(await pharma.available(medicine.sku)).toBe(6);
  });

  it('answers a repeat of a rejection with the same rejection, even after a restock', async () => {
    // Prepare
    const [medicine] = await pharma.addMedicines([{ stock: 1 }]);
    const request = {
      orderId: orderId(),
      lines: [{ sku: medicine.sku, quantity: 3 }],
    };
    const first = await rejection(client.reserveStock(request));
    await client.adjustStock({ sku: medicine.sku, delta: 10 });

    // Act
    const again = await rejection(client.reserveStock(request));

    // Assess
    expect(again).toEqual(first);
    expect(await pharma.available(medicine.sku)).toBe(11);
  });

  it('refuses an order id reused with other lines with ALREADY_EXISTS', async () => {
    // Prepare
    const [medicine] = await pharma.addMedicines([{ stock: 10 }]);
    const id = orderId();
    await client.reserveStock({
      orderId: id,
      lines: [{ sku: medicine.sku, quantity: 1 }],
    });

    // Act
    const { error } = await pharma.raw('ReserveStock', {
      orderId: id,
      lines: [{ sku: medicine.sku, quantity: 2 }],
    });

    // Assess
    expect(error?.code).toBe(status.ALREADY_EXISTS);
    expect(await pharma.available(medicine.sku)).toBe(9);
  });
});

describe('ReleaseStock', () => {
  it('gives back exactly what the order holds', async () => {
    // Prepare
    const [a, b] = await pharma.addMedicines([{ stock: 10 }, { stock: 10 }]);
    const id = orderId();
    await client.reserveStock({
      orderId: id,
      lines: [
        { sku: a.sku, quantity: 2 },
        { sku: b.sku, quantity: 5 },
      ],
    });

    // Act
    const released = await client.releaseStock({ orderId: id });

    // Assess
    expect(released.released).toEqual(
      expect.arrayContaining([
        { sku: a.sku, quantity: 2 },
        { sku: b.sku, quantity: 5 },
      ]),
    );
    expect(await pharma.available(a.sku)).toBe(10);
    expect(await pharma.available(b.sku)).toBe(10);
  });

  it('gives back once when an order is released twice', async () => {
    // Prepare
    const [medicine] = await pharma.addMedicines([{ stock: 10 }]);
    const id = orderId();
    await client.reserveStock({
      orderId: id,
      lines: [{ sku: medicine.sku, quantity: 3 }],
    });
    await client.releaseStock({ orderId: id });

    // Act
    const second = await client.releaseStock({ orderId: id });

    // Assess
    expect(second.released).toEqual([]);
    expect(await pharma.available(medicine.sku)).toBe(10);
  });

  it('gives nothing back for a rejected order, whose lines were already given back', async () => {
    // Prepare
    const [plenty, none] = await pharma.addMedicines([
      { stock: 10 },
      { stock: 0 },
    ]);
    const id = orderId();
    await rejection(
      client.reserveStock({
        orderId: id,
        lines: [
          { sku: plenty.sku, quantity: 2 },
          { sku: none.sku, quantity: 1 },
        ],
      }),
    );

    // Act
    const released = await client.releaseStock({ orderId: id });

    // Assess
    expect(released.released).toEqual([]);
    expect(await pharma.available(plenty.sku)).toBe(10);
  });

  it('keeps an order released before its reservation from ever being reserved', async () => {
    // Prepare
    const [medicine] = await pharma.addMedicines([{ stock: 10 }]);
    const id = orderId();
    await client.releaseStock({ orderId: id });

    // Act
    const rejected = await rejection(
      client.reserveStock({
        orderId: id,
        lines: [{ sku: medicine.sku, quantity: 1 }],
      }),
    );

    // Assess
    expect(rejected?.reason).toBe('ORDER_RELEASED');
    expect(await pharma.available(medicine.sku)).toBe(10);
  });
});

describe('concurrent reservations', () => {
  it('sells exactly N units to 3N concurrent single-unit orders and never goes below zero', async () => {
    // Prepare
    const N = 10;
    const [medicine] = await pharma.addMedicines([{ stock: N }]);
    const sku = medicine.sku;

    // Act
    const started = performance.now();
    const answers = await Promise.allSettled(
      Array.from({ length: 3 * N }, () =>
        client.reserveStock({
          orderId: orderId(),
          lines: [{ sku, quantity: 1 }],
        }),
      ),
    );
    const seconds = (performance.now() - started) / 1000;

    // Assess
    const reserved = answers.filter((answer) => answer.status === 'fulfilled');
    const reasons = answers.map((answer) =>
      answer.status === 'rejected' ? rejectionOf(answer.reason)?.reason : 'OK',
    );
    expect(reserved).toHaveLength(N);
    expect(reasons.filter((reason) => reason === 'OUT_OF_STOCK')).toHaveLength(
      2 * N,
    );
    expect(await pharma.available(sku)).toBe(0);
    const ledger = await pharma.movements(sku);
    expect(ledger.map((movement) => movement.seq)).toEqual(
      ledger.map((_, i) => i + 1),
    );
    expect(Math.min(...ledger.map((movement) => movement.balance))).toBe(0);
    process.stdout.write(
      `[pharma] ${3 * N} concurrent reservations in ${seconds.toFixed(2)} s (${((3 * N) / seconds).toFixed(0)}/s)\n`,
    );
  });

  it('sells exactly N units when two pharma instances share the database', async () => {
    // Prepare: a second server with its own stores, as another process has.
    const N = 10;
    const [medicine] = await pharma.addMedicines([{ stock: N }]);
    const sku = medicine.sku;
    const { createMongoStores } = await import(
      '../../../services/pharma/mongo-store'
    );
    const secondPort = await pharma.listen(
      0,
      await createMongoStores(pharma.db),
    );
    const second = pharma.client({
      url: `127.0.0.1:${secondPort}`,
      deadlineMs: 10_000,
    });

    // Act
    const answers = await Promise.allSettled(
      Array.from({ length: 3 * N }, (_, i) =>
        (i % 2 === 0 ? client : second).reserveStock({
          orderId: orderId(),
          lines: [{ sku, quantity: 1 }],
        }),
      ),
    );

    // Assess
    expect(answers.filter((a) => a.status === 'fulfilled')).toHaveLength(N);
    expect(await pharma.available(sku)).toBe(0);
    const ledger = await pharma.movements(sku);
    expect(Math.min(...ledger.map((movement) => movement.balance))).toBe(0);
  });

  it('reserves an order once when its repeats race each other', async () => {
    // Prepare
    const [medicine] = await pharma.addMedicines([{ stock: 20 }]);
    const request = {
      orderId: orderId(),
      lines: [{ sku: medicine.sku, quantity: 3 }],
    };

    // Act
    const answers = await Promise.all(
      Array.from({ length: 8 }, () => client.reserveStock(request)),
    );

    // Assess
    for (const answer of answers) expect(answer).toEqual(answers[0]);
    expect(await pharma.available(medicine.sku)).toBe(17);
  });

  it('leaves the stock whole when releases race their reservations', async () => {
    // Prepare
    const [medicine] = await pharma.addMedicines([{ stock: 50 }]);
    const sku = medicine.sku;
    const ids = Array.from({ length: 12 }, orderId);

    // Act: each order is reserved and released at the same time, then
    // released once more, as a cancel retried after the race would.
    await Promise.all(
      ids.map((id) =>
        Promise.allSettled([
          client.reserveStock({ orderId: id, lines: [{ sku, quantity: 2 }] }),
          client.releaseStock({ orderId: id }),
        ]),
      ),
    );
    await Promise.all(ids.map((id) => client.releaseStock({ orderId: id })));

    // Assess
    expect(await pharma.available(sku)).toBe(50);
  });
});
