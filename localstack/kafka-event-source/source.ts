import { setTimeout as sleep } from 'node:timers/promises';
import { SQSClient } from '@aws-sdk/client-sqs';
import {
  type Consumer,
  type EachBatchPayload,
  Kafka,
  type KafkaMessage,
  logLevel,
} from 'kafkajs';
import { createLogger, type Logger } from '../../lib/logger';
import type { KafkaEventSourceConfig, KafkaEventSourceMapping } from './config';
import type { Invoker } from './invokers';
import { buildKafkaEvent, type KafkaEvent } from './kafka-event';
import { failureRecord, SqsFailureDestination } from './on-failure';

export interface StartOptions {
  config: KafkaEventSourceConfig;
  invoker: Invoker;
  logger?: Logger;
  /** How long to wait for each consumer to join its group; default 30 s. */
  joinTimeoutMs?: number;
}

export interface RunningKafkaEventSource {
  /** Lets the batches in flight finish or give up, then leaves the groups. */
  stop(): Promise<void>;
}

/**
 * Runs one consumer group per mapping and invokes its function with each
 * batch, in the event shape Lambda uses for MSK and Kafka.
 *
 * Per partition, in order:
 *
 *   fetch ─► split into batchSize ─► invoke ─ok─► commit offset ─► next
 *                                      │fail
 *                                      ▼
 *            retry with backoff ─ retries left? ─► invoke again
 *                                      │ used up
 *                     on-failure queue? ─yes─► send failure record ─► commit
 *                                      │no
 *                                      └─► keep retrying (Lambda's default)
 *
 * An offset is committed only after its batch succeeded or was parked in
 * the queue, so a batch in flight when the source stops or crashes is
 * delivered again on the next start.
 *
 * @example
 * const source = await startKafkaEventSource({
 *   config: { brokers, mappings, retry, aws },
 *   invoker: directInvoker(),
 * });
 * // ...
 * await source.stop();
 */
export async function startKafkaEventSource(
  options: StartOptions,
): Promise<RunningKafkaEventSource> {
  const { config, invoker } = options;
  const logger = options.logger ?? createLogger('kafka-event-source');
  const kafka = new Kafka({
    clientId: 'kafka-event-source',
    brokers: config.brokers,
    logLevel: logLevel.NOTHING,
  });
  const sqs = new SQSClient({
    region: config.aws.region,
    ...(config.aws.endpoint && { endpoint: config.aws.endpoint }),
  });
  const destination = new SqsFailureDestination(sqs);
  const stopping = new AbortController();
  const consumers: Consumer[] = [];

  const stop = async () => {
    stopping.abort();
    await Promise.allSettled(
      consumers.map((consumer) => consumer.disconnect()),
    );
    await invoker.close?.();
    sqs.destroy();
  };

  try {
    for (const mapping of config.mappings) {
      const consumer = kafka.consumer({
        groupId: mapping.groupId,
        maxWaitTimeInMs: 500,
      });
      consumers.push(consumer);
      const keys = mappingKeys(mapping);
      // kafkajs restarts a crashed consumer by itself (the batch was not
      // committed, so it comes again); this says why it crashed.
      consumer.on(consumer.events.CRASH, ({ payload }) => {
        logger.error('consumer crashed', {
          ...keys,
          error: payload.error.message,
          restart: payload.restart,
        });
      });
      const joined = waitForJoin(consumer, options.joinTimeoutMs ?? 30_000);
      await consumer.connect();
      await consumer.subscribe({
        topic: mapping.topic,
        fromBeginning: mapping.startingPosition === 'TRIM_HORIZON',
      });
      const worker = new BatchWorker(mapping, {
        config,
        invoker,
        destination,
        logger,
        signal: stopping.signal,
      });
      await consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        eachBatch: (payload) => worker.consume(payload, consumer),
      });
      if (await joined) logger.info('consumer joined group', keys);
      else logger.warn('consumer not joined yet', keys);
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { stop };
}

interface WorkerDeps {
  config: KafkaEventSourceConfig;
  invoker: Invoker;
  destination: SqsFailureDestination;
  logger: Logger;
  signal: AbortSignal;
}

/**
 * Turns one mapping's fetched batches into invocations. Each event holds
 * one partition's records (Lambda may mix partitions), and a batch
 * succeeds or fails whole: partial batch responses are not read
 * (issue 6; add them if a function starts returning batchItemFailures).
 */
class BatchWorker {
  constructor(
    private readonly mapping: KafkaEventSourceMapping,
    private readonly deps: WorkerDeps,
  ) {}

  async consume(payload: EachBatchPayload, consumer: Consumer): Promise<void> {
    const { batch, resolveOffset, heartbeat, isRunning, isStale } = payload;
    for (const chunk of chunks(batch.messages, this.mapping.batchSize)) {
      if (!isRunning() || isStale() || this.deps.signal.aborted) return;
      const last = chunk.at(-1) as KafkaMessage;
      const event = buildKafkaEvent(
        {
          kind: this.mapping.kind,
          eventSourceArn: this.mapping.eventSourceArn,
          bootstrapServers: this.deps.config.brokers,
        },
        batch.topic,
        batch.partition,
        chunk,
      );
      const keys = {
        ...mappingKeys(this.mapping),
        partition: batch.partition,
        firstOffset: chunk[0]?.offset,
        lastOffset: last.offset,
        records: chunk.length,
      };

      const outcome = await this.#deliver(event, keys, heartbeat);
      if (outcome === 'abandoned') return;
      resolveOffset(last.offset);
      await consumer.commitOffsets([
        {
          topic: batch.topic,
          partition: batch.partition,
          offset: (BigInt(last.offset) + 1n).toString(),
        },
      ]);
      await heartbeat();
    }
  }

  /**
   * Invokes until the batch succeeds or is parked. Resolves 'abandoned'
   * when the source stops first: the batch stays uncommitted.
   */
  async #deliver(
    event: KafkaEvent,
    keys: Record<string, unknown>,
    heartbeat: () => Promise<void>,
  ): Promise<'delivered' | 'parked' | 'abandoned'> {
    const { retry } = this.deps.config;
    const queue = this.mapping.onFailureQueue;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.deps.invoker.invoke(this.mapping, event);
        this.deps.logger.info('batch delivered', { ...keys, attempt });
        return 'delivered';
      } catch (error) {
        this.deps.logger.warn('invocation failed', {
          ...keys,
          attempt,
          error: (error as Error).message,
        });
      }
      if (this.deps.signal.aborted) return 'abandoned';
      if (queue && attempt > retry.retries) {
        // A failed send throws: the batch stays uncommitted and kafkajs
        // fetches it again, so it is retried rather than lost.
        await this.deps.destination.send(
          queue,
          failureRecord(
            this.mapping,
            event,
            attempt,
            this.deps.config.aws.region,
          ),
        );
        this.deps.logger.error('batch sent to on-failure queue', {
          ...keys,
          attempts: attempt,
          queue,
        });
        return 'parked';
      }
      const delay = Math.min(
        retry.initialDelayMs * 2 ** (attempt - 1),
        retry.maxDelayMs,
      );
      try {
        await sleep(delay, undefined, { signal: this.deps.signal });
      } catch {
        return 'abandoned';
      }
      // Keeps the group membership alive through long retry series.
      await heartbeat();
    }
  }
}

function mappingKeys(mapping: KafkaEventSourceMapping) {
  return {
    functionName: mapping.functionName,
    topic: mapping.topic,
    groupId: mapping.groupId,
  };
}

function* chunks<T>(items: T[], size: number): Generator<T[]> {
  for (let start = 0; start < items.length; start += size) {
    yield items.slice(start, start + size);
  }
}

/** Resolves true once the consumer has joined its group, false after the timeout. */
function waitForJoin(consumer: Consumer, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      remove();
      resolve(false);
    }, timeoutMs);
    const remove = consumer.on(consumer.events.GROUP_JOIN, () => {
      clearTimeout(timer);
      remove();
      resolve(true);
    });
  });
}
