import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import type { Context } from 'aws-lambda';
import type { KafkaEventSourceMapping } from './config';
import type { KafkaEvent } from './kafka-event';

/**
 * How the source runs a function for one batch. `invoke` resolves when the
 * function succeeded and rejects when it failed (an error thrown, an
 * unhandled function error, a timeout): only then is the batch retried.
 */
export interface Invoker {
  invoke(mapping: KafkaEventSourceMapping, event: KafkaEvent): Promise<unknown>;
  close?(): Promise<void>;
}

/** The function ran and failed; the message is its `errorMessage`. */
export class InvocationError extends Error {
  override name = 'InvocationError';
}

/**
 * Invokes through a Lambda Invoke API: serverless-offline's Lambda port
 * (`http://127.0.0.1:3002`), so the function runs with its own
 * environment and bundling, as serverless-offline runs it.
 */
export function lambdaInvoker(options: {
  endpoint: string;
  region: string;
}): Invoker {
  const client = new LambdaClient({
    endpoint: options.endpoint,
    region: options.region,
    // serverless-offline checks no signature; these reach no account.
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    // The source owns retries: one Invoke per attempt.
    maxAttempts: 1,
  });
  return {
    async invoke(mapping, event) {
      const output = await client.send(
        new InvokeCommand({
          FunctionName: mapping.functionName,
          InvocationType: 'RequestResponse',
          Payload: Buffer.from(JSON.stringify(event)),
        }),
      );
      const payload = output.Payload
        ? Buffer.from(output.Payload).toString('utf8')
        : '';
      if (output.FunctionError) {
        throw new InvocationError(errorMessageOf(payload));
      }
      return payload ? JSON.parse(payload) : undefined;
    },
    async close() {
      client.destroy();
    },
  };
}

type Handler = (event: KafkaEvent, context: Context) => Promise<unknown>;

/**
 * Runs the handler in this process: `handlers` by function key, else the
 * module named by the function's `handler` (imported once, relative to
 * `root`; tsx or vitest load TypeScript). The Lambda timeout is enforced
 * as a failure, but the handler's work is not cancelled.
 */
export function directInvoker(
  options: { root?: string; handlers?: Record<string, Handler> } = {},
): Invoker {
  const loaded = new Map<string, Promise<Handler>>();
  const load = (mapping: KafkaEventSourceMapping): Promise<Handler> => {
    const given = options.handlers?.[mapping.functionKey];
    if (given) return Promise.resolve(given);
    let handler = loaded.get(mapping.handler);
    if (!handler) {
      handler = importHandler(mapping.handler, options.root ?? process.cwd());
      loaded.set(mapping.handler, handler);
    }
    return handler;
  };

  return {
    async invoke(mapping, event) {
      const handler = await load(mapping);
      const timeoutMs = mapping.timeoutSeconds * 1000;
      const context = lambdaContext(mapping, Date.now() + timeoutMs);
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new InvocationError('Task timed out')),
          timeoutMs,
        );
      });
      try {
        return await Promise.race([handler(event, context), timeout]);
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

async function importHandler(spec: string, root: string): Promise<Handler> {
  const dot = spec.lastIndexOf('.');
  const file = path.resolve(root, spec.slice(0, dot));
  const name = spec.slice(dot + 1);
  const module = (await import(file)) as Record<string, unknown>;
  const handler =
    module[name] ?? (module.default as Record<string, unknown>)?.[name];
  if (typeof handler !== 'function') {
    throw new Error(`${file} exports no function "${name}"`);
  }
  return handler as Handler;
}

/** The fields of a Lambda context that handlers and Powertools read. */
function lambdaContext(
  mapping: KafkaEventSourceMapping,
  deadline: number,
): Context {
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: mapping.functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${mapping.functionName}`,
    memoryLimitInMB: '512',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${mapping.functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => {},
    fail: () => {},
    succeed: () => {},
  };
}

function errorMessageOf(payload: string): string {
  try {
    const parsed = JSON.parse(payload) as { errorMessage?: string };
    return parsed.errorMessage ?? payload;
  } catch {
    return payload || 'function error';
  }
}
