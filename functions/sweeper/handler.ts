import type { Context } from 'aws-lambda';
import { intEnv } from '../../lib/config';
import { createLogger } from '../../lib/logger';
import { ordersContext } from '../../lib/orders/context';

const logger = createLogger('sweeper');

/**
 * Runs on a schedule and repairs what a failure left behind:
 * - publishes outbox events that did not reach Kafka when they were
 *   written (Kafka down), oldest first within each order;
 * - queues validation again for orders PENDING longer than
 *   STALE_PENDING_SECONDS (a lost queue message, or one parked in the
 *   dead-letter queue while the pharmacy was down).
 */
export async function handler(_event: unknown, context?: Context) {
  if (context) logger.addContext(context);
  const { publisher, store, tasks } = ordersContext(logger);

  let published = 0;
  try {
    published = await publisher.publishPending();
  } catch (error) {
    logger.warn('outbox still pending', { error: error as Error });
  }

  const staleAfter = intEnv('STALE_PENDING_SECONDS', 300, { min: 10 });
  const before = new Date(Date.now() - staleAfter * 1000).toISOString();
  const stale = await store.listPendingBefore(before, 50);
  for (const order of stale) await tasks.validate(order.id);

  logger.info('sweep done', { published, requeued: stale.length });
  return { published, requeued: stale.length };
}
