import { describe, expect, it } from 'vitest';
import {
  latency,
  percentile,
  repeat,
  repeatInTurn,
  sequential,
} from '../../../bench/stats';

describe('percentile', () => {
  it('takes the nearest rank of unsorted samples', () => {
    const samples = [5, 1, 4, 2, 3, 10, 9, 8, 7, 6];

    expect(percentile(samples, 50)).toBe(5);
    expect(percentile(samples, 99)).toBe(10);
    expect(percentile(samples, 0)).toBe(1);
  });

  it('is NaN without samples, so an empty run is not read as 0 ms', () => {
    expect(percentile([], 50)).toBeNaN();
    expect(latency([]).n).toBe(0);
  });
});

describe('repeat', () => {
  it('drops the warm-up and keeps each figure’s median over the runs', async () => {
    const figures = [
      { p50Ms: 1000 },
      { p50Ms: 30 },
      { p50Ms: 10 },
      { p50Ms: 20 },
    ];
    let call = 0;

    const { median, runs } = await repeat(3, async () => figures[call++] ?? {});

    expect(runs).toEqual([{ p50Ms: 30 }, { p50Ms: 10 }, { p50Ms: 20 }]);
    expect(median).toEqual({ p50Ms: 20 });
  });
});

describe('repeatInTurn', () => {
  it('warms each up once, then alternates the measurements run by run', async () => {
    const order: string[] = [];
    const measure = (name: string) => async () => {
      order.push(name);
      return { n: order.length };
    };

    const [a, b] = await repeatInTurn(2, [measure('a'), measure('b')]);

    expect(order).toEqual(['a', 'b', 'a', 'b', 'a', 'b']);
    expect(a?.runs).toEqual([{ n: 3 }, { n: 5 }]);
    expect(b?.runs).toEqual([{ n: 4 }, { n: 6 }]);
  });
});

describe('sequential', () => {
  it('makes each call after the last one ended, with its index', async () => {
    const events: string[] = [];

    const figures = await sequential(3, async (index) => {
      events.push(`start ${index}`);
      await new Promise((resolve) => setTimeout(resolve, 1));
      events.push(`end ${index}`);
    });

    expect(events).toEqual([
      'start 0',
      'end 0',
      'start 1',
      'end 1',
      'start 2',
      'end 2',
    ]);
    expect(figures.n).toBe(3);
  });
});
