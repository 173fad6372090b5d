import { Kafka, logLevel, type Producer } from 'kafkajs';
import { readEndpoints } from './config';
import type { Logger } from './logger';

/**
 * A kafkajs client with bounded timeouts: a producer inside a request must
 * give up in seconds when Kafka is down, not after kafkajs' default minute
 * of retries, because the outbox publishes the event later anyway.
 */
export function createKafka(
  clientId: string,
  brokers = readEndpoints().kafkaBrokers,
): Kafka {
  return new Kafka({
    clientId,
    brokers,
    connectionTimeout: 2000,
    requestTimeout: 5000,
    retry: { retries: 2, initialRetryTime: 200, maxRetryTime: 1000 },
    logLevel: logLevel.NOTHING,
  });
}

/** One producer per process, connected on first use and reconnected after a failure. */
export class LazyProducer {
  #producer: Producer | undefined;
  #connecting: Promise<Producer> | undefined;

  constructor(
    private readonly kafka: Kafka,
    private readonly logger: Logger,
  ) {}

  async get(): Promise<Producer> {
    if (this.#producer) return this.#producer;
    this.#connecting ??= (async () => {
      const producer = this.kafka.producer({ allowAutoTopicCreation: false });
      producer.on('producer.disconnect', () => {
        this.#producer = undefined;
      });
      await producer.connect();
      this.#producer = producer;
      return producer;
    })().finally(() => {
      this.#connecting = undefined;
    });
    return this.#connecting;
  }

  /** Drops the connection after a failure so the next call starts afresh. */
  async reset(): Promise<void> {
    const producer = this.#producer;
    this.#producer = undefined;
    await producer?.disconnect().catch((error: unknown) => {
      this.logger.debug('producer disconnect failed', {
        error: error as Error,
      });
    });
  }

  async disconnect(): Promise<void> {
    await this.reset();
  }
}
