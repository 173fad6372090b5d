/**
 * Runs the `schedule` events of serverless.yml locally, which
 * serverless-offline does not: each function with `rate(...)` is invoked
 * through serverless-offline's Lambda endpoint at that rate, with the
 * event EventBridge sends for a scheduled rule.
 *
 *   npm run schedules -- [--stage dev] [--invoke-url http://127.0.0.1:3002]
 *
 * LOCAL_SCHEDULE_MAX_SECONDS caps every rate (default 60), so a local
 * stack repairs itself within a minute whatever the deployed rate is.
 * Only `rate(...)` is supported; `cron(...)` expressions are reported and
 * skipped.
 */
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { intEnv } from '../lib/config';
import { createLogger } from '../lib/logger';
import { loadServerlessConfig } from './serverless-config';
import { defaultStage } from './stack';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const logger = createLogger('schedule-source');

const UNITS: Record<string, number> = { minute: 60, hour: 3600, day: 86_400 };

/** Seconds between runs of `rate(5 minutes)`; undefined for anything else. */
export function rateSeconds(expression: string): number | undefined {
  const match = /^rate\((\d+)\s+(minute|hour|day)s?\)$/.exec(expression.trim());
  if (!match) return undefined;
  return Number(match[1]) * (UNITS[match[2] as string] as number);
}

export interface Schedule {
  functionName: string;
  expression: string;
  seconds: number;
}

export function readSchedules(stage: string): Schedule[] {
  const config = loadServerlessConfig(stage) as ReturnType<
    typeof loadServerlessConfig
  > & {
    service: string;
  };
  const schedules: Schedule[] = [];
  for (const [key, fn] of Object.entries(config.functions ?? {})) {
    for (const event of fn.events ?? []) {
      const schedule = event.schedule as
        | string
        | { rate: string | string[] }
        | undefined;
      if (!schedule) continue;
      const rates =
        typeof schedule === 'string' ? [schedule] : [schedule.rate].flat();
      for (const expression of rates) {
        const seconds = rateSeconds(expression);
        if (seconds === undefined) {
          logger.warn('schedule not supported locally', {
            functionKey: key,
            expression,
          });
          continue;
        }
        schedules.push({
          functionName: `${config.service}-${stage}-${key}`,
          expression,
          seconds,
        });
      }
    }
  }
  return schedules;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { stage: { type: 'string' }, 'invoke-url': { type: 'string' } },
  });
  const stage = values.stage ?? defaultStage();
  const endpoint =
    values['invoke-url'] ??
    process.env.LAMBDA_ENDPOINT_URL ??
    'http://127.0.0.1:3002';
  const cap = intEnv('LOCAL_SCHEDULE_MAX_SECONDS', 60, { min: 1 });
  const lambda = new LambdaClient({
    endpoint,
    region: process.env.AWS_REGION ?? 'eu-west-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });

  const timers = readSchedules(stage).map((schedule) => {
    const every = Math.min(schedule.seconds, cap);
    logger.info('schedule started', {
      functionName: schedule.functionName,
      everySeconds: every,
    });
    return setInterval(async () => {
      try {
        const output = await lambda.send(
          new InvokeCommand({
            FunctionName: schedule.functionName,
            Payload: Buffer.from(JSON.stringify(scheduledEvent())),
          }),
        );
        if (output.FunctionError) {
          logger.warn('scheduled run failed', {
            functionName: schedule.functionName,
          });
        }
      } catch (error) {
        logger.warn('scheduled run not invoked', {
          functionName: schedule.functionName,
          error: error as Error,
        });
      }
    }, every * 1000);
  });

  const stop = () => {
    for (const timer of timers) clearInterval(timer);
    lambda.destroy();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

/** The event EventBridge sends to the target of a scheduled rule. */
function scheduledEvent() {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: '000000000000',
    time: new Date().toISOString(),
    region: process.env.AWS_REGION ?? 'eu-west-1',
    resources: [],
    detail: {},
  };
}

if (require.main === module) {
  main().catch((error: unknown) => {
    logger.error('schedule source failed', { error: error as Error });
    process.exit(1);
  });
}
