import { z } from 'zod';
import { LIMITS, SKU_PATTERN } from '../pharma-contract';
import type { OrderStatus } from './status';

/**
 * One line of an order. `name` and `unitPrice` come from the pharmacy when
 * the order is validated; until then they are null.
 */
export interface OrderLine {
  sku: string;
  quantity: number;
  name: string | null;
  /** Integer cents. */
  unitPrice: number | null;
}

/** An order as stored, and as the API returns it. */
export interface Order {
  id: string;
  userId: string;
  status: OrderStatus;
  items: OrderLine[];
  /** Integer cents; null until the pharmacy has priced the order. */
  total: number | null;
  currency: string;
  rejectionReason?: string;
  createdAt: string;
  updatedAt: string;
  /** Starts at 1; every status change adds one. */
  version: number;
}

/**
 * An order with the fields only the system reads. The prescription
 * reference goes to the pharmacy and never back out through the API.
 */
export interface StoredOrder extends Order {
  prescriptionRef?: string;
}

export const CURRENCY = 'EUR';

// The pharmacy's own argument rules, so an order it would refuse as
// malformed is refused at the door instead, before anything is stored.
const MAX_LINES = LIMITS.maxLines;
const MAX_QUANTITY = LIMITS.maxLineQuantity;

const sku = z
  .string()
  .regex(
    SKU_PATTERN,
    'must be an upper-case sku such as PARACETAMOL-500MG-TAB',
  );

/** `POST /orders` body. Unknown fields are refused, not ignored. */
export const placeOrderSchema = z.strictObject({
  items: z
    .array(
      z.strictObject({
        sku,
        quantity: z.number().int().min(1).max(MAX_QUANTITY),
      }),
    )
    .min(1)
    .max(MAX_LINES)
    .refine(
      (items) => new Set(items.map((item) => item.sku)).size === items.length,
      'each sku appears once',
    ),
  prescriptionRef: z.string().trim().min(1).max(128).optional(),
});

export type PlaceOrderInput = z.infer<typeof placeOrderSchema>;

/** The API view: everything but the internal fields. */
export function publicOrder(order: StoredOrder): Order {
  const { prescriptionRef: _internal, ...rest } = order;
  return rest;
}
