import { describe, expect, it } from 'vitest';
import {
  credentialsSchema,
  registrationSchema,
  staffAccountSchema,
} from '../../../../lib/users/schemas';

const valid = {
  email: 'ann@example.org',
  password: 'correct horse',
  name: 'Ann',
};

describe('registrationSchema', () => {
  it('normalises the email and defaults the locale to French', () => {
    // Act
    const parsed = registrationSchema.parse({
      ...valid,
      email: '  Ann@Example.ORG ',
    });

    // Assess
    expect(parsed).toEqual({ ...valid, locale: 'fr' });
  });

  it('accepts a password of exactly 72 bytes', () => {
    // Prepare: 36 two-byte characters
    const password = 'é'.repeat(36);

    // Act
    const result = registrationSchema.safeParse({ ...valid, password });

    // Assess
    expect(result.success).toBe(true);
  });

  it.each<[string, Record<string, unknown>, string, string?]>([
    ['a missing email', { email: undefined }, 'email'],
    ['an email that is no address', { email: 'ann' }, 'email'],
    ['an operator as email', { email: { $gt: '' } }, 'email'],
    ['an operator as password', { password: { $gt: '' } }, 'password'],
    ['a short password', { password: 'short' }, 'password', 'at least 8'],
    [
      'a 73-byte password',
      { password: 'a'.repeat(73) },
      'password',
      '72 bytes',
    ],
    // 37 characters, but 74 bytes in UTF-8: the limit is bcrypt's, in bytes
    [
      '37 two-byte characters',
      { password: 'é'.repeat(37) },
      'password',
      '72 bytes',
    ],
    ['a blank name', { name: '   ' }, 'name'],
    ['a name over 100 characters', { name: 'n'.repeat(101) }, 'name'],
    ['an unknown locale', { locale: 'de' }, 'locale'],
    ['a role', { role: 'admin' }, ''],
    ['an unknown field', { isAdmin: true }, ''],
  ])('refuses %s', (_case, change, path, message) => {
    // Act
    const result = registrationSchema.safeParse({ ...valid, ...change });

    // Assess
    expect(result.success).toBe(false);
    const issue = result.error?.issues[0];
    expect(issue?.path.join('.')).toBe(path);
    if (message) expect(issue?.message).toContain(message);
  });
});

describe('credentialsSchema', () => {
  it('normalises the email without requiring an address', () => {
    // Act
    const parsed = credentialsSchema.parse({ email: ' ANN ', password: 'x' });

    // Assess
    expect(parsed).toEqual({ email: 'ann', password: 'x' });
  });

  it('lets a long password through, to be refused as a wrong one', () => {
    // Act
    const result = credentialsSchema.safeParse({
      email: 'a@b.c',
      password: 'p'.repeat(100),
    });

    // Assess
    expect(result.success).toBe(true);
  });

  it.each<[string, Record<string, unknown>]>([
    ['an operator as email', { email: { $gt: '' }, password: 'x' }],
    ['an operator as password', { email: 'a@b.c', password: { $gt: '' } }],
    ['a regex operator', { email: { $regex: '.*' }, password: 'x' }],
    ['an array as email', { email: ['a@b.c'], password: 'x' }],
    ['an empty email', { email: '  ', password: 'x' }],
    ['an empty password', { email: 'a@b.c', password: '' }],
    [
      'a password over 1024 characters',
      { email: 'a@b.c', password: 'p'.repeat(1025) },
    ],
    ['an unknown field', { email: 'a@b.c', password: 'x', role: 'admin' }],
  ])('refuses %s', (_case, body) => {
    expect(credentialsSchema.safeParse(body).success).toBe(false);
  });
});

describe('staffAccountSchema', () => {
  it.each([
    ['pharmacist', true],
    ['admin', true],
    ['customer', false],
    [undefined, false],
  ])('answers role %s → %s', (role, accepted) => {
    expect(staffAccountSchema.safeParse({ ...valid, role }).success).toBe(
      accepted,
    );
  });
});
