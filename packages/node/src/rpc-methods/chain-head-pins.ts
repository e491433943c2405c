/**
 * Blocks pinned by chainHead_v1 follow subscriptions, over all subscriptions and connections, reference-counted:
 * each holds its encoded header and a view of its state. A view of an in-memory state keeps that trie alive for as
 * long as the block is pinned (tries share nodes, so this costs only what the block changed), whatever the chain
 * evicts from its recent states or the database prunes. A view read from the database can still lose its nodes to
 * state pruning; it is swapped for an in-memory trie the first time a runtime call needs one, and after that the
 * state stays readable too.
 */
import { MemoryStateView, type StateView } from '../chain/state-view.ts';

export interface PinnedBlock {
  readonly hex: string;
  readonly hash: Uint8Array;
  readonly number: number;
  readonly parentHex: string;
  /** SCALE-encoded header. */
  readonly header: Uint8Array;
  state: StateView;
}

interface Entry {
  block: PinnedBlock;
  refs: number;
}

export class PinnedBlocks {
  readonly #entries = new Map<string, Entry>();

  /** Distinct blocks pinned. */
  get size(): number {
    return this.#entries.size;
  }

  has(hex: string): boolean {
    return this.#entries.has(hex);
  }

  get(hex: string): PinnedBlock | undefined {
    return this.#entries.get(hex)?.block;
  }

  /** One more reference to `block` (the first one stores it). Returns the stored block. */
  acquire(block: PinnedBlock): PinnedBlock {
    const e = this.#entries.get(block.hex);
    if (e) {
      e.refs++;
      // A view of the in-memory trie is better than one read from the database: keep it.
      if (!(e.block.state instanceof MemoryStateView) && block.state instanceof MemoryStateView)
        e.block.state = block.state;
      return e.block;
    }
    this.#entries.set(block.hex, { block, refs: 1 });
    return block;
  }

  /** One more reference to a block already pinned (operations hold one while they run). */
  retain(hex: string): PinnedBlock | undefined {
    const e = this.#entries.get(hex);
    if (!e) return undefined;
    e.refs++;
    return e.block;
  }

  release(hex: string): void {
    const e = this.#entries.get(hex);
    if (!e) return;
    if (--e.refs <= 0) this.#entries.delete(hex);
  }
}
