import { randomUUID } from 'node:crypto';
import {
  GetQueueUrlCommand,
  SendMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { KafkaEventSourceMapping } from './config';
import type { KafkaEvent } from './kafka-event';

/**
 * What Lambda sends to an on-failure destination when a Kafka batch has
 * used up its retries, per
 * https://docs.aws.amazon.com/lambda/latest/dg/kafka-on-failure.html.
 * `payload` (the whole event as a JSON string) is what AWS adds for S3
 * and Kafka destinations only; it is always added here so that the
 * records can be replayed from the queue alone.
 */
export interface KafkaFailureRecord {
  requestContext: {
    requestId: string;
    functionArn: string;
    condition: 'RetryAttemptsExhausted';
    approximateInvokeCount: number;
  };
  responseContext: {
    statusCode: number;
    executedVersion: string;
    functionError: string;
  };
  version: '1.0';
  timestamp: string;
  KafkaBatchInfo: {
    batchSize: number;
    eventSourceArn?: string;
    bootstrapServers: string;
    payloadSize: number;
    recordsInfo: Record<
      string,
      {
        firstRecordOffset: string;
        lastRecordOffset: string;
        firstRecordTimestamp: string;
        lastRecordTimestamp: string;
      }
    >;
  };
  payload: string;
}

export function failureRecord(
  mapping: KafkaEventSourceMapping,
  event: KafkaEvent,
  invokeCount: number,
  region: string,
): KafkaFailureRecord {
  const payload = JSON.stringify(event);
  const records = Object.values(event.records).flat();
  const recordsInfo: KafkaFailureRecord['KafkaBatchInfo']['recordsInfo'] = {};
  for (const [key, list] of Object.entries(event.records)) {
    const first = list[0];
    const last = list.at(-1);
    if (!first || !last) continue;
    recordsInfo[key] = {
      firstRecordOffset: String(first.offset),
      lastRecordOffset: String(last.offset),
      firstRecordTimestamp: new Date(first.timestamp).toISOString(),
      lastRecordTimestamp: new Date(last.timestamp).toISOString(),
    };
  }
  return {
    requestContext: {
      requestId: randomUUID(),
      functionArn: `arn:aws:lambda:${region}:000000000000:function:${mapping.functionName}`,
      condition: 'RetryAttemptsExhausted',
      approximateInvokeCount: invokeCount,
    },
    responseContext: {
      statusCode: 200,
      executedVersion: '$LATEST',
      functionError: 'Unhandled',
    },
    version: '1.0',
    timestamp: new Date().toISOString(),
    KafkaBatchInfo: {
      batchSize: records.length,
      ...(event.eventSourceArn && { eventSourceArn: event.eventSourceArn }),
      bootstrapServers: event.bootstrapServers,
      payloadSize: Buffer.byteLength(payload),
      recordsInfo,
    },
    payload,
  };
}

/** Sends failure records to SQS queues given by name or URL. */
export class SqsFailureDestination {
  readonly #urls = new Map<string, Promise<string>>();

  constructor(private readonly sqs: SQSClient) {}

  async send(queue: string, record: KafkaFailureRecord): Promise<void> {
    await this.sqs.send(
      new SendMessageCommand({
        QueueUrl: await this.#url(queue),
        MessageBody: JSON.stringify(record),
      }),
    );
  }

  #url(queue: string): Promise<string> {
    if (/^https?:\/\//.test(queue)) return Promise.resolve(queue);
    let url = this.#urls.get(queue);
    if (!url) {
      url = this.sqs
        .send(new GetQueueUrlCommand({ QueueName: queue }))
        .then(({ QueueUrl }) => QueueUrl as string);
      // A failed lookup is not cached: the next batch asks again.
      url.catch(() => this.#urls.delete(queue));
      this.#urls.set(queue, url);
    }
    return url;
  }
}
