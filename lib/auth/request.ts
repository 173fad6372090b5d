import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { UnauthenticatedError } from '../errors';
import { header } from '../http';
import type { TokenConfig } from './config';
import { type AuthenticatedUser, verifyToken } from './token';

const BEARER = /^Bearer +(\S+)$/i;

/**
 * The token of an `Authorization: Bearer <token>` header value.
 * Throws UnauthenticatedError when the header is missing or of another
 * scheme.
 */
export function bearerToken(authorization: string | undefined): string {
  if (!authorization?.trim()) {
    throw new UnauthenticatedError('Authentication required');
  }
  const match = BEARER.exec(authorization.trim());
  if (!match?.[1]) {
    throw new UnauthenticatedError(
      'Authorization header must be "Bearer <token>"',
    );
  }
  return match[1];
}

/**
 * Who is calling an HTTP API route, from its bearer token.
 *
 * @example
 * const caller = authenticateRequest(event);
 * if (!isStaff(caller.role)) throw new ForbiddenError();
 */
export function authenticateRequest(
  event: Pick<APIGatewayProxyEventV2, 'headers'>,
  config?: TokenConfig,
): AuthenticatedUser {
  return verifyToken(bearerToken(header(event, 'authorization')), config);
}
