import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type WalkResult, walk } from '../../../demo/walk';
import {
  PART_NAMES,
  type RunningStack,
  startStack,
} from '../../../localstack/stack';

/**
 * The demo flow, end to end, against what `npm start` runs: every
 * function behind serverless-offline, the SQS and Kafka event sources,
 * pharma, the relay, the mail catcher.
 */
let stack: RunningStack;
let result: WalkResult;

beforeAll(async () => {
  stack = await startStack({ parts: PART_NAMES });
  result = await walk({
    apiUrl: stack.env.API_URL as string,
    relayUrl: stack.env.RELAY_URL as string,
    mailApiUrl: stack.env.MAIL_API_URL as string,
    staff: {
      email: stack.env.ADMIN_EMAIL as string,
      password: stack.env.ADMIN_PASSWORD as string,
    },
    // Kafka may hold a backlog from earlier test files for notify to work through.
    timeoutMs: 180_000,
  });
}, 600_000);

afterAll(async () => {
  await stack?.stop();
});

describe('the demo flow on the full local system', () => {
  it('rejects the order without a prescription', () => {
    expect(result.rejected).toMatchObject({
      status: 'REJECTED',
      rejectionReason: 'PRESCRIPTION_REQUIRED',
    });
  });

  it('confirms, prices and delivers the order with a prescription', () => {
    expect(result.delivered.status).toBe('DELIVERED');
    expect(result.delivered.total).toBeGreaterThan(0);
    expect(
      result.delivered.items.every(
        (item) => item.unitPrice !== null && item.name,
      ),
    ).toBe(true);
  });

  it('pushes every status change to the customer’s socket, in order per order', () => {
    const statuses = (orderId: string) =>
      result.socketEvents
        .filter((event) => event.orderId === orderId)
        .map((event) => event.status);
    expect(statuses(result.rejected.id)).toEqual(['PENDING', 'REJECTED']);
    expect(statuses(result.delivered.id)).toEqual([
      'PENDING',
      'CONFIRMED',
      'PREPARING',
      'READY',
      'DELIVERED',
    ]);
  });

  it('emails the customer once per status change, in their language', () => {
    const reference = (id: string) => id.slice(0, 8).toUpperCase();
    expect(result.emailSubjects).toHaveLength(7);
    expect(
      result.emailSubjects.filter((s) =>
        s.includes(reference(result.delivered.id)),
      ),
    ).toHaveLength(5);
    expect(
      result.emailSubjects.filter((s) =>
        s.includes(reference(result.rejected.id)),
      ),
    ).toHaveLength(2);
    expect(result.emailSubjects.every((s) => s.startsWith('Order '))).toBe(
      true,
    );
  });
});
