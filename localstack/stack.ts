import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {
  eventsPart,
  functionsPart,
  pharmaPart,
  readAppPorts,
  relayPart,
  webPart,
} from './parts/app';
import { awsPart } from './parts/aws';
import { kafkaPart } from './parts/kafka';
import { mailPart } from './parts/mail';
import { mongoPart } from './parts/mongo';
import type { Part } from './parts/part';
import {
  logFile,
  portInUse,
  recordedPid,
  StackError,
  sleep,
  stopDaemon,
  tailOf,
} from './process';
import { loadServerlessConfig } from './serverless-config';
import { dirs, readPorts } from './settings';

/** Infrastructure: the local stand-ins for AWS and its neighbours. */
export const INFRA_PARTS = ['kafka', 'mongo', 'aws', 'mail'] as const;
/** The application: our services and functions, started on top. */
export const APP_PARTS = [
  'pharma',
  'functions',
  'relay',
  'events',
  'web',
] as const;
export const PART_NAMES = [...INFRA_PARTS, ...APP_PARTS] as const;
export type PartName = (typeof PART_NAMES)[number];

/**
 * Start order: each tier is started in parallel once the one before is
 * ready; the Kafka event source comes last, as it invokes the functions,
 * with the dashboard, which is pointed at the API and the relay.
 */
const TIERS: readonly (readonly PartName[])[] = [
  INFRA_PARTS,
  ['pharma', 'functions', 'relay'],
  ['events', 'web'],
];

export type StackEvent =
  | {
      part: string;
      kind: 'reused' | 'installing' | 'launching';
      address: string;
    }
  | { part: string; kind: 'ready'; address: string; ms: number }
  | { part: string; kind: 'down' | 'back'; address: string; log: string };

export interface StackOptions {
  /** Which parts to bring up; the infrastructure by default. */
  parts?: readonly PartName[];
  /** Serverless stage whose resource names the stack provisions. */
  stage?: string;
  onEvent?: (event: StackEvent) => void;
}

export interface RunningStack {
  /** Variables through which code and tests reach every part. */
  env: Record<string, string>;
  /** Parts this call launched (the others were already running). */
  started: PartName[];
  reused: PartName[];
  /** Stops what this call launched and leaves the rest running. */
  stop(): Promise<void>;
  /** Reports parts that stop answering, and when they come back. */
  watch(intervalMs?: number): () => void;
}

/** Builds the parts for the current configuration. */
export function buildParts(stage = defaultStage()): Map<PartName, Part> {
  const ports = readPorts();
  const appPorts = readAppPorts();
  const config = () => loadServerlessConfig(stage);
  return new Map<PartName, Part>([
    ['kafka', kafkaPart(ports)],
    ['mongo', mongoPart(ports)],
    ['aws', awsPart(ports, config)],
    ['mail', mailPart(ports)],
    ['pharma', pharmaPart(appPorts)],
    ['functions', functionsPart(appPorts, stage)],
    ['relay', relayPart(appPorts)],
    ['events', eventsPart(appPorts, stage)],
    ['web', webPart(appPorts)],
  ]);
}

export function defaultStage(): string {
  return process.env.STAGE?.trim() || 'dev';
}

/**
 * Brings the local stack up: each part already answering is reused, the
 * others are installed when missing, launched and waited for; then every
 * part is provisioned (topics, tables, queues). If any part fails, the
 * parts launched by this call are stopped again before the error is thrown.
 *
 * @example
 * const stack = await startStack({ onEvent: console.log });
 * process.env = { ...process.env, ...stack.env };
 * // ... use Kafka, MongoDB, DynamoDB, SQS, SMTP ...
 * await stack.stop();
 */
export async function startStack(
  options: StackOptions = {},
): Promise<RunningStack> {
  const stage = options.stage ?? defaultStage();
  const all = buildParts(stage);
  const names = options.parts ?? INFRA_PARTS;
  const emit = options.onEvent ?? (() => {});
  const started: PartName[] = [];
  const reused: PartName[] = [];
  const env: Record<string, string> = {
    STAGE: stage,
    ...serverlessEnvironment(stage),
    JWT_SECRET: process.env.JWT_SECRET?.trim() || localSecret('jwt-secret'),
    // The first staff account of a local stack (functions/auth/README.md).
    ADMIN_EMAIL: process.env.ADMIN_EMAIL?.trim() || 'admin@pharmaexpress.local',
    ADMIN_PASSWORD:
      process.env.ADMIN_PASSWORD?.trim() || localSecret('admin-password'),
    // The floor of lib/users' range: local logins stay quick on a laptop.
    BCRYPT_COST: process.env.BCRYPT_COST?.trim() || '10',
  };

  // Each tier is launched with the variables of the tiers before it.
  for (const tier of TIERS) {
    const wanted = tier.filter((name) => names.includes(name));
    for (const name of tier) Object.assign(env, all.get(name)?.env());
    const results = await Promise.allSettled(
      wanted.map(async (name) => {
        const part = all.get(name) as Part;
        const outcome = await bringUp(part, env, emit);
        (outcome === 'started' ? started : reused).push(name);
        await part.provision?.(env);
      }),
    );
    const failures = results.flatMap((result) =>
      result.status === 'rejected' ? [result.reason] : [],
    );
    if (failures.length > 0) {
      await stopParts(started);
      throw failures.length === 1
        ? failures[0]
        : new StackError(failures.map((error) => String(error)).join('\n'));
    }
  }

  return {
    env,
    started,
    reused,
    stop: async () => {
      await stopParts(started);
    },
    watch: (intervalMs = 3000) =>
      watchParts(
        names.map((name) => all.get(name) as Part),
        emit,
        intervalMs,
      ),
  };
}

/** Stops the named parts (all by default) that the stack launched. */
export async function stopParts(
  names: readonly PartName[] = PART_NAMES,
): Promise<PartName[]> {
  const stopped = await Promise.all(
    [...names]
      .reverse()
      .map(async (name) => ((await stopDaemon(name)) ? [name] : [])),
  );
  return stopped.flat();
}

export interface PartStatus {
  name: PartName;
  address: string;
  up: boolean;
  pid: number | undefined;
  log: string;
}

export async function stackStatus(): Promise<PartStatus[]> {
  const all = buildParts();
  return Promise.all(
    PART_NAMES.map(async (name) => {
      const part = all.get(name) as Part;
      return {
        name,
        address: part.address,
        up: await part.probe(),
        pid: recordedPid(name),
        log: logFile(name),
      };
    }),
  );
}

/**
 * Function environment from serverless.yml (table and queue names).
 * Endpoints and secrets come from the parts instead.
 */
function serverlessEnvironment(stage: string): Record<string, string> {
  const environment = loadServerlessConfig(stage).provider.environment ?? {};
  const {
    JWT_SECRET: _secret,
    KAFKA_BROKERS: _brokers,
    MONGODB_URI: _mongo,
    PHARMA_GRPC_URL: _pharma,
    ...rest
  } = environment;
  return rest;
}

/**
 * A random secret made on first use and kept in the local state folder,
 * so tokens stay valid across restarts of the local stack. Local only: a
 * deploy takes its secret from the environment.
 */
function localSecret(name: string): string {
  const file = path.join(dirs.run, name);
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch {
    const secret = randomBytes(32).toString('base64url');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, secret, { mode: 0o600 });
    return secret;
  }
}

async function bringUp(
  part: Part,
  env: Record<string, string>,
  emit: NonNullable<StackOptions['onEvent']>,
): Promise<'started' | 'reused'> {
  if (await part.probe()) {
    emit({ part: part.name, kind: 'reused', address: part.address });
    return 'reused';
  }
  if (!part.managed) part.launch(env);

  // Launched by an earlier start that is still coming up: wait for it.
  if (recordedPid(part.name) !== undefined) {
    await waitReady(part, undefined, Date.now());
    emit({ part: part.name, kind: 'reused', address: part.address });
    return 'reused';
  }
  for (const port of part.ports) {
    if (await portInUse(port)) {
      throw new StackError(
        `${part.name}: port ${port} is taken by a program that does not ` +
          `answer as ${part.name}; stop it, or move ${part.name} to another ` +
          `port (see "Ports" in README.md)`,
      );
    }
  }

  emit({ part: part.name, kind: 'installing', address: part.address });
  await part.install();
  emit({ part: part.name, kind: 'launching', address: part.address });
  const startedAt = Date.now();
  await waitReady(part, part.launch(env), startedAt);
  emit({
    part: part.name,
    kind: 'ready',
    address: part.address,
    ms: Date.now() - startedAt,
  });
  return 'started';
}

async function waitReady(
  part: Part,
  child: ChildProcess | undefined,
  startedAt: number,
): Promise<void> {
  let exitCode: number | null | undefined;
  child?.once('exit', (code) => {
    exitCode = code;
  });
  while (Date.now() - startedAt < part.startTimeoutMs) {
    if (await part.probe()) return;
    if (exitCode !== undefined) {
      throw new StackError(
        `${part.name} exited while starting (code ${exitCode}); ` +
          `last lines of ${logFile(part.name)}:\n${tailOf(logFile(part.name))}`,
      );
    }
    await sleep(500);
  }
  await stopDaemon(part.name);
  throw new StackError(
    `${part.name} did not answer within ${part.startTimeoutMs / 1000}s; ` +
      `last lines of ${logFile(part.name)}:\n${tailOf(logFile(part.name))}`,
  );
}

function watchParts(
  parts: Part[],
  emit: NonNullable<StackOptions['onEvent']>,
  intervalMs: number,
): () => void {
  const down = new Set<string>();
  let busy = false;
  const timer = setInterval(async () => {
    if (busy) return;
    busy = true;
    try {
      for (const part of parts) {
        const up = await part.probe();
        const kind =
          !up && !down.has(part.name)
            ? 'down'
            : up && down.has(part.name)
              ? 'back'
              : undefined;
        if (!kind) continue;
        if (kind === 'down') down.add(part.name);
        else down.delete(part.name);
        emit({
          part: part.name,
          kind,
          address: part.address,
          log: logFile(part.name),
        });
      }
    } finally {
      busy = false;
    }
  }, intervalMs);
  return () => clearInterval(timer);
}
