import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../../lib/errors';
import {
  decodePageToken,
  encodePageToken,
} from '../../../../services/pharma/page-token';

describe('page tokens', () => {
  it('decode to the sku they were made from', () => {
    // Act
    const token = encodePageToken('AMOXICILLIN-500MG-CAP');

    // Assess
    expect(decodePageToken(token)).toBe('AMOXICILLIN-500MG-CAP');
  });

  it('decode the empty token to the start of the catalogue', () => {
    expect(decodePageToken('')).toBe('');
  });

  it.each([
    ['text that is not a token', 'hello'],
    [
      'a token without the version',
      Buffer.from('AMOXICILLIN').toString('base64url'),
    ],
    [
      'a token holding an operator',
      Buffer.from('v1:{"$gt":""}').toString('base64url'),
    ],
  ])('refuse %s with a ValidationError', (_case, token) => {
    expect(() => decodePageToken(token)).toThrow(ValidationError);
  });
});
