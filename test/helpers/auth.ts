import { randomUUID } from 'node:crypto';
import { vi } from 'vitest';

/**
 * Settings the auth function needs in tests; the stack provides
 * MONGODB_URI. Set them before the first call of a handler module.
 */
export const AUTH_TEST_ENV = {
  JWT_SECRET: 'integration-test-secret-0123456789abcdef',
  JWT_ISSUER: 'pharmaexpress',
  JWT_AUDIENCE: 'pharmaexpress-api',
  // The lowest allowed cost keeps the suite quick.
  BCRYPT_COST: '10',
  LOG_LEVEL: 'WARN',
};

export function useAuthEnv(overrides: Record<string, string> = {}): void {
  Object.assign(process.env, AUTH_TEST_ENV, overrides);
}

/** An email no other test or earlier run has used. */
export function uniqueEmail(label = 'user'): string {
  return `${label}-${randomUUID()}@test.pharmaexpress.example`;
}

/**
 * The auth handler as a new Lambda container would load it: its own
 * module state, its own MongoDB client. Close it when done.
 */
export async function freshAuthHandler() {
  vi.resetModules();
  const { handler } = await import('../../functions/auth/handler');
  const { closeMongo } = await import('../../lib/mongo');
  return { handler, close: closeMongo };
}

export type AuthContainer = Awaited<ReturnType<typeof freshAuthHandler>>;
