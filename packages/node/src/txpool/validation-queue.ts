/**
 * Where transaction validations run: one FIFO queue, drained in time slices of `sliceMs` per event-loop turn.
 *
 * Why: Substrate validates on a separate pool of threads, so block production and import never wait for the
 * transactions streaming in. Here validation runs on the event loop; when a client keeps hundreds of submissions
 * in flight, validating them all as they arrive (each in its own microtask) makes one event-loop turn last as long
 * as the whole backlog, and block production, which waits on a dozen database round trips each needing a turn,
 * stalls for seconds. Draining in short slices bounds a turn to about `sliceMs` plus the I/O that arrived, so
 * database callbacks, timers and RPC reads interleave with validation at a cost of one `setImmediate` per slice.
 */
export class ValidationQueue {
  readonly sliceMs: number;
  readonly #jobs: Array<() => void> = [];
  #scheduled = false;

  constructor(opts: { sliceMs?: number } = {}) {
    this.sliceMs = opts.sliceMs ?? 4;
  }

  /** Jobs waiting for their turn. */
  get pending(): number {
    return this.#jobs.length;
  }

  /** Runs the synchronous `job` in its turn; its result or exception settles the promise. */
  run<T>(job: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#jobs.push(() => {
        try {
          resolve(job());
        } catch (err) {
          reject(err);
        }
      });
      if (!this.#scheduled) {
        this.#scheduled = true;
        setImmediate(this.#drain);
      }
    });
  }

  readonly #drain = (): void => {
    const until = performance.now() + this.sliceMs;
    let i = 0;
    // At least one job per turn, then as many as fit in the slice.
    do this.#jobs[i++]();
    while (i < this.#jobs.length && performance.now() < until);
    this.#jobs.splice(0, i);
    if (this.#jobs.length > 0) setImmediate(this.#drain);
    else this.#scheduled = false;
  };
}
