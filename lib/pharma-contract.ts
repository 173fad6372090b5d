/**
 * The pharma gRPC contract as TypeScript: the shapes of its messages as
 * loaded (lib/pharma-service.ts loads the proto), and the argument rules
 * that both the server and the client check.
 *
 * The client checks too because protobuf.js converts numbers silently on
 * the way out: a quantity of 1.5 leaves as 1 and NaN as 0, so a fraction
 * can never reach the server to be refused there.
 */
import { z } from 'zod';

export const PHARMACY_SERVICE = 'pharma.v1.Pharmacy';

/** Trailing metadata of a rejected ReserveStock (FAILED_PRECONDITION). */
export const REJECTION_METADATA = 'pharma-rejection';
export const REJECTION_REASON_METADATA = 'pharma-rejection-reason';

export const LIMITS = {
  maxLines: 50,
  maxLineQuantity: 1000,
  maxAdjustDelta: 100_000,
  defaultPageSize: 20,
  maxPageSize: 100,
  maxSearchLength: 100,
} as const;

// Messages, as lib/pharma-service.ts loads them: camelCase fields, int64
// as number, enums as names, every field present.

export interface Medicine {
  sku: string;
  name: string;
  form: string;
  strength: string;
  priceCents: number;
  currency: string;
  prescriptionRequired: boolean;
  available: number;
}

export interface OrderLine {
  sku: string;
  quantity: number;
}

export interface ReserveStockRequest {
  orderId: string;
  lines: OrderLine[];
  prescriptionRef: string;
}

export interface PricedLine {
  sku: string;
  name: string;
  quantity: number;
  unitPriceCents: number;
  lineTotalCents: number;
}

export interface ReserveStockResponse {
  orderId: string;
  lines: PricedLine[];
  totalCents: number;
  currency: string;
}

export const REJECTION_REASONS = [
  'OUT_OF_STOCK',
  'UNKNOWN_MEDICINE',
  'PRESCRIPTION_REQUIRED',
  'ORDER_RELEASED',
] as const;
export type RejectionReason = (typeof REJECTION_REASONS)[number];

export interface FailingLine {
  sku: string;
  requested: number;
  available: number;
}

/** Carried in the `pharma-rejection` metadata as JSON. */
export interface Rejection {
  orderId: string;
  reason: RejectionReason;
  failingLines: FailingLine[];
}

export interface ReleaseStockRequest {
  orderId: string;
}

export interface ReleaseStockResponse {
  orderId: string;
  released: OrderLine[];
}

export interface ListMedicinesRequest {
  search: string;
  pageSize: number;
  pageToken: string;
}

export interface ListMedicinesResponse {
  medicines: Medicine[];
  nextPageToken: string;
}

export interface GetMedicineRequest {
  sku: string;
}

export interface AdjustStockRequest {
  sku: string;
  delta: number;
  reason: string;
  requestId: string;
}

export interface AdjustStockResponse {
  sku: string;
  available: number;
}

// Argument rules. Empty strings stand for absent fields, as in proto3.

/** Upper-case words joined by dashes, e.g. `AMOXICILLIN-500MG-CAP`. */
export const SKU_PATTERN = /^[A-Z0-9][A-Z0-9.-]{1,63}$/;

const sku = z
  .string()
  .regex(
    SKU_PATTERN,
    'must be an upper-case sku such as PARACETAMOL-500MG-TAB',
  );

/** Order ids and request ids: opaque, printable, safe in a ledger key. */
const opaqueId = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/,
    'must be 1 to 128 letters, digits or ._:- characters',
  );

const quantity = z
  .int('must be a whole number')
  .min(1, 'must be at least 1')
  .max(LIMITS.maxLineQuantity, `must be at most ${LIMITS.maxLineQuantity}`);

const lines = z
  .array(z.object({ sku, quantity }))
  .min(1, 'must hold at least one line')
  .max(LIMITS.maxLines, `must hold at most ${LIMITS.maxLines} lines`)
  .superRefine((items, context) => {
    const seen = new Set<string>();
    items.forEach((item, index) => {
      if (seen.has(item.sku)) {
        context.addIssue({
          code: 'custom',
          path: [index, 'sku'],
          message: `duplicate sku ${item.sku}: merge the lines`,
        });
      }
      seen.add(item.sku);
    });
  });

export const reserveStockSchema = z.object({
  orderId: opaqueId,
  lines,
  prescriptionRef: z.string().max(256).default(''),
});

export const releaseStockSchema = z.object({ orderId: opaqueId });

export const listMedicinesSchema = z.object({
  search: z.string().trim().max(LIMITS.maxSearchLength).default(''),
  pageSize: z
    .int()
    .min(0)
    .max(LIMITS.maxPageSize, `must be at most ${LIMITS.maxPageSize}`)
    .default(0)
    .transform((size) => size || LIMITS.defaultPageSize),
  pageToken: z.string().max(200).default(''),
});

export const getMedicineSchema = z.object({ sku });

export const adjustStockSchema = z.object({
  sku,
  delta: z
    .int('must be a whole number')
    .refine((delta) => delta !== 0, 'must not be 0')
    .refine(
      (delta) => Math.abs(delta) <= LIMITS.maxAdjustDelta,
      `must be within ±${LIMITS.maxAdjustDelta}`,
    ),
  reason: z.string().trim().max(100).default(''),
  requestId: z.union([z.literal(''), opaqueId]).default(''),
});
