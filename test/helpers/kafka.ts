import { randomUUID } from 'node:crypto';
import { type Consumer, Kafka, logLevel } from 'kafkajs';
import { requireEnv } from '../../lib/config';
import { ORDER_STATUS_TOPIC, type OrderStatusChanged } from '../../lib/events';

export interface ReceivedEvent {
  key: string;
  partition: number;
  event: OrderStatusChanged;
}

/**
 * Reads the `order-status` topic from its beginning with a group of its
 * own, keeping every event so tests can wait for those of one order.
 */
export class OrderEventsReader {
  readonly received: ReceivedEvent[] = [];
  #consumer: Consumer | undefined;

  async start(): Promise<void> {
    const kafka = new Kafka({
      clientId: 'it-events-reader',
      brokers: requireEnv('KAFKA_BROKERS').split(','),
      logLevel: logLevel.NOTHING,
    });
    this.#consumer = kafka.consumer({ groupId: `it-reader-${randomUUID()}` });
    await this.#consumer.connect();
    await this.#consumer.subscribe({
      topic: ORDER_STATUS_TOPIC,
      fromBeginning: true,
    });
    await this.#consumer.run({
      eachMessage: async ({ message, partition }) => {
        // Other tests publish malformed records on purpose: skip them.
        let event: OrderStatusChanged;
        try {
          event = JSON.parse(String(message.value)) as OrderStatusChanged;
        } catch {
          return;
        }
        this.received.push({ key: String(message.key), partition, event });
      },
    });
  }

  /** Events of one order in arrival order, first occurrence of each event id. */
  eventsOf(orderId: string): ReceivedEvent[] {
    const seen = new Set<string>();
    return this.received.filter(({ event }) => {
      if (event.orderId !== orderId || seen.has(event.eventId)) return false;
      seen.add(event.eventId);
      return true;
    });
  }

  async waitFor(
    orderId: string,
    count: number,
    timeoutMs = 30_000,
  ): Promise<ReceivedEvent[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.eventsOf(orderId).length < count && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    return this.eventsOf(orderId);
  }

  async stop(): Promise<void> {
    await this.#consumer?.disconnect();
  }
}
