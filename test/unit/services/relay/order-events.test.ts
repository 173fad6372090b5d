import { describe, expect, it } from 'vitest';
import { orderStatusChanged } from '../../../../lib/events';
import {
  decodeOrderEvent,
  InvalidEventError,
  type InvalidEventReason,
} from '../../../../services/relay/order-events';

const event = orderStatusChanged({
  orderId: 'o-1',
  userId: 'u-1',
  status: 'CONFIRMED',
  previousStatus: 'PENDING',
  total: 1250,
});

function record(value: unknown): { value: Buffer | null } {
  if (value === null) return { value: null };
  return {
    value: Buffer.from(
      typeof value === 'string' ? value : JSON.stringify(value),
    ),
  };
}

describe('decodeOrderEvent', () => {
  it('returns the event of a well-formed record', () => {
    // Act
    const decoded = decodeOrderEvent(record(event));

    // Assess
    expect(decoded).toEqual(event);
  });

  it.each<[string, unknown, InvalidEventReason]>([
    ['no value (a tombstone)', null, 'EMPTY'],
    ['an empty value', '', 'EMPTY'],
    ['a value that is not JSON', '{"orderId":', 'NOT_JSON'],
    ['JSON null', 'null', 'UNKNOWN_TYPE'],
    ['a JSON array', [event], 'UNKNOWN_TYPE'],
    ['another event type', { ...event, type: 'order.created' }, 'UNKNOWN_TYPE'],
    ['no type', { ...event, type: undefined }, 'UNKNOWN_TYPE'],
    ['a missing user id', { ...event, userId: undefined }, 'INVALID_EVENT'],
    ['an unknown status', { ...event, status: 'LOST' }, 'INVALID_EVENT'],
    ['another version', { ...event, version: 2 }, 'INVALID_EVENT'],
  ])('refuses %s with reason %s', (_case, value, reason) => {
    // Act
    const decode = () => decodeOrderEvent(record(value));

    // Assess
    expect(decode).toThrow(InvalidEventError);
    try {
      decode();
    } catch (error) {
      expect((error as InvalidEventError).reason).toBe(reason);
    }
  });

  it('names the faulty fields without their values', () => {
    // Prepare
    const value = { ...event, userId: 42, reason: 'secret@example.com' };

    // Act
    const decode = () => decodeOrderEvent(record({ ...value, status: 7 }));

    // Assess
    expect(decode).toThrow(/userId .*status/);
    expect(decode).not.toThrow(/42|secret/);
  });
});
