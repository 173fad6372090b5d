import { intEnv, readEndpoints, stringEnv } from '../../lib/config';

/** Settings of the pharma service; each comes from the environment. */
export interface PharmaConfig {
  /** Interface to listen on; 0.0.0.0 inside a container. */
  host: string;
  /** gRPC port; 0 picks a free one. */
  port: number;
  mongodbUri: string;
  /** ISO 4217 code of the catalogue's prices. */
  currency: string;
  /** How long a shutdown waits for calls in flight before cutting them. */
  shutdownGraceMs: number;
}

export function readPharmaConfig(env = process.env): PharmaConfig {
  return {
    host: stringEnv('PHARMA_HOST', '127.0.0.1', env),
    port: intEnv('PHARMA_PORT', 50051, { min: 0, max: 65535 }, env),
    mongodbUri: readEndpoints(env).mongodbUri,
    currency: stringEnv('PHARMA_CURRENCY', 'EUR', env),
    shutdownGraceMs: intEnv(
      'PHARMA_SHUTDOWN_GRACE_MS',
      10_000,
      { min: 0, max: 120_000 },
      env,
    ),
  };
}
