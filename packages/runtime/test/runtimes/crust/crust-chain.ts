/**
 * The Crust runtime over an in-memory state for tests: genesis from a profile, then blocks opened with the executive's
 * `initializeBlock` (every pallet's on_initialize runs) in which calls are dispatched with a chosen origin. Blocks are
 * not finalized: ParachainSystem needs relay validation data for that, which the devnet test provides.
 */
import type { Header } from '../../../src/block/header.ts';
import { initCrypto } from '../../../src/crypto/index.ts';
import type { Origin } from '../../../src/frame/origin.ts';
import type { RuntimeCallValue } from '../../../src/frame/pallet.ts';
import type { DispatchOutcome } from '../../../src/frame/runtime.ts';
import type { ChainRuntime } from '../../../src/runtimes/chain-runtime.ts';
import type { RuntimeProfile } from '../../../src/runtimes/profile.ts';
import { genesisStorage } from '../../../src/runtimes/profile.ts';
import { MemoryBackend } from '../../../src/state/memory-backend.ts';
import { Overlay } from '../../../src/state/overlay.ts';

export const ready = initCrypto();

export class CrustTestChain {
  readonly chain: ChainRuntime;
  backend: MemoryBackend;
  number = 0;

  constructor(readonly profile: RuntimeProfile) {
    this.chain = profile.make();
    this.backend = new MemoryBackend(genesisStorage(profile));
  }

  get runtime() {
    return this.chain.runtime;
  }

  /** Reads the current state (writes are dropped). */
  read<T>(fn: () => T): T {
    return this.runtime.execute(new Overlay(this.backend), fn);
  }

  /** Opens block `number + 1` (on_initialize hooks), keeps it open in the state. */
  nextBlock(): void {
    const header: Header = {
      parentHash: new Uint8Array(32).fill(this.number & 0xff),
      number: this.number + 1,
      stateRoot: new Uint8Array(32),
      extrinsicsRoot: new Uint8Array(32),
      digest: { logs: [] },
    };
    this.write(() => this.chain.executive.initializeBlock(header));
    this.number += 1;
  }

  /** Runs `fn` on the state and keeps its writes; returns its result and the state's changes. */
  write<T>(fn: () => T): T {
    const overlay = new Overlay(this.backend);
    const out = this.runtime.execute(overlay, fn);
    this.backend.apply(overlay.drainChanges());
    return out;
  }

  /** Dispatches `call` with `origin` in the open block; returns the outcome and every key it changed. */
  dispatch(call: RuntimeCallValue, origin: Origin): { outcome: DispatchOutcome; changed: string[] } {
    const overlay = new Overlay(this.backend);
    const outcome = this.runtime.execute(overlay, () => this.runtime.dispatch(call, origin));
    const changes = overlay.drainChanges();
    this.backend.apply(changes);
    return { outcome, changed: changes.map(([k]) => Buffer.from(k).toString('hex')) };
  }

  /** Every entry of the state, hex key → hex value. */
  snapshot(): Map<string, string> {
    const out = new Map<string, string>();
    for (const [k, v] of this.backend.entries())
      out.set(Buffer.from(k).toString('hex'), Buffer.from(v).toString('hex'));
    return out;
  }
}
