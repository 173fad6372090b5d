import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import {
  ConflictError,
  NotFoundError,
  TooManyRequestsError,
} from '../../../lib/errors';
import { errorResponse, header, parseBody } from '../../../lib/http';
import type { Logger } from '../../../lib/logger';

const schema = z.strictObject({ name: z.string().min(1) });
const event = (body: string | undefined, isBase64Encoded = false) => ({
  body,
  isBase64Encoded,
});

describe('parseBody', () => {
  it('returns the validated body', () => {
    expect(parseBody(event('{"name":"a"}'), schema)).toEqual({ name: 'a' });
  });

  it('decodes a base64-encoded body', () => {
    const encoded = Buffer.from('{"name":"b"}').toString('base64');
    expect(parseBody(event(encoded, true), schema)).toEqual({ name: 'b' });
  });

  it.each([
    ['a missing body', undefined, 'BAD_REQUEST', 400],
    ['an empty body', '', 'BAD_REQUEST', 400],
    ['a blank body', '  \n', 'BAD_REQUEST', 400],
    ['malformed JSON', '{"name":', 'BAD_REQUEST', 400],
    ['a JSON array', '[]', 'VALIDATION_FAILED', 400],
    ['a wrong type', '{"name":1}', 'VALIDATION_FAILED', 400],
    [
      'an unknown field',
      '{"name":"a","role":"admin"}',
      'VALIDATION_FAILED',
      400,
    ],
    ['an operator object', '{"name":{"$gt":""}}', 'VALIDATION_FAILED', 400],
    [
      'an oversized body',
      JSON.stringify({ name: 'x'.repeat(100) }),
      'PAYLOAD_TOO_LARGE',
      413,
    ],
  ])('refuses %s with a stable code', (_case, body, code, status) => {
    expect(() => parseBody(event(body), schema, 64)).toThrow(
      expect.objectContaining({ code, status }),
    );
  });

  it('counts the limit in bytes, not characters', () => {
    const body = JSON.stringify({ name: 'é'.repeat(30) }); // 60 bytes of é
    expect(() => parseBody(event(body), schema, 64)).toThrow(
      expect.objectContaining({ code: 'PAYLOAD_TOO_LARGE' }),
    );
  });

  it('names the failing field in the details', () => {
    try {
      parseBody(event('{"name":""}'), schema);
      expect.unreachable();
    } catch (error) {
      expect(error).toMatchObject({ details: [{ path: 'name' }] });
    }
  });
});

describe('errorResponse', () => {
  const logger = { error: vi.fn() } as unknown as Logger;

  it.each([
    [new NotFoundError('Order not found'), 404, 'NOT_FOUND'],
    [
      new ConflictError('stale', 'INVALID_TRANSITION'),
      409,
      'INVALID_TRANSITION',
    ],
  ])('renders %s with its status and code', (error, status, code) => {
    const response = errorResponse(error, logger);
    expect(response.statusCode).toBe(status);
    expect(JSON.parse(response.body as string).error.code).toBe(code);
  });

  it('adds retry-after to a 429', () => {
    const response = errorResponse(new TooManyRequestsError(30), logger);
    expect(response.headers?.['retry-after']).toBe('30');
  });

  it('answers an unknown error with a bare 500 that leaks nothing', () => {
    const response = errorResponse(new Error('db password is hunter2'), logger);
    expect(response.statusCode).toBe(500);
    expect(response.body).not.toContain('hunter2');
    expect(JSON.parse(response.body as string)).toEqual({
      error: { code: 'INTERNAL', message: 'Internal server error' },
    });
    expect(logger.error).toHaveBeenCalled();
  });
});

describe('header', () => {
  it('finds a header whatever its case', () => {
    expect(
      header({ headers: { 'Idempotency-Key': 'k' } }, 'idempotency-key'),
    ).toBe('k');
  });
});
