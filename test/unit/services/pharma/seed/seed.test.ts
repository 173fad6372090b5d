import { describe, expect, it } from 'vitest';
import { readSeed } from '../../../../../services/pharma/seed/seed';

const seed = readSeed();
const bySku = (prefix: string) =>
  seed.find((entry) => entry.sku.startsWith(prefix));

describe('the catalogue seed', () => {
  it('holds at least 100 medicines with unique skus, prices in cents and stock', () => {
    // Assess (readSeed has checked each entry against its schema)
    expect(seed.length).toBeGreaterThanOrEqual(100);
    expect(new Set(seed.map((entry) => entry.sku)).size).toBe(seed.length);
  });

  it.each([
    ['PARACETAMOL-500MG-TAB', false],
    ['IBUPROFEN-400MG-TAB', false],
    ['ORS-', false],
    ['AMOXICILLIN-500MG-CAP', true],
    ['MORPHINE-10MG-TAB', true],
    ['INSULIN-SOLUBLE-', true],
  ])('marks %s as prescription-only: %s', (prefix, prescriptionRequired) => {
    expect(bySku(prefix)?.prescriptionRequired).toBe(prescriptionRequired);
  });
});
