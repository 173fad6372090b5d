import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { KafkaMskEventSchema } from '@aws-lambda-powertools/parser/schemas';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { Context, MSKRecord } from 'aws-lambda';
import { intEnv, readEndpoints, requireEnv, stringEnv } from '../../lib/config';
import { createLogger, type Logger } from '../../lib/logger';
import { closeMongo, getMongoDb } from '../../lib/mongo';
import { MongoUsersStore } from '../../lib/users/mongo-users-store';
import { UsersStoreDirectory } from './customers';
import { type FailureRecorder, SqsFailureRecorder } from './failures';
import { smtpMailer } from './mailer';
import { Notifier, type RecordOutcome } from './notifier';

export interface NotifyRuntime {
  notifier: Pick<Notifier, 'process' | 'registerContext'>;
  failures: FailureRecorder;
  logger: Logger;
}

/** Handles one MSK batch: resolves when every record was emailed or set aside. */
export type NotifyHandler = (event: unknown, context: Context) => Promise<void>;

/**
 * The notify Lambda for a runtime (or a function building one on first
 * use). Each record is emailed once, or set aside on the failure queue
 * with its reason, and the records behind it go on either way. The
 * invocation fails, and the event source retries the batch, only when
 * the event is not an MSK event or a dependency the whole batch needs
 * (the idempotency table, the failure queue) fails; records already sent
 * are then recognised as duplicates.
 */
export function createHandler(
  runtime: NotifyRuntime | (() => NotifyRuntime),
): NotifyHandler {
  let resolved: NotifyRuntime | undefined;
  return async (event, context) => {
    resolved ??= typeof runtime === 'function' ? runtime() : runtime;
    const { notifier, failures, logger } = resolved;
    logger.addContext(context);
    notifier.registerContext(context);

    const batch = KafkaMskEventSchema.safeParse(event);
    if (!batch.success) {
      logger.error('not an MSK event');
      throw new Error('notify expects an MSK event');
    }
    // The raw records, not the parsed ones: a set-aside record keeps its
    // original bytes for replay.
    for (const records of Object.values((event as MskBatch).records)) {
      for (const record of records) {
        const outcome = await notifier.process(record);
        await settle(outcome, record, failures, logger);
      }
    }
  };
}

type MskBatch = { records: Record<string, MSKRecord[]> };

/** Logs an outcome and records a set-aside one on the failure queue. */
export async function settle(
  outcome: RecordOutcome,
  record: MSKRecord,
  failures: FailureRecorder,
  logger: Logger,
): Promise<void> {
  const position = {
    topic: record.topic,
    partition: record.partition,
    offset: record.offset,
  };
  const ids =
    'event' in outcome && outcome.event
      ? {
          eventId: outcome.event.eventId,
          orderId: outcome.event.orderId,
          status: outcome.event.status,
        }
      : {};
  switch (outcome.status) {
    case 'sent':
      logger.info('email sent', { ...position, ...ids });
      return;
    case 'duplicate':
      logger.info('duplicate event skipped', { ...position, ...ids });
      return;
    case 'set-aside':
      await failures.record({
        kind: 'notify.failed',
        version: 1,
        reason: outcome.reason,
        detail: outcome.detail,
        failedAt: new Date().toISOString(),
        ...(ids.eventId && { eventId: ids.eventId, orderId: ids.orderId }),
        record,
      });
      logger.warn('record set aside', {
        ...position,
        ...ids,
        reason: outcome.reason,
        detail: outcome.detail,
      });
  }
}

/** The runtime from the environment (see README.md for the keys). */
export function runtimeFromEnv(
  env: NodeJS.ProcessEnv = process.env,
  logger: Logger = createLogger('notify'),
) {
  const endpoints = readEndpoints(env);
  const aws = {
    region: endpoints.awsRegion,
    ...(endpoints.awsEndpointUrl && { endpoint: endpoints.awsEndpointUrl }),
  };
  const customers = new UsersStoreDirectory(async () =>
    MongoUsersStore.open(await getMongoDb(endpoints.mongodbUri)),
  );
  const mailer = smtpMailer({
    url: endpoints.smtpUrl,
    from: stringEnv(
      'MAIL_FROM',
      'PharmaExpress <no-reply@pharmaexpress.local>',
      env,
    ),
    attempts: intEnv('NOTIFY_SMTP_ATTEMPTS', 3, { min: 1, max: 10 }, env),
    retryDelayMs: intEnv('NOTIFY_SMTP_RETRY_DELAY_MS', 250, { min: 0 }, env),
    logger,
  });
  const dynamodb = new DynamoDBClient(aws);
  const sqs = new SQSClient(aws);
  const notifier = new Notifier({
    customers,
    mailer,
    persistenceStore: new DynamoDBPersistenceLayer({
      tableName: requireEnv('IDEMPOTENCY_TABLE', env),
      awsSdkV3Client: dynamodb,
    }),
    logger,
  });
  const failureQueue = new SqsFailureRecorder(
    sqs,
    requireEnv('NOTIFY_FAILURE_QUEUE_NAME', env),
  );
  return {
    notifier,
    failures: failureQueue,
    failureQueue,
    sqs,
    logger,
    /** Closes the connections (tests, the replay command). */
    async close() {
      mailer.close();
      await closeMongo();
      dynamodb.destroy();
      sqs.destroy();
    },
  };
}

export const handler = createHandler(() => runtimeFromEnv());
