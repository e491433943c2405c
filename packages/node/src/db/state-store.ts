/**
 * State on disk, independent of the trie implementation:
 * (a) trie nodes by hash with reference counts — a block's inserted nodes count +1 at import; the nodes it
 *     removed are released (−1, deleted at 0) only once the block is `window` blocks below finality, so
 *     the last `window` finalized states stay readable (Substrate's default state pruning keeps 256);
 *     blocks on abandoned forks give back their inserted nodes when finality passes them;
 * (b) a flat key→value copy of the best block's state, moved along the tree with per-block undo records,
 *     from which a restart rebuilds the in-memory trie.
 */
import {
  type BlockMeta,
  decodeChanges,
  decodeJournal,
  encodeChanges,
  encodeJournal,
  type StorageChange,
} from './codec.ts';
import { ChainDbCorruptionError, UnknownBlockError } from './errors.ts';
import { Column, hex, key, MetaKey, metaKey } from './keys.ts';
import type { DbTransaction, Level } from './transaction.ts';
import { treeRoute } from './tree-route.ts';

/** What the runtime's `Trie.commit()` returns (structurally; the trie lives in packages/runtime). */
export interface TrieCommit {
  root: Uint8Array;
  inserted: ReadonlyArray<readonly [hash: Uint8Array, encodedNode: Uint8Array]>;
  removed: readonly Uint8Array[];
}

export interface BlockRef {
  hash: Uint8Array;
  number: number;
  parentHash: Uint8Array;
}

/** The transaction a block's writes go into, and the block they belong to. */
export interface BlockWriteBatch {
  tx: DbTransaction;
  block: BlockRef;
}

export interface CurrentState {
  /** The block whose state this is (the best block). */
  blockHash: Uint8Array;
  entries: Array<[key: Uint8Array, value: Uint8Array]>;
}

/** The small interface the chain database needs from state storage. */
export interface StateStore {
  /** Records a block's trie nodes and storage changes (the flat copy moves when the block becomes best). */
  applyBlock(
    batch: BlockWriteBatch,
    changes: readonly StorageChange[],
    trieCommit: TrieCommit,
  ): Promise<void>;
  /** The best block's state from the flat copy. */
  loadCurrentState(): Promise<CurrentState>;
  /** A trie node by hash, for historical reads and proofs (`readFromNodes(root, key, getNode)`). */
  getNode(hash: Uint8Array): Promise<Uint8Array | undefined>;
}

export class LevelStateStore implements StateStore {
  constructor(private readonly db: Level) {}

  async applyBlock(
    batch: BlockWriteBatch,
    changes: readonly StorageChange[],
    trieCommit: TrieCommit,
  ): Promise<void> {
    const { tx, block } = batch;
    const deltas = new Map<string, { hash: Uint8Array; delta: number; node?: Uint8Array }>();
    for (const [h, node] of trieCommit.inserted) {
      const k = hex(h);
      const d = deltas.get(k);
      if (d) d.delta++;
      else deltas.set(k, { hash: h, delta: 1, node });
    }
    await this.#applyRefDeltas(tx, deltas);
    tx.put(
      key(Column.StateJournal, block.hash),
      encodeJournal({ inserted: trieCommit.inserted.map(([h]) => h), removed: [...trieCommit.removed] }),
    );
    tx.put(key(Column.StateChanges, block.hash), encodeChanges(changes));
  }

  async getNode(hash: Uint8Array): Promise<Uint8Array | undefined> {
    const v = await this.db.get(key(Column.TrieNode, hash));
    return v === undefined ? undefined : new Uint8Array(v);
  }

  /** Current reference count of a node (0 when absent). */
  async refCount(hash: Uint8Array): Promise<number> {
    const v = await this.db.get(key(Column.TrieRefCount, hash));
    return v === undefined ? 0 : v.readUInt32LE(0);
  }

  async loadCurrentState(): Promise<CurrentState> {
    const at = await this.db.get(metaKey(MetaKey.FlatStateAt));
    if (!at) throw new ChainDbCorruptionError('no flat state: the database has no genesis');
    const entries: Array<[Uint8Array, Uint8Array]> = [];
    const start = Buffer.from([Column.FlatState]);
    const end = Buffer.from([Column.FlatState + 1]);
    for await (const [k, v] of this.db.iterator({ gte: start, lt: end })) {
      entries.push([new Uint8Array(k.subarray(1)), new Uint8Array(v)]);
    }
    return { blockHash: new Uint8Array(at), entries };
  }

  /** One value of the best block's state. */
  async getCurrent(storageKey: Uint8Array): Promise<Uint8Array | undefined> {
    const v = await this.db.get(key(Column.FlatState, storageKey));
    return v === undefined ? undefined : new Uint8Array(v);
  }

  /**
   * Moves the flat copy to `target`'s state: undoes the blocks left behind, re-applies the blocks entered.
   */
  async moveFlatTo(
    tx: DbTransaction,
    target: Uint8Array,
    getMeta: (h: Uint8Array) => Promise<BlockMeta | undefined>,
  ) {
    const cur = await tx.get(metaKey(MetaKey.FlatStateAt));
    let enacted: Uint8Array[];
    if (cur === undefined) {
      enacted = [target];
    } else {
      if (hex(cur) === hex(target)) return;
      const route = await treeRoute(getMeta, new Uint8Array(cur), target);
      for (const h of route.retracted) {
        const undo = await tx.get(key(Column.StateUndo, h));
        if (!undo) throw new ChainDbCorruptionError(`no undo record for retracted block 0x${hex(h)}`);
        const entries = decodeChanges(undo);
        for (let i = entries.length - 1; i >= 0; i--) this.#putFlat(tx, entries[i]);
        tx.del(key(Column.StateUndo, h));
      }
      enacted = route.enacted;
    }
    for (const h of enacted) {
      const raw = await tx.get(key(Column.StateChanges, h));
      if (!raw) throw new UnknownBlockError(h, 'storage changes of block');
      const changes = decodeChanges(raw);
      const prev = await tx.getMany(changes.map(([k]) => key(Column.FlatState, k)));
      // Duplicate keys within one block: the first previous value is the one to restore.
      const undo: StorageChange[] = changes.map(([k], i) => [k, prev[i] ?? null]);
      for (const c of changes) this.#putFlat(tx, c);
      tx.put(key(Column.StateUndo, h), encodeChanges(undo));
    }
    tx.put(metaKey(MetaKey.FlatStateAt), target);
  }

  /** Finalized blocks can no longer be reverted: drop their reorg records (the journal stays for pruning). */
  forgetReorgData(tx: DbTransaction, hash: Uint8Array): void {
    tx.del(key(Column.StateChanges, hash));
    tx.del(key(Column.StateUndo, hash));
  }

  /** A block on an abandoned fork: give back the nodes it inserted, forget everything about its state. */
  async discardBlock(tx: DbTransaction, hash: Uint8Array): Promise<void> {
    const j = await tx.get(key(Column.StateJournal, hash));
    if (j) await this.#release(tx, decodeJournal(j).inserted);
    tx.del(key(Column.StateJournal, hash));
    this.forgetReorgData(tx, hash);
  }

  /** A canonical block fell out of the pruning window: release the nodes it removed. */
  async pruneBlock(tx: DbTransaction, hash: Uint8Array): Promise<void> {
    const j = await tx.get(key(Column.StateJournal, hash));
    if (!j) return;
    await this.#release(tx, decodeJournal(j).removed);
    tx.del(key(Column.StateJournal, hash));
  }

  async #release(tx: DbTransaction, hashes: readonly Uint8Array[]): Promise<void> {
    const deltas = new Map<string, { hash: Uint8Array; delta: number }>();
    for (const h of hashes) {
      const k = hex(h);
      const d = deltas.get(k);
      if (d) d.delta--;
      else deltas.set(k, { hash: h, delta: -1 });
    }
    await this.#applyRefDeltas(tx, deltas);
  }

  async #applyRefDeltas(
    tx: DbTransaction,
    deltas: Map<string, { hash: Uint8Array; delta: number; node?: Uint8Array }>,
  ): Promise<void> {
    const list = [...deltas.values()];
    const rcs = await tx.getMany(list.map((d) => key(Column.TrieRefCount, d.hash)));
    list.forEach((d, i) => {
      const before = rcs[i] === undefined ? 0 : rcs[i]!.readUInt32LE(0);
      // A release of a node we never counted (e.g. a trie that reports an inline node) is ignored.
      const after = Math.max(0, before + d.delta);
      const rcKey = key(Column.TrieRefCount, d.hash);
      const nodeKey = key(Column.TrieNode, d.hash);
      if (after === 0) {
        tx.del(rcKey);
        tx.del(nodeKey);
        return;
      }
      const b = Buffer.allocUnsafe(4);
      b.writeUInt32LE(after);
      tx.put(rcKey, b);
      if (before === 0 && d.node) tx.put(nodeKey, d.node);
    });
  }

  #putFlat(tx: DbTransaction, [k, v]: StorageChange): void {
    if (v === null) tx.del(key(Column.FlatState, k));
    else tx.put(key(Column.FlatState, k), v);
  }
}
