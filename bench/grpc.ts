import { randomUUID } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import type { PharmaClient } from '../lib/pharma-client';
import { pharmacyService } from '../lib/pharma-service';
import { type Figures, sequential } from './stats';

const ECHO_PATH = '/bench.Echo/Echo';
const raw = (buffer: Buffer) => buffer;

/** Over-the-counter skus of the seeded catalogue, restocked for the run. */
export async function restockedSkus(
  pharma: PharmaClient,
  count: number,
): Promise<string[]> {
  const { medicines } = await pharma.listMedicines({ pageSize: 50 });
  const skus = medicines
    .filter((medicine) => !medicine.prescriptionRequired)
    .slice(0, count)
    .map((medicine) => medicine.sku);
  for (const sku of skus) {
    await pharma.adjustStock({ sku, delta: 100_000, reason: 'bench restock' });
  }
  return skus;
}

/**
 * A bare grpc-js echo in this process: the transport floor under any unary
 * call (HTTP/2 framing, one loopback round trip, no protobuf, no handler).
 */
export async function startEcho(): Promise<{
  url: string;
  stop: () => void;
}> {
  const server = new grpc.Server();
  server.addService(
    {
      Echo: {
        path: ECHO_PATH,
        requestStream: false,
        responseStream: false,
        requestSerialize: raw,
        requestDeserialize: raw,
        responseSerialize: raw,
        responseDeserialize: raw,
      },
    },
    {
      Echo: (
        call: grpc.ServerUnaryCall<Buffer, Buffer>,
        done: grpc.sendUnaryData<Buffer>,
      ) => done(null, call.request),
    },
  );
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(
      '127.0.0.1:0',
      grpc.ServerCredentials.createInsecure(),
      (error, bound) => (error ? reject(error) : resolve(bound)),
    ),
  );
  return { url: `127.0.0.1:${port}`, stop: () => server.forceShutdown() };
}

/** The bytes one ReserveStock request of one line takes on the wire. */
export function reserveRequestBytes(sku: string): Buffer {
  const method = pharmacyService().service.ReserveStock;
  if (!method) throw new Error('ReserveStock is missing from the contract');
  return method.requestSerialize({
    orderId: randomUUID(),
    lines: [{ sku, quantity: 1 }],
    prescriptionRef: '',
  });
}

/** Sequential echo calls of `payload`, one client. */
export async function echoLatency(
  url: string,
  payload: Buffer,
  calls: number,
): Promise<Figures> {
  const client = new grpc.Client(url, grpc.credentials.createInsecure());
  const call = () =>
    new Promise<Buffer>((resolve, reject) =>
      client.makeUnaryRequest(ECHO_PATH, raw, raw, payload, (error, reply) =>
        error || !reply ? reject(error) : resolve(reply),
      ),
    );
  await call(); // connect outside the timing
  const figures = await sequential(calls, call);
  client.close();
  return figures;
}

/** Sequential ReserveStock of one unit, each for a new order id. */
export async function reserveLatency(
  pharma: PharmaClient,
  sku: string,
  calls: number,
): Promise<Figures> {
  return sequential(calls, () =>
    pharma.reserveStock({
      orderId: randomUUID(),
      lines: [{ sku, quantity: 1 }],
    }),
  );
}

/** Sequential GetMedicine: a read through the same service and client. */
export async function getMedicineLatency(
  pharma: PharmaClient,
  sku: string,
  calls: number,
): Promise<Figures> {
  return sequential(calls, () => pharma.getMedicine({ sku }));
}
