import { ROLES, type Role } from '../principal';

export { ROLES, type Role };

/** Roles that run the pharmacy: they see every order and move it on. */
export const STAFF_ROLES = ['pharmacist', 'admin'] as const satisfies Role[];
export type StaffRole = (typeof STAFF_ROLES)[number];

export function isStaff(role: Role): role is StaffRole {
  return (STAFF_ROLES as readonly Role[]).includes(role);
}

export function isRole(value: unknown): value is Role {
  return (ROLES as readonly unknown[]).includes(value);
}
