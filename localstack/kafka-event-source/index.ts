/**
 * A local stand-in for Lambda's Kafka event source mappings: runs the
 * `msk` and `kafka` events declared in serverless.yml as consumer groups
 * and invokes each function with the event shape Lambda sends. Any
 * Serverless v3 project can use it; see README.md.
 */
import type { ServerlessConfig } from '../serverless-config';
import { loadServerlessConfig } from '../serverless-config';
import {
  type KafkaEventSourceConfig,
  readKafkaMappings,
  readSourceSettings,
} from './config';
import { directInvoker, type Invoker, lambdaInvoker } from './invokers';

export type {
  KafkaEventSourceConfig,
  KafkaEventSourceMapping,
  RetryPolicy,
} from './config';
export { readKafkaMappings, readSourceSettings } from './config';
export {
  directInvoker,
  InvocationError,
  type Invoker,
  lambdaInvoker,
} from './invokers';
export {
  buildKafkaEvent,
  type KafkaEvent,
  type KafkaEventRecord,
} from './kafka-event';
export { failureRecord, type KafkaFailureRecord } from './on-failure';
export { type RunningKafkaEventSource, startKafkaEventSource } from './source';

export interface LoadedSource {
  config: KafkaEventSourceConfig;
  /** serverless-offline's Lambda endpoint when configured, else undefined. */
  invokeUrl: string | undefined;
  /** Declared events that do not run, each with its reason. */
  notes: string[];
}

/**
 * The source's configuration from serverless.yml (through `serverless
 * print`) and the environment.
 */
export function loadKafkaEventSource(
  options: {
    stage?: string;
    env?: NodeJS.ProcessEnv;
    serverless?: ServerlessConfig;
  } = {},
): LoadedSource {
  const env = options.env ?? process.env;
  const stage = options.stage ?? (env.STAGE?.trim() || 'dev');
  const settings = readSourceSettings(env);
  const notes: string[] = [];
  const mappings = readKafkaMappings(
    options.serverless ?? loadServerlessConfig(stage),
    {
      stage,
      ...(settings.functions.length > 0 && { functions: settings.functions }),
      ...(settings.defaultOnFailureQueue && {
        defaultOnFailureQueue: settings.defaultOnFailureQueue,
      }),
      onSkip: (functionKey, reason) => notes.push(`${functionKey}: ${reason}`),
    },
  );
  return {
    config: {
      brokers: settings.brokers,
      mappings,
      retry: settings.retry,
      aws: settings.aws,
    },
    invokeUrl: settings.invokeUrl || undefined,
    notes,
  };
}

/** Lambda invoker when an invoke URL is configured, else in-process. */
export function defaultInvoker(loaded: LoadedSource): Invoker {
  return loaded.invokeUrl
    ? lambdaInvoker({
        endpoint: loaded.invokeUrl,
        region: loaded.config.aws.region,
      })
    : directInvoker();
}
