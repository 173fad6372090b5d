import type {
  APIGatewayProxyEventV2,
  APIGatewayProxyStructuredResultV2,
  Context,
} from 'aws-lambda';
import { tokenConfig } from '../../lib/auth/config';
import { authenticateRequest } from '../../lib/auth/request';
import { NotFoundError } from '../../lib/errors';
import { errorResponse, json, parseBody } from '../../lib/http';
import { createLogger } from '../../lib/logger';
import { readUsersConfig } from '../../lib/users/config';
import { openUsersService } from '../../lib/users/open';
import { credentialsSchema, registrationSchema } from '../../lib/users/schemas';
import type { UsersService } from '../../lib/users/service';

const logger = createLogger('auth');

type Event = APIGatewayProxyEventV2;
type Result = APIGatewayProxyStructuredResultV2;
type Route = (event: Event, users: UsersService) => Promise<Result>;

const routes: Record<string, Route> = {
  'POST /auth/register': register,
  'POST /auth/login': login,
  'GET /auth/me': me,
};

/** Accounts and sign-in (functions/auth/README.md): a route per key. */
export async function handler(event: Event, context?: Context) {
  if (context) logger.addContext(context);
  logger.appendKeys({ route: event.routeKey });
  try {
    const route = routes[event.routeKey];
    if (!route) throw new NotFoundError(`No route ${event.routeKey}`);
    return await route(event, await usersService());
  } catch (error) {
    return errorResponse(error, logger);
  } finally {
    logger.resetKeys();
  }
}

async function register(event: Event, users: UsersService): Promise<Result> {
  const input = parseBody(event, registrationSchema);

  const session = await users.register(input);

  return json(201, session);
}

async function login(event: Event, users: UsersService): Promise<Result> {
  const credentials = parseBody(event, credentialsSchema);

  const session = await users.login(
    credentials,
    event.requestContext.http.sourceIp,
  );

  return json(200, session);
}

async function me(event: Event, users: UsersService): Promise<Result> {
  const caller = authenticateRequest(event);

  // The stored profile, not the token's claims: a role or name may have
  // changed since the token was signed.
  const user = await users.profile(caller.userId);

  return json(200, { user });
}

let ready: Promise<UsersService> | undefined;

/**
 * The service, built once per container on the first call. That first
 * call also creates the configured first admin (ADMIN_EMAIL) if absent.
 * A failed start is not cached: the next call tries again.
 */
function usersService(): Promise<UsersService> {
  ready ??= start().catch((error: unknown) => {
    ready = undefined;
    throw error;
  });
  return ready;
}

async function start(): Promise<UsersService> {
  const config = readUsersConfig();
  const users = await openUsersService(logger, {
    config,
    tokens: tokenConfig(),
  });
  if (config.admin) {
    const outcome = await users.ensureAdmin(config.admin);
    logger.info('first admin checked', { outcome });
  }
  return users;
}
