/**
 * The catalogue as the resolvers need it (a port, so tests can stand in
 * for it), and its adapter over the pharma gRPC client.
 */

import { type PharmaClient, toAppError } from '../../lib/pharma-client';
import type { Medicine } from '../../lib/pharma-contract';

export type { Medicine };

export interface MedicinesPage {
  medicines: Medicine[];
  /** null on the last page. */
  nextPageToken: string | null;
}

export interface Catalogue {
  list(
    search: string,
    first: number,
    after: string | null,
  ): Promise<MedicinesPage>;
  /** null for an unknown sku. */
  get(sku: string): Promise<Medicine | null>;
  /**
   * Adds `delta` units (removes, when negative) and answers the units
   * available after. `requestId` makes a retried call apply once.
   */
  adjust(sku: string, delta: number, requestId: string): Promise<number>;
}

/** `Catalogue` over gRPC; gRPC failures become AppErrors here. */
export class PharmaCatalogue implements Catalogue {
  constructor(private readonly pharma: PharmaClient) {}

  async list(
    search: string,
    first: number,
    after: string | null,
  ): Promise<MedicinesPage> {
    const page = await this.#call(() =>
      this.pharma.listMedicines({
        search,
        pageSize: first,
        pageToken: after ?? '',
      }),
    );
    return {
      medicines: page.medicines,
      nextPageToken: page.nextPageToken || null,
    };
  }

  async get(sku: string): Promise<Medicine | null> {
    try {
      return await this.#call(() => this.pharma.getMedicine({ sku }));
    } catch (error) {
      // A line of an old order may name a sku since withdrawn.
      if ((error as { code?: string }).code === 'NOT_FOUND') return null;
      throw error;
    }
  }

  async adjust(sku: string, delta: number, requestId: string): Promise<number> {
    const answer = await this.#call(() =>
      this.pharma.adjustStock({
        sku,
        delta,
        reason: delta > 0 ? 'restock' : 'correction',
        requestId,
      }),
    );
    return answer.available;
  }

  async #call<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      throw toAppError(error);
    }
  }
}
