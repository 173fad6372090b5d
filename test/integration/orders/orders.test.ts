import { randomUUID } from 'node:crypto';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import type {
  APIGatewayProxyStructuredResultV2,
  Context,
  SQSBatchResponse,
  SQSEvent,
} from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signToken } from '../../../lib/auth';
import { requireEnv } from '../../../lib/config';
import type { Order } from '../../../lib/orders/order';
import { orderIdFor } from '../../../lib/orders/service';
import type { Principal } from '../../../lib/principal';
import { startStack, stopParts } from '../../../localstack/stack';
import { type ApiRequest, apiEvent } from '../../helpers/api-event';
import { localAws } from '../../helpers/aws';
import { OrderEventsReader } from '../../helpers/kafka';
import { PharmaHarness } from '../../helpers/pharma-harness';
import {
  deleteQueue,
  deliverOnce,
  lambdaContext,
  throwawayQueue,
} from '../../helpers/sqs-driver';

// Validation happens before the catalogue is asked: any well-formed sku.
const WELL_FORMED = 'PARACETAMOL-500MG-TAB';
let OTC: string;
let RX: string;
let SCARCE: string;

type Handler = (event: never, context: Context) => Promise<unknown>;
let ordersHandler: Handler;
let validateHandler: (
  event: SQSEvent,
  context: Context,
) => Promise<SQSBatchResponse>;
let pharma: PharmaHarness;
const events = new OrderEventsReader();
const { dynamodb, sqs } = localAws();

beforeAll(async () => {
  // A validation queue of this file's own, so that a running `npm start`
  // (whose validate function polls the shared queue) cannot take these
  // orders to its own pharmacy.
  process.env.VALIDATION_QUEUE_NAME = await throwawayQueue('it-validation');
  pharma = await PharmaHarness.start('orders');
  [OTC, RX, SCARCE] = (
    await pharma.addMedicines([
      { name: 'Paracetamol', priceCents: 250, stock: 100 },
      {
        name: 'Amoxicillin',
        priceCents: 1000,
        prescriptionRequired: true,
        stock: 100,
      },
      { name: 'Insulin', priceCents: 2500, stock: 1 },
    ])
  ).map((medicine) => medicine.sku) as [string, string, string];
  process.env.PHARMA_GRPC_URL = pharma.url;
  process.env.LOG_LEVEL = 'WARN';
  ordersHandler = (await import('../../../functions/orders/handler'))
    .handler as Handler;
  validateHandler = (await import('../../../functions/validate/handler'))
    .handler;
  await events.start();
});

afterAll(async () => {
  await deleteQueue(requireEnv('VALIDATION_QUEUE_NAME'));
  await events.stop().catch(() => {});
  await pharma.close();
});

function principal(role: Principal['role'] = 'customer'): Principal {
  return { userId: randomUUID(), role };
}

function tokenOf(who: Principal): string {
  return signToken({ ...who, email: `${who.userId}@test.example` }).token;
}

async function call(who: Principal | undefined, request: ApiRequest) {
  const response = (await ordersHandler(
    apiEvent({ ...request, token: who && tokenOf(who) }) as never,
    lambdaContext('orders'),
  )) as APIGatewayProxyStructuredResultV2;
  return {
    status: response.statusCode,
    body: JSON.parse(response.body as string),
  };
}

function place(who: Principal, body: unknown, key = randomUUID()) {
  return call(who, {
    route: 'POST /orders',
    body,
    headers: { 'Idempotency-Key': key },
  });
}

function getOrder(who: Principal, id: string) {
  return call(who, {
    route: 'GET /orders/{id}',
    path: `/orders/${id}`,
    pathParameters: { id },
  });
}

function move(who: Principal, id: string, status: string) {
  return call(who, {
    route: 'PATCH /orders/{id}/status',
    path: `/orders/${id}/status`,
    pathParameters: { id },
    body: { status },
  });
}

function cancel(who: Principal, id: string) {
  return call(who, {
    route: 'POST /orders/{id}/cancel',
    path: `/orders/${id}/cancel`,
    pathParameters: { id },
  });
}

/** Runs the validate function over the real queue until the order leaves PENDING. */
async function validated(
  who: Principal,
  id: string,
  timeoutMs = 30_000,
): Promise<Order> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await deliverOnce(
      sqs,
      requireEnv('VALIDATION_QUEUE_NAME'),
      validateHandler,
    );
    const { body } = await getOrder(who, id);
    if (body.order.status !== 'PENDING' || Date.now() > deadline)
      return body.order;
  }
}

const staff = principal('pharmacist');

describe('the order lifecycle', () => {
  it('goes PENDING → CONFIRMED → PREPARING → READY → DELIVERED, each event on Kafka in order', async () => {
    // Prepare
    const customer = principal();

    // Act
    const placed = await place(customer, {
      items: [{ sku: OTC, quantity: 2 }],
    });
    const confirmed = await validated(customer, placed.body.order.id);
    const moves = [];
    for (const status of ['PREPARING', 'READY', 'DELIVERED']) {
      moves.push(await move(staff, placed.body.order.id, status));
    }

    // Assess
    expect(placed.status).toBe(202);
    expect(placed.body.order).toMatchObject({
      status: 'PENDING',
      userId: customer.userId,
      version: 1,
    });
    expect(confirmed).toMatchObject({
      status: 'CONFIRMED',
      total: 500,
      currency: 'EUR',
      items: [{ sku: OTC, name: 'Paracetamol', quantity: 2, unitPrice: 250 }],
    });
    expect(moves.map((m) => [m.status, m.body.order.status])).toEqual([
      [200, 'PREPARING'],
      [200, 'READY'],
      [200, 'DELIVERED'],
    ]);
    const received = await events.waitFor(placed.body.order.id, 5);
    expect(
      received.map((r) => [r.event.previousStatus, r.event.status]),
    ).toEqual([
      [null, 'PENDING'],
      ['PENDING', 'CONFIRMED'],
      ['CONFIRMED', 'PREPARING'],
      ['PREPARING', 'READY'],
      ['READY', 'DELIVERED'],
    ]);
    for (const { key, event } of received) {
      expect(key).toBe(placed.body.order.id);
      expect(event).toMatchObject({
        type: 'order.status_changed',
        version: 1,
        userId: customer.userId,
      });
      expect(event.eventId).toMatch(/^[0-9a-f-]{36}$/);
      expect(Date.parse(event.occurredAt)).not.toBeNaN();
    }
    expect(received[1]?.event.total).toBe(500);
    expect(new Set(received.map((r) => r.partition)).size).toBe(1);
  });

  it.each([
    ['OUT_OF_STOCK', () => ({ items: [{ sku: SCARCE, quantity: 5 }] })],
    [
      'UNKNOWN_MEDICINE',
      () => ({ items: [{ sku: 'IT-NO-SUCH-TAB', quantity: 1 }] }),
    ],
    ['PRESCRIPTION_REQUIRED', () => ({ items: [{ sku: RX, quantity: 1 }] })],
  ])('rejects an order with %s', async (reason, body) => {
    const customer = principal();

    const placed = await place(customer, body());
    const order = await validated(customer, placed.body.order.id);

    expect(order).toMatchObject({
      status: 'REJECTED',
      rejectionReason: reason,
    });
    const received = await events.waitFor(order.id, 2);
    expect(received[1]?.event).toMatchObject({ status: 'REJECTED', reason });
  });

  it('confirms a prescription medicine when the order carries a prescription', async () => {
    const customer = principal();

    const placed = await place(customer, {
      items: [{ sku: RX, quantity: 1 }],
      prescriptionRef: 'RX-2026-0001',
    });
    const order = await validated(customer, placed.body.order.id);

    expect(order.status).toBe('CONFIRMED');
    expect(order).not.toHaveProperty('prescriptionRef');
  });

  it('gives the stock back when a confirmed order is cancelled', async () => {
    const customer = principal();
    const before = await pharma.available(OTC);
    const placed = await place(customer, {
      items: [{ sku: OTC, quantity: 3 }],
    });
    await validated(customer, placed.body.order.id);
    const held = await pharma.available(OTC);

    const cancelled = await cancel(customer, placed.body.order.id);

    expect(held).toBe(before - 3);
    expect(cancelled).toMatchObject({
      status: 200,
      body: { order: { status: 'CANCELLED' } },
    });
    expect(await pharma.available(OTC)).toBe(before);
  });
});

describe('POST /orders idempotency', () => {
  it('answers two identical requests with one order and reserves stock once', async () => {
    const customer = principal();
    const key = randomUUID();
    const before = await pharma.available(OTC);

    const first = await place(
      customer,
      { items: [{ sku: OTC, quantity: 4 }] },
      key,
    );
    const second = await place(
      customer,
      { items: [{ sku: OTC, quantity: 4 }] },
      key,
    );
    await validated(customer, first.body.order.id);
    await deliverOnce(
      sqs,
      requireEnv('VALIDATION_QUEUE_NAME'),
      validateHandler,
    );

    expect(second.status).toBe(202);
    expect(second.body.order.id).toBe(first.body.order.id);
    expect(await pharma.available(OTC)).toBe(before - 4);
    const list = await call(customer, { route: 'GET /orders' });
    expect(list.body.items).toHaveLength(1);
  });

  it('refuses the same key with another body with 422', async () => {
    const customer = principal();
    const key = randomUUID();
    await place(customer, { items: [{ sku: OTC, quantity: 1 }] }, key);

    const reused = await place(
      customer,
      { items: [{ sku: OTC, quantity: 2 }] },
      key,
    );

    expect(reused).toMatchObject({
      status: 422,
      body: { error: { code: 'IDEMPOTENCY_KEY_REUSED' } },
    });
  });
});

describe('POST /orders bad input', () => {
  const customer = principal();

  it.each([
    ['no items', { items: [] }, 'VALIDATION_FAILED'],
    [
      'a zero quantity',
      { items: [{ sku: WELL_FORMED, quantity: 0 }] },
      'VALIDATION_FAILED',
    ],
    [
      'a negative quantity',
      { items: [{ sku: WELL_FORMED, quantity: -1 }] },
      'VALIDATION_FAILED',
    ],
    [
      'a fractional quantity',
      { items: [{ sku: WELL_FORMED, quantity: 1.5 }] },
      'VALIDATION_FAILED',
    ],
    [
      'a huge quantity',
      { items: [{ sku: WELL_FORMED, quantity: 1e12 }] },
      'VALIDATION_FAILED',
    ],
    [
      'a quantity as a string',
      { items: [{ sku: WELL_FORMED, quantity: '1' }] },
      'VALIDATION_FAILED',
    ],
    [
      'a duplicate sku',
      {
        items: [
          { sku: WELL_FORMED, quantity: 1 },
          { sku: WELL_FORMED, quantity: 1 },
        ],
      },
      'VALIDATION_FAILED',
    ],
    [
      'an unknown field',
      { items: [{ sku: WELL_FORMED, quantity: 1 }], status: 'DELIVERED' },
      'VALIDATION_FAILED',
    ],
    [
      'an operator for a sku',
      { items: [{ sku: { $gt: '' }, quantity: 1 }] },
      'VALIDATION_FAILED',
    ],
    ['malformed JSON', '{"items": [', 'BAD_REQUEST'],
    ['an empty body', '', 'BAD_REQUEST'],
  ])('refuses %s with 4xx and stores nothing', async (_case, body, code) => {
    const key = randomUUID();

    const response = await place(customer, body, key);

    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe(code);
    const stored = await dynamodb.send(
      new GetItemCommand({
        TableName: requireEnv('ORDERS_TABLE'),
        Key: { id: { S: orderIdFor(customer.userId, key) } },
      }),
    );
    expect(stored.Item).toBeUndefined();
  });

  it('refuses a missing Idempotency-Key', async () => {
    const response = await call(customer, {
      route: 'POST /orders',
      body: { items: [{ sku: WELL_FORMED, quantity: 1 }] },
    });
    expect(response).toMatchObject({
      status: 400,
      body: { error: { code: 'VALIDATION_FAILED' } },
    });
  });

  it('refuses a request without a token with 401', async () => {
    const response = await call(undefined, { route: 'GET /orders' });
    expect(response).toMatchObject({
      status: 401,
      body: { error: { code: 'UNAUTHENTICATED' } },
    });
  });
});

describe('authorization', () => {
  it('hides a customer’s order from another customer, and lets staff see it', async () => {
    const owner = principal();
    const stranger = principal();
    const placed = await place(owner, { items: [{ sku: OTC, quantity: 1 }] });
    const id = placed.body.order.id;

    const seen = await getOrder(stranger, id);
    const cancelled = await cancel(stranger, id);
    const strangerList = await call(stranger, { route: 'GET /orders' });
    const byStaff = await getOrder(staff, id);

    expect(seen).toMatchObject({
      status: 404,
      body: { error: { code: 'NOT_FOUND' } },
    });
    expect(cancelled.status).toBe(404);
    expect(strangerList.body.items).toEqual([]);
    expect(byStaff.body.order.id).toBe(id);
    expect((await getOrder(owner, id)).body.order.status).not.toBe('CANCELLED');
  });

  it('refuses a customer moving a status with 403', async () => {
    const owner = principal();
    const placed = await place(owner, { items: [{ sku: OTC, quantity: 1 }] });
    await validated(owner, placed.body.order.id);

    const response = await move(owner, placed.body.order.id, 'PREPARING');

    expect(response).toMatchObject({
      status: 403,
      body: { error: { code: 'FORBIDDEN' } },
    });
  });

  it('refuses DELIVERED → PREPARING with 409', async () => {
    const owner = principal();
    const { body } = await place(owner, { items: [{ sku: OTC, quantity: 1 }] });
    await validated(owner, body.order.id);
    for (const status of ['PREPARING', 'READY', 'DELIVERED'])
      await move(staff, body.order.id, status);

    const response = await move(staff, body.order.id, 'PREPARING');

    expect(response).toMatchObject({
      status: 409,
      body: { error: { code: 'INVALID_TRANSITION' } },
    });
  });

  it('lets staff list orders by status', async () => {
    const owner = principal();
    const { body } = await place(owner, { items: [{ sku: OTC, quantity: 1 }] });

    const pending = await call(staff, {
      route: 'GET /orders',
      query: { status: 'PENDING', limit: '100' },
    });

    expect(pending.status).toBe(200);
    expect(pending.body.items.every((o: Order) => o.status === 'PENDING')).toBe(
      true,
    );
    expect(pending.body.items.map((o: Order) => o.id)).toContain(body.order.id);
  });
});

describe('faults', () => {
  it('keeps orders PENDING while pharma is down and confirms them once it is back', async () => {
    const customer = principal();
    await pharma.stopServers();
    const { body } = await place(customer, {
      items: [{ sku: OTC, quantity: 1 }],
    });

    const attempt = await deliverOnce(
      sqs,
      requireEnv('VALIDATION_QUEUE_NAME'),
      validateHandler,
    );
    const whileDown = (await getOrder(customer, body.order.id)).body.order
      .status;
    await pharma.listen(pharma.port);
    const after = await validated(customer, body.order.id);

    expect(attempt.failed).toBeGreaterThan(0);
    expect(whileDown).toBe('PENDING');
    expect(after.status).toBe('CONFIRMED');
  });

  it('accepts status changes while Kafka is down and publishes all their events, in order, once it is back', async () => {
    // Prepare: Kafka must be one the stack runner launched, so it can be stopped.
    const customer = principal();
    const stopped = await stopParts(['kafka']);
    if (stopped.length === 0)
      throw new Error(
        'this test stops Kafka: run it on a Kafka the stack launched',
      );

    // Act: a whole lifecycle step by step, with nowhere to publish.
    const placed = await place(customer, {
      items: [{ sku: OTC, quantity: 1 }],
    });
    const confirmed = await validated(customer, placed.body.order.id);
    const preparing = await move(staff, placed.body.order.id, 'PREPARING');
    await startStack({ parts: ['kafka'] });
    const sweep = (await import('../../../functions/sweeper/handler')).handler;
    await sweep({}, lambdaContext('sweeper'));
    const reader = new OrderEventsReader();
    await reader.start();
    const received = await reader.waitFor(placed.body.order.id, 3);
    await reader.stop();

    // Assess
    expect(placed.status).toBe(202);
    expect(confirmed.status).toBe('CONFIRMED');
    expect(preparing.body.order.status).toBe('PREPARING');
    expect(received.map((r) => r.event.status)).toEqual([
      'PENDING',
      'CONFIRMED',
      'PREPARING',
    ]);
  });
});
