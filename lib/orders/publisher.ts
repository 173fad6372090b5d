import { ORDER_STATUS_TOPIC } from '../events';
import type { LazyProducer } from '../kafka';
import type { Logger } from '../logger';
import type { Outbox, OutboxRecord } from './store';

/** After a failed publish, requests skip Kafka this long and leave it to the sweeper. */
const BACKOFF_MS = 5000;

/**
 * Moves outbox records to the `order-status` topic, keyed by order id so
 * one order's events share a partition, and in the order they were
 * written. A record is marked published only after Kafka acknowledged it,
 * so a crash in between publishes it again: consumers drop duplicates by
 * event id.
 */
export class OutboxPublisher {
  #failedAt = 0;

  constructor(
    private readonly outbox: Outbox,
    private readonly producer: LazyProducer,
    private readonly logger: Logger,
  ) {}

  /**
   * Publishes what one order has pending, right after a write. Never
   * throws: when Kafka is unreachable the records stay in the outbox for
   * the sweeper, and the caller's change stands.
   */
  async publishOrder(orderId: string): Promise<void> {
    await this.#publishNow(orderId, () => this.outbox.pendingFor(orderId));
  }

  /**
   * Publishes the first record of an order just created, without reading
   * the outbox back: nothing of that order can be pending before it. Never
   * throws, like `publishOrder`.
   */
  async publishCreated(record: OutboxRecord): Promise<void> {
    await this.#publishNow(record.orderId, async () => [record]);
  }

  /** Publishes pending records of every order; returns how many went out. */
  async publishPending(limit = 100): Promise<number> {
    const records = await this.outbox.pending(limit);
    await this.#publish(records);
    return records.length;
  }

  async #publishNow(
    orderId: string,
    records: () => Promise<OutboxRecord[]>,
  ): Promise<void> {
    if (Date.now() - this.#failedAt < BACKOFF_MS) {
      this.logger.info('event publish deferred', {
        orderId,
        reason: 'kafka backoff',
      });
      return;
    }
    try {
      await this.#publish(await records());
    } catch (error) {
      this.logger.warn('event publish deferred', {
        orderId,
        error: error as Error,
      });
    }
  }

  async #publish(records: OutboxRecord[]): Promise<void> {
    if (records.length === 0) return;
    try {
      const producer = await this.producer.get();
      await producer.send({
        topic: ORDER_STATUS_TOPIC,
        acks: -1,
        messages: records.map(({ orderId, event }) => ({
          key: orderId,
          value: JSON.stringify(event),
          headers: { eventId: event.eventId, type: event.type },
        })),
      });
    } catch (error) {
      this.#failedAt = Date.now();
      await this.producer.reset();
      throw error;
    }
    this.#failedAt = 0;
    // Kafka holds them in order now; the marks are independent writes.
    await Promise.all(
      records.map(async (record) => {
        await this.outbox.markPublished(record);
        this.logger.info('event published', {
          orderId: record.orderId,
          eventId: record.event.eventId,
          status: record.event.status,
        });
      }),
    );
  }
}
