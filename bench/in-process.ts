import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { apiEvent } from '../test/helpers/api-event';
import { lambdaContext } from '../test/helpers/sqs-driver';
import { load } from './load';
import type { Figures } from './stats';

type OrdersHandler = (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<{ statusCode?: number }>;

/**
 * POST /orders with the orders handler called in this process, against
 * the same DynamoDB, SQS and Kafka as the emulated function: what our code
 * costs without serverless-offline's worker hop and HTTP layer around it.
 * `token` is a registered customer's, so notify finds an address.
 */
export async function ordersInProcess(
  token: string,
  sku: string,
  durationMs: number,
): Promise<Figures> {
  const { handler } = (await import('../functions/orders/handler')) as {
    handler: OrdersHandler;
  };
  return load({ concurrency: 1, durationMs, maxRequests: 2_000 }, async () => {
    const event = apiEvent({
      route: 'POST /orders',
      token,
      headers: { 'idempotency-key': randomUUID() },
      body: { items: [{ sku, quantity: 1 }] },
    });
    const result = await handler(event, lambdaContext('orders'));
    return result.statusCode === 202;
  });
}
