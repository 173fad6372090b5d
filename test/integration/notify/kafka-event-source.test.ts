import { afterAll, afterEach, describe, expect, it } from 'vitest';
import {
  InvocationError,
  type Invoker,
  type KafkaEvent,
  type KafkaFailureRecord,
  type RunningKafkaEventSource,
  startKafkaEventSource,
} from '../../../localstack/kafka-event-source';
import {
  committedOffset,
  createQueue,
  createTopic,
  dropTopics,
  kafka,
  mapping,
  produce,
  quietLogger,
  recording,
  sourceConfig,
  until,
} from './support';

const client = kafka();
const topics: string[] = [];
let running: RunningKafkaEventSource[] = [];

async function topic(partitions = 1) {
  const name = await createTopic(client, partitions);
  topics.push(name);
  return name;
}

const succeeds: Invoker = { invoke: async () => undefined };
const fails: Invoker = {
  invoke: async () => {
    throw new InvocationError('boom');
  },
};

async function start(options: Parameters<typeof startKafkaEventSource>[0]) {
  const source = await startKafkaEventSource({
    logger: quietLogger(),
    ...options,
  });
  running.push(source);
  return source;
}

const valuesIn = (event: KafkaEvent) =>
  Object.values(event.records)
    .flat()
    .map((record) => Buffer.from(record.value, 'base64').toString());

afterEach(async () => {
  await Promise.all(running.map((source) => source.stop()));
  running = [];
});

afterAll(async () => {
  await dropTopics(client, topics);
});

describe('startKafkaEventSource', () => {
  it('invokes the function with each record in the MSK event shape, batchSize at a time', async () => {
    // Prepare
    const name = await topic();
    const calls = recording(succeeds);
    await produce(client, name, [
      { key: 'order-1', value: 'a', headers: { eventId: 'e-1' } },
      { key: 'order-1', value: 'b' },
      { key: 'order-1', value: 'c' },
    ]);

    // Act
    await start({
      config: sourceConfig([mapping(name, { batchSize: 2 })]),
      invoker: calls.invoker,
    });
    await calls.delivered(2);

    // Assess
    expect(calls.calls.map((call) => valuesIn(call.event))).toEqual([
      ['a', 'b'],
      ['c'],
    ]);
    const [first] = calls.calls;
    expect(first?.event).toMatchObject({
      eventSource: 'aws:kafka',
      eventSourceArn: 'arn:aws:kafka:eu-west-1:000000000000:cluster/it/it',
    });
    expect(first?.event.records[`${name}-0`]?.[0]).toMatchObject({
      topic: name,
      partition: 0,
      offset: 0,
      timestampType: 'CREATE_TIME',
      key: Buffer.from('order-1').toString('base64'),
      headers: [{ eventId: [...Buffer.from('e-1')] }],
    });
  });

  it('commits the offset after a batch succeeded', async () => {
    // Prepare
    const name = await topic();
    const calls = recording(succeeds);
    const consumer = mapping(name);
    await produce(client, name, [{ value: 'a' }, { value: 'b' }]);

    // Act
    await start({ config: sourceConfig([consumer]), invoker: calls.invoker });
    await calls.delivered(1);

    // Assess
    await expect
      .poll(() => committedOffset(client, consumer.groupId, name))
      .toBe('2');
  });

  it('commits nothing while invocations fail, so a restarted consumer gets the batch again', async () => {
    // Prepare: no on-failure queue, so the batch is retried until it succeeds.
    const name = await topic();
    const consumer = mapping(name);
    const failing = recording(fails);
    await produce(client, name, [{ value: 'kept' }]);
    const first = await start({
      config: sourceConfig([consumer], { retries: 0 }),
      invoker: failing.invoker,
    });
    await failing.attempted(3);

    // Act
    await first.stop();
    const afterFailures = await committedOffset(client, consumer.groupId, name);
    const succeeding = recording(succeeds);
    await start({
      config: sourceConfig([consumer]),
      invoker: succeeding.invoker,
    });
    await succeeding.delivered(0);

    // Assess
    expect(afterFailures).toBe('-1');
    expect(failing.offsets(true)).toEqual([]);
    expect(valuesIn(succeeding.calls[0]?.event as KafkaEvent)).toEqual([
      'kept',
    ]);
  });

  it('sends a batch that used up its retries to the on-failure queue, then moves on', async () => {
    // Prepare
    const name = await topic();
    const queue = await createQueue();
    const consumer = mapping(name, {
      batchSize: 1,
      onFailureQueue: queue.name,
    });
    const poisonOnly: Invoker = {
      invoke: async (m, event) =>
        valuesIn(event).includes('poison') ? fails.invoke(m, event) : undefined,
    };
    const calls = recording(poisonOnly);
    await produce(client, name, [{ value: 'poison' }, { value: 'fine' }]);

    try {
      // Act
      await start({
        config: sourceConfig([consumer], { retries: 2 }),
        invoker: calls.invoker,
      });
      await calls.delivered(1);
      const [parked] = (await queue.bodies(1)) as KafkaFailureRecord[];

      // Assess
      expect(calls.offsets(false)).toEqual([0, 0, 0]);
      expect(parked?.requestContext).toMatchObject({
        condition: 'RetryAttemptsExhausted',
        approximateInvokeCount: 3,
      });
      expect(parked?.KafkaBatchInfo.recordsInfo[`${name}-0`]).toMatchObject({
        firstRecordOffset: '0',
        lastRecordOffset: '0',
      });
      expect(valuesIn(JSON.parse(parked?.payload ?? '{}'))).toEqual(['poison']);
      await expect
        .poll(() => committedOffset(client, consumer.groupId, name))
        .toBe('2');
    } finally {
      await queue.drop();
    }
  });

  it('starts from the end of the topic for LATEST', async () => {
    // Prepare
    const name = await topic();
    await produce(client, name, [{ value: 'before' }]);
    const calls = recording(succeeds);

    // Act: the group's position is fixed at its first fetch, so records
    // produced after the start are sent until one arrives.
    await start({
      config: sourceConfig([mapping(name, { startingPosition: 'LATEST' })]),
      invoker: calls.invoker,
    });
    await until(
      () => calls.calls.length > 0,
      15_000,
      () => produce(client, name, [{ value: 'after' }]),
    );

    // Assess
    const seen = calls.calls.flatMap((call) => valuesIn(call.event));
    expect(seen).not.toContain('before');
    expect(seen).toContain('after');
  });

  it('keeps the records of each partition in order across partitions', async () => {
    // Prepare
    const name = await topic(3);
    const calls = recording(succeeds);
    const messages = ['x', 'y', 'z'].flatMap((key) =>
      [1, 2, 3].map((n) => ({ key, value: `${key}${n}` })),
    );
    await produce(client, name, messages);

    // Act
    await start({
      config: sourceConfig([mapping(name, { batchSize: 1 })]),
      invoker: calls.invoker,
    });
    await expect.poll(() => calls.calls.length).toBe(9);

    // Assess
    const seen = calls.calls.flatMap((call) => valuesIn(call.event));
    for (const key of ['x', 'y', 'z']) {
      expect(seen.filter((value) => value.startsWith(key))).toEqual([
        `${key}1`,
        `${key}2`,
        `${key}3`,
      ]);
    }
  });
});
