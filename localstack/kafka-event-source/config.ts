import { z } from 'zod';
import {
  ConfigError,
  intEnv,
  listEnv,
  readEndpoints,
  stringEnv,
} from '../../lib/config';
import type { CfnResource, ServerlessConfig } from '../serverless-config';

/**
 * One `msk` or `kafka` event of one function: what Lambda would create as
 * an event source mapping on AWS, and what the local source runs as a
 * consumer group.
 */
export interface KafkaEventSourceMapping {
  /** The key under `functions:` in serverless.yml. */
  functionKey: string;
  /** The deployed name (`<service>-<stage>-<key>`), used by the Lambda invoker. */
  functionName: string;
  /** `path/to/module.export`, used by the direct invoker. */
  handler: string;
  timeoutSeconds: number;
  /** provider.environment merged with the function's own. */
  environment: Record<string, string>;
  kind: 'msk' | 'kafka';
  /** MSK only: the cluster ARN, as the event's `eventSourceArn`. */
  eventSourceArn?: string;
  topic: string;
  batchSize: number;
  startingPosition: 'TRIM_HORIZON' | 'LATEST';
  groupId: string;
  /** SQS queue name or URL for batches that used up their retries. */
  onFailureQueue?: string;
}

export interface RetryPolicy {
  /** Retries after the first attempt before a batch goes to its on-failure queue. */
  retries: number;
  initialDelayMs: number;
  maxDelayMs: number;
}

export interface KafkaEventSourceConfig {
  brokers: string[];
  mappings: KafkaEventSourceMapping[];
  retry: RetryPolicy;
  aws: { endpoint: string | undefined; region: string };
}

// Lambda's defaults for Kafka event source mappings.
const DEFAULT_BATCH_SIZE = 100;
const DEFAULT_TIMEOUT_SECONDS = 6;

/** The keys of an `msk` or `kafka` event the local source acts on; the rest only matter on AWS. */
const eventSchema = z.object({
  arn: z.unknown().optional(),
  topic: z.string().min(1),
  batchSize: z.number().int().min(1).max(10_000).optional(),
  enabled: z.boolean().optional(),
  startingPosition: z
    .enum(['LATEST', 'TRIM_HORIZON', 'AT_TIMESTAMP'])
    .optional(),
  consumerGroupId: z.string().min(1).optional(),
  filterPatterns: z.array(z.unknown()).optional(),
  destinations: z.object({ onFailure: z.unknown().optional() }).optional(),
});

type DeclaredEvent = z.infer<typeof eventSchema>;

/** What serverless print adds beyond the fields the stack runner reads. */
interface PrintedConfig extends ServerlessConfig {
  service?: string | { name: string };
  provider: ServerlessConfig['provider'] & {
    stage?: string;
    timeout?: number;
  };
}

export interface ReadMappingsOptions {
  stage: string;
  /** Only these function keys; all by default. */
  functions?: string[];
  /** Queue for mappings that declare no `destinations.onFailure`. */
  defaultOnFailureQueue?: string;
  /** Called for each declared event that is not run, with the reason. */
  onSkip?: (functionKey: string, reason: string) => void;
}

/**
 * The Kafka event source mappings declared in a resolved serverless.yml.
 * Disabled events are skipped; settings Lambda has but this source cannot
 * honour locally (AT_TIMESTAMP, filter patterns) are refused or reported
 * through `onSkip`, never silently ignored.
 */
export function readKafkaMappings(
  config: ServerlessConfig,
  options: ReadMappingsOptions,
): KafkaEventSourceMapping[] {
  const printed = config as PrintedConfig;
  const service =
    typeof printed.service === 'string'
      ? printed.service
      : (printed.service?.name ?? 'service');
  const wanted = options.functions && new Set(options.functions);
  const skip = options.onSkip ?? (() => {});
  const mappings: KafkaEventSourceMapping[] = [];

  for (const [functionKey, fn] of Object.entries(config.functions ?? {})) {
    if (wanted && !wanted.has(functionKey)) continue;
    for (const [index, entry] of (fn.events ?? []).entries()) {
      const kind = 'msk' in entry ? 'msk' : 'kafka' in entry ? 'kafka' : null;
      if (!kind) continue;
      const where = `functions.${functionKey}.events[${index}].${kind}`;
      const parsed = eventSchema.safeParse(entry[kind]);
      if (!parsed.success) {
        throw new ConfigError(`${where}: ${z.prettifyError(parsed.error)}`);
      }
      const event = parsed.data;
      if (event.enabled === false) {
        skip(functionKey, `${where} is disabled`);
        continue;
      }
      if (event.startingPosition === 'AT_TIMESTAMP') {
        throw new ConfigError(
          `${where}: startingPosition AT_TIMESTAMP is not supported locally; use TRIM_HORIZON or LATEST`,
        );
      }
      if (event.filterPatterns) {
        skip(
          functionKey,
          `${where}: filterPatterns are not applied locally; every record is delivered`,
        );
      }

      const functionName =
        (fn as { name?: string }).name ??
        `${service}-${options.stage}-${functionKey}`;
      const onFailureQueue =
        queueOf(event, config.resources?.Resources ?? {}, where) ??
        options.defaultOnFailureQueue;
      mappings.push({
        functionKey,
        functionName,
        handler: fn.handler,
        timeoutSeconds:
          fn.timeout ?? printed.provider.timeout ?? DEFAULT_TIMEOUT_SECONDS,
        environment: {
          ...config.provider.environment,
          ...fn.environment,
        },
        kind,
        ...(kind === 'msk' && {
          eventSourceArn: clusterArn(event, config.provider.region, service),
        }),
        topic: event.topic,
        batchSize: event.batchSize ?? DEFAULT_BATCH_SIZE,
        // Lambda's default for Kafka; serverless v3 applies it too.
        startingPosition: event.startingPosition ?? 'TRIM_HORIZON',
        groupId: event.consumerGroupId ?? `${functionName}-${event.topic}`,
        ...(onFailureQueue && { onFailureQueue }),
      });
    }
  }
  return mappings;
}

/** Source-wide settings from the environment (see README.md). */
export function readSourceSettings(env: NodeJS.ProcessEnv = process.env) {
  const endpoints = readEndpoints(env);
  return {
    brokers: endpoints.kafkaBrokers,
    aws: { endpoint: endpoints.awsEndpointUrl, region: endpoints.awsRegion },
    functions: listEnv('KAFKA_EVENT_SOURCE_FUNCTIONS', [], env),
    defaultOnFailureQueue: stringEnv(
      'KAFKA_EVENT_SOURCE_ON_FAILURE_QUEUE',
      '',
      env,
    ),
    invokeUrl: stringEnv('KAFKA_EVENT_SOURCE_INVOKE_URL', '', env),
    retry: {
      retries: intEnv('KAFKA_EVENT_SOURCE_RETRIES', 3, { min: 0 }, env),
      initialDelayMs: intEnv(
        'KAFKA_EVENT_SOURCE_RETRY_DELAY_MS',
        500,
        { min: 0 },
        env,
      ),
      maxDelayMs: intEnv(
        'KAFKA_EVENT_SOURCE_RETRY_MAX_DELAY_MS',
        30_000,
        { min: 0 },
        env,
      ),
    } satisfies RetryPolicy,
  };
}

/**
 * The cluster ARN for the event's `eventSourceArn`. A CloudFormation
 * reference cannot be resolved without AWS, so a local ARN stands in.
 */
function clusterArn(
  event: DeclaredEvent,
  region: string,
  service: string,
): string {
  if (typeof event.arn === 'string') return event.arn;
  return `arn:aws:kafka:${region}:000000000000:cluster/${service}-local/local`;
}

/**
 * `destinations.onFailure` as a queue name or URL. Accepts an SQS ARN, a
 * queue URL or name, `{arn: ...}`, or `Fn::GetAtt` of a queue declared
 * under resources.
 */
function queueOf(
  event: DeclaredEvent,
  resources: Record<string, CfnResource>,
  where: string,
): string | undefined {
  let target = event.destinations?.onFailure;
  if (target === undefined) return undefined;
  if (typeof target === 'object' && target !== null && 'arn' in target) {
    target = (target as { arn: unknown }).arn;
  }
  if (typeof target === 'string') {
    if (target.startsWith('arn:aws:sqs:')) return target.split(':').at(-1);
    if (!target.startsWith('arn:')) return target;
  }
  const getAtt = (target as { 'Fn::GetAtt'?: [string, string] } | null)?.[
    'Fn::GetAtt'
  ];
  const resource = getAtt && resources[getAtt[0]];
  if (resource?.Type === 'AWS::SQS::Queue') {
    return resource.Properties.QueueName as string;
  }
  throw new ConfigError(
    `${where}.destinations.onFailure: only an SQS queue is supported locally`,
  );
}
