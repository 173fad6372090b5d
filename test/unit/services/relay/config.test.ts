import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../../lib/config';
import {
  defaultGroupId,
  readRelayConfig,
} from '../../../../services/relay/config';

const SECRET = 'unit-test-secret-0123456789abcdef-xyz';

describe('readRelayConfig', () => {
  it('uses the documented defaults when only the secret is set', () => {
    // Act
    const config = readRelayConfig({ JWT_SECRET: SECRET });

    // Assess
    expect(config).toMatchObject({
      host: '127.0.0.1',
      port: 4000,
      apiUrl: 'http://127.0.0.1:3000',
      apiTimeoutMs: 3000,
      kafkaBrokers: ['127.0.0.1:9092'],
      corsOrigins: [],
      recoveryWindowMs: 120_000,
      maxSubscriptions: 50,
      token: { secret: SECRET, issuer: 'pharmaexpress' },
    });
    expect(config.groupId).toMatch(/^relay-/);
  });

  it('reads every setting from the environment', () => {
    // Act
    const config = readRelayConfig({
      JWT_SECRET: SECRET,
      RELAY_HOST: '0.0.0.0',
      RELAY_PORT: '0',
      API_URL: 'https://api.example.com/prod/',
      RELAY_API_TIMEOUT_MS: '500',
      KAFKA_BROKERS: 'b1:9092, b2:9092',
      RELAY_GROUP_ID: 'relay-pod-7',
      RELAY_CORS_ORIGINS: 'https://shop.example.com, http://localhost:5173',
      RELAY_RECOVERY_WINDOW_MS: '0',
      RELAY_MAX_SUBSCRIPTIONS: '5',
    });

    // Assess
    expect(config).toMatchObject({
      host: '0.0.0.0',
      port: 0,
      apiUrl: 'https://api.example.com/prod',
      apiTimeoutMs: 500,
      kafkaBrokers: ['b1:9092', 'b2:9092'],
      groupId: 'relay-pod-7',
      corsOrigins: ['https://shop.example.com', 'http://localhost:5173'],
      recoveryWindowMs: 0,
      maxSubscriptions: 5,
    });
  });

  it.each([
    ['a port that is not a number', { RELAY_PORT: 'http' }, 'RELAY_PORT'],
    ['a port out of range', { RELAY_PORT: '70000' }, 'RELAY_PORT'],
    ['an API URL that is not a URL', { API_URL: 'orders' }, 'API_URL'],
    ['an API URL of another scheme', { API_URL: 'ftp://api' }, 'API_URL'],
    ['a zero API timeout', { RELAY_API_TIMEOUT_MS: '0' }, 'RELAY_API_TIMEOUT'],
    ['no subscriptions allowed', { RELAY_MAX_SUBSCRIPTIONS: '0' }, 'RELAY_MAX'],
    [
      'a negative recovery window',
      { RELAY_RECOVERY_WINDOW_MS: '-1' },
      'RELAY_RECOVERY',
    ],
    ['a missing secret', { JWT_SECRET: '' }, 'JWT_SECRET'],
    ['a short secret', { JWT_SECRET: 'short' }, 'JWT_SECRET'],
  ])('refuses %s, naming the variable', (_case, env, name) => {
    // Act
    const read = () => readRelayConfig({ JWT_SECRET: SECRET, ...env });

    // Assess
    expect(read).toThrow(ConfigError);
    expect(read).toThrow(name);
  });
});

describe('defaultGroupId', () => {
  it('differs between two processes on the same host', () => {
    // Act
    const first = defaultGroupId('relay-7d9f');
    const second = defaultGroupId('relay-7d9f');

    // Assess
    expect(first).not.toBe(second);
    expect(first).toMatch(/^relay-relay-7d9f-[0-9a-f]{8}$/);
  });

  it('replaces characters Kafka tooling would trip on', () => {
    // Act
    const groupId = defaultGroupId('my host/1');

    // Assess
    expect(groupId).toMatch(/^relay-my_host_1-[0-9a-f]{8}$/);
  });
});
