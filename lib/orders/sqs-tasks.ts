import {
  GetQueueUrlCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { z } from 'zod';
import type { OrderTaskQueue } from './stock';

/** A message on the validation queue. */
export const orderTaskSchema = z.strictObject({
  task: z.enum(['validate', 'release-stock']),
  orderId: z.string().min(1).max(128),
});
export type OrderTask = z.infer<typeof orderTaskSchema>;

/** The validation queue (SQS), found by name once per process. */
export class SqsOrderTaskQueue implements OrderTaskQueue {
  #url: Promise<string> | undefined;

  constructor(
    private readonly queueName: string,
    private readonly sqs = new SQSClient({}),
  ) {}

  validate(orderId: string): Promise<void> {
    return this.#send({ task: 'validate', orderId });
  }

  releaseStock(orderId: string): Promise<void> {
    return this.#send({ task: 'release-stock', orderId });
  }

  async #send(task: OrderTask): Promise<void> {
    await this.sqs.send(
      new SendMessageCommand({
        QueueUrl: await this.#queueUrl(),
        MessageBody: JSON.stringify(task),
      }),
    );
  }

  #queueUrl(): Promise<string> {
    this.#url ??= this.sqs
      .send(new GetQueueUrlCommand({ QueueName: this.queueName }))
      .then(({ QueueUrl }) => QueueUrl as string)
      .catch((error: unknown) => {
        this.#url = undefined;
        throw error;
      });
    return this.#url;
  }
}
