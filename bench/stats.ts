/** Nearest-rank percentile of unsorted samples; NaN when there are none. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] as number;
}

export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

/** Figures of one run, by name (p50Ms, p99Ms, perSecond...). */
export type Figures = Record<string, number>;

/** Each figure's median over the runs, plus every run's figures. */
export interface Repeated {
  median: Figures;
  runs: Figures[];
}

/**
 * Runs a measurement `runs` times after one unrecorded warm-up, and keeps
 * each figure's median: a single run on a shared 2-core machine is noise.
 */
export async function repeat(
  runs: number,
  measure: () => Promise<Figures>,
): Promise<Repeated> {
  await measure();
  const all: Figures[] = [];
  for (let i = 0; i < runs; i++) all.push(await measure());
  return summarise(all);
}

/**
 * Like `repeat` for several measurements compared with each other, run in
 * turn (a, b, a, b...) rather than one after the other: on the local stack
 * every placed order makes the next write slower (moto copies the tables
 * a transaction names), which would otherwise favour whichever ran first.
 */
export async function repeatInTurn(
  runs: number,
  measures: (() => Promise<Figures>)[],
): Promise<Repeated[]> {
  for (const measure of measures) await measure();
  const all: Figures[][] = measures.map(() => []);
  for (let i = 0; i < runs; i++) {
    for (const [index, measure] of measures.entries()) {
      all[index]?.push(await measure());
    }
  }
  return all.map(summarise);
}

function summarise(all: Figures[]): Repeated {
  const keys = Object.keys(all[0] ?? {});
  const medians = Object.fromEntries(
    keys.map((key) => [key, median(all.map((figures) => figures[key] ?? NaN))]),
  );
  return { median: medians, runs: all };
}

/** p50 and p99 of latency samples in ms. */
export function latency(samples: readonly number[]): Figures {
  return {
    p50Ms: round(percentile(samples, 50)),
    p99Ms: round(percentile(samples, 99)),
    n: samples.length,
  };
}

export function round(value: number, digits = 2): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/** Latency of `calls` calls made one after the other; `call` gets its index. */
export async function sequential(
  calls: number,
  call: (index: number) => Promise<unknown>,
): Promise<Figures> {
  const samples: number[] = [];
  for (let i = 0; i < calls; i++) samples.push(await timed(() => call(i)));
  return latency(samples);
}

/** Times one async call in ms. */
export async function timed(call: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await call();
  return performance.now() - started;
}
