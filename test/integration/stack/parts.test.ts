import { randomUUID } from 'node:crypto';
import {
  ConditionalCheckFailedException,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import {
  CreateQueueCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
} from '@aws-sdk/client-sqs';
import { Kafka, logLevel } from 'kafkajs';
import { MongoClient, MongoServerError } from 'mongodb';
import nodemailer from 'nodemailer';
import { afterAll, describe, expect, it } from 'vitest';
import { requireEnv } from '../../../lib/config';
import { localAws } from '../../helpers/aws';
import { waitForMail } from '../../helpers/mail';

const { dynamodb, sqs } = localAws();

afterAll(() => {
  dynamodb.destroy();
  sqs.destroy();
});

describe('Kafka', () => {
  it('gives back a produced message with its key and headers', async () => {
    // Prepare
    const kafka = new Kafka({
      clientId: 'it-stack',
      brokers: requireEnv('KAFKA_BROKERS').split(','),
      logLevel: logLevel.NOTHING,
    });
    const topic = `it-${randomUUID()}`;
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic }], waitForLeaders: true });
    const producer = kafka.producer();
    const consumer = kafka.consumer({ groupId: `it-${randomUUID()}` });
    await Promise.all([producer.connect(), consumer.connect()]);

    try {
      // Act
      await producer.send({
        topic,
        messages: [{ key: 'order-1', value: 'hello', headers: { h: 'v' } }],
      });
      await consumer.subscribe({ topic, fromBeginning: true });
      const received = await new Promise<{
        key: string;
        value: string;
        h: string;
      }>((resolve) => {
        void consumer.run({
          eachMessage: async ({ message }) =>
            resolve({
              key: String(message.key),
              value: String(message.value),
              h: String(message.headers?.h),
            }),
        });
      });

      // Assess
      expect(received).toEqual({ key: 'order-1', value: 'hello', h: 'v' });
    } finally {
      await Promise.all([producer.disconnect(), consumer.disconnect()]);
      await admin.deleteTopics({ topics: [topic] });
      await admin.disconnect();
    }
  });

  it('has the topics declared in resources/kafka-topics.yml', async () => {
    const kafka = new Kafka({
      brokers: requireEnv('KAFKA_BROKERS').split(','),
      logLevel: logLevel.NOTHING,
    });
    const admin = kafka.admin();
    await admin.connect();
    try {
      const [metadata] = (
        await admin.fetchTopicMetadata({ topics: ['order-status'] })
      ).topics;
      expect(metadata?.partitions).toHaveLength(3);
    } finally {
      await admin.disconnect();
    }
  });
});

describe('MongoDB-compatible server', () => {
  it('refuses a duplicate under a unique index', async () => {
    // Prepare
    const client = await MongoClient.connect(requireEnv('MONGODB_URI'));
    const db = client.db(`it_${randomUUID().slice(0, 8)}`);
    const users = db.collection('users');
    await users.createIndex({ email: 1 }, { unique: true });
    await users.insertOne({ email: 'a@example.org' });

    try {
      // Act
      const duplicate = users.insertOne({ email: 'a@example.org' });

      // Assess
      await expect(duplicate).rejects.toBeInstanceOf(MongoServerError);
      await expect(duplicate).rejects.toMatchObject({ code: 11000 });
      expect(await users.countDocuments()).toBe(1);
    } finally {
      await db.dropDatabase();
      await client.close();
    }
  });
});

describe('DynamoDB (local endpoint)', () => {
  it('refuses a conditional put over an existing item', async () => {
    // Prepare: the orders table exists because the stack created it from
    // resources/dynamodb.yml. The status is no real one, so no part of the
    // system (the sweeper looks for PENDING orders) ever picks this item up.
    const id = randomUUID();
    const put = (status: string) =>
      dynamodb.send(
        new PutItemCommand({
          TableName: requireEnv('ORDERS_TABLE'),
          Item: {
            id: { S: id },
            userId: { S: 'it-user' },
            status: { S: status },
            createdAt: { S: new Date().toISOString() },
          },
          ConditionExpression: 'attribute_not_exists(id)',
        }),
      );
    await put('IT-PROBE');

    // Act
    const overwrite = put('IT-PROBE-2');

    // Assess
    await expect(overwrite).rejects.toBeInstanceOf(
      ConditionalCheckFailedException,
    );
  });
});

describe('SQS (local endpoint)', () => {
  it('gives the validation queue the dead-letter queue of resources/sqs.yml', async () => {
    const name = requireEnv('VALIDATION_QUEUE_NAME');
    const { QueueUrl } = await sqs.send(
      new GetQueueUrlCommand({ QueueName: name }),
    );
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl,
        AttributeNames: ['RedrivePolicy', 'VisibilityTimeout'],
      }),
    );
    const redrive = JSON.parse(Attributes?.RedrivePolicy ?? '{}');
    expect(redrive.deadLetterTargetArn).toMatch(new RegExp(`:${name}-dlq$`));
    expect(Number(redrive.maxReceiveCount)).toBe(5);
    expect(Attributes?.VisibilityTimeout).toBe('60');
  });

  it('moves a message that keeps failing its receives to the dead-letter queue', async () => {
    // Prepare: a throwaway pair, so no consumer of the real queues races us.
    const suffix = randomUUID().slice(0, 8);
    const dlq = await sqs.send(
      new CreateQueueCommand({ QueueName: `it-dlq-${suffix}` }),
    );
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: dlq.QueueUrl,
        AttributeNames: ['QueueArn'],
      }),
    );
    const main = await sqs.send(
      new CreateQueueCommand({
        QueueName: `it-main-${suffix}`,
        Attributes: {
          RedrivePolicy: JSON.stringify({
            deadLetterTargetArn: Attributes?.QueueArn,
            maxReceiveCount: 2,
          }),
        },
      }),
    );
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: main.QueueUrl,
        MessageBody: 'poison',
      }),
    );

    try {
      // Act: receive without deleting, as a consumer that keeps failing.
      const receive = (url?: string) =>
        sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: url,
            VisibilityTimeout: 0,
            WaitTimeSeconds: 0,
          }),
        );
      expect((await receive(main.QueueUrl)).Messages).toHaveLength(1);
      expect((await receive(main.QueueUrl)).Messages).toHaveLength(1);
      const third = await receive(main.QueueUrl);
      const parked = await receive(dlq.QueueUrl);

      // Assess
      expect(third.Messages ?? []).toHaveLength(0);
      expect(parked.Messages?.[0]?.Body).toBe('poison');
    } finally {
      await sqs.send(new DeleteQueueCommand({ QueueUrl: main.QueueUrl }));
      await sqs.send(new DeleteQueueCommand({ QueueUrl: dlq.QueueUrl }));
    }
  });
});

describe('SMTP catcher', () => {
  it('lists a message sent over SMTP in its inbox API', async () => {
    // Prepare
    const transport = nodemailer.createTransport(requireEnv('SMTP_URL'));
    const subject = `it ${randomUUID()}`;

    // Act
    await transport.sendMail({
      from: 'PharmaExpress <no-reply@pharmaexpress.local>',
      to: 'customer@example.org',
      subject,
      text: 'plain',
      html: '<p>html</p>',
    });

    // Assess
    const [mail] = await waitForMail((m) => m.subject === subject);
    expect(mail?.to[0]?.address).toBe('customer@example.org');
    expect(mail?.text?.trim()).toBe('plain');
    expect(mail?.html).toContain('<p>html</p>');
    transport.close();
  });
});
