/**
 * Starts the relay: `npm run relay`.
 * Configuration and operations: services/relay/README.md.
 */
import { createLogger } from '../../lib/logger';
import { readRelayConfig } from './config';
import { type RunningRelay, startRelay } from './relay';

const logger = createLogger('relay');
const STOP_TIMEOUT_MS = 15_000;

async function main(): Promise<void> {
  const config = readRelayConfig();
  // One key per instance, so connection counts can be summed across them.
  logger.appendPersistentKeys({ instance: config.groupId });

  let relay: RunningRelay | undefined;
  let stopping = false;
  const stop = async (reason: string, code: number) => {
    if (stopping) return;
    stopping = true;
    logger.info('relay stopping', { reason });
    // Leaving the Kafka group can hang while Kafka is down: cap the wait.
    setTimeout(() => process.exit(code || 1), STOP_TIMEOUT_MS).unref();
    try {
      await relay?.close();
    } catch (error) {
      logger.error('relay stop failed', { error: error as Error });
      code = 1;
    }
    logger.info('relay stopped', { reason });
    process.exit(code);
  };

  relay = await startRelay({
    config,
    logger,
    // Without Kafka the relay pushes nothing: exit so the supervisor restarts it.
    onFatal: () => void stop('kafka consumer gave up', 1),
  });
  logger.info('relay listening', {
    host: config.host,
    port: relay.port,
    apiUrl: config.apiUrl,
    corsOrigins: config.corsOrigins,
  });
  process.once('SIGTERM', () => void stop('SIGTERM', 0));
  process.once('SIGINT', () => void stop('SIGINT', 0));
}

main().catch((error: unknown) => {
  logger.error('relay failed to start', { error: error as Error });
  process.exit(1);
});
