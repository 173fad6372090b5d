import DataLoader from 'dataloader';
import type { AuthenticatedUser, TokenConfig } from '../../lib/auth';
import { bearerToken, verifyToken } from '../../lib/auth';
import type { Logger } from '../../lib/logger';
import type { Catalogue, Medicine } from './catalogue';
import type { GraphQLLimits } from './config';
import type { RestClient } from './rest-client';

/** What every resolver of one request receives. */
export interface GraphQLContext {
  /**
   * The caller from the `Authorization` header, verified by the shared
   * token rule; throws UnauthenticatedError without a valid one. Checked
   * here as well as by REST so that staff-only gRPC calls are guarded and
   * a bad token costs no REST call.
   */
  caller(): AuthenticatedUser;
  /** REST with the caller's token forwarded (none when absent). */
  api: RestClient;
  catalogue: Catalogue;
  /** Per request: each sku fetched once however many lines name it. */
  medicineBySku: DataLoader<string, Medicine | null>;
  limits: GraphQLLimits;
  logger: Logger;
}

export interface ContextOptions {
  /** The raw `Authorization` header, if any. */
  authorization: string | undefined;
  /** Builds the REST client for a token (undefined: anonymous). */
  rest: (token: string | undefined) => RestClient;
  catalogue: Catalogue;
  limits: GraphQLLimits;
  logger: Logger;
  tokens?: TokenConfig;
}

/** Builds a request's context; nothing is verified or fetched yet. */
export function createContext(options: ContextOptions): GraphQLContext {
  const { authorization, catalogue } = options;
  const token = authorization?.trim() ? authorization : undefined;
  let caller: AuthenticatedUser | undefined;

  return {
    caller() {
      caller ??= verifyToken(bearerToken(token), options.tokens);
      return caller;
    },
    // Forward only a well-formed bearer token; a malformed header fails
    // at `caller()` or at REST alike, with UNAUTHENTICATED.
    api: options.rest(token ? safeBearer(token) : undefined),
    catalogue,
    medicineBySku: new DataLoader(
      // pharma has no batch read: the loader still removes duplicates
      // and keeps the reads of one request parallel.
      // A failed read fails its own key only.
      (skus) =>
        Promise.all(
          skus.map((sku) =>
            catalogue.get(sku).catch((error: unknown) => error as Error),
          ),
        ),
      { maxBatchSize: 50 },
    ),
    limits: options.limits,
    logger: options.logger,
  };
}

function safeBearer(header: string): string | undefined {
  try {
    return bearerToken(header);
  } catch {
    return undefined;
  }
}
