import { ConfigError, intEnv, requireEnv, stringEnv } from '../../lib/config';

type Env = Record<string, string | undefined>;

/** Query limits, checked before anything runs (see `limits.ts`). */
export interface GraphQLLimits {
  /** Deepest selection nesting, fragments included. */
  maxDepth: number;
  /** Aliases in one operation, fragments included. */
  maxAliases: number;
  /** Lexical tokens in a document; parsing stops past it. */
  maxTokens: number;
  /** Request body size in bytes. */
  maxBodyBytes: number;
  /** Largest `first` of a connection. */
  maxPageSize: number;
}

export interface GraphQLConfig {
  /**
   * Base URL of the REST API the resolvers call, without a trailing `/`.
   * On AWS the deploy sets it to this API's own URL (README, "Known
   * shortcomings").
   */
  apiUrl: string;
  /** Timeout of one REST call. */
  restTimeoutMs: number;
  /** gRPC address of the pharma service, `host:port`. */
  pharmaUrl: string;
  /** Deadline of one gRPC call to pharma. */
  pharmaDeadlineMs: number;
  /** Schema introspection and the landing page (Apollo Sandbox). */
  introspection: boolean;
  /** Stack traces and internal messages in error responses. */
  debugErrors: boolean;
  limits: GraphQLLimits;
}

/**
 * GraphQL settings from the environment (functions/graphql/README.md,
 * "Configuration").
 *
 * Introspection follows the stage: on everywhere but `prod`, unless
 * `GRAPHQL_INTROSPECTION` says otherwise. Error details follow
 * `NODE_ENV=development` only, never the stage, so a deployed `dev` stage
 * leaks no stack traces.
 */
export function readGraphQLConfig(env: Env = process.env): GraphQLConfig {
  const stage = stringEnv('STAGE', 'dev', env);
  return {
    apiUrl: requireEnv('API_URL', env).replace(/\/+$/, ''),
    restTimeoutMs: intEnv(
      'GRAPHQL_REST_TIMEOUT_MS',
      5000,
      { min: 100, max: 30_000 },
      env,
    ),
    pharmaUrl: stringEnv('PHARMA_GRPC_URL', '127.0.0.1:50051', env),
    pharmaDeadlineMs: intEnv(
      'PHARMA_DEADLINE_MS',
      3000,
      { min: 100, max: 30_000 },
      env,
    ),
    introspection: boolEnv('GRAPHQL_INTROSPECTION', stage !== 'prod', env),
    debugErrors: stringEnv('NODE_ENV', 'production', env) === 'development',
    limits: {
      maxDepth: intEnv('GRAPHQL_MAX_DEPTH', 8, { min: 2, max: 50 }, env),
      maxAliases: intEnv('GRAPHQL_MAX_ALIASES', 10, { min: 0, max: 100 }, env),
      maxTokens: intEnv(
        'GRAPHQL_MAX_TOKENS',
        2000,
        { min: 100, max: 100_000 },
        env,
      ),
      maxBodyBytes: intEnv(
        'GRAPHQL_MAX_BODY_BYTES',
        32 * 1024,
        { min: 1024, max: 1024 * 1024 },
        env,
      ),
      maxPageSize: intEnv(
        'GRAPHQL_MAX_PAGE_SIZE',
        50,
        { min: 1, max: 100 },
        env,
      ),
    },
  };
}

function boolEnv(name: string, fallback: boolean, env: Env): boolean {
  const value = env[name]?.trim().toLowerCase();
  if (value === undefined || value === '') return fallback;
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  throw new ConfigError(`${name} must be true or false, got "${value}"`);
}
