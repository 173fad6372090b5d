import bcrypt from 'bcryptjs';
import { describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from '../../../../lib/users/password';

const COST = 10;
const seventyTwo = 'p'.repeat(72);

describe('hashPassword', () => {
  it('makes a bcrypt hash of the given cost that verifies', async () => {
    // Act
    const hash = await hashPassword('correct horse', COST);

    // Assess
    expect(hash).toMatch(/^\$2[aby]\$10\$/);
    expect(await verifyPassword('correct horse', hash)).toBe(true);
    expect(await verifyPassword('correct horsf', hash)).toBe(false);
  });

  it('refuses a password over 72 bytes', async () => {
    await expect(hashPassword(`${seventyTwo}x`, COST)).rejects.toThrow(
      RangeError,
    );
  });

  it('refuses a cost under 10', async () => {
    await expect(hashPassword('correct horse', 9)).rejects.toThrow(
      'cost must be 10',
    );
  });
});

describe('verifyPassword', () => {
  it('refuses a longer password sharing the first 72 bytes, which bcrypt alone accepts', async () => {
    // Prepare
    const hash = await hashPassword(seventyTwo, COST);
    const longer = `${seventyTwo}-anything`;

    // Act
    const matches = await verifyPassword(longer, hash);

    // Assess: the guard is what refuses it
    expect(await bcrypt.compare(longer, hash)).toBe(true);
    expect(matches).toBe(false);
  });
});
