/**
 * When blocks are made: every `blockTimeMs` aligned to the wall clock (`interval`, 6 s by default), as soon as a
 * transaction arrives (`instant`), only when asked (`manual`, driven by `engine_createBlock`), or never by this
 * node's own sealing (`external`: a parachain's blocks are made by its collator on each relay block). One block at a
 * time; an instant request during a build makes one more build afterwards, and instant sealing keeps building
 * while the pool still holds ready transactions after a block (a full block leaves the rest for the next one).
 */
import type { AuthorityKey } from './aura.ts';
import type { AuthoredBlock, AuthorOptions, Chain } from './chain.ts';
import { ChainStateError } from './errors.ts';

export type SealingMode =
  | { kind: 'interval'; blockTimeMs: number }
  | { kind: 'instant' }
  | { kind: 'manual' }
  | { kind: 'external' };

export interface SealingOptions {
  /** Where errors of background builds go. */
  onError?: (err: unknown) => void;
  /** How many ready transactions the pool holds (instant sealing builds again while this is above 0). */
  readyCount?: () => number;
}

export class Sealing {
  readonly mode: SealingMode;
  readonly #chain: Chain;
  readonly #key: AuthorityKey;
  #timer: NodeJS.Timeout | undefined;
  #running = false;
  #building: Promise<AuthoredBlock> | undefined;
  #again = false;
  #onError: (err: unknown) => void;
  #readyCount: () => number;

  constructor(
    chain: Chain,
    key: AuthorityKey,
    mode: SealingMode,
    opts: SealingOptions | ((err: unknown) => void) = {},
  ) {
    const o = typeof opts === 'function' ? { onError: opts } : opts;
    this.#chain = chain;
    this.#key = key;
    this.mode = mode;
    this.#onError = o.onError ?? (() => {});
    this.#readyCount = o.readyCount ?? (() => 0);
  }

  start(): void {
    this.#running = true;
    if (this.mode.kind === 'interval') this.#schedule();
  }

  async stop(): Promise<void> {
    this.#running = false;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    // A build may chain another one (instant sealing); wait until none is left.
    while (this.#building) await this.#building.catch(() => {});
  }

  /** A transaction entered the pool. */
  transactionArrived(): void {
    if (this.mode.kind !== 'instant' || !this.#running) return;
    if (this.#building) {
      this.#again = true;
      return;
    }
    this.createBlock().catch(this.#onError);
  }

  /**
   * Builds one block now (the `engine_createBlock` path; also used by the other modes). `finalize` as in
   * `Chain.author`: true = final on import, false = left for `engine_finalizeBlock`, absent = the finality gadget.
   */
  createBlock(opts: Pick<AuthorOptions, 'finalize'> = {}): Promise<AuthoredBlock> {
    if (!this.#running) return Promise.reject(new ChainStateError('block production is stopped'));
    if (this.mode.kind === 'external')
      return Promise.reject(
        new ChainStateError("this chain's blocks are made by its collator on each relay chain block"),
      );
    const prev = this.#building ?? Promise.resolve(undefined);
    const run: Promise<AuthoredBlock> = prev
      .catch(() => {})
      .then(() => this.#chain.author(this.#key, { finalize: opts.finalize }));
    const settled = run.then(
      (b) => this.#afterBuild(run, b),
      () => this.#afterBuild(run, undefined),
    );
    settled.catch(this.#onError);
    this.#building = run;
    return run;
  }

  #afterBuild(run: Promise<AuthoredBlock>, block: AuthoredBlock | undefined): void {
    if (this.#building === run) this.#building = undefined;
    if (!this.#running || this.mode.kind !== 'instant' || this.#building) return;
    // Another build while transactions wait: ones that arrived during this build, or ones a full block left
    // behind. Only when this block took some from the pool: what is ready but fits in no block (or is not yet
    // includable) must not spin empty blocks; a new arrival starts the next build.
    const leftBehind = block !== undefined && block.poolTransactions > 0 && this.#readyCount() > 0;
    if (this.#again || leftBehind) {
      this.#again = false;
      this.createBlock().catch(this.#onError);
    }
  }

  #schedule(): void {
    if (!this.#running || this.mode.kind !== 'interval') return;
    const bt = this.mode.blockTimeMs;
    const wait = bt - (Date.now() % bt);
    this.#timer = setTimeout(() => {
      this.createBlock()
        .catch(this.#onError)
        .finally(() => this.#schedule());
    }, wait);
    this.#timer.unref?.();
  }
}
