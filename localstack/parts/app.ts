import path from 'node:path';
import {
  httpOk,
  portInUse,
  recordedPid,
  runStep,
  startDaemon,
} from '../process';
import { HOST, ROOT } from '../settings';
import type { Part } from './part';

const BIN = path.join(ROOT, 'node_modules', '.bin');

export interface AppPorts {
  http: number;
  lambda: number;
  pharma: number;
  relay: number;
  web: number;
}

/** Ports of the application tier, each movable by its variable. */
export function readAppPorts(env = process.env): AppPorts {
  const port = (name: string, fallback: number) =>
    Number(env[name] ?? fallback);
  return {
    http: port('HTTP_PORT', 3000),
    lambda: port('LAMBDA_PORT', 3002),
    pharma: port('PHARMA_PORT', 50051),
    relay: port('RELAY_PORT', 4000),
    web: port('WEB_PORT', 5173),
  };
}

/** The pharma gRPC service (services/pharma), run from source with tsx. */
export function pharmaPart(ports: AppPorts): Part {
  return {
    name: 'pharma',
    address: `${HOST}:${ports.pharma} (gRPC)`,
    ports: [ports.pharma],
    managed: true,
    startTimeoutMs: 30_000,
    probe: () => portInUse(ports.pharma),
    async install() {},
    launch: (env) =>
      startDaemon(
        'pharma',
        path.join(BIN, 'tsx'),
        ['services/pharma/main.ts'],
        {
          cwd: ROOT,
          env: { ...env, PHARMA_HOST: HOST, PHARMA_PORT: String(ports.pharma) },
        },
      ),
    // Idempotent: the catalogue is upserted and starting stock is added
    // once per sku, ever, so every start may run it.
    provision: (env) =>
      runStep(
        'pharma',
        path.join(BIN, 'tsx'),
        ['services/pharma/seed/seed-cli.ts'],
        {
          cwd: ROOT,
          env,
        },
      ),
    env: () => ({ PHARMA_GRPC_URL: `${HOST}:${ports.pharma}` }),
  };
}

/** The Socket.IO relay (services/relay), run from source with tsx. */
export function relayPart(ports: AppPorts): Part {
  const url = `http://${HOST}:${ports.relay}`;
  return {
    name: 'relay',
    address: `${url} (Socket.IO)`,
    ports: [ports.relay],
    managed: true,
    startTimeoutMs: 30_000,
    probe: () => httpOk(`${url}/health`),
    async install() {},
    // API_URL and KAFKA_BROKERS come from the parts started before.
    launch: (env) =>
      startDaemon('relay', path.join(BIN, 'tsx'), ['services/relay/main.ts'], {
        cwd: ROOT,
        env: {
          ...env,
          RELAY_HOST: HOST,
          RELAY_PORT: String(ports.relay),
          // The dashboard's origin, for clients that fall back to polling.
          RELAY_CORS_ORIGINS:
            process.env.RELAY_CORS_ORIGINS ?? `http://${HOST}:${ports.web}`,
        },
      }),
    env: () => ({ RELAY_URL: url }),
  };
}

/**
 * The web dashboard (web/): built with Vite at each launch, then its
 * static files served by localstack/web-server.ts with a config.json
 * pointing at this stack's API and relay.
 */
export function webPart(ports: AppPorts): Part {
  const url = `http://${HOST}:${ports.web}`;
  return {
    name: 'web',
    address: `${url} (dashboard)`,
    ports: [ports.web],
    managed: true,
    startTimeoutMs: 30_000,
    probe: () => httpOk(`${url}/config.json`),
    install: () =>
      runStep('web', path.join(BIN, 'vite'), ['build', 'web'], { cwd: ROOT }),
    // API_URL and RELAY_URL come from the parts started before.
    launch: (env) =>
      startDaemon('web', path.join(BIN, 'tsx'), ['localstack/web-server.ts'], {
        cwd: ROOT,
        env: { ...env, WEB_PORT: String(ports.web) },
      }),
    env: () => ({ WEB_URL: url }),
  };
}

/**
 * Every function of serverless.yml behind serverless-offline: the HTTP API,
 * the Lambda invoke endpoint, and serverless-offline-sqs polling the local
 * queues for the functions with SQS events.
 */
export function functionsPart(ports: AppPorts, stage: string): Part {
  const api = `http://${HOST}:${ports.http}`;
  return {
    name: 'functions',
    address: `${api} (serverless-offline; invoke ${HOST}:${ports.lambda})`,
    ports: [ports.http, ports.lambda],
    managed: true,
    startTimeoutMs: 120_000,
    probe: () => httpOk(`${api}/health`),
    async install() {},
    launch: (env) =>
      startDaemon(
        'functions',
        path.join(BIN, 'serverless'),
        ['offline', 'start', '--stage', stage],
        {
          cwd: ROOT,
          env: {
            ...env,
            HTTP_PORT: String(ports.http),
            LAMBDA_PORT: String(ports.lambda),
            SLS_TELEMETRY_DISABLED: '1',
            // serverless-offline-sqs deletes a whole batch when the handler
            // returns, even the records it reported as failed; one message
            // per batch keeps a failed one on the queue (see docs/decisions.md).
            VALIDATION_BATCH_SIZE: '1',
          },
        },
      ),
    // The first admin, so that staff can sign in from the first minute.
    provision: (env) =>
      runStep(
        'functions',
        path.join(BIN, 'tsx'),
        ['functions/auth/cli.ts', 'ensure-admin'],
        {
          cwd: ROOT,
          env,
        },
      ),
    env: () => ({
      API_URL: api,
      LAMBDA_ENDPOINT_URL: `http://${HOST}:${ports.lambda}`,
    }),
  };
}

/**
 * A worker without a port (an event source): it counts as running while
 * the process the stack launched for it is alive.
 */
function workerPart(
  name: string,
  description: string,
  script: string,
  ports: AppPorts,
  stage: string,
): Part {
  return {
    name,
    address: description,
    ports: [],
    managed: true,
    startTimeoutMs: 15_000,
    probe: async () => recordedPid(name) !== undefined,
    async install() {},
    launch: (env) =>
      startDaemon(
        name,
        path.join(BIN, 'tsx'),
        [
          script,
          '--stage',
          stage,
          '--invoke-url',
          `http://${HOST}:${ports.lambda}`,
        ],
        { cwd: ROOT, env },
      ),
    env: () => ({}),
  };
}

/** The MSK/Kafka triggers of serverless.yml, invoking through serverless-offline. */
export function eventsPart(ports: AppPorts, stage: string): Part {
  return workerPart(
    'events',
    'Kafka event source → functions',
    'localstack/kafka-event-source/cli.ts',
    ports,
    stage,
  );
}
