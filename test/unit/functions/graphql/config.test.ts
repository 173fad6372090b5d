import { describe, expect, it } from 'vitest';
import { readGraphQLConfig } from '../../../../functions/graphql/config';

const BASE = { API_URL: 'http://127.0.0.1:3000/' };

describe('readGraphQLConfig', () => {
  it('reads the defaults and drops the trailing slash of API_URL', () => {
    const config = readGraphQLConfig(BASE);

    expect(config).toMatchObject({
      apiUrl: 'http://127.0.0.1:3000',
      introspection: true,
      debugErrors: false,
      limits: { maxDepth: 8, maxAliases: 10, maxPageSize: 50 },
    });
  });

  it.each([
    ['the dev stage', { STAGE: 'dev' }, true],
    ['the prod stage', { STAGE: 'prod' }, false],
    [
      'prod with introspection asked for',
      { STAGE: 'prod', GRAPHQL_INTROSPECTION: 'true' },
      true,
    ],
    [
      'dev with introspection turned off',
      { STAGE: 'dev', GRAPHQL_INTROSPECTION: '0' },
      false,
    ],
    [
      'an empty switch, as serverless.yml passes when unset',
      { STAGE: 'prod', GRAPHQL_INTROSPECTION: '' },
      false,
    ],
  ])('sets introspection for %s', (_case, env, expected) => {
    expect(readGraphQLConfig({ ...BASE, ...env }).introspection).toBe(expected);
  });

  it.each([
    ['development', true],
    ['production', false],
    ['test', false],
  ])(
    'shows error details only when NODE_ENV is development (%s)',
    (nodeEnv, expected) => {
      expect(
        readGraphQLConfig({ ...BASE, NODE_ENV: nodeEnv }).debugErrors,
      ).toBe(expected);
    },
  );

  it.each([
    ['a missing API_URL', { API_URL: '' }, /API_URL is required/],
    ['a depth of 1', { ...BASE, GRAPHQL_MAX_DEPTH: '1' }, /GRAPHQL_MAX_DEPTH/],
    [
      'a word for a number',
      { ...BASE, GRAPHQL_MAX_ALIASES: 'many' },
      /GRAPHQL_MAX_ALIASES/,
    ],
    [
      'a page size over the sources',
      { ...BASE, GRAPHQL_MAX_PAGE_SIZE: '500' },
      /GRAPHQL_MAX_PAGE_SIZE/,
    ],
    [
      'a yes for a switch',
      { ...BASE, GRAPHQL_INTROSPECTION: 'yes' },
      /GRAPHQL_INTROSPECTION/,
    ],
  ])('fails at start-up on %s, naming the variable', (_case, env, message) => {
    expect(() => readGraphQLConfig(env)).toThrow(message);
  });
});
