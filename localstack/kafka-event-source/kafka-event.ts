import type { KafkaMessage } from 'kafkajs';

/**
 * The event Lambda hands a function for a batch of Kafka records, as
 * documented for Amazon MSK and self-managed Kafka:
 * https://docs.aws.amazon.com/lambda/latest/dg/with-msk.html
 *
 * Keys and values are base64; each header is one `{name: bytes}` object,
 * with the value as an array of byte numbers; records are grouped under
 * `"<topic>-<partition>"`.
 */
export interface KafkaEventRecord {
  topic: string;
  partition: number;
  offset: number;
  timestamp: number;
  timestampType: 'CREATE_TIME' | 'LOG_APPEND_TIME';
  /** Absent when the record has no key. */
  key?: string;
  value: string;
  headers: Record<string, number[]>[];
}

export interface KafkaEvent {
  eventSource: 'aws:kafka' | 'SelfManagedKafka';
  /** MSK only: the cluster ARN. */
  eventSourceArn?: string;
  bootstrapServers: string;
  records: Record<string, KafkaEventRecord[]>;
}

/** Where a batch came from: which cluster, as the event names it. */
export interface KafkaEventOrigin {
  kind: 'msk' | 'kafka';
  eventSourceArn?: string;
  bootstrapServers: string[];
}

// kafkajs decodes the record batch's timestamp type but leaves it out of
// its public types: 1 is LogAppendTime.
interface DecodedMessage {
  batchContext?: { timestampType?: number };
}

/** One Kafka record in the shape Lambda delivers it. */
export function toEventRecord(
  topic: string,
  partition: number,
  message: KafkaMessage,
): KafkaEventRecord {
  const decoded = message as KafkaMessage & DecodedMessage;
  return {
    topic,
    partition,
    offset: Number(message.offset),
    timestamp: Number(message.timestamp),
    timestampType:
      decoded.batchContext?.timestampType === 1
        ? 'LOG_APPEND_TIME'
        : 'CREATE_TIME',
    ...(message.key !== null && { key: message.key.toString('base64') }),
    // A tombstone (null value) arrives as an empty string.
    value: message.value?.toString('base64') ?? '',
    headers: eventHeaders(message.headers ?? {}),
  };
}

/** The event for one partition's batch of records. */
export function buildKafkaEvent(
  origin: KafkaEventOrigin,
  topic: string,
  partition: number,
  messages: KafkaMessage[],
): KafkaEvent {
  return {
    eventSource: origin.kind === 'msk' ? 'aws:kafka' : 'SelfManagedKafka',
    ...(origin.kind === 'msk' && { eventSourceArn: origin.eventSourceArn }),
    bootstrapServers: origin.bootstrapServers.join(','),
    records: {
      [`${topic}-${partition}`]: messages.map((message) =>
        toEventRecord(topic, partition, message),
      ),
    },
  };
}

/** A repeated header becomes one entry per value, as Lambda sends it. */
function eventHeaders(
  headers: NonNullable<KafkaMessage['headers']>,
): Record<string, number[]>[] {
  return Object.entries(headers).flatMap(([name, value]) => {
    if (value === undefined) return [];
    const values = Array.isArray(value) ? value : [value];
    return values.map((one) => ({ [name]: [...Buffer.from(one)] }));
  });
}
