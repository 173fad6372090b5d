import { ValidationError } from '../../lib/errors';
import { SKU_PATTERN } from '../../lib/pharma-contract';

/**
 * Page tokens are opaque to clients: base64url of a versioned prefix and
 * the last sku of the page. Pages are ordered by sku, so the next page
 * starts after it, whatever was added or removed in between.
 */
const PREFIX = 'v1:';

export function encodePageToken(lastSku: string): string {
  return Buffer.from(`${PREFIX}${lastSku}`, 'utf8').toString('base64url');
}

/** The sku a page starts after; '' for the first page. */
export function decodePageToken(token: string): string {
  if (token === '') return '';
  const text = Buffer.from(token, 'base64url').toString('utf8');
  const sku = text.slice(PREFIX.length);
  if (!text.startsWith(PREFIX) || !SKU_PATTERN.test(sku)) {
    throw new ValidationError('Request is invalid', [
      { path: 'pageToken', message: 'is not a token this service issued' },
    ]);
  }
  return sku;
}
