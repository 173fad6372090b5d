/**
 * `npm run bench`: starts or reuses the local stack, measures each figure
 * beside the floor under it (warm-up, then the median of RUNS runs) and
 * writes bench/results/latest.{json,md}. Loopback only; every loop is
 * bounded in count and time.
 */
import fs from 'node:fs';
import path from 'node:path';
import { closeMongo } from '../lib/mongo';
import { PharmaClient } from '../lib/pharma-client';
import { PART_NAMES, startStack } from '../localstack/stack';
import { Api } from './api';
import { coldStarts } from './cold-start';
import { kafkaRoundTrip, statusToCustomer } from './events';
import {
  echoLatency,
  getMedicineLatency,
  reserveLatency,
  reserveRequestBytes,
  restockedSkus,
  startEcho,
} from './grpc';
import { machine, residentMiB, versions } from './host';
import { ordersInProcess } from './in-process';
import { bareCompare, loginLoad, storedBcryptCost } from './login';
import { drainValidation, motoGetItem, motoTransaction } from './moto';
import { graphqlOrdersLoad, healthLoad, ordersLoad } from './orders';
import {
  markdown,
  printRow,
  type Results,
  type Row,
  writeResults,
} from './report';
import { type Figures, type Repeated, repeat, repeatInTurn } from './stats';

// BENCH_QUICK=1: one short run of each, to check the bench itself works.
const QUICK = process.env.BENCH_QUICK === '1';
const RUNS = QUICK ? 1 : 3;
const LOAD_MS = QUICK ? 1_000 : 4_000;
const CONCURRENCY = [1, 8, 32];
const GRPC_CALLS = QUICK ? 20 : 200;
const LOGIN_CLIENTS = 4;
const EVENT_ORDERS = QUICK ? 1 : 3;
const KAFKA_MESSAGES = QUICK ? 5 : 30;
const CUSTOMERS = 4;
const MOTO_TRANSACTIONS = QUICK ? 10 : 50;
const MEMORY_PARTS = ['pharma', 'relay', 'functions'];

const rows: Row[] = [];
const errors: Record<string, string> = {};
let echoP50: number | undefined;

/** Runs one benchmark; a failure is recorded and the others still run. */
async function section(body: () => Promise<void>): Promise<void> {
  const before = rows.length;
  try {
    await body();
  } catch (error) {
    const name = `section ${Object.keys(errors).length + 1} (after ${before} rows)`;
    errors[name] = (error as Error).message;
    process.stdout.write(`  FAILED: ${(error as Error).message}\n`);
  }
}
const raw: Record<string, unknown> = {};

/** Records a figure and its floor, and prints them side by side. */
function add(
  benchmark: string,
  pairs: [
    figure: string,
    floor: string,
    unit: string,
    value: number | undefined,
    floorValue: number | undefined,
  ][],
  settings: string,
): void {
  for (const [figure, floor, unit, value, floorValue] of pairs) {
    const row: Row = {
      benchmark,
      figure,
      floor,
      unit,
      value: value ?? null,
      floorValue: floorValue ?? null,
      settings,
    };
    rows.push(row);
    printRow(row);
  }
}

function keep(name: string, ...measured: Repeated[]): Figures[] {
  raw[name] = measured.map((m) => m.runs);
  return measured.map((m) => m.median);
}

async function main(): Promise<void> {
  const startedAt = new Date().toISOString();
  const say = (text: string) => process.stdout.write(`${text}\n`);

  say('Starting or reusing the local stack...');
  const stack = await startStack({ parts: PART_NAMES });
  Object.assign(process.env, stack.env);
  const api = new Api(process.env.API_URL ?? 'http://127.0.0.1:3000');
  const relayUrl = process.env.RELAY_URL ?? 'http://127.0.0.1:4000';
  const mailUrl = 'http://127.0.0.1:1080';
  const idleMemory = Object.fromEntries(
    MEMORY_PARTS.map((part) => [part, residentMiB(part)]),
  );

  const pharma = new PharmaClient();
  const skus = await restockedSkus(pharma, 4);
  const customers: Awaited<ReturnType<Api['newCustomer']>>[] = [];
  for (let i = 0; i < CUSTOMERS; i++) customers.push(await api.newCustomer());
  const staffToken = await api.login(
    process.env.ADMIN_EMAIL ?? 'admin@pharmaexpress.local',
    process.env.ADMIN_PASSWORD ?? local('admin-password'),
  );
  const sku = skus[0] as string;
  const orderTarget = { api, tokens: customers.map((c) => c.token), skus };

  await section(async () => {
    say('\ngRPC: ReserveStock vs a bare echo of the same bytes');
    const echo = await startEcho();
    const payload = reserveRequestBytes(sku);
    const [reserve, get, bare] = keep(
      'grpc',
      await repeat(RUNS, () => reserveLatency(pharma, sku, GRPC_CALLS)),
      await repeat(RUNS, () => getMedicineLatency(pharma, sku, GRPC_CALLS)),
      await repeat(RUNS, () => echoLatency(echo.url, payload, GRPC_CALLS)),
    );
    echo.stop();
    echoP50 = bare?.p50Ms;
    const grpcSettings = `${GRPC_CALLS} sequential calls/run, ${payload.length} B request`;
    add(
      'gRPC ReserveStock',
      [
        ['p50', 'bare echo', 'ms', reserve?.p50Ms, bare?.p50Ms],
        ['p99', 'bare echo', 'ms', reserve?.p99Ms, bare?.p99Ms],
      ],
      grpcSettings,
    );
    add(
      'gRPC GetMedicine',
      [
        ['p50', 'bare echo', 'ms', get?.p50Ms, bare?.p50Ms],
        ['p99', 'bare echo', 'ms', get?.p99Ms, bare?.p99Ms],
      ],
      grpcSettings,
    );
  });

  say('\nWaiting for the validation queue to drain (at most 3 min)...');
  const backlog = await drainValidation(180_000);
  say(`  ${backlog} messages were waiting`);

  await section(async () => {
    say('\nLogin vs bare bcrypt compare at the same cost');
    const customer = customers[0] as (typeof customers)[number];
    const cost = await storedBcryptCost(customer.email);
    const [login, compare] = keep(
      'login',
      await repeat(RUNS, () =>
        loginLoad(api, customer, LOGIN_CLIENTS, LOAD_MS),
      ),
      await repeat(RUNS, () => bareCompare(cost, LOAD_MS)),
    );
    add(
      'POST /auth/login',
      [
        [
          'throughput',
          `bcryptjs compare, cost ${cost}, 1 core`,
          '/s',
          login?.perSecond,
          compare?.perSecond,
        ],
        [
          'p50',
          `bcryptjs compare, cost ${cost}`,
          'ms',
          login?.p50Ms,
          compare?.p50Ms,
        ],
      ],
      `${LOGIN_CLIENTS} clients, ${LOAD_MS} ms/run, bcrypt cost ${cost} (read from the stored hash)`,
    );

    say(
      '\nStatus change → customer socket and inbox, vs a bare Kafka round trip',
    );
    const targets = { api, relayUrl, mailUrl, staffToken, sku };
    const statusRuns = await repeat(RUNS, async () => {
      const { socket, mail } = await statusToCustomer(targets, EVENT_ORDERS);
      return {
        socketP50: socket.p50Ms as number,
        socketP99: socket.p99Ms as number,
        mailP50: mail.p50Ms as number,
        mailP99: mail.p99Ms as number,
        n: socket.n as number,
      };
    });
    const [status, kafka] = keep(
      'statusChange',
      statusRuns,
      await repeat(RUNS, () => kafkaRoundTrip(KAFKA_MESSAGES)),
    );
    const eventSettings = `validation backlog at start ${backlog}; ${EVENT_ORDERS * 3} sequential PATCHes/run (p99 of ${EVENT_ORDERS * 3} is the max); ${KAFKA_MESSAGES} Kafka messages/run`;
    add(
      'status → socket',
      [
        [
          'p50',
          'kafkajs produce→consume',
          'ms',
          status?.socketP50,
          kafka?.p50Ms,
        ],
        [
          'p99',
          'kafkajs produce→consume',
          'ms',
          status?.socketP99,
          kafka?.p99Ms,
        ],
      ],
      eventSettings,
    );
    add(
      'status → email in inbox',
      [
        ['p50', 'kafkajs produce→consume', 'ms', status?.mailP50, kafka?.p50Ms],
        ['p99', 'kafkajs produce→consume', 'ms', status?.mailP99, kafka?.p99Ms],
      ],
      eventSettings,
    );
  });

  await section(async () => {
    say('\nplaceOrder through GraphQL vs POST /orders');
    const [graphql, rest] = keep(
      'graphql',
      ...(await repeatInTurn(RUNS, [
        () => graphqlOrdersLoad(orderTarget, 1, LOAD_MS),
        () => ordersLoad(orderTarget, 1, LOAD_MS),
      ])),
    );
    add(
      'GraphQL placeOrder, 1 client',
      [
        ['p50', 'POST /orders', 'ms', graphql?.p50Ms, rest?.p50Ms],
        ['p99', 'POST /orders', 'ms', graphql?.p99Ms, rest?.p99Ms],
      ],
      `${LOAD_MS} ms/run; not placed/run: GraphQL ${graphql?.failed}, REST ${rest?.failed}`,
    );
  });

  await section(async () => {
    say('\nPOST /orders vs GET /health, both through serverless-offline');
    const [moto, transaction] = keep(
      'moto',
      await repeat(RUNS, () => motoGetItem(GRPC_CALLS)),
      await repeat(RUNS, () => motoTransaction(MOTO_TRANSACTIONS)),
    );
    add(
      'one DynamoDB call on moto',
      [['p50', 'bare echo (gRPC, loopback)', 'ms', moto?.p50Ms, echoP50]],
      `${GRPC_CALLS} sequential GetItem/run; POST /orders makes several`,
    );
    add(
      'one TransactWriteItems on moto',
      [['p50', 'one GetItem on moto', 'ms', transaction?.p50Ms, moto?.p50Ms]],
      `${MOTO_TRANSACTIONS} sequential/run, orders table of ${transaction?.ordersItems} items: moto copies each table a transaction names`,
    );
    const [inProcess, emulated] = keep(
      'ordersInProcess',
      ...(await repeatInTurn(RUNS, [
        () => ordersInProcess(orderTarget.tokens[0] as string, sku, LOAD_MS),
        () => ordersLoad(orderTarget, 1, LOAD_MS),
      ])),
    );
    add(
      'POST /orders through serverless-offline',
      [
        [
          'p50',
          'same handler in this process',
          'ms',
          emulated?.p50Ms,
          inProcess?.p50Ms,
        ],
        [
          'p99',
          'same handler in this process',
          'ms',
          emulated?.p99Ms,
          inProcess?.p99Ms,
        ],
      ],
      `1 client, ${LOAD_MS} ms/run, same DynamoDB, SQS and Kafka: the gap is the emulator's worker hop and HTTP layer; not placed/run ${inProcess?.failed} in process, ${emulated?.failed} emulated`,
    );
    for (const clients of CONCURRENCY) {
      const [orders, health] = keep(
        `orders-${clients}`,
        await repeat(RUNS, () => ordersLoad(orderTarget, clients, LOAD_MS)),
        await repeat(RUNS, () => healthLoad(api, clients, LOAD_MS)),
      );
      add(
        `POST /orders, ${clients} client${clients === 1 ? '' : 's'}`,
        [
          ['p50', 'GET /health', 'ms', orders?.p50Ms, health?.p50Ms],
          ['p99', 'GET /health', 'ms', orders?.p99Ms, health?.p99Ms],
          [
            'throughput',
            'GET /health',
            '/s',
            orders?.perSecond,
            health?.perSecond,
          ],
        ],
        `${LOAD_MS} ms/run, ${CUSTOMERS} customers, ${skus.length} skus; not placed/run ${orders?.failed}`,
      );
    }
  });

  await section(async () => {
    say('\nResident memory (process tree, tsx launcher included)');
    for (const part of MEMORY_PARTS) {
      add(
        `RSS ${part}`,
        [
          [
            'after load',
            'idle, before the bench',
            'MiB',
            residentMiB(part) ?? undefined,
            idleMemory[part] ?? undefined,
          ],
        ],
        'VmRSS from /proc',
      );
    }
  });

  await section(async () => {
    // A validation backlog left by the loads would compete for the CPU.
    await drainValidation(180_000);
    say('\nCold start: each deployment bundle, required in a fresh node');
    const stage = process.env.STAGE ?? 'dev';
    const colds = await coldStarts(stage, RUNS);
    raw.coldStart = Object.fromEntries(
      Object.entries(colds).map(([name, cold]) => [name, cold.runsMs]),
    );
    const health = colds.health;
    for (const [name, cold] of Object.entries(colds)) {
      add(
        `cold start ${name}`,
        [['init', 'health handler', 'ms', cold.initMs, health?.initMs]],
        `median of ${RUNS} fresh node processes requiring the esbuild bundle from serverless package; @aws-sdk from node_modules (the Lambda runtime provides it)`,
      );
    }
    for (const [name, cold] of Object.entries(colds)) {
      add(
        `bundle ${name}`,
        [['zip', 'health bundle', 'KiB', cold.zipKiB, health?.zipKiB]],
        `serverless package --stage ${stage}; handler .js ${cold.codeKiB} KiB unzipped`,
      );
    }
  });

  pharma.close();
  await closeMongo();
  const results: Results = {
    startedAt,
    finishedAt: new Date().toISOString(),
    machine: { ...machine(), reusedParts: stack.reused.join(' ') },
    versions: versions(),
    settings: { runs: RUNS, warmUp: 1, statistic: 'median of runs' },
    rows,
    errors,
    raw,
  };
  const dir = writeResults(results);
  say(`\n${markdown(results)}\nWrote ${dir}/latest.json and latest.md`);
  // Parts that were already running stay up; the ones started here stop.
  if (stack.started.length > 0) {
    say(`\nStopping what the bench started: ${stack.started.join(', ')}`);
    await stack.stop();
  }
}

function local(name: string): string {
  const file = path.join(__dirname, '..', '.local', 'run', name);
  return fs.readFileSync(file, 'utf8').trim();
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`bench failed: ${(error as Error).stack}\n`);
    process.exit(1);
  },
);
