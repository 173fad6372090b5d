import {
  ConditionalCheckFailedException,
  DynamoDBClient,
  TransactionCanceledException,
} from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  type QueryCommandInput,
  ScanCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { ValidationError } from '../errors';
import type { OrderStatusChanged } from '../events';
import type { StoredOrder } from './order';
import type { OrderStatus } from './status';
import {
  OrderExistsError,
  type OrdersStore,
  type Outbox,
  type OutboxRecord,
  type Page,
  type PageRequest,
  StaleOrderError,
  type Transition,
} from './store';

/** Published outbox records are kept this long, for audit, then expire. */
const PUBLISHED_TTL_SECONDS = 7 * 24 * 3600;

/**
 * Sparse-index marker: only unpublished outbox records carry it, so the
 * `pending` index holds exactly the work left to do.
 */
const PENDING = 'P';

export interface DynamoOrdersStoreOptions {
  ordersTable: string;
  outboxTable: string;
  client?: DynamoDBClient;
}

/**
 * Orders and their outbox in DynamoDB. Each write is one transaction over
 * both tables: the order (conditional on its status and version) and the
 * event it produced. A failed condition becomes a domain error carrying
 * the stored order, never an SDK exception.
 */
export class DynamoOrdersStore implements OrdersStore, Outbox {
  readonly #db: DynamoDBDocumentClient;
  readonly #orders: string;
  readonly #outbox: string;

  constructor(options: DynamoOrdersStoreOptions) {
    this.#db = DynamoDBDocumentClient.from(
      options.client ?? new DynamoDBClient({}),
      {
        marshallOptions: { removeUndefinedValues: true },
      },
    );
    this.#orders = options.ordersTable;
    this.#outbox = options.outboxTable;
  }

  async create(order: StoredOrder, event: OrderStatusChanged): Promise<void> {
    try {
      await this.#db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.#orders,
                Item: order,
                ConditionExpression: 'attribute_not_exists(id)',
              },
            },
            {
              Put: {
                TableName: this.#outbox,
                Item: outboxItem(order.id, order.version, event),
              },
            },
          ],
        }),
      );
    } catch (error) {
      if (conditionFailed(error)) {
        throw new OrderExistsError(`order ${order.id} exists`, {
          cause: error,
        });
      }
      throw error;
    }
  }

  async get(id: string): Promise<StoredOrder | undefined> {
    const { Item } = await this.#db.send(
      new GetCommand({
        TableName: this.#orders,
        Key: { id },
        ConsistentRead: true,
      }),
    );
    return Item as StoredOrder | undefined;
  }

  async transition(id: string, transition: Transition): Promise<StoredOrder> {
    const { expected, changes, event } = transition;
    const version = expected.version + 1;
    const updatedAt = event.occurredAt;
    const fields: Record<string, unknown> = { ...changes, version, updatedAt };
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = {
      ':expectedStatus': expected.status,
      ':expectedVersion': expected.version,
    };
    const sets = Object.entries(fields)
      .filter(([, value]) => value !== undefined)
      .map(([key, value]) => {
        names[`#${key}`] = key;
        values[`:${key}`] = value;
        return `#${key} = :${key}`;
      });
    names['#status'] = 'status';
    names['#version'] = 'version';

    try {
      await this.#db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.#orders,
                Key: { id },
                UpdateExpression: `SET ${sets.join(', ')}`,
                ConditionExpression:
                  '#status = :expectedStatus AND #version = :expectedVersion',
                ExpressionAttributeNames: names,
                ExpressionAttributeValues: values,
              },
            },
            {
              Put: {
                TableName: this.#outbox,
                Item: outboxItem(id, version, event),
              },
            },
          ],
        }),
      );
    } catch (error) {
      if (conditionFailed(error)) throw new StaleOrderError(await this.get(id));
      throw error;
    }
    const stored = await this.get(id);
    if (!stored) throw new StaleOrderError(undefined);
    return stored;
  }

  listForUser(userId: string, page: PageRequest, status?: OrderStatus) {
    return this.#query(
      {
        IndexName: 'byUser',
        KeyConditionExpression: 'userId = :userId',
        ExpressionAttributeValues: {
          ':userId': userId,
          ...(status && { ':status': status }),
        },
        ...(status && {
          FilterExpression: '#status = :status',
          ExpressionAttributeNames: { '#status': 'status' },
        }),
      },
      page,
      { userId },
    );
  }

  listByStatus(status: OrderStatus, page: PageRequest) {
    return this.#query(
      {
        IndexName: 'byStatus',
        KeyConditionExpression: '#status = :status',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':status': status },
      },
      page,
      { status },
    );
  }

  async listAll(page: PageRequest): Promise<Page<StoredOrder>> {
    const { Items, LastEvaluatedKey } = await this.#db.send(
      new ScanCommand({
        TableName: this.#orders,
        Limit: page.limit,
        ExclusiveStartKey: decodeCursor(page.cursor, {}),
      }),
    );
    return {
      items: (Items ?? []) as StoredOrder[],
      nextCursor: encodeCursor(LastEvaluatedKey),
    };
  }

  async listPendingBefore(
    before: string,
    limit: number,
  ): Promise<StoredOrder[]> {
    const { Items } = await this.#db.send(
      new QueryCommand({
        TableName: this.#orders,
        IndexName: 'byStatus',
        KeyConditionExpression: '#status = :status AND createdAt < :before',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':status': 'PENDING', ':before': before },
        Limit: limit,
      }),
    );
    return (Items ?? []) as StoredOrder[];
  }

  async pendingFor(orderId: string): Promise<OutboxRecord[]> {
    const { Items } = await this.#db.send(
      new QueryCommand({
        TableName: this.#outbox,
        KeyConditionExpression: 'orderId = :orderId',
        FilterExpression: 'attribute_exists(pending)',
        ExpressionAttributeValues: { ':orderId': orderId },
        ConsistentRead: true,
      }),
    );
    return (Items ?? []).map(toRecord);
  }

  async pending(limit: number): Promise<OutboxRecord[]> {
    const { Items } = await this.#db.send(
      new QueryCommand({
        TableName: this.#outbox,
        IndexName: 'pending',
        KeyConditionExpression: 'pending = :pending',
        ExpressionAttributeValues: { ':pending': PENDING },
        Limit: limit,
      }),
    );
    return (Items ?? [])
      .map(toRecord)
      .sort((a, b) => a.orderId.localeCompare(b.orderId) || a.seq - b.seq);
  }

  async markPublished(record: OutboxRecord): Promise<void> {
    await this.#db.send(
      new UpdateCommand({
        TableName: this.#outbox,
        Key: { orderId: record.orderId, seq: record.seq },
        UpdateExpression:
          'REMOVE pending SET publishedAt = :now, expiration = :expiration',
        ExpressionAttributeValues: {
          ':now': new Date().toISOString(),
          ':expiration': Math.floor(Date.now() / 1000) + PUBLISHED_TTL_SECONDS,
        },
      }),
    );
  }

  async #query(
    input: Omit<QueryCommandInput, 'TableName' | 'Limit' | 'ExclusiveStartKey'>,
    page: PageRequest,
    scope: Record<string, string>,
  ): Promise<Page<StoredOrder>> {
    const { Items, LastEvaluatedKey } = await this.#db.send(
      new QueryCommand({
        ...input,
        TableName: this.#orders,
        ScanIndexForward: false,
        Limit: page.limit,
        ExclusiveStartKey: decodeCursor(page.cursor, scope),
      }),
    );
    return {
      items: (Items ?? []) as StoredOrder[],
      nextCursor: encodeCursor(LastEvaluatedKey),
    };
  }
}

function outboxItem(orderId: string, seq: number, event: OrderStatusChanged) {
  return { orderId, seq, event, pending: PENDING, createdAt: event.occurredAt };
}

function toRecord(item: Record<string, unknown>): OutboxRecord {
  return {
    orderId: item.orderId as string,
    seq: item.seq as number,
    event: item.event as OrderStatusChanged,
  };
}

function conditionFailed(error: unknown): boolean {
  if (error instanceof ConditionalCheckFailedException) return true;
  return (
    error instanceof TransactionCanceledException &&
    (error.CancellationReasons ?? []).some(
      (reason) => reason.Code === 'ConditionalCheckFailed',
    )
  );
}

function encodeCursor(key: Record<string, unknown> | undefined): string | null {
  return key ? Buffer.from(JSON.stringify(key)).toString('base64url') : null;
}

/**
 * Decodes a cursor and checks it belongs to the same listing (`scope`), so
 * a cursor edited to point into another customer's orders is refused.
 */
function decodeCursor(
  cursor: string | undefined,
  scope: Record<string, string>,
): Record<string, unknown> | undefined {
  if (!cursor) return undefined;
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    key = undefined;
  }
  const valid =
    typeof key === 'object' &&
    key !== null &&
    !Array.isArray(key) &&
    Object.values(key).every(
      (value) => typeof value === 'string' || typeof value === 'number',
    ) &&
    Object.entries(scope).every(
      ([field, value]) => (key as Record<string, unknown>)[field] === value,
    );
  if (!valid) {
    throw new ValidationError('Invalid cursor', [
      { path: 'cursor', message: 'not a cursor of this listing' },
    ]);
  }
  return key as Record<string, unknown>;
}
