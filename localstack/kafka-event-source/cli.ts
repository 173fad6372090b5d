/**
 * `npm run kafka-source`: runs the Kafka event sources of serverless.yml
 * until Ctrl-C.
 *
 *   npm run kafka-source -- [--stage dev] [--functions notify,...]
 *                           [--invoke-url http://127.0.0.1:3002]
 *
 * Without --invoke-url (or KAFKA_EVENT_SOURCE_INVOKE_URL) the handlers
 * run in this process, with each function's serverless.yml environment
 * filling in the variables the shell does not set.
 */
import { parseArgs } from 'node:util';
import { defaultInvoker, loadKafkaEventSource } from './index';
import { startKafkaEventSource } from './source';

// See the note in localstack/parts/aws.ts.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const { values } = parseArgs({
  options: {
    stage: { type: 'string' },
    functions: { type: 'string' },
    'invoke-url': { type: 'string' },
  },
});

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

async function main(): Promise<void> {
  const env = {
    ...process.env,
    ...(values.functions && { KAFKA_EVENT_SOURCE_FUNCTIONS: values.functions }),
    ...(values['invoke-url'] && {
      KAFKA_EVENT_SOURCE_INVOKE_URL: values['invoke-url'],
    }),
  };
  const loaded = loadKafkaEventSource({
    env,
    ...(values.stage && { stage: values.stage }),
  });
  for (const note of loaded.notes) say(`note: ${note}`);
  if (loaded.config.mappings.length === 0) {
    // Stays up, idle: the stack runner counts a worker that exits as down.
    say('no msk or kafka events to run; idle until stopped');
    setInterval(() => {}, 2 ** 30);
  }
  if (!loaded.invokeUrl) {
    // In-process handlers read their settings from process.env.
    for (const mapping of loaded.config.mappings) {
      for (const [key, value] of Object.entries(mapping.environment)) {
        process.env[key] ??= value;
      }
    }
  }

  const source = await startKafkaEventSource({
    config: loaded.config,
    invoker: defaultInvoker(loaded),
  });
  const via = loaded.invokeUrl ?? 'in-process handlers';
  for (const mapping of loaded.config.mappings) {
    say(
      `${mapping.functionKey} <- ${mapping.topic} (group ${mapping.groupId}, ` +
        `batch ${mapping.batchSize}, ${mapping.startingPosition}, ` +
        `on failure ${mapping.onFailureQueue ?? 'retry until it succeeds'}) via ${via}`,
    );
  }
  say('Kafka event source running; Ctrl-C stops it.');

  const shutdown = async (signal: string) => {
    say(`\n${signal}: stopping...`);
    await source.stop();
    say('stopped.');
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  process.stderr.write(`\nkafka event source: ${(error as Error).stack}\n`);
  process.exit(1);
});
