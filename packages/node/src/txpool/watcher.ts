/**
 * Per-transaction status stream, in the JSON shapes of Substrate's `TransactionStatus` (serde camelCase) that
 * polkadot-js decodes as `ExtrinsicStatus`: `"future"`, `"ready"`, `{"broadcast":[peers]}`,
 * `{"inBlock":"0x…"}`, `{"retracted":"0x…"}`, `{"finalityTimeout":"0x…"}`, `{"finalized":"0x…"}`,
 * `{"usurped":"0x…"}`, `"dropped"`, `"invalid"`.
 */
export type HexString = `0x${string}`;

export type TransactionStatus =
  | 'future'
  | 'ready'
  | { broadcast: string[] }
  | { inBlock: HexString }
  | { retracted: HexString }
  | { finalityTimeout: HexString }
  | { finalized: HexString }
  | { usurped: HexString }
  | 'dropped'
  | 'invalid';

/** After one of these the stream ends, as in Substrate. */
export function isFinalStatus(s: TransactionStatus): boolean {
  if (typeof s === 'string') return s === 'dropped' || s === 'invalid';
  return 'finalized' in s || 'usurped' in s || 'finalityTimeout' in s;
}

export type StatusListener = (status: TransactionStatus) => void;

export class TransactionWatcher {
  readonly #history: TransactionStatus[] = [];
  readonly #listeners = new Set<StatusListener>();
  readonly #endListeners = new Set<() => void>();
  #done = false;

  constructor(readonly hash: HexString) {}

  get done(): boolean {
    return this.#done;
  }

  /** Every status so far. */
  get history(): readonly TransactionStatus[] {
    return this.#history;
  }

  /** Replays the statuses so far, then delivers new ones; returns an unsubscribe function. */
  subscribe(listener: StatusListener, onEnd?: () => void): () => void {
    for (const s of this.#history) listener(s);
    if (this.#done) {
      onEnd?.();
      return () => {};
    }
    this.#listeners.add(listener);
    if (onEnd) this.#endListeners.add(onEnd);
    return () => {
      this.#listeners.delete(listener);
      if (onEnd) this.#endListeners.delete(onEnd);
    };
  }

  /** Internal: the pool reports a status. */
  emit(status: TransactionStatus): void {
    if (this.#done) return;
    this.#history.push(status);
    for (const l of [...this.#listeners]) l(status);
    if (isFinalStatus(status)) this.#end();
  }

  #end(): void {
    this.#done = true;
    this.#listeners.clear();
    for (const l of [...this.#endListeners]) l();
    this.#endListeners.clear();
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<TransactionStatus> {
    const queue: TransactionStatus[] = [];
    let wake: (() => void) | undefined;
    let ended = false;
    const unsub = this.subscribe(
      (s) => {
        queue.push(s);
        wake?.();
      },
      () => {
        ended = true;
        wake?.();
      },
    );
    try {
      for (;;) {
        if (queue.length > 0) {
          yield queue.shift()!;
          continue;
        }
        if (ended) return;
        await new Promise<void>((r) => {
          wake = r;
        });
        wake = undefined;
      }
    } finally {
      unsub();
    }
  }
}
