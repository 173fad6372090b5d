import { UnauthenticatedError, UnavailableError } from '../../lib/errors';

/**
 * Whether a caller may follow an order. The relay owns no order data: it
 * asks the service that does, with the caller's own token, so the rule
 * "owner or staff" lives in one place (the orders function).
 */
export interface OrderAccess {
  /**
   * Resolves true when the caller may see the order and false when the
   * order is not theirs or does not exist (the API does not tell the two
   * apart). Throws UnauthenticatedError when the API refuses the token and
   * UnavailableError when it cannot answer.
   */
  canRead(orderId: string, token: string): Promise<boolean>;
}

export interface HttpOrderAccessOptions {
  /** Base URL of the REST API, without a trailing slash. */
  apiUrl: string;
  timeoutMs: number;
  fetch?: typeof fetch;
}

/**
 * OrderAccess through the public REST contract: `GET /orders/{id}` with
 * the caller's bearer token answers 200 to the owner and to staff, 404 to
 * anyone else.
 *
 * @example
 * const access = new HttpOrderAccess({ apiUrl, timeoutMs: 3000 });
 * if (!(await access.canRead(orderId, token))) refuse();
 */
export class HttpOrderAccess implements OrderAccess {
  readonly #apiUrl: string;
  readonly #timeoutMs: number;
  readonly #fetch: typeof fetch;

  constructor(options: HttpOrderAccessOptions) {
    this.#apiUrl = options.apiUrl;
    this.#timeoutMs = options.timeoutMs;
    this.#fetch = options.fetch ?? fetch;
  }

  async canRead(orderId: string, token: string): Promise<boolean> {
    const url = `${this.#apiUrl}/orders/${encodeURIComponent(orderId)}`;
    let response: Response;
    try {
      response = await this.#fetch(url, {
        headers: {
          authorization: `Bearer ${token}`,
          accept: 'application/json',
        },
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
    } catch (cause) {
      throw new UnavailableError('The orders API did not answer', { cause });
    }
    // Only the status matters; the body (the whole order) is dropped.
    await response.body?.cancel();

    if (response.ok) return true;
    if (response.status === 404 || response.status === 403) return false;
    if (response.status === 401) {
      throw new UnauthenticatedError('The API refused the token');
    }
    throw new UnavailableError(`The orders API answered ${response.status}`);
  }
}
