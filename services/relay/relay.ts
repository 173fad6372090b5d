import { createKafka } from '../../lib/kafka';
import type { Logger } from '../../lib/logger';
import type { RelayConfig } from './config';
import { HttpOrderAccess, type OrderAccess } from './order-access';
import { OrderEventsConsumer } from './order-events';
import { RelayServer } from './server';

export interface StartRelayOptions {
  config: RelayConfig;
  logger: Logger;
  /** Defaults to the REST API at `config.apiUrl`. */
  access?: OrderAccess;
  /** Called when the Kafka consumer gives up for good. */
  onFatal?: (error: Error) => void;
}

export interface RunningRelay {
  server: RelayServer;
  port: number;
  url: string;
  /** Stops reading Kafka, disconnects the clients, closes the port. */
  close(): Promise<void>;
}

/**
 * One relay instance: the Socket.IO server, then the Kafka consumer that
 * feeds it. Resolves when both are up; every event published after that
 * reaches the sockets connected at the time.
 *
 * @example
 * const relay = await startRelay({ config: readRelayConfig(), logger });
 * // ...
 * await relay.close();
 */
export async function startRelay(
  options: StartRelayOptions,
): Promise<RunningRelay> {
  const { config, logger } = options;
  const access =
    options.access ??
    new HttpOrderAccess({
      apiUrl: config.apiUrl,
      timeoutMs: config.apiTimeoutMs,
    });
  let consumer: OrderEventsConsumer | undefined;
  const server = new RelayServer({
    access,
    logger,
    token: config.token,
    corsOrigins: config.corsOrigins,
    recoveryWindowMs: config.recoveryWindowMs,
    maxSubscriptions: config.maxSubscriptions,
    kafkaState: () => consumer?.state ?? 'disconnected',
  });
  const port = await server.listen(config.port, config.host);

  consumer = new OrderEventsConsumer({
    kafka: createKafka('pharmaexpress-relay', config.kafkaBrokers),
    groupId: config.groupId,
    logger,
    onEvent: (event) => server.publish(event),
    ...(options.onFatal && { onFatal: options.onFatal }),
  });
  try {
    await consumer.start();
  } catch (error) {
    await Promise.allSettled([consumer.stop(), server.close()]);
    throw error;
  }

  const started = consumer;
  return {
    server,
    port,
    url: `http://${config.host}:${port}`,
    async close() {
      // Kafka first, so no event arrives at a server that is closing.
      await started.stop();
      await server.close();
    },
  };
}
