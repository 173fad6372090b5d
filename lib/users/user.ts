import type { Role } from '../principal';

/** Languages we write to customers in; French is the default. */
export const LOCALES = ['fr', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

/** A user as every caller sees it: never with a password hash. */
export interface User {
  id: string;
  email: string;
  name: string;
  role: Role;
  locale: Locale;
}

/** A user as stored: adds what only the users store and login may read. */
export interface UserRecord extends User {
  passwordHash: string;
  createdAt: string;
}

/** Drops everything that is not part of the public user shape. */
export function toPublicUser(record: UserRecord): User {
  const { id, email, name, role, locale } = record;
  return { id, email, name, role, locale };
}

/**
 * The form in which emails are stored, compared and made unique:
 * trimmed and lowercased, so that `Ann@X.org` and `ann@x.org` are one.
 */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}
