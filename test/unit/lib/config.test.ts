import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  intEnv,
  listEnv,
  readEndpoints,
  requireEnv,
  stringEnv,
} from '../../../lib/config';

describe('requireEnv', () => {
  it('returns the trimmed value', () => {
    expect(requireEnv('X', { X: '  value ' })).toBe('value');
  });

  it.each([
    ['unset', {}],
    ['empty', { X: '' }],
    ['blank', { X: '   ' }],
  ])('throws a ConfigError naming the variable when %s', (_case, env) => {
    expect(() => requireEnv('X', env)).toThrow(ConfigError);
    expect(() => requireEnv('X', env)).toThrow('X is required');
  });
});

describe('intEnv', () => {
  it('falls back to the default when unset', () => {
    expect(intEnv('N', 7, {}, {})).toBe(7);
  });

  it('parses an integer in range', () => {
    expect(intEnv('N', 7, { min: 1, max: 10 }, { N: '3' })).toBe(3);
  });

  it.each(['abc', '1.5', '0', '11', '1e3'])(
    'refuses "%s" for a 1..10 range',
    (value) => {
      expect(() => intEnv('N', 7, { min: 1, max: 10 }, { N: value })).toThrow(
        /N must be an integer from 1 to 10/,
      );
    },
  );
});

describe('listEnv and stringEnv', () => {
  it('splits on commas and drops blanks', () => {
    expect(listEnv('L', [], { L: 'a, b,,c ' })).toEqual(['a', 'b', 'c']);
  });

  it('uses the fallback for a blank string', () => {
    expect(stringEnv('S', 'd', { S: ' ' })).toBe('d');
  });
});

describe('readEndpoints', () => {
  it('reads every endpoint from the environment', () => {
    const endpoints = readEndpoints({
      AWS_ENDPOINT_URL: 'http://127.0.0.1:4566',
      AWS_REGION: 'us-east-1',
      KAFKA_BROKERS: 'k1:9092,k2:9092',
      MONGODB_URI: 'mongodb://m/db',
      SMTP_URL: 'smtp://s:25',
    });
    expect(endpoints).toEqual({
      awsEndpointUrl: 'http://127.0.0.1:4566',
      awsRegion: 'us-east-1',
      kafkaBrokers: ['k1:9092', 'k2:9092'],
      mongodbUri: 'mongodb://m/db',
      smtpUrl: 'smtp://s:25',
    });
  });

  it('leaves the AWS endpoint unset on AWS itself', () => {
    expect(readEndpoints({}).awsEndpointUrl).toBeUndefined();
  });
});
