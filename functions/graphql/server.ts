import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import type { Logger } from '../../lib/logger';
import type { GraphQLConfig } from './config';
import type { GraphQLContext } from './context';
import { formatGraphQLError } from './errors';
import { limitRules } from './limits';
import { resolvers } from './resolvers';
import { readSchemaSdl } from './schema';

export interface ServerOptions {
  config: Pick<GraphQLConfig, 'introspection' | 'debugErrors' | 'limits'>;
  logger: Logger;
  /** The SDL; schema.graphql by default. */
  typeDefs?: string;
}

/**
 * The Apollo Server of the `graphql` function, independent of Lambda so
 * that tests can drive it with `executeHTTPGraphQLRequest`.
 *
 * What it refuses before running anything: requests without a preflight
 * header or a non-simple content type (CSRF), batches, documents over the
 * token limit, and operations past the depth or alias limits.
 */
export function createGraphQLServer({
  config,
  logger,
  typeDefs = readSchemaSdl(),
}: ServerOptions): ApolloServer<GraphQLContext> {
  return new ApolloServer<GraphQLContext>({
    typeDefs,
    // The map is typed against the schema field by field (resolvers.ts);
    // Apollo's own type is a loose index signature.
    resolvers: resolvers as never,
    csrfPrevention: true,
    allowBatchedHttpRequests: false,
    persistedQueries: false,
    introspection: config.introspection,
    // No "did you mean" field suggestions where the schema is private.
    hideSchemaDetailsFromClientErrors: !config.introspection,
    includeStacktraceInErrorResponses: config.debugErrors,
    validationRules: limitRules(config.limits),
    parseOptions: { maxTokens: config.limits.maxTokens },
    formatError: (formatted, error) =>
      formatGraphQLError(formatted, error, {
        debug: config.debugErrors,
        onInternal: (cause) =>
          logger.error('graphql internal error', { error: cause as Error }),
      }),
    logger: apolloLogger(logger),
    plugins: [
      config.introspection
        ? ApolloServerPluginLandingPageLocalDefault({ footer: false })
        : ApolloServerPluginLandingPageDisabled(),
      requestLogPlugin(logger),
    ],
  });
}

/** Longest operation name logged; the client chooses it. */
const MAX_LOGGED_NAME = 100;

/**
 * One log line per request: operation name and type, duration, error
 * codes. Never the variables (passwords, prescriptions) nor the query.
 */
export function requestLogPlugin(
  logger: Logger,
): ApolloServerPlugin<GraphQLContext> {
  return {
    async requestDidStart() {
      const started = Date.now();
      return {
        async willSendResponse({ operationName, operation, response }) {
          const errors =
            response.body.kind === 'single'
              ? (response.body.singleResult.errors ?? [])
              : [];
          const errorCodes = [
            ...new Set(errors.map((error) => String(error.extensions?.code))),
          ];
          logger.info('graphql request', {
            operationName: operationName?.slice(0, MAX_LOGGED_NAME) ?? null,
            operationType: operation?.operation ?? null,
            status: response.http.status ?? 200,
            durationMs: Date.now() - started,
            ...(errorCodes.length ? { errorCodes } : {}),
          });
        },
      };
    },
  };
}

/** Apollo's own messages (startup, internal warnings) into our JSON logs. */
function apolloLogger(logger: Logger) {
  const text = (message: unknown) =>
    message instanceof Error ? message.message : String(message);
  return {
    debug: (message: unknown) => logger.debug(text(message)),
    info: (message: unknown) => logger.info(text(message)),
    warn: (message: unknown) => logger.warn(text(message)),
    error: (message: unknown) => logger.error(text(message)),
  };
}
