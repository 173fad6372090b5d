/** Roles, from least to most privileged. */
export const ROLES = ['customer', 'pharmacist', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/**
 * Who is calling, as established from a verified token: never from a
 * request body. Every authorisation decision reads this.
 */
export interface Principal {
  userId: string;
  role: Role;
}
