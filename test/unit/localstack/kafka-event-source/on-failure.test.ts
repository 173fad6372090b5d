import type { KafkaMessage } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import type { KafkaEventSourceMapping } from '../../../../localstack/kafka-event-source/config';
import { buildKafkaEvent } from '../../../../localstack/kafka-event-source/kafka-event';
import { failureRecord } from '../../../../localstack/kafka-event-source/on-failure';

const mapping = {
  functionKey: 'notify',
  functionName: 'shop-dev-notify',
  kind: 'msk',
  eventSourceArn: 'arn:aws:kafka:eu-west-1:1:cluster/c/x',
} as KafkaEventSourceMapping;

function message(offset: string, timestamp: string): KafkaMessage {
  return {
    key: null,
    value: Buffer.from('v'),
    timestamp,
    attributes: 0,
    offset,
    headers: {},
  } as KafkaMessage;
}

describe('failureRecord', () => {
  it('describes a parked batch the way Lambda does, with the event to replay', () => {
    // Prepare
    const event = buildKafkaEvent(
      {
        kind: 'msk',
        eventSourceArn: mapping.eventSourceArn,
        bootstrapServers: ['b:9092'],
      },
      'order-status',
      1,
      [message('40', '1700000000000'), message('41', '1700000001000')],
    );

    // Act
    const record = failureRecord(mapping, event, 4, 'eu-west-1');

    // Assess
    expect(record).toMatchObject({
      requestContext: {
        functionArn:
          'arn:aws:lambda:eu-west-1:000000000000:function:shop-dev-notify',
        condition: 'RetryAttemptsExhausted',
        approximateInvokeCount: 4,
      },
      responseContext: { functionError: 'Unhandled' },
      version: '1.0',
      KafkaBatchInfo: {
        batchSize: 2,
        eventSourceArn: mapping.eventSourceArn,
        bootstrapServers: 'b:9092',
        recordsInfo: {
          'order-status-1': {
            firstRecordOffset: '40',
            lastRecordOffset: '41',
            firstRecordTimestamp: '2023-11-14T22:13:20.000Z',
            lastRecordTimestamp: '2023-11-14T22:13:21.000Z',
          },
        },
      },
    });
    expect(JSON.parse(record.payload)).toEqual(event);
    expect(record.KafkaBatchInfo.payloadSize).toBe(record.payload.length);
  });
});
