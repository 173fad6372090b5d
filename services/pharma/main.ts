/**
 * Starts the pharma gRPC service: `npm run pharma`.
 * Configuration: services/pharma/README.md.
 */
import { createLogger } from '../../lib/logger';
import { closeMongo, getMongoDb } from '../../lib/mongo';
import { readPharmaConfig } from './config';
import { createMongoStores } from './mongo-store';
import { Pharmacy } from './pharmacy';
import { PharmaServer } from './server';

const logger = createLogger('pharma');

async function main(): Promise<void> {
  const config = readPharmaConfig();
  const stores = await createMongoStores(await getMongoDb(config.mongodbUri));
  const pharmacy = new Pharmacy({ stores, logger, currency: config.currency });
  const server = new PharmaServer({ pharmacy, logger });
  const port = await server.listen(config.host, config.port);
  logger.info('pharma listening', { host: config.host, port });

  const stop = async (signal: NodeJS.Signals) => {
    logger.info('pharma stopping', { signal });
    await server.shutdown(config.shutdownGraceMs);
    await closeMongo();
    logger.info('pharma stopped', { signal });
    process.exit(0);
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((error: unknown) => {
  logger.error('pharma failed to start', { error: error as Error });
  process.exit(1);
});
