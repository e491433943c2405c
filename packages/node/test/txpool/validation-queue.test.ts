/**
 * The validation queue: jobs run in arrival order, results and exceptions reach their callers, and a long backlog
 * is drained in slices so timers and I/O (block production's database round trips) run in between.
 */
import { describe, expect, it } from 'vitest';
import { ValidationQueue } from '../../src/txpool/validation-queue.ts';

const busy = (ms: number) => {
  const until = performance.now() + ms;
  while (performance.now() < until) {}
};

describe('ValidationQueue', () => {
  it('runs jobs in arrival order and settles each with its result or exception', async () => {
    const q = new ValidationQueue();
    const order: number[] = [];
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) =>
        q.run(() => {
          order.push(i);
          if (i === 7) throw new TypeError('bad bytes');
          return i * 2;
        }),
      ),
    );
    expect(order).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(results[3]).toEqual({ status: 'fulfilled', value: 6 });
    expect(results[7].status).toBe('rejected');
    expect((results[7] as PromiseRejectedResult).reason).toBeInstanceOf(TypeError);
    expect(results[19]).toEqual({ status: 'fulfilled', value: 38 });
    expect(q.pending).toBe(0);
  });

  it('lets timers and I/O run while a backlog drains (one slice per event-loop turn)', async () => {
    const q = new ValidationQueue({ sliceMs: 4 });
    let done = 0;
    const jobs = Array.from({ length: 100 }, () =>
      q.run(() => {
        busy(1);
        done++;
      }),
    );
    // A timer due now: without slicing it would wait for all ~100 ms of jobs.
    const doneWhenTimerFired = await new Promise<number>((r) => setTimeout(() => r(done), 0));
    // (Whether the timer beats the first slice depends on the event-loop phase the test starts in.)
    expect(doneWhenTimerFired).toBeLessThan(30);
    await Promise.all(jobs);
    expect(done).toBe(100);
  });

  it('runs at least one job per turn even when a single job exceeds the slice', async () => {
    const q = new ValidationQueue({ sliceMs: 0 });
    const r = await Promise.all([q.run(() => 'a'), q.run(() => 'b'), q.run(() => 'c')]);
    expect(r).toEqual(['a', 'b', 'c']);
  });
});
