import { describe, expect, it, vi } from 'vitest';
import { ConfigError } from '../../../../lib/config';
import {
  readKafkaMappings,
  readSourceSettings,
} from '../../../../localstack/kafka-event-source/config';
import type { ServerlessConfig } from '../../../../localstack/serverless-config';

const ARN = 'arn:aws:kafka:eu-west-1:123456789012:cluster/prod/abc-1';

/** A printed serverless.yml with one function and the given events. */
function serverless(
  events: Record<string, unknown>[],
  extra: Partial<ServerlessConfig> = {},
): ServerlessConfig {
  return {
    service: 'shop',
    provider: {
      region: 'eu-west-1',
      environment: { STAGE: 'dev', SHARED: 'provider' },
    },
    functions: {
      notify: {
        handler: 'functions/notify/handler.handler',
        timeout: 30,
        environment: { SHARED: 'function', OWN: 'yes' },
        events,
      },
      health: { handler: 'functions/health/handler.handler', events: [] },
    },
    resources: {
      Resources: {
        FailureQueue: {
          Type: 'AWS::SQS::Queue',
          Properties: { QueueName: 'shop-dev-failures' },
        },
      },
    },
    ...extra,
  } as ServerlessConfig;
}

describe('readKafkaMappings', () => {
  it('reads an msk event with Lambda defaults for what it leaves out', () => {
    // Act
    const [mapping] = readKafkaMappings(
      serverless([{ msk: { arn: ARN, topic: 'order-status' } }]),
      { stage: 'dev' },
    );

    // Assess
    expect(mapping).toEqual({
      functionKey: 'notify',
      functionName: 'shop-dev-notify',
      handler: 'functions/notify/handler.handler',
      timeoutSeconds: 30,
      environment: { STAGE: 'dev', SHARED: 'function', OWN: 'yes' },
      kind: 'msk',
      eventSourceArn: ARN,
      topic: 'order-status',
      batchSize: 100,
      startingPosition: 'TRIM_HORIZON',
      groupId: 'shop-dev-notify-order-status',
    });
  });

  it('honours batch size, starting position and consumer group', () => {
    // Act
    const [mapping] = readKafkaMappings(
      serverless([
        {
          msk: {
            arn: ARN,
            topic: 't',
            batchSize: 5,
            startingPosition: 'LATEST',
            consumerGroupId: 'my-group',
          },
        },
      ]),
      { stage: 'dev' },
    );

    // Assess
    expect(mapping).toMatchObject({
      batchSize: 5,
      startingPosition: 'LATEST',
      groupId: 'my-group',
    });
  });

  it('reads a self-managed kafka event without a cluster ARN', () => {
    // Act
    const [mapping] = readKafkaMappings(
      serverless([
        { kafka: { topic: 't', bootstrapServers: ['k:9092'] } },
        { httpApi: { path: '/x', method: 'GET' } },
      ]),
      { stage: 'dev' },
    );

    // Assess
    expect(mapping?.kind).toBe('kafka');
    expect(mapping).not.toHaveProperty('eventSourceArn');
  });

  it('stands a local ARN in for a CloudFormation reference', () => {
    // Act
    const [mapping] = readKafkaMappings(
      serverless([{ msk: { arn: { Ref: 'Cluster' }, topic: 't' } }]),
      { stage: 'dev' },
    );

    // Assess
    expect(mapping?.eventSourceArn).toMatch(/^arn:aws:kafka:eu-west-1:/);
  });

  it('skips a disabled event and says why', () => {
    // Prepare
    const onSkip = vi.fn();

    // Act
    const mappings = readKafkaMappings(
      serverless([{ msk: { arn: ARN, topic: 't', enabled: false } }]),
      { stage: 'dev', onSkip },
    );

    // Assess
    expect(mappings).toEqual([]);
    expect(onSkip).toHaveBeenCalledWith(
      'notify',
      expect.stringMatching(/disabled/),
    );
  });

  it('runs only the functions asked for', () => {
    // Act
    const mappings = readKafkaMappings(
      serverless([{ msk: { arn: ARN, topic: 't' } }]),
      { stage: 'dev', functions: ['health'] },
    );

    // Assess
    expect(mappings).toEqual([]);
  });

  it.each([
    [
      'AT_TIMESTAMP',
      { arn: ARN, topic: 't', startingPosition: 'AT_TIMESTAMP' },
      /AT_TIMESTAMP/,
    ],
    ['no topic', { arn: ARN }, /topic/],
    ['a batch size of 0', { arn: ARN, topic: 't', batchSize: 0 }, /batchSize/],
    [
      'an SNS on-failure destination',
      {
        arn: ARN,
        topic: 't',
        destinations: { onFailure: 'arn:aws:sns:eu-west-1:1:topic' },
      },
      /only an SQS queue/,
    ],
  ])('refuses %s', (_case, msk, message) => {
    expect(() =>
      readKafkaMappings(serverless([{ msk }]), { stage: 'dev' }),
    ).toThrow(ConfigError);
    expect(() =>
      readKafkaMappings(serverless([{ msk }]), { stage: 'dev' }),
    ).toThrow(message);
  });

  it.each([
    ['an SQS ARN', 'arn:aws:sqs:eu-west-1:1:named-queue', 'named-queue'],
    ['a queue name', 'plain-queue', 'plain-queue'],
    ['a queue URL', 'http://127.0.0.1:4566/1/q', 'http://127.0.0.1:4566/1/q'],
    [
      'Fn::GetAtt of a declared queue',
      { arn: { 'Fn::GetAtt': ['FailureQueue', 'Arn'] } },
      'shop-dev-failures',
    ],
  ])('takes the on-failure queue from %s', (_case, onFailure, queue) => {
    // Act
    const [mapping] = readKafkaMappings(
      serverless([
        { msk: { arn: ARN, topic: 't', destinations: { onFailure } } },
      ]),
      { stage: 'dev', defaultOnFailureQueue: 'default-queue' },
    );

    // Assess
    expect(mapping?.onFailureQueue).toBe(queue);
  });

  it('falls back to the default on-failure queue when none is declared', () => {
    // Act
    const [mapping] = readKafkaMappings(
      serverless([{ msk: { arn: ARN, topic: 't' } }]),
      { stage: 'dev', defaultOnFailureQueue: 'default-queue' },
    );

    // Assess
    expect(mapping?.onFailureQueue).toBe('default-queue');
  });
});

describe('readSourceSettings', () => {
  it('reads every key from the environment', () => {
    // Act
    const settings = readSourceSettings({
      KAFKA_BROKERS: 'a:9092,b:9092',
      AWS_ENDPOINT_URL: 'http://127.0.0.1:4566',
      AWS_REGION: 'eu-west-3',
      KAFKA_EVENT_SOURCE_FUNCTIONS: 'notify',
      KAFKA_EVENT_SOURCE_ON_FAILURE_QUEUE: 'q',
      KAFKA_EVENT_SOURCE_INVOKE_URL: 'http://127.0.0.1:3002',
      KAFKA_EVENT_SOURCE_RETRIES: '5',
      KAFKA_EVENT_SOURCE_RETRY_DELAY_MS: '100',
      KAFKA_EVENT_SOURCE_RETRY_MAX_DELAY_MS: '1000',
    });

    // Assess
    expect(settings).toEqual({
      brokers: ['a:9092', 'b:9092'],
      aws: { endpoint: 'http://127.0.0.1:4566', region: 'eu-west-3' },
      functions: ['notify'],
      defaultOnFailureQueue: 'q',
      invokeUrl: 'http://127.0.0.1:3002',
      retry: { retries: 5, initialDelayMs: 100, maxDelayMs: 1000 },
    });
  });

  it('refuses a negative retry count, naming the variable', () => {
    expect(() =>
      readSourceSettings({ KAFKA_EVENT_SOURCE_RETRIES: '-1' }),
    ).toThrow(/KAFKA_EVENT_SOURCE_RETRIES/);
  });
});
