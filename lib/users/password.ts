import bcrypt from 'bcryptjs';

/** bcrypt compares only the first 72 bytes of a password. */
export const MAX_PASSWORD_BYTES = 72;
export const MIN_BCRYPT_COST = 10;

export function passwordBytes(password: string): number {
  return Buffer.byteLength(password, 'utf8');
}

/**
 * Hashes a password with bcrypt. Refuses passwords over 72 bytes rather
 * than let bcrypt silently ignore their tail; callers validate first.
 */
export async function hashPassword(
  password: string,
  cost: number,
): Promise<string> {
  if (passwordBytes(password) > MAX_PASSWORD_BYTES) {
    throw new RangeError(`Password exceeds ${MAX_PASSWORD_BYTES} bytes`);
  }
  if (cost < MIN_BCRYPT_COST) {
    throw new RangeError(`bcrypt cost must be ${MIN_BCRYPT_COST} or more`);
  }
  return bcrypt.hash(password, cost);
}

/**
 * Whether a password matches a hash. A password over 72 bytes never
 * matches: no stored password is that long, and bcrypt would otherwise
 * accept any string that merely starts with the right 72 bytes.
 */
export async function verifyPassword(
  password: string,
  hash: string,
): Promise<boolean> {
  if (passwordBytes(password) > MAX_PASSWORD_BYTES) return false;
  return bcrypt.compare(password, hash);
}
