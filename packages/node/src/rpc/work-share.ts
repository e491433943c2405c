/**
 * A fair share of request work across connections. Asynchronous handlers do their heavy part after an await
 * (a runtime call building 77 KB of metadata takes ~8 ms), outside any per-turn CPU budget, so what bounds
 * their cost is how many run at once: at most `maxTotal` over the whole server, except that a connection with
 * nothing running may always start one. Twenty connections pipelining heavy calls then hold about twenty
 * running, not twenty times their own cap, and a newcomer is never kept waiting behind them.
 */
export class WorkShare {
  #running = 0;
  /** Connections waiting for a place, woken first come first served. */
  readonly #waiting = new Set<() => void>();

  constructor(readonly maxTotal: number) {}

  get running(): number {
    return this.#running;
  }

  /** Whether a connection running `own` requests now may start one more. */
  mayStart(own: number): boolean {
    return own === 0 || this.#running < this.maxTotal;
  }

  started(): void {
    this.#running++;
  }

  /** A request ended: the longest-waiting connection gets to try again. */
  finished(): void {
    this.#running--;
    const next = this.#waiting.values().next();
    if (next.done) return;
    this.#waiting.delete(next.value);
    next.value();
  }

  /** Calls `wake` (once) when a place frees up. */
  wait(wake: () => void): void {
    this.#waiting.add(wake);
  }

  /** A connection that went away stops waiting. */
  forget(wake: () => void): void {
    this.#waiting.delete(wake);
  }
}
