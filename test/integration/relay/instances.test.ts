import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  connectClient,
  newOrderId,
  newUser,
  OrderEventsWriter,
  ReceivedEvents,
  startTestRelay,
} from '../../helpers/relay';

const writer = new OrderEventsWriter();

beforeAll(() => writer.start());
afterAll(() => writer.stop());

describe('several relay instances', () => {
  it('each deliver every event to their own clients', async () => {
    // Prepare
    const [first, second] = [await startTestRelay(), await startTestRelay()];
    const alice = newUser();
    const pharmacist = newUser('pharmacist');
    const aliceOnFirst = new ReceivedEvents(
      await connectClient(first.url, alice.token),
    );
    const aliceOnSecond = new ReceivedEvents(
      await connectClient(second.url, alice.token),
    );
    const staffOnSecond = new ReceivedEvents(
      await connectClient(second.url, pharmacist.token),
    );
    const orderId = newOrderId();

    // Act
    const event = await writer.publish(orderId, alice.userId, 'PENDING');

    // Assess
    expect(await aliceOnFirst.waitFor(orderId, 1)).toEqual([event]);
    expect(await aliceOnSecond.waitFor(orderId, 1)).toEqual([event]);
    expect(await staffOnSecond.waitFor(orderId, 1)).toEqual([event]);
  });
});
