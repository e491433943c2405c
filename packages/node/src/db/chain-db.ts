/**
 * The chain database: headers, bodies, justifications, the canonical index, best/finalized pointers, metadata
 * and state, in one LevelDB. Each import / best change / finalization is one atomic batch, so after `kill -9`
 * the database reopens at its last committed block with every pointer pointing at data that exists.
 *
 * Headers and bodies are opaque bytes; the fields the database needs (hash, number, parent, state root) are
 * passed in explicitly.
 */
import { ClassicLevel } from 'classic-level';
import {
  type BlockMeta,
  decodeBlockMeta,
  decodeByteList,
  encodeBlockMeta,
  encodeByteList,
  type StorageChange,
} from './codec.ts';
import {
  ChainDbCorruptionError,
  ChainDbError,
  InvalidChainOperationError,
  StateRootMismatchError,
  UnknownBlockError,
} from './errors.ts';
import { Column, hex, key, MetaKey, metaKey, SCHEMA_VERSION, u32be } from './keys.ts';
import { type CurrentState, LevelStateStore, type TrieCommit } from './state-store.ts';
import { DbTransaction, type Level } from './transaction.ts';
import { treeRoute } from './tree-route.ts';

export interface BlockToImport {
  hash: Uint8Array;
  number: number;
  parentHash: Uint8Array;
  stateRoot: Uint8Array;
  /** Encoded header, stored as is. */
  header: Uint8Array;
  /** Encoded extrinsics. */
  body: readonly Uint8Array[];
  justification?: Uint8Array;
  /** The block's storage changes (`null` = deleted) and the trie nodes it inserted/removed. */
  changes: readonly StorageChange[];
  trieCommit: TrieCommit;
}

export interface ImportOptions {
  /** Make the block the best block. Default: when it is higher than the current best (longest chain). */
  setBest?: boolean;
  /** Finalize the block in the same atomic write. */
  finalize?: boolean;
}

export interface ChainDbOptions {
  /** Finalized states kept readable (Substrate `--state-pruning`, default 256). */
  statePruningWindow?: number;
  /** fsync each commit (survives power loss, not only process death). */
  sync?: boolean;
}

export interface BlockPointer {
  hash: Uint8Array;
  number: number;
}

const ZERO_HASH = new Uint8Array(32);

export class ChainDb {
  readonly state: LevelStateStore;
  readonly #db: Level;
  readonly #window: number;
  readonly #sync: boolean;
  #best: BlockPointer | undefined;
  #finalized: BlockPointer | undefined;
  #genesis: Uint8Array | undefined;
  #chainSpecId: string | undefined;
  #queue: Promise<unknown> = Promise.resolve();
  #closed = false;

  private constructor(db: Level, opts: ChainDbOptions) {
    this.#db = db;
    this.#window = opts.statePruningWindow ?? 256;
    if (!Number.isInteger(this.#window) || this.#window < 1) {
      throw new ChainDbError('statePruningWindow must be an integer ≥ 1');
    }
    this.#sync = opts.sync ?? false;
    this.state = new LevelStateStore(db);
  }

  static async open(path: string, opts: ChainDbOptions = {}): Promise<ChainDb> {
    const level = new ClassicLevel<Buffer, Buffer>(path, { keyEncoding: 'buffer', valueEncoding: 'buffer' });
    try {
      await level.open();
    } catch (err) {
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      if (cause?.code === 'LEVEL_LOCKED') {
        throw new ChainDbError(`chain database ${path} is in use by another process (LevelDB lock held)`);
      }
      throw new ChainDbError(
        `cannot open chain database ${path}: ${cause?.message ?? (err as Error).message}`,
      );
    }
    const db = new ChainDb(level, opts);
    try {
      await db.#load();
    } catch (err) {
      await level.close();
      throw err;
    }
    return db;
  }

  async #load(): Promise<void> {
    const schema = await this.#db.get(metaKey(MetaKey.Schema));
    if (schema === undefined) return; // empty database: initGenesis next
    if (schema.readUInt32LE(0) !== SCHEMA_VERSION) {
      throw new ChainDbError(
        `database schema ${schema.readUInt32LE(0)} is not the supported ${SCHEMA_VERSION}`,
      );
    }
    const best = await this.#db.get(metaKey(MetaKey.Best));
    const fin = await this.#db.get(metaKey(MetaKey.Finalized));
    const genesis = await this.#db.get(metaKey(MetaKey.Genesis));
    const flatAt = await this.#db.get(metaKey(MetaKey.FlatStateAt));
    if (!best || !fin || !genesis || !flatAt) throw new ChainDbCorruptionError('missing chain pointers');
    const pointer = async (h: Buffer, what: string): Promise<BlockPointer> => {
      const m = await this.getBlockMeta(h);
      if (!m || !(await this.#db.get(key(Column.Header, h)))) {
        throw new ChainDbCorruptionError(`${what} block 0x${hex(h)} is missing`);
      }
      return { hash: new Uint8Array(h), number: m.number };
    };
    this.#best = await pointer(best, 'best');
    this.#finalized = await pointer(fin, 'finalized');
    if (hex(flatAt) !== hex(best)) throw new ChainDbCorruptionError('flat state is not at the best block');
    this.#genesis = new Uint8Array(genesis);
    this.#chainSpecId = (await this.#db.get(metaKey(MetaKey.ChainSpecId)))?.toString('utf8');
  }

  get isInitialized(): boolean {
    return this.#best !== undefined;
  }

  get best(): BlockPointer {
    return this.#need(this.#best);
  }

  get finalized(): BlockPointer {
    return this.#need(this.#finalized);
  }

  get genesisHash(): Uint8Array {
    return this.#need(this.#genesis);
  }

  get chainSpecId(): string | undefined {
    return this.#chainSpecId;
  }

  get statePruningWindow(): number {
    return this.#window;
  }

  #need<T>(v: T | undefined): T {
    if (v === undefined) throw new ChainDbError('database has no genesis block yet (call initGenesis)');
    return v;
  }

  /** Writes the genesis block (best = finalized = genesis). Only on an empty database. */
  async initGenesis(
    genesis: Omit<BlockToImport, 'number' | 'parentHash'> & { chainSpecId: string },
  ): Promise<void> {
    return this.#exclusive(async () => {
      if (this.#best) throw new InvalidChainOperationError('database already has a genesis block');
      const tx = new DbTransaction(this.#db);
      const block: BlockToImport = { ...genesis, number: 0, parentHash: ZERO_HASH };
      await this.#writeBlock(tx, block);
      const schema = Buffer.alloc(4);
      schema.writeUInt32LE(SCHEMA_VERSION);
      tx.put(metaKey(MetaKey.Schema), schema);
      tx.put(metaKey(MetaKey.Genesis), block.hash);
      tx.put(metaKey(MetaKey.ChainSpecId), Buffer.from(genesis.chainSpecId, 'utf8'));
      await this.#setBestInTx(tx, block.hash);
      await this.#finalizeInTx(tx, block.hash, { hash: ZERO_HASH, number: -1 });
      await tx.commit(true);
      this.#genesis = block.hash;
      this.#chainSpecId = genesis.chainSpecId;
      this.#best = { hash: block.hash, number: 0 };
      this.#finalized = { hash: block.hash, number: 0 };
    });
  }

  /** Imports a block atomically. Returns false when the block was already known. */
  async importBlock(block: BlockToImport, opts: ImportOptions = {}): Promise<boolean> {
    return this.#exclusive(async () => {
      const best = this.best;
      const fin = this.finalized;
      if (await this.#db.get(key(Column.BlockMeta, block.hash))) return false;
      const parent = await this.getBlockMeta(block.parentHash);
      if (!parent) throw new UnknownBlockError(block.parentHash, 'parent block');
      if (block.number !== parent.number + 1) {
        throw new InvalidChainOperationError(
          `block number ${block.number} does not follow its parent's number ${parent.number}`,
        );
      }
      if (block.number <= fin.number) {
        throw new InvalidChainOperationError(
          `block #${block.number} is at or below the finalized block #${fin.number}: it can never be canonical`,
        );
      }
      const tx = new DbTransaction(this.#db);
      await this.#writeBlock(tx, block);
      tx.put(key(Column.Unfinalized, u32be(block.number), block.hash), Buffer.alloc(0));
      const setBest = opts.setBest ?? block.number > best.number;
      let newBest = best;
      if (setBest || opts.finalize) {
        await this.#setBestInTx(tx, block.hash);
        newBest = { hash: block.hash, number: block.number };
      }
      let newFin = fin;
      if (opts.finalize) {
        await this.#finalizeInTx(tx, block.hash, fin);
        newFin = { hash: block.hash, number: block.number };
      }
      await tx.commit(this.#sync);
      this.#best = newBest;
      this.#finalized = newFin;
      return true;
    });
  }

  /** Makes a known block the best one (reorg if it is on another fork). */
  async setBest(hash: Uint8Array): Promise<void> {
    return this.#exclusive(async () => {
      const m = await this.getBlockMeta(hash);
      if (!m) throw new UnknownBlockError(hash);
      if (!(await this.#isDescendantOrSelf(hash, m, this.finalized))) {
        throw new InvalidChainOperationError(
          `block 0x${hex(hash)} does not descend from the finalized block`,
        );
      }
      const tx = new DbTransaction(this.#db);
      await this.#setBestInTx(tx, hash);
      await tx.commit(this.#sync);
      this.#best = { hash: new Uint8Array(hash), number: m.number };
    });
  }

  /**
   * Finalizes a block (and its ancestors): if the best block is not its descendant, it becomes best; forks that
   * do not contain it are discarded; state nodes leaving the pruning window are released.
   */
  async finalize(hash: Uint8Array, justification?: Uint8Array): Promise<void> {
    return this.#exclusive(async () => {
      const m = await this.getBlockMeta(hash);
      if (!m) throw new UnknownBlockError(hash);
      const fin = this.finalized;
      if (hex(hash) === hex(fin.hash)) {
        if (justification) {
          const tx = new DbTransaction(this.#db);
          tx.put(key(Column.Justification, hash), justification);
          await tx.commit(this.#sync);
        }
        return;
      }
      if (!(await this.#isDescendantOrSelf(hash, m, fin))) {
        throw new InvalidChainOperationError(
          `block 0x${hex(hash)} #${m.number} does not descend from the finalized block #${fin.number}`,
        );
      }
      const tx = new DbTransaction(this.#db);
      if (justification) tx.put(key(Column.Justification, hash), justification);
      let best = this.best;
      const bestMeta = (await this.getBlockMeta(best.hash))!;
      if (!(await this.#isDescendantOrSelf(best.hash, bestMeta, { hash, number: m.number }))) {
        await this.#setBestInTx(tx, hash);
        best = { hash: new Uint8Array(hash), number: m.number };
      }
      await this.#finalizeInTx(tx, hash, fin);
      await tx.commit(this.#sync);
      this.#best = best;
      this.#finalized = { hash: new Uint8Array(hash), number: m.number };
    });
  }

  // ---- reads ----

  async getHeader(hash: Uint8Array): Promise<Uint8Array | undefined> {
    const v = await this.#db.get(key(Column.Header, hash));
    return v === undefined ? undefined : new Uint8Array(v);
  }

  async getBody(hash: Uint8Array): Promise<Uint8Array[] | undefined> {
    const v = await this.#db.get(key(Column.Body, hash));
    return v === undefined ? undefined : decodeByteList(v, 'block body');
  }

  async getJustification(hash: Uint8Array): Promise<Uint8Array | undefined> {
    const v = await this.#db.get(key(Column.Justification, hash));
    return v === undefined ? undefined : new Uint8Array(v);
  }

  async getBlockMeta(hash: Uint8Array): Promise<BlockMeta | undefined> {
    const v = await this.#db.get(key(Column.BlockMeta, hash));
    return v === undefined ? undefined : decodeBlockMeta(v);
  }

  /** Hash of the best chain's block at `number`. */
  async getHash(number: number): Promise<Uint8Array | undefined> {
    if (!Number.isInteger(number) || number < 0 || number > 0xffffffff) return undefined;
    const v = await this.#db.get(key(Column.Canonical, u32be(number)));
    return v === undefined ? undefined : new Uint8Array(v);
  }

  async hasBlock(hash: Uint8Array): Promise<boolean> {
    return (await this.#db.get(key(Column.BlockMeta, hash))) !== undefined;
  }

  /** Hashes of blocks above the finalized one (all forks). */
  async unfinalizedBlocks(): Promise<Uint8Array[]> {
    const tx = new DbTransaction(this.#db);
    const keys = await tx.keysWithPrefix(Buffer.from([Column.Unfinalized]));
    return keys.map((k) => new Uint8Array(k.subarray(5)));
  }

  /** The best block's state from the flat copy. */
  loadCurrentState(): Promise<CurrentState> {
    return this.state.loadCurrentState();
  }

  /**
   * Rebuilds the best state with `computeRoot` (the runtime's trie) and checks it against the best block's state
   * root. Returns the entries so the caller keeps the trie it built.
   */
  async verifyCurrentState<T>(
    computeRoot: (
      entries: Array<[Uint8Array, Uint8Array]>,
    ) => Promise<{ root: Uint8Array; result: T }> | { root: Uint8Array; result: T },
  ): Promise<T> {
    const st = await this.loadCurrentState();
    const meta = await this.getBlockMeta(st.blockHash);
    if (!meta) throw new ChainDbCorruptionError('flat state points at an unknown block');
    const { root, result } = await computeRoot(st.entries);
    if (hex(root) !== hex(meta.stateRoot)) throw new StateRootMismatchError(meta.stateRoot, root);
    return result;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#queue.catch(() => {});
    await this.#db.close();
  }

  // ---- internals (all inside #exclusive) ----

  #exclusive<T>(fn: () => Promise<T>): Promise<T> {
    if (this.#closed) return Promise.reject(new ChainDbError('database is closed'));
    const run = this.#queue.then(fn, fn);
    this.#queue = run.catch(() => {});
    return run;
  }

  async #writeBlock(tx: DbTransaction, b: BlockToImport): Promise<void> {
    if (b.hash.length !== 32 || b.parentHash.length !== 32)
      throw new ChainDbError('block hashes must be 32 bytes');
    tx.put(key(Column.Header, b.hash), b.header);
    tx.put(key(Column.Body, b.hash), encodeByteList(b.body));
    if (b.justification) tx.put(key(Column.Justification, b.hash), b.justification);
    tx.put(
      key(Column.BlockMeta, b.hash),
      encodeBlockMeta({ number: b.number, parentHash: b.parentHash, stateRoot: b.stateRoot }),
    );
    await this.state.applyBlock(
      { tx, block: { hash: b.hash, number: b.number, parentHash: b.parentHash } },
      b.changes,
      b.trieCommit,
    );
  }

  #metaIn(tx: DbTransaction): (h: Uint8Array) => Promise<BlockMeta | undefined> {
    return async (h) => {
      const v = await tx.get(key(Column.BlockMeta, Buffer.from(h)));
      return v === undefined ? undefined : decodeBlockMeta(v);
    };
  }

  async #setBestInTx(tx: DbTransaction, hash: Uint8Array): Promise<void> {
    const getMeta = this.#metaIn(tx);
    const target = await getMeta(hash);
    if (!target) throw new UnknownBlockError(hash);
    const old = this.#best;
    if (old) {
      const route = await treeRoute(getMeta, old.hash, hash);
      // Canonical entries above the new best no longer exist.
      for (let n = target.number + 1; n <= old.number; n++) tx.del(key(Column.Canonical, u32be(n)));
      for (const h of route.enacted) {
        const m = (await getMeta(h))!;
        tx.put(key(Column.Canonical, u32be(m.number)), h);
      }
    } else {
      tx.put(key(Column.Canonical, u32be(target.number)), hash);
    }
    await this.state.moveFlatTo(tx, hash, getMeta);
    tx.put(metaKey(MetaKey.Best), hash);
  }

  async #finalizeInTx(tx: DbTransaction, hash: Uint8Array, oldFin: BlockPointer): Promise<void> {
    const getMeta = this.#metaIn(tx);
    const m = (await getMeta(hash))!;
    // Newly final blocks: the canonical ancestors of `hash` above the old finalized block.
    const finalHexes = new Set<string>();
    let h = hash;
    let cur = m;
    while (cur.number > oldFin.number) {
      finalHexes.add(hex(h));
      this.state.forgetReorgData(tx, h);
      tx.del(key(Column.Unfinalized, u32be(cur.number), h));
      if (cur.number === 0) break;
      h = cur.parentHash;
      cur = (await getMeta(h))!;
    }
    // Forks that do not contain `hash` are dead.
    for (const k of await tx.keysWithPrefix(Buffer.from([Column.Unfinalized]))) {
      const number = k.readUInt32BE(1);
      const bh = new Uint8Array(k.subarray(5));
      if (finalHexes.has(hex(bh))) continue;
      const alive = number > m.number && (await this.#ancestorAt(getMeta, bh, m.number)) === hex(hash);
      if (alive) continue;
      await this.state.discardBlock(tx, bh);
      for (const col of [Column.Header, Column.Body, Column.Justification, Column.BlockMeta])
        tx.del(key(col, bh));
      tx.del(k);
    }
    // Canonical blocks that leave the pruning window release the nodes they removed.
    const next = await tx.get(metaKey(MetaKey.PrunedUpTo));
    let n = next === undefined ? 0 : next.readUInt32LE(0);
    const upTo = m.number - this.#window + 1;
    for (; n <= upTo; n++) {
      const ch = await tx.get(key(Column.Canonical, u32be(n)));
      if (!ch) throw new ChainDbCorruptionError(`no canonical block at #${n} below the finalized block`);
      await this.state.pruneBlock(tx, ch);
    }
    const b = Buffer.alloc(4);
    b.writeUInt32LE(n);
    tx.put(metaKey(MetaKey.PrunedUpTo), b);
    tx.put(metaKey(MetaKey.Finalized), hash);
  }

  async #ancestorAt(
    getMeta: (h: Uint8Array) => Promise<BlockMeta | undefined>,
    hash: Uint8Array,
    number: number,
  ) {
    let h = hash;
    let m = await getMeta(h);
    while (m && m.number > number) {
      h = m.parentHash;
      m = await getMeta(h);
    }
    return m && m.number === number ? hex(h) : undefined;
  }

  async #isDescendantOrSelf(hash: Uint8Array, meta: BlockMeta, ancestor: BlockPointer): Promise<boolean> {
    if (meta.number < ancestor.number) return false;
    let h = hash;
    let m: BlockMeta | undefined = meta;
    while (m && m.number > ancestor.number) {
      h = m.parentHash;
      m = await this.getBlockMeta(h);
    }
    return m !== undefined && hex(h) === hex(ancestor.hash);
  }
}
