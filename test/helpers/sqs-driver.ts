import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';

/**
 * Plays Lambda's SQS event source for one handler in a test: receives a
 * batch from the real queue, invokes the handler with the event AWS would
 * send, and deletes only the messages not reported in batchItemFailures.
 */
export async function deliverOnce(
  sqs: SQSClient,
  queueName: string,
  handler: (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>,
): Promise<{ delivered: number; failed: number }> {
  const { QueueUrl } = await sqs.send(
    new GetQueueUrlCommand({ QueueName: queueName }),
  );
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }),
  );
  const { Messages = [] } = await sqs.send(
    new ReceiveMessageCommand({
      QueueUrl,
      MaxNumberOfMessages: 10,
      WaitTimeSeconds: 1,
      MessageSystemAttributeNames: ['All'],
    }),
  );
  if (Messages.length === 0) return { delivered: 0, failed: 0 };

  const event: SQSEvent = {
    Records: Messages.map((message) => ({
      messageId: message.MessageId as string,
      receiptHandle: message.ReceiptHandle as string,
      body: message.Body as string,
      attributes:
        message.Attributes as SQSEvent['Records'][number]['attributes'],
      messageAttributes: {},
      md5OfBody: message.MD5OfBody as string,
      eventSource: 'aws:sqs',
      eventSourceARN: Attributes?.QueueArn as string,
      awsRegion: process.env.AWS_REGION as string,
    })),
  };
  // A handler that throws failed the whole batch, as Lambda sees it.
  const response = await handler(event, lambdaContext('validate')).catch(
    () => ({
      batchItemFailures: Messages.map((message) => ({
        itemIdentifier: message.MessageId as string,
      })),
    }),
  );
  const failed = new Set(
    response.batchItemFailures.map((f) => f.itemIdentifier),
  );
  const done = Messages.filter(
    (message) => !failed.has(message.MessageId as string),
  );
  if (done.length > 0) {
    await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl,
        Entries: done.map((message, index) => ({
          Id: String(index),
          ReceiptHandle: message.ReceiptHandle,
        })),
      }),
    );
  }
  return { delivered: Messages.length, failed: failed.size };
}

/** Enough of a Lambda context for Powertools. */
export function lambdaContext(functionName: string): Context {
  return {
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:eu-west-1:000000000000:function:${functionName}`,
    memoryLimitInMB: '512',
    awsRequestId: crypto.randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'test',
    callbackWaitsForEmptyEventLoop: false,
    getRemainingTimeInMillis: () => 30_000,
    done: () => {},
    fail: () => {},
    succeed: () => {},
  };
}

/**
 * A queue with a dead-letter queue after 5 receives, like the declared
 * ones, named uniquely for one test file. Answers its name.
 */
export async function throwawayQueue(prefix: string): Promise<string> {
  const sqs = new SQSClient({});
  const name = `${prefix}-${crypto.randomUUID().slice(0, 8)}`;
  const dlq = await sqs.send(
    new CreateQueueCommand({ QueueName: `${name}-dlq` }),
  );
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: dlq.QueueUrl,
      AttributeNames: ['QueueArn'],
    }),
  );
  await sqs.send(
    new CreateQueueCommand({
      QueueName: name,
      Attributes: {
        VisibilityTimeout: '60',
        RedrivePolicy: JSON.stringify({
          deadLetterTargetArn: Attributes?.QueueArn,
          maxReceiveCount: 5,
        }),
      },
    }),
  );
  sqs.destroy();
  return name;
}

export async function deleteQueue(name: string): Promise<void> {
  const sqs = new SQSClient({});
  for (const queueName of [name, `${name}-dlq`]) {
    const { QueueUrl } = await sqs.send(
      new GetQueueUrlCommand({ QueueName: queueName }),
    );
    await sqs.send(new DeleteQueueCommand({ QueueUrl }));
  }
  sqs.destroy();
}
