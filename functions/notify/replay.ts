import {
  DeleteMessageCommand,
  type Message,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { MSKRecord } from 'aws-lambda';
import type { Logger } from '../../lib/logger';
import { isNotifyFailure, REPLAYABLE } from './failures';
import type { Notifier } from './notifier';

export interface ReplayDeps {
  sqs: SQSClient;
  queueUrl: string;
  notifier: Notifier;
  logger: Logger;
  /** Stop after this many messages; all by default. */
  maxMessages?: number;
}

export interface ReplaySummary {
  /** Messages read from the queue. */
  read: number;
  /** Messages whose every record is now emailed: deleted from the queue. */
  replayed: number;
  /** Emails sent by this replay. */
  sent: number;
  /** Records that had been emailed already. */
  duplicates: number;
  /** Messages left on the queue: a send failed again, or a record is malformed. */
  kept: number;
}

// Long enough to send one message's records; a kept message becomes
// visible again after it, so one run reads each message once.
const VISIBILITY_SECONDS = 60;

/**
 * Sends again what the notify failure queue holds, deleting each message
 * only once all its records are emailed (or were already). Reads both
 * notify's own failure records and Lambda's on-failure records for whole
 * batches (`KafkaBatchInfo` with a `payload`). Malformed records are left
 * for a person to look at; they are counted, never sent.
 */
export async function replayFailures(deps: ReplayDeps): Promise<ReplaySummary> {
  const summary: ReplaySummary = {
    read: 0,
    replayed: 0,
    sent: 0,
    duplicates: 0,
    kept: 0,
  };
  const max = deps.maxMessages ?? Number.POSITIVE_INFINITY;
  while (summary.read < max) {
    const { Messages = [] } = await deps.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: deps.queueUrl,
        MaxNumberOfMessages: Math.min(10, max - summary.read),
        VisibilityTimeout: VISIBILITY_SECONDS,
        WaitTimeSeconds: 1,
      }),
    );
    if (Messages.length === 0) break;
    for (const message of Messages) {
      summary.read += 1;
      const done = await replayMessage(message, deps, summary);
      if (done) {
        await deps.sqs.send(
          new DeleteMessageCommand({
            QueueUrl: deps.queueUrl,
            ReceiptHandle: message.ReceiptHandle,
          }),
        );
        summary.replayed += 1;
      } else {
        summary.kept += 1;
      }
    }
  }
  deps.logger.info('replay finished', { ...summary });
  return summary;
}

async function replayMessage(
  message: Message,
  deps: ReplayDeps,
  summary: ReplaySummary,
): Promise<boolean> {
  const messageId = message.MessageId;
  const records = recordsOf(message.Body);
  if (!records) {
    deps.logger.warn('failure message not replayable', {
      messageId,
      why: 'unreadable body or no payload',
    });
    return false;
  }
  deps.notifier.registerContext({
    getRemainingTimeInMillis: deadline(VISIBILITY_SECONDS * 1000),
  });
  let done = true;
  for (const record of records) {
    const outcome = await deps.notifier.process(record);
    const position = {
      messageId,
      topic: record.topic,
      partition: record.partition,
      offset: record.offset,
    };
    if (outcome.status === 'sent') summary.sent += 1;
    else if (outcome.status === 'duplicate') summary.duplicates += 1;
    else {
      done = false;
      deps.logger.warn('record not replayed', {
        ...position,
        reason: outcome.reason,
        replayable: REPLAYABLE.has(outcome.reason),
      });
      continue;
    }
    deps.logger.info('record replayed', {
      ...position,
      eventId: outcome.event.eventId,
      status: outcome.status,
    });
  }
  return done;
}

/** The records a failure message carries, or undefined when it has none. */
function recordsOf(body: string | undefined): MSKRecord[] | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body ?? '');
  } catch {
    return undefined;
  }
  if (isNotifyFailure(parsed)) return [parsed.record];
  // Lambda's on-failure record. TODO(issue 6): SQS destinations on AWS
  // carry offsets but no payload; replaying those means reading the
  // records back from Kafka by offset, which this does not do yet.
  const payload = (parsed as { payload?: unknown } | null)?.payload;
  if (typeof payload !== 'string') return undefined;
  try {
    const event = JSON.parse(payload) as {
      records?: Record<string, MSKRecord[]>;
    };
    return Object.values(event.records ?? {}).flat();
  } catch {
    return undefined;
  }
}

function deadline(ms: number): () => number {
  const end = Date.now() + ms;
  return () => Math.max(0, end - Date.now());
}
