import {
  DescribeTableCommand,
  DynamoDBClient,
  GetItemCommand,
  ListTablesCommand,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import {
  GetQueueAttributesCommand,
  ListQueuesCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { until } from './api';
import { type Figures, sequential } from './stats';

/**
 * One DynamoDB GetItem against the local emulator (moto), sequential: the
 * price of each of the several DynamoDB calls inside one POST /orders.
 */
export async function motoGetItem(calls: number): Promise<Figures> {
  const client = new DynamoDBClient({});
  const { TableNames = [] } = await client.send(new ListTablesCommand({}));
  const table = TableNames.find((name) => /orders/i.test(name));
  if (!table) throw new Error('no orders table on the local DynamoDB');
  const get = new GetItemCommand({
    TableName: table,
    Key: { id: { S: 'bench-missing' } },
  });
  const figures = await sequential(calls, () => client.send(get));
  client.destroy();
  return figures;
}

/**
 * One TransactWriteItems that checks the orders table and writes to the
 * idempotency table (no stray order is left behind), sequential. moto
 * deep-copies every table a transaction names before applying it, so this
 * grows with the orders stored; `ordersItems` says how many there were.
 */
export async function motoTransaction(calls: number): Promise<Figures> {
  const client = new DynamoDBClient({});
  const { TableNames = [] } = await client.send(new ListTablesCommand({}));
  const orders = TableNames.find((name) => /-orders$/.test(name));
  const idempotency = TableNames.find((name) => /-idempotency$/.test(name));
  if (!orders || !idempotency) {
    throw new Error('no orders or idempotency table on the local DynamoDB');
  }
  const { Table } = await client.send(
    new DescribeTableCommand({ TableName: orders }),
  );
  const figures = await sequential(calls, (i) => {
    const id = `bench-transaction-${i}`;
    const write = new TransactWriteItemsCommand({
      TransactItems: [
        {
          ConditionCheck: {
            TableName: orders,
            Key: { id: { S: id } },
            ConditionExpression: 'attribute_not_exists(id)',
          },
        },
        { Put: { TableName: idempotency, Item: { id: { S: id } } } },
      ],
    });
    return client.send(write);
  });
  client.destroy();
  return { ...figures, ordersItems: Table?.ItemCount ?? NaN };
}

/**
 * Waits (at most `timeoutMs`) until the validation queue is empty, so that
 * a backlog left by an earlier load does not delay the next measurement.
 * Answers how many messages were waiting at first.
 */
export async function drainValidation(timeoutMs: number): Promise<number> {
  const sqs = new SQSClient({});
  const { QueueUrls = [] } = await sqs.send(new ListQueuesCommand({}));
  const url = QueueUrls.find(
    (queue) => /validat/i.test(queue) && !/dlq|dead/i.test(queue),
  );
  if (!url) return 0;
  const waiting = async () => {
    const { Attributes = {} } = await sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: url,
        AttributeNames: [
          'ApproximateNumberOfMessages',
          'ApproximateNumberOfMessagesNotVisible',
        ],
      }),
    );
    return (
      Number(Attributes.ApproximateNumberOfMessages ?? 0) +
      Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0)
    );
  };
  const first = await waiting();
  await until(async () => (await waiting()) <= 1, timeoutMs, 1_000).catch(
    () => undefined, // measure anyway; the settings say what was waiting
  );
  sqs.destroy();
  return first;
}
