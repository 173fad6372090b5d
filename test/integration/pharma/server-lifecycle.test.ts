import * as grpc from '@grpc/grpc-js';
import { service as healthService } from 'grpc-health-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PHARMACY_SERVICE } from '../../../lib/pharma-contract';
import type { PharmacyStores } from '../../../services/pharma/store';
import { PharmaHarness } from '../../helpers/pharma-harness';

let pharma: PharmaHarness;

beforeEach(async () => {
  pharma = await PharmaHarness.start('lifecycle');
  await pharma.addMedicines([{ stock: 5 }]);
});

afterEach(async () => {
  await pharma?.close();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The same stores, with catalogue pages that take `ms` to read. */
function slowCatalogue(stores: PharmacyStores, ms: number): PharmacyStores {
  return {
    ...stores,
    catalogue: {
      ...stores.catalogue,
      getMany: (skus) => stores.catalogue.getMany(skus),
      upsertMany: (records) => stores.catalogue.upsertMany(records),
      list: async (query) => {
        await sleep(ms);
        return stores.catalogue.list(query);
      },
    },
  };
}

describe('restart', () => {
  it('completes a call made while the server restarts once it is back', async () => {
    // Prepare
    const client = pharma.client({ deadlineMs: 15_000 });
    await client.listMedicines();
    await pharma.stopServers();

    // Act
    const call = client.listMedicines();
    await sleep(500);
    await pharma.listen(pharma.port);

    // Assess
    const page = await call;
    expect(page.medicines).toHaveLength(1);
  });
});

describe('health checking', () => {
  it('reports SERVING, then NOT_SERVING to watchers when shutdown starts', async () => {
    // Prepare
    const Health = grpc.makeGenericClientConstructor(healthService, 'Health');
    const health = new Health(pharma.url, grpc.credentials.createInsecure());
    const statuses: string[] = [];
    const watch = (
      health as unknown as {
        Watch(request: { service: string }): grpc.ClientReadableStream<{
          status: string;
        }>;
      }
    ).Watch({ service: PHARMACY_SERVICE });
    watch.on('data', (message) => statuses.push(message.status));
    watch.on('error', () => {});
    await expect.poll(() => statuses).toEqual(['SERVING']);

    // Act: the watch is a call in flight, so the grace period runs out.
    await pharma.stopServers(300);

    // Assess
    expect(statuses).toEqual(['SERVING', 'NOT_SERVING']);
    health.close();
  });
});

describe('graceful shutdown', () => {
  it('lets a call in flight finish before it stops', async () => {
    // Prepare
    const port = await pharma.listen(0, slowCatalogue(pharma.stores, 400));
    const client = pharma.client({ url: `127.0.0.1:${port}`, attempts: 1 });
    const call = client.listMedicines();
    await sleep(100);

    // Act
    await pharma.stopServers(5_000);

    // Assess
    const page = await call;
    expect(page.medicines).toHaveLength(1);
  });

  it('cuts a call still running when the grace period ends', async () => {
    // Prepare
    const port = await pharma.listen(0, slowCatalogue(pharma.stores, 3_000));
    const client = pharma.client({
      url: `127.0.0.1:${port}`,
      attempts: 1,
      deadlineMs: 10_000,
    });
    const call = client.listMedicines().catch((error: unknown) => error);
    await sleep(100);

    // Act
    await pharma.stopServers(200);

    // Assess
    const failure = (await call) as grpc.ServiceError;
    expect(failure.code).toBeDefined();
    expect(failure.code).not.toBe(grpc.status.OK);
  });
});
