import { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import { describe, expect, it, vi } from 'vitest';
import type { NotifyFailure } from '../../../../functions/notify/failures';
import { createHandler } from '../../../../functions/notify/handler';
import {
  type DeliveredRecord,
  decode,
  type RecordOutcome,
} from '../../../../functions/notify/notifier';
import { orderStatusChanged } from '../../../../lib/events';
import awsSample from '../../../fixtures/msk/aws-msk-event.json';

const context = {
  functionName: 'notify',
  awsRequestId: 'req-1',
  getRemainingTimeInMillis: () => 60_000,
} as Context;

const quiet = new Logger({ logLevel: 'SILENT' });

const sample = awsSample.records['mytopic-0'][0] as DeliveredRecord;

function record(offset: number, value: string): DeliveredRecord {
  return {
    ...sample,
    offset,
    value: Buffer.from(value).toString('base64'),
  };
}

function mskEvent(...records: DeliveredRecord[]) {
  return { ...awsSample, records: { 'mytopic-0': records } };
}

const event = (status: 'CONFIRMED' | 'READY') =>
  JSON.stringify(
    orderStatusChanged({
      orderId: 'o-1',
      userId: 'u-1',
      status,
      previousStatus: 'PENDING',
    }),
  );

/** A notifier that decodes for real and "sends" every valid event. */
function fakeNotifier() {
  return {
    registerContext: vi.fn(),
    process: vi.fn(async (r: DeliveredRecord): Promise<RecordOutcome> => {
      const decoded = decode(r);
      return decoded.ok
        ? { status: 'sent', event: decoded.event, messageId: 'm' }
        : {
            status: 'set-aside',
            reason: decoded.reason,
            detail: decoded.detail,
          };
    }),
  };
}

describe('notify handler', () => {
  it('processes every record of the batch in order and parks the malformed one', async () => {
    // Prepare
    const notifier = fakeNotifier();
    const parked: NotifyFailure[] = [];
    const handler = createHandler({
      notifier,
      failures: { record: async (failure) => void parked.push(failure) },
      logger: quiet,
    });
    const batch = mskEvent(
      record(1, event('CONFIRMED')),
      record(2, 'not json'),
      record(3, event('READY')),
    );

    // Act
    await handler(batch, context);

    // Assess
    expect(notifier.process.mock.calls.map(([r]) => r.offset)).toEqual([
      1, 2, 3,
    ]);
    expect(parked).toHaveLength(1);
    expect(parked[0]).toMatchObject({
      kind: 'notify.failed',
      reason: 'NOT_JSON',
      record: { offset: 2, value: Buffer.from('not json').toString('base64') },
    });
    expect(notifier.registerContext).toHaveBeenCalledWith(context);
  });

  it.each([
    ['a non-MSK event', { Records: [] }],
    ['an MSK event with an empty partition', mskEvent()],
    ['nothing', undefined],
  ])('fails the invocation for %s', async (_case, input) => {
    // Prepare
    const handler = createHandler({
      notifier: fakeNotifier(),
      failures: { record: async () => {} },
      logger: quiet,
    });

    // Act / Assess
    await expect(handler(input, context)).rejects.toThrow(/MSK event/);
  });

  it('fails the invocation when a record cannot be parked, so the batch is retried', async () => {
    // Prepare
    const handler = createHandler({
      notifier: fakeNotifier(),
      failures: {
        record: async () => {
          throw new Error('queue unreachable');
        },
      },
      logger: quiet,
    });

    // Act / Assess
    await expect(
      handler(mskEvent(record(1, 'not json')), context),
    ).rejects.toThrow('queue unreachable');
  });
});
