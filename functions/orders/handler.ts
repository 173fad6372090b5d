import {
  IdempotencyAlreadyInProgressError,
  IdempotencyConfig,
  IdempotencyValidationError,
  makeIdempotent,
} from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type {
  APIGatewayProxyEventV2,
  APIGatewayProxyStructuredResultV2,
  Context,
} from 'aws-lambda';
import { z } from 'zod';
import { authenticateRequest } from '../../lib/auth/request';
import { requireEnv } from '../../lib/config';
import {
  ConflictError,
  IdempotencyKeyReusedError,
  NotFoundError,
  ValidationError,
} from '../../lib/errors';
import {
  errorResponse,
  header,
  json,
  parseBody,
  validate,
} from '../../lib/http';
import { createLogger } from '../../lib/logger';
import { ordersContext } from '../../lib/orders/context';
import { type Order, placeOrderSchema } from '../../lib/orders/order';
import { ORDER_STATUSES } from '../../lib/orders/status';
import type { Principal } from '../../lib/principal';

const logger = createLogger('orders');

type Event = APIGatewayProxyEventV2;
type Route = (
  event: Event,
  principal: Principal,
) => Promise<APIGatewayProxyStructuredResultV2>;

const routes: Record<string, Route> = {
  'POST /orders': placeOrder,
  'GET /orders': listOrders,
  'GET /orders/{id}': getOrder,
  'POST /orders/{id}/cancel': cancelOrder,
  'PATCH /orders/{id}/status': updateStatus,
};

/** REST for orders (docs/design.md, "REST"): one function, a route per key. */
export async function handler(event: Event, context: Context) {
  logger.addContext(context);
  idempotency.registerLambdaContext(context);
  try {
    const route = routes[event.routeKey];
    if (!route) throw new NotFoundError(`No route ${event.routeKey}`);
    const principal = authenticateRequest(event);
    logger.appendKeys({ userId: principal.userId });
    return await route(event, {
      userId: principal.userId,
      role: principal.role,
    });
  } catch (error) {
    return errorResponse(error, logger);
  } finally {
    logger.removeKeys(['userId']);
  }
}

const idempotencyKeySchema = z
  .string()
  .regex(
    /^[A-Za-z0-9._:-]{8,128}$/,
    'must be 8 to 128 letters, digits or ._:- characters',
  );

const listQuerySchema = z.object({
  status: z.enum(ORDER_STATUSES).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(2048).optional(),
});

const idSchema = z.string().min(1).max(128);

const statusBodySchema = z.strictObject({ status: z.enum(ORDER_STATUSES) });

interface PlaceRequest {
  principal: Principal;
  key: string;
  body: z.infer<typeof placeOrderSchema>;
}

/**
 * The same Idempotency-Key from the same customer answers with the first
 * order; with another body it is refused (422). Records live in the
 * idempotency table for a day.
 */
const idempotency = new IdempotencyConfig({
  eventKeyJmesPath: '[principal.userId, key]',
  payloadValidationJmesPath: 'body',
  expiresAfterSeconds: 24 * 3600,
});

const placeOnce = makeIdempotent(
  async ({ principal, key, body }: PlaceRequest): Promise<Order> =>
    ordersContext(logger).service.place(principal, body, key),
  {
    persistenceStore: new DynamoDBPersistenceLayer({
      tableName: requireEnv('IDEMPOTENCY_TABLE'),
    }),
    config: idempotency,
  },
);

async function placeOrder(event: Event, principal: Principal) {
  const body = parseBody(event, placeOrderSchema);
  const key = header(event, 'idempotency-key');
  if (key === undefined) {
    throw new ValidationError('The Idempotency-Key header is required', [
      { path: 'Idempotency-Key', message: 'required' },
    ]);
  }
  validate(idempotencyKeySchema, key);

  try {
    const order = await placeOnce({ principal, key, body });
    return json(202, { order });
  } catch (error) {
    if (error instanceof IdempotencyValidationError)
      throw new IdempotencyKeyReusedError();
    if (error instanceof IdempotencyAlreadyInProgressError) {
      throw new ConflictError(
        'A request with this Idempotency-Key is in progress',
      );
    }
    throw error;
  }
}

async function listOrders(event: Event, principal: Principal) {
  const query = validate(listQuerySchema, event.queryStringParameters ?? {});
  const page = await ordersContext(logger).service.list(
    principal,
    { limit: query.limit, cursor: query.cursor },
    query.status,
  );
  return json(200, page);
}

async function getOrder(event: Event, principal: Principal) {
  const id = validate(idSchema, event.pathParameters?.id);
  return json(200, {
    order: await ordersContext(logger).service.get(principal, id),
  });
}

async function cancelOrder(event: Event, principal: Principal) {
  const id = validate(idSchema, event.pathParameters?.id);
  return json(200, {
    order: await ordersContext(logger).service.cancel(principal, id),
  });
}

async function updateStatus(event: Event, principal: Principal) {
  const id = validate(idSchema, event.pathParameters?.id);
  const { status } = parseBody(event, statusBodySchema);
  const order = await ordersContext(logger).service.moveByStaff(
    principal,
    id,
    status,
  );
  return json(200, { order });
}
