import {
  BatchProcessor,
  EventType,
  processPartialResponse,
} from '@aws-lambda-powertools/batch';
import {
  ChangeMessageVisibilityCommand,
  GetQueueUrlCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { createLogger } from '../../lib/logger';
import { ordersContext } from '../../lib/orders/context';
import { orderTaskSchema } from '../../lib/orders/sqs-tasks';

const logger = createLogger('validate');
const processor = new BatchProcessor(EventType.SQS);
const sqs = new SQSClient({});

/** Retry delays grow with each receive: 2, 4, 8, ... seconds, capped. */
const BACKOFF_BASE_SECONDS = 2;
const BACKOFF_MAX_SECONDS = 120;

/**
 * Works through the validation queue: validates orders (reserve stock,
 * confirm or reject) and retries stock releases. A failing record is
 * reported alone (partial batch response) and made visible again after a
 * growing delay; after the queue's receive limit it moves to the
 * dead-letter queue, from which `npm run orders:redrive` brings it back.
 */
export async function handler(event: SQSEvent, context: Context) {
  logger.addContext(context);
  return processPartialResponse(event, handleRecord, processor, { context });
}

async function handleRecord(record: SQSRecord): Promise<void> {
  const { service } = ordersContext(logger);
  try {
    const task = orderTaskSchema.parse(JSON.parse(record.body));
    if (task.task === 'validate') {
      const result = await service.validate(task.orderId);
      logger.info('order validated', { orderId: task.orderId, result });
    } else {
      await service.releaseStock(task.orderId);
    }
  } catch (error) {
    logger.warn('order task failed', {
      messageId: record.messageId,
      receiveCount: record.attributes.ApproximateReceiveCount,
      error: error as Error,
    });
    await delayRetry(record);
    throw error;
  }
}

async function delayRetry(record: SQSRecord): Promise<void> {
  const receives = Number(record.attributes.ApproximateReceiveCount) || 1;
  const seconds = Math.min(
    BACKOFF_BASE_SECONDS ** receives,
    BACKOFF_MAX_SECONDS,
  );
  try {
    const queueName = record.eventSourceARN.split(':').pop() as string;
    const { QueueUrl } = await sqs.send(
      new GetQueueUrlCommand({ QueueName: queueName }),
    );
    await sqs.send(
      new ChangeMessageVisibilityCommand({
        QueueUrl,
        ReceiptHandle: record.receiptHandle,
        VisibilityTimeout: seconds,
      }),
    );
  } catch (error) {
    // The queue's own visibility timeout still brings the message back.
    logger.warn('retry delay not set', {
      messageId: record.messageId,
      error: error as Error,
    });
  }
}
