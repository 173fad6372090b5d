/**
 * The Pharmacy service as gRPC loads it from `proto/pharma.proto`, shared
 * by the server and the client. Apart from lib/pharma-contract.ts because
 * gRPC and protobuf.js take about 55 ms to load: functions that only need
 * the contract's limits and schemas (orders) do not pay it at cold start.
 */
import fs from 'node:fs';
import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';

// proto3 JSON-ish objects: camelCase fields, int64 as number (every value
// the service accepts or stores is far below 2^53), enums as names, and
// every field present.
const LOADER_OPTIONS: protoLoader.Options = {
  keepCase: false,
  longs: Number,
  enums: String,
  defaults: true,
  oneofs: true,
};

/**
 * Finds the proto next to the sources, or below the working directory when
 * running from a bundle (a Lambda package ships `proto/pharma.proto` at its
 * root); `PHARMA_PROTO_PATH` overrides both.
 */
export function pharmaProtoPath(): string {
  const candidates = [
    process.env.PHARMA_PROTO_PATH,
    path.resolve(__dirname, '..', 'proto', 'pharma.proto'),
    path.resolve(process.cwd(), 'proto', 'pharma.proto'),
  ].filter((candidate): candidate is string => Boolean(candidate));
  const found = candidates.find((candidate) => fs.existsSync(candidate));
  if (!found) {
    throw new Error(`pharma.proto not found; looked in ${candidates}`);
  }
  return found;
}

let loaded: grpc.ServiceClientConstructor | undefined;

/** The Pharmacy service constructor, loaded once per process. */
export function pharmacyService(): grpc.ServiceClientConstructor {
  if (!loaded) {
    const definition = protoLoader.loadSync(pharmaProtoPath(), LOADER_OPTIONS);
    const root = grpc.loadPackageDefinition(definition) as unknown as {
      pharma: { v1: { Pharmacy: grpc.ServiceClientConstructor } };
    };
    loaded = root.pharma.v1.Pharmacy;
  }
  return loaded;
}
