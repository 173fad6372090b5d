/**
 * `npm run notify:replay`: sends again the emails parked on the notify
 * failure queue (NOTIFY_FAILURE_QUEUE_NAME), deleting each message once
 * it is sent. Safe to run any time, and twice: events already emailed are
 * recognised and not sent again.
 *
 *   npm run notify:replay -- [--queue <name or URL>] [--max <messages>]
 *
 * Reads the same settings as the function (SMTP_URL, MONGODB_URI,
 * IDEMPOTENCY_TABLE, AWS_ENDPOINT_URL, ...); locally:
 *   eval "$(npm run -s stack -- env)" && npm run notify:replay
 */
import { parseArgs } from 'node:util';
import { GetQueueUrlCommand } from '@aws-sdk/client-sqs';
import { runtimeFromEnv } from './handler';
import { replayFailures } from './replay';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const { values } = parseArgs({
  options: {
    queue: { type: 'string' },
    max: { type: 'string' },
  },
});

async function main(): Promise<number> {
  const runtime = runtimeFromEnv();
  try {
    const queue = values.queue;
    const queueUrl = !queue
      ? await runtime.failureQueue.url()
      : /^https?:\/\//.test(queue)
        ? queue
        : ((
            await runtime.sqs.send(new GetQueueUrlCommand({ QueueName: queue }))
          ).QueueUrl as string);
    const summary = await replayFailures({
      sqs: runtime.sqs,
      queueUrl,
      notifier: runtime.notifier,
      logger: runtime.logger,
      ...(values.max && { maxMessages: Number(values.max) }),
    });
    process.stdout.write(
      `read ${summary.read}, replayed ${summary.replayed} ` +
        `(${summary.sent} sent, ${summary.duplicates} already sent), ` +
        `kept ${summary.kept}\n`,
    );
    return summary.kept > 0 ? 1 : 0;
  } finally {
    await runtime.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`notify replay: ${(error as Error).stack}\n`);
    process.exit(2);
  },
);
