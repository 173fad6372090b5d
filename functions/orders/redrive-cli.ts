/**
 * `npm run orders:redrive`: moves every message of the validation
 * dead-letter queue back to the validation queue, where `validate` picks
 * it up again. Each message is deleted from the dead-letter queue only
 * after it was sent, so a failure midway loses nothing (at worst a message
 * is queued twice, which validation tolerates).
 */
import {
  DeleteMessageCommand,
  GetQueueUrlCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { requireEnv } from '../../lib/config';

async function main(): Promise<void> {
  const sqs = new SQSClient({});
  const name = requireEnv('VALIDATION_QUEUE_NAME');
  const url = async (queueName: string) =>
    (await sqs.send(new GetQueueUrlCommand({ QueueName: queueName })))
      .QueueUrl as string;
  const [queue, deadLetters] = await Promise.all([
    url(name),
    url(`${name}-dlq`),
  ]);

  let moved = 0;
  for (;;) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: deadLetters,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 1,
      }),
    );
    if (Messages.length === 0) break;
    for (const message of Messages) {
      await sqs.send(
        new SendMessageCommand({ QueueUrl: queue, MessageBody: message.Body }),
      );
      await sqs.send(
        new DeleteMessageCommand({
          QueueUrl: deadLetters,
          ReceiptHandle: message.ReceiptHandle,
        }),
      );
      moved += 1;
    }
  }
  process.stdout.write(
    `moved ${moved} message(s) from ${name}-dlq to ${name}\n`,
  );
  sqs.destroy();
}

main().catch((error: unknown) => {
  process.stderr.write(`redrive failed: ${(error as Error).message}\n`);
  process.exit(1);
});
