import { requireEnv } from '../config';
import { createKafka, LazyProducer } from '../kafka';
import type { Logger } from '../logger';
import { PharmaClient } from '../pharma-client';
import { DynamoOrdersStore } from './dynamodb-store';
import { PharmaStockService } from './pharma-stock';
import { OutboxPublisher } from './publisher';
import { OrderService } from './service';
import { SqsOrderTaskQueue } from './sqs-tasks';

export interface OrdersContext {
  service: OrderService;
  publisher: OutboxPublisher;
  store: DynamoOrdersStore;
  tasks: SqsOrderTaskQueue;
}

let context: OrdersContext | undefined;

/**
 * The order lifecycle wired to its real adapters from the environment,
 * built once per Lambda container and reused across invocations. Fails
 * at the first call with the name of any missing variable.
 */
export function ordersContext(logger: Logger): OrdersContext {
  if (context) return context;
  const store = new DynamoOrdersStore({
    ordersTable: requireEnv('ORDERS_TABLE'),
    outboxTable: requireEnv('OUTBOX_TABLE'),
  });
  const tasks = new SqsOrderTaskQueue(requireEnv('VALIDATION_QUEUE_NAME'));
  const publisher = new OutboxPublisher(
    store,
    new LazyProducer(createKafka('pharmaexpress-orders'), logger),
    logger,
  );
  const service = new OrderService({
    store,
    publisher,
    tasks,
    stock: new PharmaStockService(new PharmaClient()),
    logger,
  });
  context = { service, publisher, store, tasks };
  return context;
}
