import { z } from 'zod';
import { STAFF_ROLES } from '../auth/roles';
import { MAX_PASSWORD_BYTES, passwordBytes } from './password';
import { LOCALES } from './user';

export const MIN_PASSWORD_LENGTH = 8;

/** Longest address SMTP can carry (RFC 5321). */
const MAX_EMAIL_LENGTH = 254;

/** Any string, trimmed and lowercased: the stored form of an email. */
const normalisedEmail = z.string().trim().toLowerCase().max(MAX_EMAIL_LENGTH);

/** An email address for a new account, in its stored form. */
export const emailSchema = normalisedEmail.pipe(
  z.email({ message: 'Must be an email address' }),
);

/** A new password: long enough, and no longer than bcrypt compares. */
export const newPasswordSchema = z
  .string()
  .min(MIN_PASSWORD_LENGTH, {
    message: `Password must be at least ${MIN_PASSWORD_LENGTH} characters`,
  })
  .refine((password) => passwordBytes(password) <= MAX_PASSWORD_BYTES, {
    message: `Password must be at most ${MAX_PASSWORD_BYTES} bytes in UTF-8 (bcrypt ignores the rest)`,
  });

export const nameSchema = z.string().trim().min(1).max(100);

/**
 * `POST /auth/register`. Unknown fields (a `role`, say) are refused, so
 * nothing the client adds is ever stored; the role is always `customer`.
 */
export const registrationSchema = z.strictObject({
  email: emailSchema,
  password: newPasswordSchema,
  name: nameSchema,
  locale: z.enum(LOCALES).default('fr'),
});
export type Registration = z.output<typeof registrationSchema>;

/**
 * `POST /auth/login`. Only strings get through, so a query operator such
 * as `{"$gt": ""}` is refused here. The email is not format-checked: any
 * string that is no account answers the same 401 as a wrong password.
 */
export const credentialsSchema = z.strictObject({
  email: normalisedEmail.min(1),
  password: z.string().min(1).max(1024),
});
export type Credentials = z.output<typeof credentialsSchema>;

/** A staff account, made by the users command; never by registration. */
export const staffAccountSchema = registrationSchema.extend({
  role: z.enum(STAFF_ROLES),
});
export type StaffAccount = z.output<typeof staffAccountSchema>;
