import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ORDER_STATUS_TOPIC, orderStatusChanged } from '../../../../lib/events';
import type { LazyProducer } from '../../../../lib/kafka';
import type { Logger } from '../../../../lib/logger';
import { OutboxPublisher } from '../../../../lib/orders/publisher';
import type { Outbox, OutboxRecord } from '../../../../lib/orders/store';

const logger = {
  info: vi.fn(),
  warn: vi.fn(),
  debug: vi.fn(),
} as unknown as Logger;

function record(seq: number, status: 'PENDING' | 'CONFIRMED'): OutboxRecord {
  return {
    orderId: 'order-1',
    seq,
    event: orderStatusChanged({
      orderId: 'order-1',
      userId: 'u1',
      status,
      previousStatus: status === 'PENDING' ? null : 'PENDING',
      occurredAt: '2026-12-03T10:00:00.000Z',
    }),
  };
}

let outbox: {
  pendingFor: ReturnType<typeof vi.fn>;
  pending: ReturnType<typeof vi.fn>;
  markPublished: ReturnType<typeof vi.fn>;
};
let send: ReturnType<typeof vi.fn>;
let producer: {
  get: ReturnType<typeof vi.fn>;
  reset: ReturnType<typeof vi.fn>;
};
let publisher: OutboxPublisher;

beforeEach(() => {
  outbox = {
    pendingFor: vi.fn(async () => [
      record(1, 'PENDING'),
      record(2, 'CONFIRMED'),
    ]),
    pending: vi.fn(async () => []),
    markPublished: vi.fn(async () => {}),
  };
  send = vi.fn(async () => []);
  producer = {
    get: vi.fn(async () => ({ send })),
    reset: vi.fn(async () => {}),
  };
  publisher = new OutboxPublisher(
    outbox as unknown as Outbox,
    producer as unknown as LazyProducer,
    logger,
  );
});

describe('OutboxPublisher', () => {
  it('publishes a created order’s record without reading the outbox', async () => {
    const created = record(1, 'PENDING');

    await publisher.publishCreated(created);

    expect(outbox.pendingFor).not.toHaveBeenCalled();
    expect(send).toHaveBeenCalledWith(
      expect.objectContaining({
        topic: ORDER_STATUS_TOPIC,
        acks: -1,
        messages: [
          expect.objectContaining({
            key: 'order-1',
            value: JSON.stringify(created.event),
          }),
        ],
      }),
    );
    expect(outbox.markPublished).toHaveBeenCalledWith(created);
  });

  it('sends an order’s pending records in one batch, oldest first, then marks each', async () => {
    const pending = [record(1, 'PENDING'), record(2, 'CONFIRMED')];
    outbox.pendingFor.mockResolvedValueOnce(pending);

    await publisher.publishOrder('order-1');

    const [{ messages }] = send.mock.calls[0] as [
      { messages: { headers: { eventId: string } }[] },
    ];
    expect(messages.map((m) => m.headers.eventId)).toEqual(
      pending.map((r) => r.event.eventId),
    );
    expect(outbox.markPublished).toHaveBeenCalledTimes(2);
  });

  it('keeps records pending and does not throw when Kafka refuses them', async () => {
    send.mockRejectedValueOnce(new Error('broker down'));

    await expect(
      publisher.publishCreated(record(1, 'PENDING')),
    ).resolves.toBeUndefined();

    expect(outbox.markPublished).not.toHaveBeenCalled();
    expect(producer.reset).toHaveBeenCalled();
  });

  it('leaves records to the sweeper for a while after a failure', async () => {
    send.mockRejectedValueOnce(new Error('broker down'));
    await publisher.publishCreated(record(1, 'PENDING'));

    await publisher.publishOrder('order-1');

    expect(send).toHaveBeenCalledTimes(1);
    expect(outbox.pendingFor).not.toHaveBeenCalled();
  });
});
