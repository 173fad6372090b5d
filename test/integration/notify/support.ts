import { randomUUID } from 'node:crypto';
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { Logger } from '@aws-lambda-powertools/logger';
import {
  CreateQueueCommand,
  DeleteQueueCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
} from '@aws-sdk/client-sqs';
import { Kafka, logLevel, type Message } from 'kafkajs';
import { requireEnv } from '../../../lib/config';

import { getMongoDb } from '../../../lib/mongo';
import { MongoUsersStore } from '../../../lib/users/mongo-users-store';
import type { Locale, User } from '../../../lib/users/user';
import type {
  KafkaEventSourceConfig,
  KafkaEventSourceMapping,
} from '../../../localstack/kafka-event-source/config';
import type { Invoker } from '../../../localstack/kafka-event-source/invokers';
import type { KafkaEvent } from '../../../localstack/kafka-event-source/kafka-event';
import { localAws } from '../../helpers/aws';

export const kafka = () =>
  new Kafka({
    clientId: 'it-notify',
    brokers: requireEnv('KAFKA_BROKERS').split(','),
    logLevel: logLevel.NOTHING,
  });

/** A throwaway topic; deleted by `dropTopics`. */
export async function createTopic(client: Kafka, partitions = 1) {
  const topic = `it-notify-${randomUUID()}`;
  const admin = client.admin();
  await admin.connect();
  try {
    await admin.createTopics({
      topics: [{ topic, numPartitions: partitions }],
      waitForLeaders: true,
    });
  } finally {
    await admin.disconnect();
  }
  return topic;
}

export async function dropTopics(client: Kafka, topics: string[]) {
  const admin = client.admin();
  await admin.connect();
  await admin.deleteTopics({ topics }).catch(() => {});
  await admin.disconnect();
}

export async function produce(
  client: Kafka,
  topic: string,
  messages: Message[],
) {
  const producer = client.producer();
  await producer.connect();
  try {
    await producer.send({ topic, messages });
  } finally {
    await producer.disconnect();
  }
}

/** The offset a group has committed on one partition ('-1' for none). */
export async function committedOffset(
  client: Kafka,
  groupId: string,
  topic: string,
  partition = 0,
) {
  const admin = client.admin();
  await admin.connect();
  try {
    const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
    return offsets?.partitions.find((p) => p.partition === partition)?.offset;
  } finally {
    await admin.disconnect();
  }
}

/** A throwaway SQS queue. */
export async function createQueue() {
  const { sqs } = localAws();
  const name = `it-notify-${randomUUID()}`;
  const { QueueUrl } = await sqs.send(
    new CreateQueueCommand({ QueueName: name }),
  );
  return {
    name,
    url: QueueUrl as string,
    /**
     * The bodies of the messages on the queue, parsed, once `expected` are
     * there or after the timeout. Messages stay visible to other readers.
     */
    async bodies(expected: number, timeoutMs = 15_000): Promise<unknown[]> {
      const found = new Map<string, unknown>();
      const deadline = Date.now() + timeoutMs;
      while (found.size < expected && Date.now() < deadline) {
        const { Messages = [] } = await sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: QueueUrl,
            MaxNumberOfMessages: 10,
            VisibilityTimeout: 0,
            WaitTimeSeconds: 1,
          }),
        );
        for (const message of Messages) {
          found.set(
            message.MessageId as string,
            JSON.parse(message.Body ?? 'null'),
          );
        }
      }
      return [...found.values()];
    },
    async send(body: unknown) {
      await sqs.send(
        new SendMessageCommand({ QueueUrl, MessageBody: JSON.stringify(body) }),
      );
    },
    async drop() {
      await sqs.send(new DeleteQueueCommand({ QueueUrl })).catch(() => {});
      sqs.destroy();
    },
  };
}

/** A customer with a unique email, stored through the users store. */
export async function insertCustomer(locale: Locale): Promise<User> {
  const store = await MongoUsersStore.open(await getMongoDb());
  const id = randomUUID();
  const user: User = {
    id,
    email: `it-notify-${id}@example.test`,
    name: locale === 'en' ? 'Ann Example' : 'Zoé Exemple',
    role: 'customer',
    locale,
  };
  await store.create({
    ...user,
    passwordHash: 'not-a-real-hash',
    createdAt: new Date().toISOString(),
  });
  return user;
}

/** A mapping on a throwaway topic with a fresh consumer group. */
export function mapping(
  topic: string,
  fields: Partial<KafkaEventSourceMapping> = {},
): KafkaEventSourceMapping {
  return {
    functionKey: 'notify',
    functionName: 'pharmaexpress-it-notify',
    handler: 'functions/notify/handler.handler',
    timeoutSeconds: 60,
    environment: {},
    kind: 'msk',
    eventSourceArn: 'arn:aws:kafka:eu-west-1:000000000000:cluster/it/it',
    topic,
    batchSize: 10,
    startingPosition: 'TRIM_HORIZON',
    groupId: `it-notify-${randomUUID()}`,
    ...fields,
  };
}

export function sourceConfig(
  mappings: KafkaEventSourceMapping[],
  retry: Partial<KafkaEventSourceConfig['retry']> = {},
): KafkaEventSourceConfig {
  return {
    brokers: requireEnv('KAFKA_BROKERS').split(','),
    mappings,
    retry: { retries: 2, initialDelayMs: 20, maxDelayMs: 200, ...retry },
    aws: {
      endpoint: requireEnv('AWS_ENDPOINT_URL'),
      region: requireEnv('AWS_REGION'),
    },
  };
}

/**
 * Wraps an invoker and remembers each event it was given and whether the
 * invocation succeeded, so that tests wait for an offset to be handled
 * instead of sleeping.
 */
export function recording(inner: Invoker) {
  const calls: { event: KafkaEvent; ok: boolean }[] = [];
  const invoker: Invoker = {
    async invoke(mapping, event) {
      try {
        const result = await inner.invoke(mapping, event);
        calls.push({ event, ok: true });
        return result;
      } catch (error) {
        calls.push({ event, ok: false });
        throw error;
      }
    },
  };
  const offsets = (ok?: boolean) =>
    calls
      .filter((call) => ok === undefined || call.ok === ok)
      .flatMap((call) => Object.values(call.event.records).flat())
      .map((record) => record.offset);
  return {
    invoker,
    calls,
    offsets,
    /** Resolves once an invocation with this offset has succeeded. */
    async delivered(offset: number, timeoutMs = 30_000) {
      await until(() => offsets(true).includes(offset), timeoutMs);
    },
    async attempted(times: number, timeoutMs = 30_000) {
      await until(() => calls.length >= times, timeoutMs);
    },
  };
}

/** Polls `check`, running `nudge` (if any) between polls, until it holds. */
export async function until(
  check: () => boolean,
  timeoutMs: number,
  nudge?: () => Promise<unknown>,
) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await nudge?.();
    await sleep(nudge ? 500 : 50);
  }
}

/** Logs only errors: passing tests stay quiet, failing ones still say why. */
export function quietLogger(): Logger {
  return new Logger({
    serviceName: 'it-notify',
    logLevel: (process.env.IT_LOG_LEVEL ?? 'ERROR') as 'ERROR',
  });
}

/** A loopback port nothing listens on: connections to it are refused. */
export async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
