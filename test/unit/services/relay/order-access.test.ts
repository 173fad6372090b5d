import { describe, expect, it, vi } from 'vitest';
import { UnauthenticatedError, UnavailableError } from '../../../../lib/errors';
import { HttpOrderAccess } from '../../../../services/relay/order-access';

const API = 'http://api.test/prod';

/** An HttpOrderAccess whose fetch answers `status`, recording the calls. */
function accessAnswering(status: number) {
  const fetch = vi.fn(
    async (_url: string | URL | Request, _init?: RequestInit) =>
      new Response(JSON.stringify({ order: { id: 'o-1' } }), { status }),
  );
  const access = new HttpOrderAccess({
    apiUrl: API,
    timeoutMs: 1000,
    fetch: fetch as typeof globalThis.fetch,
  });
  return { access, fetch };
}

describe('HttpOrderAccess.canRead', () => {
  it('asks GET /orders/{id} with the caller’s bearer token', async () => {
    // Prepare
    const { access, fetch } = accessAnswering(200);

    // Act
    await access.canRead('o/1?x', 'the-token');

    // Assess
    const [url, init] = fetch.mock.calls[0] ?? [];
    expect(url).toBe(`${API}/orders/o%2F1%3Fx`);
    expect(new Headers(init?.headers).get('authorization')).toBe(
      'Bearer the-token',
    );
    expect(init?.signal).toBeInstanceOf(AbortSignal);
  });

  it.each([
    [200, true],
    [404, false],
    [403, false],
  ])('reads answer %i as %s', async (status, allowed) => {
    // Prepare
    const { access } = accessAnswering(status);

    // Act
    const result = await access.canRead('o-1', 'token');

    // Assess
    expect(result).toBe(allowed);
  });

  it.each([
    [401, UnauthenticatedError],
    [500, UnavailableError],
    [502, UnavailableError],
    [429, UnavailableError],
  ])('turns answer %i into %o', async (status, error) => {
    // Prepare
    const { access } = accessAnswering(status);

    // Act
    const check = access.canRead('o-1', 'token');

    // Assess
    await expect(check).rejects.toBeInstanceOf(error);
  });

  it('reports an API that cannot be reached as unavailable', async () => {
    // Prepare
    const access = new HttpOrderAccess({
      apiUrl: API,
      timeoutMs: 1000,
      fetch: vi.fn(async () => {
        throw new TypeError('fetch failed');
      }),
    });

    // Act
    const check = access.canRead('o-1', 'token');

    // Assess
    await expect(check).rejects.toBeInstanceOf(UnavailableError);
  });
});
