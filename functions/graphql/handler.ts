import {
  handlers,
  startServerAndCreateLambdaHandler,
} from '@as-integrations/aws-lambda';
import type {
  APIGatewayProxyEventV2,
  APIGatewayProxyStructuredResultV2,
  Context,
} from 'aws-lambda';
import { header } from '../../lib/http';
import { createLogger } from '../../lib/logger';
import { PharmaClient } from '../../lib/pharma-client';
import { PharmaCatalogue } from './catalogue';
import { type GraphQLConfig, readGraphQLConfig } from './config';
import { createContext } from './context';
import { checkBody } from './limits';
import { RestClient } from './rest-client';
import { createGraphQLServer } from './server';

const logger = createLogger('graphql');

type Event = APIGatewayProxyEventV2;
type Result = APIGatewayProxyStructuredResultV2;
type LambdaHandler = (event: Event, context: Context) => Promise<Result>;

/** The single GraphQL endpoint (functions/graphql/README.md). */
export async function handler(event: Event, context: Context): Promise<Result> {
  logger.addContext(context);
  let graphql: LambdaHandler;
  try {
    graphql = lambdaHandler();
  } catch (error) {
    // A configuration error: say so in the log, not to the caller.
    logger.error('graphql failed to start', { error: error as Error });
    return {
      statusCode: 500,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        errors: [
          {
            message: 'Internal server error',
            extensions: { code: 'INTERNAL_SERVER_ERROR' },
          },
        ],
      }),
    };
  }
  return graphql(event, context);
}

let built: LambdaHandler | undefined;

/**
 * Apollo and the catalogue channel, built once per container on the first
 * call. A failed build is not kept: the next call tries again.
 */
function lambdaHandler(): LambdaHandler {
  if (built) return built;
  const config = readGraphQLConfig();
  built = build(config);
  return built;
}

function build(config: GraphQLConfig): LambdaHandler {
  const server = createGraphQLServer({ config, logger });
  const catalogue = new PharmaCatalogue(
    new PharmaClient({
      url: config.pharmaUrl,
      deadlineMs: config.pharmaDeadlineMs,
      logger,
    }),
  );
  const rest = (token: string | undefined) =>
    new RestClient({
      baseUrl: config.apiUrl,
      timeoutMs: config.restTimeoutMs,
      token,
    });

  return startServerAndCreateLambdaHandler(
    server,
    handlers.createAPIGatewayProxyEventV2RequestHandler(),
    {
      middleware: [
        async (event) => checkBody(event, config.limits.maxBodyBytes),
      ],
      context: async ({ event }) =>
        createContext({
          authorization: header(event, 'authorization'),
          rest,
          catalogue,
          limits: config.limits,
          logger,
        }),
    },
  ) as LambdaHandler;
}
