import { describe, expect, it } from 'vitest';
import {
  type DeliveredRecord,
  decode,
} from '../../../../functions/notify/notifier';
import { orderStatusChanged } from '../../../../lib/events';

/** A record as Lambda delivers it, the value base64 of `value`. */
function delivered(value: string): DeliveredRecord {
  return {
    topic: 'order-status',
    partition: 0,
    offset: 3,
    timestamp: 1_700_000_000_000,
    timestampType: 'CREATE_TIME',
    key: Buffer.from('order-1').toString('base64'),
    value: Buffer.from(value).toString('base64'),
    headers: [],
  };
}

const valid = orderStatusChanged({
  orderId: 'order-1',
  userId: 'user-1',
  status: 'CONFIRMED',
  previousStatus: 'PENDING',
  total: 1234,
});

const without = (field: keyof typeof valid) => {
  const { [field]: _dropped, ...rest } = valid;
  return JSON.stringify(rest);
};

describe('decode', () => {
  it('gives back the order.status_changed event a record carries', () => {
    // Act
    const decoded = decode(delivered(JSON.stringify(valid)));

    // Assess
    expect(decoded).toEqual({ ok: true, event: valid });
  });

  it.each([
    ['not JSON', 'not json {', 'NOT_JSON'],
    ['empty', '', 'NOT_JSON'],
    ['JSON null', 'null', 'UNKNOWN_TYPE'],
    [
      'an unknown type',
      JSON.stringify({ ...valid, type: 'order.created' }),
      'UNKNOWN_TYPE',
    ],
    ['no type', without('type'), 'UNKNOWN_TYPE'],
    ['no eventId', without('eventId'), 'INVALID_EVENT'],
    ['no userId', without('userId'), 'INVALID_EVENT'],
    [
      'an unknown status',
      JSON.stringify({ ...valid, status: 'LOST' }),
      'INVALID_EVENT',
    ],
    ['version 2', JSON.stringify({ ...valid, version: 2 }), 'INVALID_EVENT'],
    [
      'a fractional total',
      JSON.stringify({ ...valid, total: 12.5 }),
      'INVALID_EVENT',
    ],
  ])('sets aside a value that is %s', (_case, value, reason) => {
    // Act
    const decoded = decode(delivered(value));

    // Assess
    expect(decoded).toMatchObject({ ok: false, reason });
  });

  it('names the bad fields without their values', () => {
    // Prepare
    const secret = 'user-secret-value';
    const value = JSON.stringify({
      ...valid,
      userId: 42,
      orderId: secret,
      status: secret,
    });

    // Act
    const decoded = decode(delivered(value));

    // Assess
    expect(decoded).toMatchObject({ ok: false, reason: 'INVALID_EVENT' });
    const detail = (decoded as { detail: string }).detail;
    expect(detail).toContain('userId');
    expect(detail).toContain('status');
    expect(detail).not.toContain(secret);
  });
});
