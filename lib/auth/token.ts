import jwt from 'jsonwebtoken';
import { z } from 'zod';
import { UnauthenticatedError } from '../errors';
import type { Principal } from '../principal';
import { type TokenConfig, tokenConfig } from './config';
import { ROLES } from './roles';

/** The one algorithm we sign with and the only one we accept. */
const ALGORITHM = 'HS256';

/** Who a valid token speaks for. The email is informative only. */
export interface AuthenticatedUser extends Principal {
  email?: string;
}

export interface SignedToken {
  token: string;
  /** Seconds until the token expires. */
  expiresIn: number;
}

// Claims we rely on after the signature and the registered claims check
// out: a token signed by us but shaped otherwise is still refused.
const claimsSchema = z.object({
  sub: z.string().min(1),
  role: z.enum(ROLES),
  email: z.string().optional(),
  exp: z.number(),
});

/**
 * Signs a token for a user: `sub` is the user id, `role` the role at
 * sign-in time; issuer, audience and expiry come from the configuration.
 *
 * @example
 * const { token, expiresIn } = signToken({ userId, role: 'customer' });
 */
export function signToken(
  user: AuthenticatedUser,
  config: TokenConfig = tokenConfig(),
): SignedToken {
  const payload = {
    role: user.role,
    ...(user.email ? { email: user.email } : {}),
  };
  const token = jwt.sign(payload, config.secret, {
    algorithm: ALGORITHM,
    subject: user.userId,
    issuer: config.issuer,
    audience: config.audience,
    expiresIn: config.ttlSeconds,
  });
  return { token, expiresIn: config.ttlSeconds };
}

/**
 * The single rule for a valid token, used by every part (functions,
 * GraphQL, relay): HS256 with our secret, our issuer and audience, not
 * expired, with a subject and a known role. Throws UnauthenticatedError
 * otherwise; the message says "expired" or "invalid", never more.
 *
 * @example
 * const { userId, role } = verifyToken(socket.handshake.auth.token);
 */
export function verifyToken(
  token: string,
  config: TokenConfig = tokenConfig(),
): AuthenticatedUser {
  let decoded: unknown;
  try {
    decoded = jwt.verify(token, config.secret, {
      algorithms: [ALGORITHM],
      issuer: config.issuer,
      audience: config.audience,
    });
  } catch (error) {
    if (error instanceof jwt.TokenExpiredError) {
      throw new UnauthenticatedError('Token has expired');
    }
    throw new UnauthenticatedError('Token is invalid');
  }

  // jsonwebtoken accepts a token without `exp`; we do not.
  const claims = claimsSchema.safeParse(decoded);
  if (!claims.success) throw new UnauthenticatedError('Token is invalid');

  const { sub, role, email } = claims.data;
  return { userId: sub, role, ...(email ? { email } : {}) };
}
