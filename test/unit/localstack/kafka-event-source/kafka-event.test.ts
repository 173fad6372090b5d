import { KafkaMskEventSchema } from '@aws-lambda-powertools/parser/schemas';
import type { KafkaMessage } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import {
  buildKafkaEvent,
  toEventRecord,
} from '../../../../localstack/kafka-event-source/kafka-event';
import awsSample from '../../../fixtures/msk/aws-msk-event.json';

/** A record as kafkajs hands it to eachBatch. */
function message(fields: Partial<KafkaMessage> = {}): KafkaMessage {
  return {
    key: Buffer.from('recordKey'),
    value: Buffer.from('{"key":"value"}'),
    timestamp: '1545084650987',
    attributes: 0,
    offset: '15',
    headers: { headerKey: Buffer.from('headerValue') },
    ...fields,
  } as KafkaMessage;
}

describe('buildKafkaEvent', () => {
  it('builds the MSK event of the AWS guide from the same Kafka record', () => {
    // Prepare
    const origin = {
      kind: 'msk' as const,
      eventSourceArn: awsSample.eventSourceArn,
      bootstrapServers: awsSample.bootstrapServers.split(','),
    };

    // Act
    const event = buildKafkaEvent(origin, 'mytopic', 0, [message()]);

    // Assess
    expect(event).toEqual(awsSample);
  });

  it('names a self-managed cluster by its event source, without an ARN', () => {
    // Act
    const event = buildKafkaEvent(
      { kind: 'kafka', bootstrapServers: ['k1:9092'] },
      'mytopic',
      0,
      [message()],
    );

    // Assess
    expect(event.eventSource).toBe('SelfManagedKafka');
    expect(event).not.toHaveProperty('eventSourceArn');
    expect(event.bootstrapServers).toBe('k1:9092');
  });

  it('groups the records of one partition under "topic-partition", in offset order', () => {
    // Act
    const event = buildKafkaEvent(
      { kind: 'msk', eventSourceArn: 'arn', bootstrapServers: ['b:9092'] },
      'order-status',
      2,
      [message({ offset: '7' }), message({ offset: '8' })],
    );

    // Assess
    expect(Object.keys(event.records)).toEqual(['order-status-2']);
    expect(event.records['order-status-2']?.map((r) => r.offset)).toEqual([
      7, 8,
    ]);
  });
});

describe('toEventRecord', () => {
  it('leaves the key out when the record has none', () => {
    // Act
    const record = toEventRecord('t', 0, message({ key: null }));

    // Assess
    expect(record).not.toHaveProperty('key');
  });

  it('sends a tombstone value as an empty string', () => {
    expect(toEventRecord('t', 0, message({ value: null })).value).toBe('');
  });

  it('gives each value of a repeated header its own entry', () => {
    // Act
    const record = toEventRecord(
      't',
      0,
      message({ headers: { h: [Buffer.from('a'), 'b'], none: undefined } }),
    );

    // Assess
    expect(record.headers).toEqual([{ h: [97] }, { h: [98] }]);
  });

  it.each([
    [0, 'CREATE_TIME'],
    [1, 'LOG_APPEND_TIME'],
  ])('reads timestamp type %i of the record batch as %s', (type, expected) => {
    // Prepare: kafkajs keeps the batch's attributes on each record.
    const decoded = Object.assign(message(), {
      batchContext: { timestampType: type },
    });

    // Act
    const record = toEventRecord('t', 0, decoded);

    // Assess
    expect(record.timestampType).toBe(expected);
  });
});

describe('the event as the notify handler reads it', () => {
  it('passes the MSK schema of Powertools parser, decoded', () => {
    // Prepare
    const event = buildKafkaEvent(
      { kind: 'msk', eventSourceArn: 'arn', bootstrapServers: ['b:9092'] },
      'mytopic',
      0,
      [message()],
    );

    // Act
    const parsed = KafkaMskEventSchema.parse(event);

    // Assess
    expect(parsed.records['mytopic-0']?.[0]).toMatchObject({
      key: 'recordKey',
      value: '{"key":"value"}',
      headers: [{ headerKey: 'headerValue' }],
    });
  });
});
