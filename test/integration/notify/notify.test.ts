import { randomUUID } from 'node:crypto';
import type { Message } from 'kafkajs';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { NotifyFailure } from '../../../functions/notify/failures';
import {
  createHandler,
  runtimeFromEnv,
} from '../../../functions/notify/handler';
import { replayFailures } from '../../../functions/notify/replay';
import {
  type OrderStatusChanged,
  orderStatusChanged,
} from '../../../lib/events';
import { closeMongo } from '../../../lib/mongo';
import type { OrderStatus } from '../../../lib/orders/status';
import type { User } from '../../../lib/users/user';
import {
  directInvoker,
  type RunningKafkaEventSource,
  startKafkaEventSource,
} from '../../../localstack/kafka-event-source';
import { type CaughtMail, inbox, waitForMail } from '../../helpers/mail';
import {
  closedPort,
  committedOffset,
  createQueue,
  createTopic,
  dropTopics,
  insertCustomer,
  kafka,
  mapping,
  produce,
  quietLogger,
  recording,
  sourceConfig,
} from './support';

const client = kafka();
const topics: string[] = [];
const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

afterAll(async () => {
  await dropTopics(client, topics);
  await closeMongo();
});

/**
 * The notify handler behind a running Kafka event source on a throwaway
 * topic, with its own failure queue and any environment overrides.
 */
async function notifyPipeline(
  env: Record<string, string> = {},
  on: { topic?: string; groupId?: string } = {},
) {
  const topic = on.topic ?? (await createTopic(client));
  topics.push(topic);
  const failures = await createQueue();
  const runtime = runtimeFromEnv(
    {
      ...process.env,
      NOTIFY_FAILURE_QUEUE_NAME: failures.name,
      NOTIFY_SMTP_RETRY_DELAY_MS: '20',
      ...env,
    },
    quietLogger(),
  );
  const calls = recording(
    directInvoker({ handlers: { notify: createHandler(runtime) } }),
  );
  const consumer = mapping(topic, on.groupId ? { groupId: on.groupId } : {});
  const source: RunningKafkaEventSource = await startKafkaEventSource({
    config: sourceConfig([consumer]),
    invoker: calls.invoker,
    logger: quietLogger(),
  });
  cleanups.push(async () => {
    await source.stop();
    await runtime.close();
    await failures.drop();
  });
  let next = 0;
  return {
    topic,
    groupId: consumer.groupId,
    source,
    failures,
    runtime,
    calls,
    /** Produces the records and waits until the handler has taken them all. */
    async send(...messages: Message[]) {
      await produce(client, topic, messages);
      next += messages.length;
      await calls.delivered(next - 1);
    },
  };
}

function statusEvent(
  user: User,
  status: OrderStatus,
  fields: Partial<OrderStatusChanged> = {},
): OrderStatusChanged {
  return orderStatusChanged({
    orderId: randomUUID(),
    userId: user.id,
    status,
    previousStatus: 'PENDING',
    ...fields,
  });
}

function record(event: unknown, key = 'order'): Message {
  return {
    key,
    value: typeof event === 'string' ? event : JSON.stringify(event),
  };
}

const to = (user: User) => (mail: CaughtMail) =>
  mail.to.some((address) => address.address === user.email);

async function mailsTo(user: User): Promise<CaughtMail[]> {
  return (await inbox()).filter(to(user));
}

const reference = (event: OrderStatusChanged) =>
  event.orderId.replaceAll('-', '').slice(0, 8).toUpperCase();

describe('notify, fed by the Kafka event source', () => {
  it('emails each status change once to its customer, in French by default', async () => {
    // Prepare
    const pipeline = await notifyPipeline();
    const customer = await insertCustomer('fr');
    const orderId = randomUUID();
    const placed = statusEvent(customer, 'PENDING', {
      orderId,
      previousStatus: null,
    });
    const confirmed = statusEvent(customer, 'CONFIRMED', {
      orderId,
      total: 1234,
    });

    // Act
    await pipeline.send(record(placed, orderId), record(confirmed, orderId));

    // Assess
    const mails = await waitForMail(to(customer), { count: 2 });
    expect(mails.map((mail) => mail.subject).sort()).toEqual([
      `Commande ${reference(placed)}\u00a0: confirmée`,
      `Commande ${reference(placed)}\u00a0: reçue`,
    ]);
    const confirmation = mails.find((mail) =>
      mail.subject.endsWith('confirmée'),
    );
    expect(confirmation?.text).toContain('Bonjour Zoé Exemple,');
    expect(confirmation?.text).toMatch(/Montant\u00a0: 12,34\s€/);
    expect(confirmation?.html).toContain('<html lang="fr">');
    expect(await mailsTo(customer)).toHaveLength(2);
  });

  it('writes in English to a customer whose locale is en, with the rejection reason', async () => {
    // Prepare
    const pipeline = await notifyPipeline();
    const customer = await insertCustomer('en');
    const rejected = statusEvent(customer, 'REJECTED', {
      reason: 'Prescription required',
    });

    // Act
    await pipeline.send(record(rejected));

    // Assess
    const [mail] = await waitForMail(to(customer));
    expect(mail?.subject).toBe(`Order ${reference(rejected)}: rejected`);
    expect(mail?.text).toContain('Hello Ann Example,');
    expect(mail?.text).toContain('Reason: Prescription required');
    expect(mail?.html).toContain('Reason: Prescription required');
  });

  it('sends one email for an event delivered twice', async () => {
    // Prepare
    const pipeline = await notifyPipeline();
    const customer = await insertCustomer('fr');
    const event = statusEvent(customer, 'READY');
    const later = statusEvent(customer, 'DELIVERED');

    // Act: the copy, then a later event as a marker that both were handled.
    await pipeline.send(record(event), record(event), record(later));

    // Assess
    await waitForMail(to(customer), { count: 2 });
    const subjects = (await mailsTo(customer)).map((mail) => mail.subject);
    expect(subjects).toHaveLength(2);
    expect(
      subjects.filter((subject) => subject.endsWith('prête')),
    ).toHaveLength(1);
  });

  it('parks events in the failure queue while SMTP is unreachable, and the replay sends them', async () => {
    // Prepare
    const port = await closedPort();
    const pipeline = await notifyPipeline({
      SMTP_URL: `smtp://127.0.0.1:${port}`,
    });
    const customer = await insertCustomer('en');
    const events = [
      statusEvent(customer, 'CONFIRMED'),
      statusEvent(customer, 'CANCELLED'),
    ];

    // Act
    await pipeline.send(...events.map((event) => record(event)));
    const parked = (await pipeline.failures.bodies(2)) as NotifyFailure[];
    const mailsWhileDown = await mailsTo(customer);
    const replayRuntime = runtimeFromEnv(
      { ...process.env, NOTIFY_FAILURE_QUEUE_NAME: pipeline.failures.name },
      quietLogger(),
    );
    cleanups.push(() => replayRuntime.close());
    const summary = await replayFailures({
      sqs: replayRuntime.sqs,
      queueUrl: pipeline.failures.url,
      notifier: replayRuntime.notifier,
      logger: quietLogger(),
    });

    // Assess
    expect(mailsWhileDown).toEqual([]);
    expect(
      parked.map((failure) => [failure.reason, failure.eventId]).sort(),
    ).toEqual(events.map((event) => ['SEND_FAILED', event.eventId]).sort());
    expect(summary).toMatchObject({ replayed: 2, sent: 2, kept: 0 });
    expect(
      (await waitForMail(to(customer), { count: 2 }))
        .map((m) => m.subject)
        .sort(),
    ).toEqual(
      events
        .map(
          (event) => `Order ${reference(event)}: ${event.status.toLowerCase()}`,
        )
        .sort(),
    );
    expect(await pipeline.failures.bodies(1, 2000)).toEqual([]);
  });

  it('does not send again what a replay finds already sent', async () => {
    // Prepare: a failure record for an event that has since been emailed.
    const pipeline = await notifyPipeline();
    const customer = await insertCustomer('fr');
    const event = statusEvent(customer, 'PREPARING');
    await pipeline.send(record(event));
    await waitForMail(to(customer));
    const copy = await createQueue();
    cleanups.push(() => copy.drop());
    const failure: NotifyFailure = {
      kind: 'notify.failed',
      version: 1,
      reason: 'SEND_FAILED',
      detail: 'ECONNECTION after 3 attempt(s)',
      failedAt: new Date().toISOString(),
      eventId: event.eventId,
      record: {
        topic: pipeline.topic,
        partition: 0,
        offset: 0,
        timestamp: Date.now(),
        timestampType: 'CREATE_TIME',
        key: Buffer.from('order').toString('base64'),
        value: Buffer.from(JSON.stringify(event)).toString('base64'),
        headers: [],
      },
    };
    await copy.send(failure);

    // Act
    const summary = await replayFailures({
      sqs: pipeline.runtime.sqs,
      queueUrl: copy.url,
      notifier: pipeline.runtime.notifier,
      logger: quietLogger(),
    });

    // Assess
    expect(summary).toMatchObject({ replayed: 1, sent: 0, duplicates: 1 });
    expect(await mailsTo(customer)).toHaveLength(1);
  });

  it('sets aside malformed records with their reason without blocking the records behind them', async () => {
    // Prepare
    const pipeline = await notifyPipeline();
    const customer = await insertCustomer('en');
    const valid = statusEvent(customer, 'DELIVERED');
    const { userId: _dropped, ...missingUserId } = statusEvent(
      customer,
      'READY',
    );
    const malformed: [string, string, unknown][] = [
      ['not JSON', 'NOT_JSON', '{"eventId": '],
      [
        'an unknown type',
        'UNKNOWN_TYPE',
        { ...valid, eventId: randomUUID(), type: 'order.archived' },
      ],
      ['missing fields', 'INVALID_EVENT', missingUserId],
    ];

    // Act: one partition, the valid event last.
    await pipeline.send(
      ...malformed.map(([, , value]) => record(value)),
      record(valid),
    );

    // Assess
    const [mail] = await waitForMail(to(customer));
    expect(mail?.subject).toBe(`Order ${reference(valid)}: delivered`);
    const parked = (await pipeline.failures.bodies(3)) as NotifyFailure[];
    expect(parked.map((failure) => failure.reason).sort()).toEqual(
      malformed.map(([, reason]) => reason).sort(),
    );
    const notJson = parked.find((failure) => failure.reason === 'NOT_JSON');
    expect(Buffer.from(notJson?.record.value ?? '', 'base64').toString()).toBe(
      '{"eventId": ',
    );
  });

  it('sets aside an event whose customer has no account', async () => {
    // Prepare
    const pipeline = await notifyPipeline();
    const ghost = { id: randomUUID() } as User;
    const event = statusEvent(ghost, 'CONFIRMED');

    // Act
    await pipeline.send(record(event));

    // Assess
    const [parked] = (await pipeline.failures.bodies(1)) as NotifyFailure[];
    expect(parked).toMatchObject({
      reason: 'CUSTOMER_NOT_FOUND',
      eventId: event.eventId,
      orderId: event.orderId,
    });
  });

  it('fails the batch, uncommitted, when an event can be neither sent nor parked, and a restart sends it', async () => {
    // Prepare: SMTP down and a failure queue that does not exist.
    const customer = await insertCustomer('fr');
    const event = statusEvent(customer, 'CONFIRMED');
    const broken = await notifyPipeline({
      SMTP_URL: `smtp://127.0.0.1:${await closedPort()}`,
      NOTIFY_FAILURE_QUEUE_NAME: `it-notify-missing-${randomUUID()}`,
    });
    await produce(client, broken.topic, [record(event)]);
    await broken.calls.attempted(2);

    // Act
    await broken.source.stop();
    const committed = await committedOffset(
      client,
      broken.groupId,
      broken.topic,
    );
    await notifyPipeline({}, { topic: broken.topic, groupId: broken.groupId });

    // Assess
    expect(broken.calls.offsets(true)).toEqual([]);
    expect(committed).toBe('-1');
    const [mail] = await waitForMail(to(customer));
    expect(mail?.subject).toBe(`Commande ${reference(event)}\u00a0: confirmée`);
  });
});
