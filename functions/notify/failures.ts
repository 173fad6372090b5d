import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { MSKRecord } from 'aws-lambda';
import { QueueUrl } from '../../lib/sqs';

/** Why a record was set aside instead of emailed. */
export type FailureReason =
  /** The value is not JSON. */
  | 'NOT_JSON'
  /** JSON, but not an `order.status_changed` event. */
  | 'UNKNOWN_TYPE'
  /** An `order.status_changed` event with missing or wrong fields. */
  | 'INVALID_EVENT'
  /** No user with the event's userId, or one without an email. */
  | 'CUSTOMER_NOT_FOUND'
  /** The mail server refused or was unreachable through every attempt. */
  | 'SEND_FAILED';

/** Reasons a replay may cure; the others need a person. */
export const REPLAYABLE: ReadonlySet<FailureReason> = new Set([
  'CUSTOMER_NOT_FOUND',
  'SEND_FAILED',
]);

/**
 * One message on the notify failure queue: the record exactly as it was
 * delivered (base64 key and value), so that `npm run notify:replay` can
 * run it again, plus why and where it failed. The detail names fields and
 * error codes, never values.
 */
export interface NotifyFailure {
  kind: 'notify.failed';
  version: 1;
  reason: FailureReason;
  detail: string;
  failedAt: string;
  eventId?: string;
  orderId?: string;
  record: MSKRecord;
}

export interface FailureRecorder {
  record(failure: NotifyFailure): Promise<void>;
}

export function isNotifyFailure(body: unknown): body is NotifyFailure {
  const candidate = body as Partial<NotifyFailure> | null;
  return (
    candidate?.kind === 'notify.failed' &&
    typeof candidate.record === 'object' &&
    candidate.record !== null
  );
}

/** Sends failures to an SQS queue, by name (its URL looked up once). */
export class SqsFailureRecorder implements FailureRecorder {
  readonly #url: QueueUrl;

  constructor(
    private readonly sqs: SQSClient,
    queueName: string,
  ) {
    this.#url = new QueueUrl(sqs, queueName);
  }

  async record(failure: NotifyFailure): Promise<void> {
    await this.sqs.send(
      new SendMessageCommand({
        QueueUrl: await this.url(),
        MessageBody: JSON.stringify(failure),
        MessageAttributes: {
          reason: { DataType: 'String', StringValue: failure.reason },
        },
      }),
    );
  }

  url(): Promise<string> {
    return this.#url.get();
  }
}
