import { describe, expect, it } from 'vitest';
import { KeyedMutex } from '../../../../services/pharma/keyed-mutex';

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

describe('KeyedMutex.run', () => {
  it('runs the tasks of one key one at a time, in arrival order', async () => {
    // Prepare
    const mutex = new KeyedMutex();
    const events: string[] = [];
    const task = (name: string) => async () => {
      events.push(`${name} start`);
      await tick();
      events.push(`${name} end`);
    };

    // Act
    await Promise.all([
      mutex.run('sku', task('a')),
      mutex.run('sku', task('b')),
      mutex.run('sku', task('c')),
    ]);

    // Assess
    expect(events).toEqual([
      'a start',
      'a end',
      'b start',
      'b end',
      'c start',
      'c end',
    ]);
  });

  it('runs the tasks of different keys side by side', async () => {
    // Prepare
    const mutex = new KeyedMutex();
    const events: string[] = [];
    const task = (name: string) => async () => {
      events.push(`${name} start`);
      await tick();
      events.push(`${name} end`);
    };

    // Act
    await Promise.all([mutex.run('x', task('x')), mutex.run('y', task('y'))]);

    // Assess
    expect(events.slice(0, 2)).toEqual(['x start', 'y start']);
  });

  it('goes on with the next task after one fails', async () => {
    // Prepare
    const mutex = new KeyedMutex();

    // Act
    const failed = mutex.run('sku', async () => {
      throw new Error('boom');
    });
    const next = mutex.run('sku', async () => 'ran');

    // Assess
    await expect(failed).rejects.toThrow('boom');
    await expect(next).resolves.toBe('ran');
  });
});
