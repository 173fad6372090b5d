/**
 * Runs tasks one at a time per key, in arrival order, within this process.
 *
 * Correctness never depends on it (the ledger's unique keys settle every
 * race, also between processes); it only stops concurrent calls of one
 * process from colliding on the same sku and retrying.
 */
export class KeyedMutex {
  readonly #tails = new Map<string, Promise<void>>();

  async run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.#tails.get(key) ?? Promise.resolve();
    let done = () => {};
    const current = new Promise<void>((resolve) => {
      done = resolve;
    });
    const tail = previous.then(() => current);
    this.#tails.set(key, tail);

    await previous;
    try {
      return await task();
    } finally {
      done();
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    }
  }
}
