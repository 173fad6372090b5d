import { Logger } from '@aws-lambda-powertools/logger';

/**
 * One structured JSON logger per part, with Powertools' standard keys
 * (level, message, timestamp, service, cold_start, function_request_id).
 *
 * Log a constant message and put ids in separate keys:
 * `logger.info('order placed', { orderId })`. Never log passwords, tokens,
 * prescriptions, email bodies or whole orders.
 */
export function createLogger(serviceName: string): Logger {
  return new Logger({
    serviceName,
    logLevel: (process.env.LOG_LEVEL ?? 'INFO') as 'INFO',
  });
}

export type { Logger };
