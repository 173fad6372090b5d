import { type Figures, latency, round } from './stats';

export interface LoadOptions {
  /** Clients, each sending its next request when the last one answers. */
  concurrency: number;
  /** Stop after this long... */
  durationMs: number;
  /** ...or after this many requests, whichever comes first. */
  maxRequests: number;
}

/**
 * A closed-loop load: `concurrency` clients send requests back to back
 * until the time or the count runs out. Returns latency percentiles,
 * completed requests per second, and how many failed (a failure still
 * counts for latency: a rejected order is a full answer).
 */
export async function load(
  options: LoadOptions,
  request: (index: number) => Promise<boolean>,
): Promise<Figures> {
  const samples: number[] = [];
  let sent = 0;
  let failed = 0;
  const started = performance.now();
  const deadline = started + options.durationMs;
  const client = async () => {
    while (performance.now() < deadline && sent < options.maxRequests) {
      const index = sent++;
      const before = performance.now();
      const ok = await request(index).catch(() => false);
      samples.push(performance.now() - before);
      if (!ok) failed++;
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, client));
  const seconds = (performance.now() - started) / 1000;
  return {
    ...latency(samples),
    perSecond: round(samples.length / seconds, 1),
    failed,
  };
}
