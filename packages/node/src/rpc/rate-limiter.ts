/**
 * Calls per minute for one connection, as Substrate's `--rpc-rate-limit`: a call over the rate is not refused
 * but waits until the rate allows it (polkadot-sdk `rpc-servers/src/middleware/rate_limit.rs`, a governor
 * quota per minute). A token bucket holding a minute's worth, refilled continuously; calls are charged after
 * they are read (a batch costs its number of calls), so the balance may go below zero and the connection's
 * next request waits until it is back above.
 */
export class RateLimiter {
  #tokens: number;
  #at: number;
  readonly #perMs: number;
  readonly #capacity: number;
  private readonly now: () => number;

  /** `capacity`: calls that may come at once (default a minute's worth, as Substrate's quota). */
  constructor(
    readonly callsPerMinute: number,
    options: { capacity?: number; now?: () => number } = {},
  ) {
    this.now = options.now ?? (() => performance.now());
    this.#capacity = options.capacity ?? callsPerMinute;
    this.#tokens = this.#capacity;
    this.#at = this.now();
    this.#perMs = callsPerMinute / 60_000;
  }

  /** Charges `calls` calls. */
  charge(calls: number): void {
    this.#refill();
    this.#tokens -= calls;
  }

  /** Milliseconds until the next call may run (0 = now). */
  waitMs(): number {
    this.#refill();
    return this.#tokens >= 1 ? 0 : Math.ceil((1 - this.#tokens) / this.#perMs);
  }

  #refill(): void {
    const t = this.now();
    this.#tokens = Math.min(this.#capacity, this.#tokens + (t - this.#at) * this.#perMs);
    this.#at = t;
  }
}
