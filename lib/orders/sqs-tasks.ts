import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { z } from 'zod';
import { QueueUrl } from '../sqs';
import type { OrderTaskQueue } from './stock';

/** A message on the validation queue. */
export const orderTaskSchema = z.strictObject({
  task: z.enum(['validate', 'release-stock']),
  orderId: z.string().min(1).max(128),
});
export type OrderTask = z.infer<typeof orderTaskSchema>;

/** The validation queue (SQS), found by name once per process. */
export class SqsOrderTaskQueue implements OrderTaskQueue {
  readonly #url: QueueUrl;

  constructor(
    queueName: string,
    private readonly sqs = new SQSClient({}),
  ) {
    this.#url = new QueueUrl(sqs, queueName);
  }

  validate(orderId: string): Promise<void> {
    return this.#send({ task: 'validate', orderId });
  }

  releaseStock(orderId: string): Promise<void> {
    return this.#send({ task: 'release-stock', orderId });
  }

  async #send(task: OrderTask): Promise<void> {
    await this.sqs.send(
      new SendMessageCommand({
        QueueUrl: await this.#url.get(),
        MessageBody: JSON.stringify(task),
      }),
    );
  }
}
