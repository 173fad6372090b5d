import type { TokenConfig } from '../auth/config';
import type { Logger } from '../logger';
import { getMongoDb } from '../mongo';
import { readUsersConfig, type UsersConfig } from './config';
import { LoginThrottle } from './login-throttle';
import { unlessUnreachable } from './mongo-errors';
import { MongoLoginAttemptsStore } from './mongo-login-attempts-store';
import { MongoUsersStore } from './mongo-users-store';
import { UsersService } from './service';

export interface OpenOptions {
  config?: UsersConfig;
  /** Pass to fail at start without JWT_SECRET; tools that sign nothing omit it. */
  tokens?: TokenConfig;
}

/**
 * The users service wired to MongoDB (`MONGODB_URI`) and configured from
 * the environment; creates the stores' indexes when missing.
 */
export async function openUsersService(
  logger: Logger,
  { config = readUsersConfig(), tokens }: OpenOptions = {},
): Promise<UsersService> {
  const db = await unlessUnreachable('MongoDB', () => getMongoDb());
  const [store, attempts] = await Promise.all([
    MongoUsersStore.open(db),
    MongoLoginAttemptsStore.open(db, logger),
  ]);
  return new UsersService({
    store,
    throttle: new LoginThrottle(attempts, config.throttle),
    tokens,
    bcryptCost: config.bcryptCost,
    logger,
  });
}
