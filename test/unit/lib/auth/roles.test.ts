import { describe, expect, it } from 'vitest';
import { isRole, isStaff, type Role } from '../../../../lib/auth/roles';

describe('isStaff', () => {
  it.each<[Role, boolean]>([
    ['customer', false],
    ['pharmacist', true],
    ['admin', true],
  ])('answers %s → %s', (role, staff) => {
    expect(isStaff(role)).toBe(staff);
  });
});

describe('isRole', () => {
  it.each([
    ['customer', true],
    ['admin', true],
    ['Admin', false],
    ['superuser', false],
    [undefined, false],
  ])('answers %s → %s', (value, known) => {
    expect(isRole(value)).toBe(known);
  });
});
