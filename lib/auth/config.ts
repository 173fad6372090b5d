import { ConfigError, intEnv, requireEnv, stringEnv } from '../config';

/** HS256 wants a key at least as long as its 256-bit hash. */
export const MIN_SECRET_LENGTH = 32;

/** What signs and checks a token; shared by signer and verifier. */
export interface TokenConfig {
  secret: string;
  issuer: string;
  audience: string;
  /** Lifetime of a new token. */
  ttlSeconds: number;
}

/**
 * Token settings from the environment: `JWT_SECRET` (required, at least
 * 32 characters), `JWT_ISSUER`, `JWT_AUDIENCE`, `JWT_TTL_SECONDS`.
 *
 * Shortcoming (auth, issue 3): on AWS the secret arrives as a plain Lambda
 * environment variable; it should come from SSM SecureString or Secrets
 * Manager once the deploy has one.
 */
export function readTokenConfig(
  env: Record<string, string | undefined> = process.env,
): TokenConfig {
  const secret = requireEnv('JWT_SECRET', env);
  if (secret.length < MIN_SECRET_LENGTH) {
    // Never echo the value: it is a secret even when it is a bad one.
    throw new ConfigError(
      `JWT_SECRET must be at least ${MIN_SECRET_LENGTH} characters`,
    );
  }
  return {
    secret,
    issuer: stringEnv('JWT_ISSUER', 'pharmaexpress', env),
    audience: stringEnv('JWT_AUDIENCE', 'pharmaexpress-api', env),
    ttlSeconds: intEnv('JWT_TTL_SECONDS', 3600, { min: 60, max: 86_400 }, env),
  };
}

let cached: TokenConfig | undefined;

/** The process-wide token settings, read once on first use. */
export function tokenConfig(): TokenConfig {
  cached ??= readTokenConfig();
  return cached;
}
