/**
 * The container's health check: asks pharma's standard gRPC health service
 * (grpc.health.v1) about `pharma.v1.Pharmacy` on PHARMA_PORT and exits 0
 * only for SERVING, so a server that is shutting down counts as unhealthy.
 *
 *   node dist/healthcheck.js      (services/pharma/Dockerfile)
 */
import * as grpc from '@grpc/grpc-js';
import { service } from 'grpc-health-check';
import { intEnv } from '../../lib/config';
import { PHARMACY_SERVICE } from '../../lib/pharma-contract';

const port = intEnv('PHARMA_PORT', 50051, { min: 1, max: 65535 });
const Health = grpc.makeGenericClientConstructor(service, 'Health');
const client = new Health(
  `127.0.0.1:${port}`,
  grpc.credentials.createInsecure(),
);

// Always defined (it comes from the health service's definition); the
// index signature of a generic client only types it as optional.
client.Check?.(
  { service: PHARMACY_SERVICE },
  { deadline: Date.now() + 3000 },
  (error: grpc.ServiceError | null, reply?: { status: string }) => {
    const status = error ? error.details : reply?.status;
    process.stdout.write(`pharma health: ${status}\n`);
    process.exit(reply?.status === 'SERVING' ? 0 : 1);
  },
);
