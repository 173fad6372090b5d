/**
 * Typed readers for configuration from the environment.
 *
 * Every part reads its settings through these helpers so that a missing or
 * malformed value fails at start-up with a message naming the variable,
 * never later with a confusing driver error. Explicit options passed by a
 * caller win over the environment, which wins over the defaults given here.
 */

export class ConfigError extends Error {
  override name = 'ConfigError';
}

type Env = Record<string, string | undefined>;

function raw(name: string, env: Env): string | undefined {
  const value = env[name]?.trim();
  return value === '' ? undefined : value;
}

/** A required string; throws ConfigError naming the variable when unset. */
export function requireEnv(name: string, env: Env = process.env): string {
  const value = raw(name, env);
  if (value === undefined) {
    throw new ConfigError(`${name} is required but not set`);
  }
  return value;
}

/** An optional string with a default. */
export function stringEnv(
  name: string,
  fallback: string,
  env: Env = process.env,
): string {
  return raw(name, env) ?? fallback;
}

/** An integer within [min, max]; throws ConfigError when not one. */
export function intEnv(
  name: string,
  fallback: number,
  { min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER } = {},
  env: Env = process.env,
): number {
  const value = raw(name, env);
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < min || parsed > max) {
    throw new ConfigError(
      `${name} must be an integer from ${min} to ${max}, got "${value}"`,
    );
  }
  return parsed;
}

/** A comma-separated list, blanks dropped. */
export function listEnv(
  name: string,
  fallback: string[],
  env: Env = process.env,
): string[] {
  const value = raw(name, env);
  if (value === undefined) return fallback;
  return value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}

/** Endpoints shared by every part. Each comes from the environment. */
export interface Endpoints {
  /** AWS-compatible endpoint (moto, LocalStack); unset on AWS itself. */
  awsEndpointUrl: string | undefined;
  awsRegion: string;
  kafkaBrokers: string[];
  mongodbUri: string;
  smtpUrl: string;
}

export function readEndpoints(env: Env = process.env): Endpoints {
  return {
    awsEndpointUrl: raw('AWS_ENDPOINT_URL', env),
    awsRegion: stringEnv('AWS_REGION', 'eu-west-1', env),
    kafkaBrokers: listEnv('KAFKA_BROKERS', ['127.0.0.1:9092'], env),
    mongodbUri: stringEnv(
      'MONGODB_URI',
      'mongodb://127.0.0.1:27017/pharmaexpress',
      env,
    ),
    smtpUrl: stringEnv('SMTP_URL', 'smtp://127.0.0.1:1025', env),
  };
}
