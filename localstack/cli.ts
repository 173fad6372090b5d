/**
 * The local stack from the command line.
 *
 *   npm run stack -- up       start what is missing, report, stop on Ctrl-C
 *   npm run stack -- start    start what is missing and leave it running
 *   npm run stack -- stop     stop every part the stack launched
 *   npm run stack -- status   which parts answer, their pids and logs
 *   npm run stack -- env      the variables that reach the parts (sh syntax)
 *   npm run stack -- topics --brokers b1:9092,b2:9092 [--replication 3]
 *                             create the declared topics on any cluster (MSK)
 *   npm run stack -- provision topics, tables, queues, catalogue and first admin
 *                             on the endpoints of KAFKA_BROKERS, AWS_ENDPOINT_URL
 *                             and MONGODB_URI (the containers of docker-compose.yml)
 *   Options: --parts kafka,mongo,aws,mail   only these parts
 *            --app   the application too (pharma, functions): what npm start runs
 */
import { parseArgs } from 'node:util';
import { createTopics } from './parts/kafka';
import { StackError } from './process';
import { provisionEndpoints } from './provision';
import {
  defaultStage,
  INFRA_PARTS,
  PART_NAMES,
  type PartName,
  type StackEvent,
  stackStatus,
  startStack,
  stopParts,
} from './stack';

// See the note in parts/aws.ts.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    parts: { type: 'string' },
    app: { type: 'boolean', default: false },
    brokers: { type: 'string' },
    replication: { type: 'string' },
  },
});

/** Variables whose values are never printed. */
const SECRET = /SECRET|PASSWORD|TOKEN/;

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

function describe(event: StackEvent): string {
  const name = event.part.padEnd(6);
  switch (event.kind) {
    case 'reused':
      return `${name} already running at ${event.address}`;
    case 'installing':
      return `${name} checking install...`;
    case 'launching':
      return `${name} starting...`;
    case 'ready':
      return `${name} ready at ${event.address} (${(event.ms / 1000).toFixed(1)}s)`;
    case 'down':
      return `${name} STOPPED ANSWERING at ${event.address}; log: ${event.log}. Start the stack again to bring it back.`;
    case 'back':
      return `${name} answering again at ${event.address}`;
  }
}

function selectedParts(): PartName[] {
  if (!values.parts) {
    return values.app ? [...PART_NAMES] : [...INFRA_PARTS];
  }
  const names = values.parts.split(',').map((name) => name.trim());
  const unknown = names.filter(
    (name) => !PART_NAMES.includes(name as PartName),
  );
  if (unknown.length > 0) {
    throw new StackError(
      `unknown part(s) ${unknown.join(', ')}; parts are ${PART_NAMES.join(', ')}`,
    );
  }
  return names as PartName[];
}

/** The block `npm start` ends with: where everything is. */
function welcome(env: Record<string, string>): void {
  const rows: [string, string | undefined, string][] = [
    [
      'REST API',
      env.API_URL,
      'GET /health, GET /medicines, POST /auth/register',
    ],
    [
      'GraphQL',
      env.API_URL && `${env.API_URL}/graphql`,
      'POST, token in Authorization',
    ],
    ['Socket.IO', env.RELAY_URL, 'connect with auth: {token}'],
    ['Dashboard', env.WEB_URL, 'customers at #/, staff at #/staff'],
    ['Mail inbox', env.MAIL_API_URL, 'every email the system sends'],
    [
      'Staff login',
      `${env.ADMIN_EMAIL} / ${env.ADMIN_PASSWORD}`,
      'admin; local only',
    ],
    ['Logs', '.local/logs/<part>.log', 'one file per part'],
  ];
  say('PharmaExpress is running.');
  say('');
  for (const [label, value, hint] of rows) {
    if (value) say(`  ${label.padEnd(12)} ${value.padEnd(44)} ${hint}`);
  }
  say('');
  say('Walk through an order: npm run demo (in another terminal).');
}

async function up(keepRunning: boolean): Promise<void> {
  const stack = await startStack({
    parts: selectedParts(),
    onEvent: (event) => say(describe(event)),
  });
  say('');
  if (stack.env.API_URL) {
    welcome(stack.env);
  } else {
    say('Local stack is up. Environment for the code:');
    for (const [key, value] of Object.entries(stack.env)) {
      say(`  ${key}=${SECRET.test(key) ? '(hidden)' : value}`);
    }
  }
  if (!keepRunning) return;

  say('');
  say('Watching the parts; Ctrl-C stops what this command started.');
  const unwatch = stack.watch();
  const shutdown = async (signal: string) => {
    unwatch();
    say(`\n${signal}: stopping ${stack.started.join(', ') || 'nothing'}...`);
    await stack.stop();
    say('stopped.');
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
}

async function main(): Promise<void> {
  const command = positionals[0] ?? 'up';
  switch (command) {
    case 'up':
      return up(true);
    case 'start':
      return up(false);
    case 'stop': {
      const stopped = await stopParts(
        values.parts ? selectedParts() : PART_NAMES,
      );
      say(stopped.length ? `stopped ${stopped.join(', ')}` : 'nothing to stop');
      return;
    }
    case 'status': {
      for (const part of await stackStatus()) {
        const state = part.up ? 'up  ' : 'down';
        const pid = part.pid ? `pid ${part.pid}` : 'not launched here';
        say(
          `${part.name.padEnd(6)} ${state} ${part.address} (${pid}) log: ${part.log}`,
        );
      }
      return;
    }
    case 'env': {
      const stack = await startStack({ parts: selectedParts() });
      for (const [key, value] of Object.entries(stack.env)) {
        say(`export ${key}='${value}'`);
      }
      return;
    }
    case 'topics': {
      if (!values.brokers) throw new StackError('topics needs --brokers');
      const created = await createTopics(
        values.brokers.split(','),
        values.replication ? Number(values.replication) : undefined,
      );
      say(
        created.length ? `created ${created.join(', ')}` : 'all topics exist',
      );
      return;
    }
    case 'provision':
      return provisionEndpoints({
        env: process.env,
        stage: defaultStage(),
        say,
      });
    default:
      throw new StackError(
        `unknown command "${command}"; use up, start, stop, status, env, topics or provision`,
      );
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `\nlocal stack: ${error instanceof StackError ? error.message : (error as Error).stack}\n`,
  );
  process.exit(1);
});
