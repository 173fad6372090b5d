import type {
  Consumer,
  EachMessagePayload,
  Kafka,
  KafkaMessage,
} from 'kafkajs';
import {
  ORDER_STATUS_TOPIC,
  type OrderStatusChanged,
  orderStatusChangedSchema,
} from '../../lib/events';
import type { Logger } from '../../lib/logger';

/** Why a record was set aside; values never appear in the detail. */
export type InvalidEventReason =
  | 'EMPTY'
  | 'NOT_JSON'
  | 'UNKNOWN_TYPE'
  | 'INVALID_EVENT';

/** A record on `order-status` that is not an `order.status_changed` v1. */
export class InvalidEventError extends Error {
  override name = 'InvalidEventError';

  constructor(
    readonly reason: InvalidEventReason,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * Decodes one record's value: bytes, then JSON, then the type, then the
 * schema. Throws InvalidEventError naming the first step that failed.
 */
export function decodeOrderEvent(
  message: Pick<KafkaMessage, 'value'>,
): OrderStatusChanged {
  if (!message.value || message.value.length === 0) {
    throw new InvalidEventError('EMPTY', 'record has no value');
  }
  let json: unknown;
  try {
    json = JSON.parse(message.value.toString('utf8'));
  } catch (cause) {
    throw new InvalidEventError('NOT_JSON', 'value is not JSON', { cause });
  }
  if (!isTyped(json) || json.type !== 'order.status_changed') {
    throw new InvalidEventError('UNKNOWN_TYPE', 'not order.status_changed');
  }
  const parsed = orderStatusChangedSchema.safeParse(json);
  if (!parsed.success) {
    // Paths and issue codes only: the values may be personal data.
    const fields = parsed.error.issues
      .map((issue) => `${issue.path.join('.') || '(root)'} ${issue.code}`)
      .join(', ');
    throw new InvalidEventError('INVALID_EVENT', `invalid fields: ${fields}`);
  }
  return parsed.data;
}

function isTyped(value: unknown): value is { type: unknown } {
  return typeof value === 'object' && value !== null && 'type' in value;
}

export type KafkaState = 'connected' | 'disconnected';

export interface OrderEventsConsumerOptions {
  kafka: Kafka;
  groupId: string;
  logger: Logger;
  /** Called with every valid event, in partition order. */
  onEvent: (event: OrderStatusChanged) => void;
  /** Called when kafkajs gives up and will not restart the consumer. */
  onFatal?: (error: Error) => void;
}

/**
 * Reads `order-status` for one relay instance and hands each valid event
 * on; malformed records are logged and skipped.
 *
 * Every instance has a group of its own, so each sees every event. A new
 * group starts at the end of each partition as it was when `start` was
 * called: events published while no relay ran are not replayed, which is
 * fine because the API holds the current status of every order.
 *
 * Delivery is at least once: after a rebalance or a restart of the
 * consumer, kafkajs resumes from the last committed offset and may hand
 * on an event again. Clients drop repeats by `eventId`.
 */
export class OrderEventsConsumer {
  readonly #options: OrderEventsConsumerOptions;
  #consumer: Consumer | undefined;
  #state: KafkaState = 'disconnected';

  constructor(options: OrderEventsConsumerOptions) {
    this.#options = options;
  }

  get state(): KafkaState {
    return this.#state;
  }

  /** Resolves once the group is joined; later events are all delivered. */
  async start(): Promise<void> {
    const { kafka, groupId, logger } = this.#options;
    // The end of each partition now: a fresh group resolves "latest" only
    // at its first fetch, and events published in between would be lost.
    const ends = await this.#partitionEnds();

    const consumer = kafka.consumer({
      groupId,
      allowAutoTopicCreation: false,
      // An idle fetch waits this long: it bounds how long stop() takes.
      maxWaitTimeInMs: 1000,
    });
    this.#consumer = consumer;
    consumer.on(consumer.events.GROUP_JOIN, () => {
      this.#state = 'connected';
      logger.info('kafka group joined', { groupId });
    });
    consumer.on(consumer.events.DISCONNECT, () => {
      this.#state = 'disconnected';
    });
    consumer.on(consumer.events.CRASH, (event) => {
      this.#state = 'disconnected';
      logger.error('kafka consumer crashed', {
        groupId,
        error: event.payload.error,
        restart: event.payload.restart,
      });
      if (!event.payload.restart) this.#options.onFatal?.(event.payload.error);
    });

    await consumer.connect();
    await consumer.subscribe({
      topic: ORDER_STATUS_TOPIC,
      fromBeginning: false,
    });
    await consumer.run({ eachMessage: (payload) => this.#handle(payload) });
    for (const { partition, offset } of ends) {
      consumer.seek({ topic: ORDER_STATUS_TOPIC, partition, offset });
    }
  }

  /** Leaves the group; events in flight finish first. */
  async stop(): Promise<void> {
    await this.#consumer?.disconnect();
    this.#consumer = undefined;
    this.#state = 'disconnected';
  }

  async #partitionEnds(): Promise<{ partition: number; offset: string }[]> {
    const admin = this.#options.kafka.admin();
    await admin.connect();
    try {
      return await admin.fetchTopicOffsets(ORDER_STATUS_TOPIC);
    } finally {
      await admin.disconnect();
    }
  }

  async #handle({ message, partition }: EachMessagePayload): Promise<void> {
    let event: OrderStatusChanged;
    try {
      event = decodeOrderEvent(message);
    } catch (error) {
      if (!(error instanceof InvalidEventError)) throw error;
      this.#options.logger.warn('order event skipped', {
        reason: error.reason,
        detail: error.message,
        partition,
        offset: message.offset,
      });
      return;
    }
    this.#options.onEvent(event);
  }
}
