/**
 * Finality behind one small interface: a dev chain with one authority finalizes every block it imports (in the
 * same atomic write, or `delayMs` later so clients observe `inBlock` before `finalized` — polkadot-js drops an
 * `inBlock` status whose events are still being fetched when `finalized` arrives); a multi-authority gadget
 * (GRANDPA-like voting) can implement the same interface and finalize when its votes say so.
 */
export interface ImportedBlockInfo {
  hash: Uint8Array;
  number: number;
  /** Authored by this node. */
  own: boolean;
}

export interface FinalityGadget {
  /** Whether the block is final as soon as it is imported (written in the same atomic batch). */
  finalizeOnImport(block: ImportedBlockInfo): boolean;
  /** Called after an import that did not finalize; the gadget calls `finalize` when it decides. */
  afterImport?(block: ImportedBlockInfo, finalize: (hash: Uint8Array) => Promise<void>): void;
  /** Stop deciding (node shutdown). */
  stop?(): void;
}

/** One authority: everything it imports is final, at once or `delayMs` after the import. */
export class InstantFinality implements FinalityGadget {
  readonly delayMs: number;
  readonly #timers = new Set<NodeJS.Timeout>();
  #stopped = false;

  constructor(opts: { delayMs?: number } = {}) {
    this.delayMs = opts.delayMs ?? 0;
  }

  finalizeOnImport(): boolean {
    return this.delayMs === 0 && !this.#stopped;
  }

  afterImport(block: ImportedBlockInfo, finalize: (hash: Uint8Array) => Promise<void>): void {
    if (this.#stopped || this.delayMs === 0) return;
    const t = setTimeout(() => {
      this.#timers.delete(t);
      if (!this.#stopped) finalize(block.hash).catch(() => {});
    }, this.delayMs);
    this.#timers.add(t);
  }

  stop(): void {
    this.#stopped = true;
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
  }
}

/** Nothing is finalized automatically (tests, `engine_finalizeBlock`). */
export class ManualFinality implements FinalityGadget {
  finalizeOnImport(): boolean {
    return false;
  }
}
