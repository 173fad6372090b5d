import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { readTokenConfig, type TokenConfig } from '../../lib/auth';
import {
  ConfigError,
  intEnv,
  listEnv,
  readEndpoints,
  stringEnv,
} from '../../lib/config';

type Env = Record<string, string | undefined>;

/** Settings of the relay; each comes from the environment. */
export interface RelayConfig {
  /** Interface to listen on; 0.0.0.0 inside a container. */
  host: string;
  /** HTTP and Socket.IO port; 0 picks a free one. */
  port: number;
  /** Base URL of the REST API, asked whether a caller may see an order. */
  apiUrl: string;
  /** How long a subscribe waits for the API before answering UNAVAILABLE. */
  apiTimeoutMs: number;
  kafkaBrokers: string[];
  /**
   * Consumer group of this instance. Unique per process by default: every
   * relay instance must see every event, so instances never share a group.
   */
  groupId: string;
  /** Browser origins allowed to connect; empty allows none cross-origin. */
  corsOrigins: string[];
  /** How long a dropped client can come back and get what it missed. */
  recoveryWindowMs: number;
  /** Order rooms one socket may join, so a client cannot pile up rooms. */
  maxSubscriptions: number;
  /** Verifies handshake tokens: the shared rule of lib/auth. */
  token: TokenConfig;
}

/**
 * Reads the relay settings (RELAY_*, API_URL, KAFKA_BROKERS, JWT_*),
 * failing with the variable's name when one is malformed or, for
 * JWT_SECRET, missing.
 */
export function readRelayConfig(env: Env = process.env): RelayConfig {
  return {
    host: stringEnv('RELAY_HOST', '127.0.0.1', env),
    port: intEnv('RELAY_PORT', 4000, { min: 0, max: 65535 }, env),
    apiUrl: urlEnv('API_URL', 'http://127.0.0.1:3000', env),
    apiTimeoutMs: intEnv(
      'RELAY_API_TIMEOUT_MS',
      3000,
      { min: 100, max: 30_000 },
      env,
    ),
    kafkaBrokers: readEndpoints(env).kafkaBrokers,
    groupId: stringEnv('RELAY_GROUP_ID', defaultGroupId(), env),
    corsOrigins: listEnv('RELAY_CORS_ORIGINS', [], env),
    recoveryWindowMs: intEnv(
      'RELAY_RECOVERY_WINDOW_MS',
      120_000,
      { min: 0, max: 3_600_000 },
      env,
    ),
    maxSubscriptions: intEnv(
      'RELAY_MAX_SUBSCRIPTIONS',
      50,
      { min: 1, max: 10_000 },
      env,
    ),
    token: readTokenConfig(env),
  };
}

/** `relay-<host>-<random>`: readable in Kafka tooling, unique per process. */
export function defaultGroupId(hostname = os.hostname()): string {
  const host = hostname.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 64);
  return `relay-${host}-${randomBytes(4).toString('hex')}`;
}

/** An http(s) URL without its trailing slashes. */
function urlEnv(name: string, fallback: string, env: Env): string {
  const value = stringEnv(name, fallback, env);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`${name} must be a URL, got "${value}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(`${name} must be an http(s) URL, got "${value}"`);
  }
  return value.replace(/\/+$/, '');
}
