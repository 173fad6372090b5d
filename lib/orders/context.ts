import { requireEnv } from '../config';
import { createKafka, LazyProducer } from '../kafka';
import type { Logger } from '../logger';
import { DynamoOrdersStore } from './dynamodb-store';
import { OutboxPublisher } from './publisher';
import { OrderService } from './service';
import { SqsOrderTaskQueue } from './sqs-tasks';
import type { ReserveOutcome, StockLine, StockService } from './stock';

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
    stock: new LazyPharmaStock(),
    logger,
  });
  context = { service, publisher, store, tasks };
  return context;
}

/**
 * The pharmacy adapter, loaded at its first call. gRPC and protobuf.js
 * take about 80 ms to load, 40% of the orders function's cold start
 * (`npm run bench`), and of its routes only a cancel calls the pharmacy;
 * the sweeper never does.
 */
class LazyPharmaStock implements StockService {
  #stock: Promise<StockService> | undefined;

  async reserve(
    orderId: string,
    lines: StockLine[],
    prescriptionRef?: string,
  ): Promise<ReserveOutcome> {
    return (await this.#load()).reserve(orderId, lines, prescriptionRef);
  }

  async release(orderId: string): Promise<void> {
    return (await this.#load()).release(orderId);
  }

  #load(): Promise<StockService> {
    this.#stock ??= Promise.all([
      import('../pharma-client'),
      import('./pharma-stock'),
    ]).then(
      ([{ PharmaClient }, { PharmaStockService }]) =>
        new PharmaStockService(new PharmaClient()),
      (error: unknown) => {
        this.#stock = undefined;
        throw error;
      },
    );
    return this.#stock;
  }
}
