/**
 * When blocks are made: every `blockTimeMs` aligned to the wall clock (`interval`, 6 s by default), as soon as a
 * transaction arrives (`instant`), or only when asked (`manual`, driven by `engine_createBlock`). One block at a
 * time; an instant request during a build makes one more build afterwards.
 */
import type { AuthorityKey } from './aura.ts';
import type { AuthorOptions, Chain, ImportedBlock } from './chain.ts';
import { ChainStateError } from './errors.ts';

export type SealingMode =
  | { kind: 'interval'; blockTimeMs: number }
  | { kind: 'instant' }
  | { kind: 'manual' };

export class Sealing {
  readonly mode: SealingMode;
  readonly #chain: Chain;
  readonly #key: AuthorityKey;
  #timer: NodeJS.Timeout | undefined;
  #running = false;
  #building: Promise<ImportedBlock> | undefined;
  #again = false;
  #onError: (err: unknown) => void;

  constructor(
    chain: Chain,
    key: AuthorityKey,
    mode: SealingMode,
    onError: (err: unknown) => void = () => {},
  ) {
    this.#chain = chain;
    this.#key = key;
    this.mode = mode;
    this.#onError = onError;
  }

  start(): void {
    this.#running = true;
    if (this.mode.kind === 'interval') this.#schedule();
  }

  async stop(): Promise<void> {
    this.#running = false;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#building?.catch(() => {});
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
  createBlock(opts: Pick<AuthorOptions, 'finalize'> = {}): Promise<ImportedBlock> {
    if (!this.#running) return Promise.reject(new ChainStateError('block production is stopped'));
    const prev = this.#building ?? Promise.resolve(undefined);
    const run: Promise<ImportedBlock> = prev
      .catch(() => {})
      .then(() => this.#chain.author(this.#key, { finalize: opts.finalize }))
      .finally(() => {
        if (this.#building === run) this.#building = undefined;
        if (this.#again && this.#running) {
          this.#again = false;
          this.createBlock().catch(this.#onError);
        }
      });
    this.#building = run;
    return run;
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
