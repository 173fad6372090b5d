/**
 * Authentication shared by every part: sign and verify tokens, read the
 * caller of an HTTP API event, and role helpers. See functions/auth/README.md.
 */

export {
  readTokenConfig,
  type TokenConfig,
  tokenConfig,
} from './config';
export { authenticateRequest, bearerToken } from './request';
export { isRole, isStaff, ROLES, type Role, STAFF_ROLES } from './roles';
export {
  type AuthenticatedUser,
  type SignedToken,
  signToken,
  verifyToken,
} from './token';
