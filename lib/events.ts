import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { ORDER_STATUSES } from './orders/status';

/** The Kafka topic every order status change is published to. */
export const ORDER_STATUS_TOPIC = 'order-status';

/**
 * `order.status_changed`, version 1: the value of each record on the
 * `order-status` topic (key = order id). Consumers parse with this schema
 * and set aside what does not match; producers build with
 * `orderStatusChanged` so the shape has one source.
 */
export const orderStatusChangedSchema = z.object({
  eventId: z.string().min(1),
  type: z.literal('order.status_changed'),
  version: z.literal(1),
  orderId: z.string().min(1),
  userId: z.string().min(1),
  status: z.enum(ORDER_STATUSES),
  previousStatus: z.enum(ORDER_STATUSES).nullable(),
  reason: z.string().optional(),
  total: z.number().int().nonnegative().optional(),
  occurredAt: z.iso.datetime(),
});

export type OrderStatusChanged = z.infer<typeof orderStatusChangedSchema>;

export function orderStatusChanged(
  fields: Omit<
    OrderStatusChanged,
    'eventId' | 'type' | 'version' | 'occurredAt'
  > &
    Partial<Pick<OrderStatusChanged, 'eventId' | 'occurredAt'>>,
): OrderStatusChanged {
  return {
    ...fields,
    eventId: fields.eventId ?? randomUUID(),
    type: 'order.status_changed',
    version: 1,
    occurredAt: fields.occurredAt ?? new Date().toISOString(),
  };
}
