import { GetQueueUrlCommand, type SQSClient } from '@aws-sdk/client-sqs';

/**
 * A queue's URL, looked up by name once per process and kept; a failed
 * look-up is not kept, so the next call tries again.
 */
export class QueueUrl {
  #url: Promise<string> | undefined;

  constructor(
    private readonly sqs: SQSClient,
    readonly queueName: string,
  ) {}

  get(): Promise<string> {
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
