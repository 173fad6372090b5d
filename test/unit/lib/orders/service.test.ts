import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { OrderStatusChanged } from '../../../../lib/events';
import type { Logger } from '../../../../lib/logger';
import type { StoredOrder } from '../../../../lib/orders/order';
import type { OutboxPublisher } from '../../../../lib/orders/publisher';
import { OrderService, orderIdFor } from '../../../../lib/orders/service';
import type {
  OrderTaskQueue,
  ReserveOutcome,
  StockService,
} from '../../../../lib/orders/stock';
import {
  OrderExistsError,
  type OrdersStore,
  StaleOrderError,
  type Transition,
} from '../../../../lib/orders/store';
import type { Principal } from '../../../../lib/principal';

/** Orders in a Map, with the same conditional semantics as the real store. */
class MemoryStore implements Partial<OrdersStore> {
  orders = new Map<string, StoredOrder>();
  events: OrderStatusChanged[] = [];
  /** Runs just before a transition is checked: lets a test move the order first. */
  beforeTransition: (() => void) | undefined;

  async create(order: StoredOrder, event: OrderStatusChanged) {
    if (this.orders.has(order.id)) throw new OrderExistsError(order.id);
    this.orders.set(order.id, structuredClone(order));
    this.events.push(event);
  }

  async get(id: string) {
    const order = this.orders.get(id);
    return order && structuredClone(order);
  }

  async transition(id: string, { expected, changes, event }: Transition) {
    this.beforeTransition?.();
    const order = this.orders.get(id);
    if (
      order?.status !== expected.status ||
      order.version !== expected.version
    ) {
      throw new StaleOrderError(order);
    }
    Object.assign(order, changes, { version: order.version + 1 });
    this.events.push(event);
    return structuredClone(order);
  }
}

const customer: Principal = { userId: 'u1', role: 'customer' };
const other: Principal = { userId: 'u2', role: 'customer' };
const staff: Principal = { userId: 's1', role: 'pharmacist' };
const logger = { info: vi.fn(), warn: vi.fn() } as unknown as Logger;
const input = { items: [{ sku: 'PARACETAMOL-500MG-TAB', quantity: 2 }] };
const reserved: ReserveOutcome = {
  kind: 'reserved',
  lines: [
    {
      sku: 'PARACETAMOL-500MG-TAB',
      name: 'Paracetamol',
      quantity: 2,
      unitPrice: 150,
    },
  ],
  total: 300,
  currency: 'EUR',
};

let store: MemoryStore;
let stock: {
  reserve: ReturnType<typeof vi.fn>;
  release: ReturnType<typeof vi.fn>;
};
let tasks: {
  validate: ReturnType<typeof vi.fn>;
  releaseStock: ReturnType<typeof vi.fn>;
};
let publisher: {
  publishOrder: ReturnType<typeof vi.fn>;
  publishCreated: ReturnType<typeof vi.fn>;
};
let service: OrderService;

beforeEach(() => {
  store = new MemoryStore();
  stock = {
    reserve: vi.fn(async () => reserved),
    release: vi.fn(async () => {}),
  };
  tasks = {
    validate: vi.fn(async () => {}),
    releaseStock: vi.fn(async () => {}),
  };
  publisher = {
    publishOrder: vi.fn(async () => {}),
    publishCreated: vi.fn(async () => {}),
  };
  service = new OrderService({
    store: store as unknown as OrdersStore,
    publisher: publisher as unknown as OutboxPublisher,
    tasks: tasks as OrderTaskQueue,
    stock: stock as StockService,
    logger,
  });
});

describe('OrderService.place', () => {
  it('stores a PENDING order, records its event and queues validation', async () => {
    const order = await service.place(customer, input, 'key-000001');

    expect(order).toMatchObject({
      status: 'PENDING',
      userId: 'u1',
      version: 1,
      total: null,
    });
    expect(store.events).toEqual([
      expect.objectContaining({
        orderId: order.id,
        status: 'PENDING',
        previousStatus: null,
      }),
    ]);
    expect(tasks.validate).toHaveBeenCalledWith(order.id);
  });

  it('publishes the new order’s first event as written, without reading the outbox', async () => {
    const order = await service.place(customer, input, 'key-000001');

    expect(publisher.publishCreated).toHaveBeenCalledWith({
      orderId: order.id,
      seq: 1,
      event: store.events[0],
    });
    expect(publisher.publishOrder).not.toHaveBeenCalled();
  });

  it('publishes whatever is still pending when the key is replayed', async () => {
    const first = await service.place(customer, input, 'key-000001');

    await service.place(customer, input, 'key-000001');

    expect(publisher.publishCreated).toHaveBeenCalledTimes(1);
    expect(publisher.publishOrder).toHaveBeenCalledWith(first.id);
  });

  it('returns the stored order and queues it again when the key is replayed', async () => {
    const first = await service.place(customer, input, 'key-000001');

    const second = await service.place(customer, input, 'key-000001');

    expect(second.id).toBe(first.id);
    expect(store.orders.size).toBe(1);
    expect(store.events).toHaveLength(1);
    expect(tasks.validate).toHaveBeenCalledTimes(2);
  });

  it('never returns the prescription reference', async () => {
    const order = await service.place(
      customer,
      { ...input, prescriptionRef: 'RX-1' },
      'key-000002',
    );

    expect(order).not.toHaveProperty('prescriptionRef');
    expect(store.orders.get(order.id)?.prescriptionRef).toBe('RX-1');
  });

  it('refuses staff placing orders', async () => {
    await expect(
      service.place(staff, input, 'key-000003'),
    ).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
  });
});

describe('OrderService.validate', () => {
  it('confirms a reserved order with its priced lines and total', async () => {
    const { id } = await service.place(customer, input, 'key-000010');

    expect(await service.validate(id)).toBe('CONFIRMED');

    expect(store.orders.get(id)).toMatchObject({
      status: 'CONFIRMED',
      total: 300,
      version: 2,
    });
    expect(store.events.at(-1)).toMatchObject({
      status: 'CONFIRMED',
      total: 300,
    });
  });

  it('rejects with the pharmacy reason', async () => {
    const { id } = await service.place(customer, input, 'key-000011');
    stock.reserve.mockResolvedValueOnce({
      kind: 'rejected',
      reason: 'OUT_OF_STOCK',
      failingSkus: [],
    });

    expect(await service.validate(id)).toBe('REJECTED');

    expect(store.orders.get(id)).toMatchObject({
      status: 'REJECTED',
      rejectionReason: 'OUT_OF_STOCK',
    });
  });

  it('leaves an order that is no longer PENDING alone', async () => {
    const { id } = await service.place(customer, input, 'key-000012');
    await service.validate(id);

    expect(await service.validate(id)).toBe('skipped');
    expect(stock.reserve).toHaveBeenCalledTimes(1);
  });

  it('gives the stock back when the order was cancelled while reserving', async () => {
    const { id } = await service.place(customer, input, 'key-000013');
    store.beforeTransition = () => {
      store.beforeTransition = undefined;
      Object.assign(store.orders.get(id) as StoredOrder, {
        status: 'CANCELLED',
        version: 2,
      });
    };

    expect(await service.validate(id)).toBe('skipped');

    expect(stock.release).toHaveBeenCalledWith(id);
  });

  it('rejects a stored order without lines instead of failing forever', async () => {
    const { id } = await service.place(customer, input, 'key-000015');
    (store.orders.get(id) as StoredOrder).items = undefined as never;

    expect(await service.validate(id)).toBe('REJECTED');

    expect(store.orders.get(id)).toMatchObject({
      status: 'REJECTED',
      rejectionReason: 'INVALID_ORDER',
    });
    expect(stock.reserve).not.toHaveBeenCalled();
  });

  it('lets a pharmacy failure through so the task is retried', async () => {
    const { id } = await service.place(customer, input, 'key-000014');
    stock.reserve.mockRejectedValueOnce(new Error('UNAVAILABLE'));

    await expect(service.validate(id)).rejects.toThrow('UNAVAILABLE');
    expect(store.orders.get(id)?.status).toBe('PENDING');
  });
});

describe('OrderService.cancel and moveByStaff', () => {
  it('hides another customer’s order behind a 404', async () => {
    const { id } = await service.place(customer, input, 'key-000020');

    await expect(service.get(other, id)).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(service.cancel(other, id)).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    expect(store.orders.get(id)?.status).toBe('PENDING');
  });

  it('cancels and releases stock; queues the release when the pharmacy is down', async () => {
    const { id } = await service.place(customer, input, 'key-000021');
    stock.release.mockRejectedValueOnce(new Error('UNAVAILABLE'));

    const order = await service.cancel(customer, id);

    expect(order.status).toBe('CANCELLED');
    expect(tasks.releaseStock).toHaveBeenCalledWith(id);
  });

  it('refuses customers moving statuses with 403', async () => {
    const { id } = await service.place(customer, input, 'key-000022');
    await expect(
      service.moveByStaff(customer, id, 'PREPARING'),
    ).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
  });

  it('refuses an invalid move with INVALID_TRANSITION', async () => {
    const { id } = await service.place(customer, input, 'key-000023');
    await expect(service.moveByStaff(staff, id, 'READY')).rejects.toMatchObject(
      {
        code: 'INVALID_TRANSITION',
        status: 409,
      },
    );
  });

  it('refuses a stale write with CONFLICT', async () => {
    const { id } = await service.place(customer, input, 'key-000024');
    await service.validate(id);
    store.beforeTransition = () => {
      store.beforeTransition = undefined;
      Object.assign(store.orders.get(id) as StoredOrder, { version: 9 });
    };

    await expect(
      service.moveByStaff(staff, id, 'PREPARING'),
    ).rejects.toMatchObject({
      code: 'CONFLICT',
    });
  });
});

describe('orderIdFor', () => {
  it('is stable per customer and key, and differs across customers', () => {
    expect(orderIdFor('u1', 'k')).toBe(orderIdFor('u1', 'k'));
    expect(orderIdFor('u1', 'k')).not.toBe(orderIdFor('u2', 'k'));
    expect(orderIdFor('u1', 'k')).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
    );
  });
});
