/**
 * The chain service: genesis from a chain spec, the best state as an in-memory trie, block authoring (Aura-style
 * slot digest + seal by the authority key), block import (seal check, re-execution, state and extrinsics root
 * checks), one atomic database write per block, finality through a `FinalityGadget`, and notifications for new
 * heads, finalized heads and storage changes. Restart = reopen the database, rebuild the trie from the flat state
 * and check its root against the best header.
 *
 * Imports and authoring run one at a time (a promise queue): the best trie only changes between them.
 */
import { extrinsicsRoot, type Header, HeaderCodec, headerHash } from '@xstorage/runtime/block';
import { BlockExecutionError } from '@xstorage/runtime/executive';
import { timestampInherentData } from '@xstorage/runtime/pallets/timestamp';
import type { StateBackend } from '@xstorage/runtime/state';
import { Overlay } from '@xstorage/runtime/state';
import { type StateVersion, Trie } from '@xstorage/runtime/trie';
import type { ChainSpec } from '../chain-spec/chain-spec.ts';
import { type ChainDb, treeRoute } from '../db/index.ts';
import type { TransactionSource, TxPool, ValidityResult } from '../txpool/index.ts';
import { ValidationQueue } from '../txpool/validation-queue.ts';
import { type AuthorityKey, checkSeal, headerSlot, sealHeader, slotDigest } from './aura.ts';
import { buildBlock } from './block-builder.ts';
import { BlockImportError, ChainSpecMismatchError, UnknownBlockHashError } from './errors.ts';
import { type FinalityGadget, InstantFinality } from './finality.ts';
import type { RuntimeHost } from './runtime-host.ts';
import { MemoryStateView, type StateView, StoredStateView } from './state-view.ts';
import { TrieBackend, trieWithChanges } from './trie-backend.ts';

export interface BlockData {
  header: Header;
  /** Full encodings (compact length prefix included). */
  extrinsics: Uint8Array[];
}

export interface ImportedBlock extends BlockData {
  hash: Uint8Array;
  number: number;
  /** Storage keys the block changed (null = deleted). */
  changes: ReadonlyArray<readonly [Uint8Array, Uint8Array | null]>;
  finalized: boolean;
}

/** A block this node built: also how many pool transactions went in (0 = nothing ready could be included). */
export interface AuthoredBlock extends ImportedBlock {
  poolTransactions: number;
  /** The parent's state the block was built on (for a proof of validity). */
  parentTrie: Trie;
  /** The header before the seal was added (what the runtime executes). */
  unsealedHeader: Header;
}

/** Inherent data a chain adds to each block it authors (beyond the timestamp). */
export type InherentDataProvider = (parent: {
  parentHash: Uint8Array;
  parent: Header;
}) =>
  | ReadonlyArray<readonly [Uint8Array, Uint8Array]>
  | Promise<ReadonlyArray<readonly [Uint8Array, Uint8Array]>>;

export interface AuthorOptions {
  /** Cap on extrinsics in the block (inherents included). Default 10,000. */
  maxExtrinsics?: number;
  /** Build on this block instead of the best one; the new block becomes best. */
  parent?: Uint8Array;
  /** Inherent data beyond the timestamp and the chain's providers (e.g. a collator's validation data). */
  inherentData?: ReadonlyArray<readonly [Uint8Array, Uint8Array]>;
  /** No pool transactions (a block of inherents only). */
  inherentsOnly?: boolean;
  /** The state backend to build through (e.g. one recording what the block reads, for a proof of validity). */
  backend?: (parentTrie: Trie) => StateBackend;
  /**
   * `true`: final in the import's own write; `false`: left unfinalized for an explicit `finalize` (the finality
   * gadget is not consulted), as sc-consensus-manual-seal's `finalize` flag; absent: the gadget decides.
   */
  finalize?: boolean;
}

export interface ChainOptions {
  db: ChainDb;
  spec: ChainSpec;
  runtime: RuntimeHost;
  /** Keys whose seals are accepted (the Aura authority set). */
  authorities: readonly Uint8Array[];
  finality?: FinalityGadget;
  /** In-memory states kept for recent blocks (cheap: tries share nodes). Default 64. */
  recentStates?: number;
  /** Slot length in ms (timestamps are slot × duration). Default 6000. */
  slotDurationMs?: number;
  /** Clock for slots (ms). */
  now?: () => number;
  /** Where transaction validations run (default: a queue of its own, see ValidationQueue). */
  validationQueue?: ValidationQueue;
  /** Inherent data for every authored block beyond the timestamp (the relay's para inherent). */
  inherentDataProviders?: readonly InherentDataProvider[];
  /** Where an exception thrown by a head/finalized listener goes (default: stderr). */
  onListenerError?: (err: unknown) => void;
}

type Listener<T> = (v: T) => void;

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const ZERO32 = new Uint8Array(32);

export class Chain {
  readonly db: ChainDb;
  readonly spec: ChainSpec;
  readonly runtime: RuntimeHost;
  readonly stateVersion: StateVersion;
  readonly slotDurationMs: number;
  #authorities: readonly Uint8Array[];
  #finality: FinalityGadget;
  #recent = new Map<string, Trie>();
  #recentLimit: number;
  #bestHeader!: Header;
  #bestHash!: Uint8Array;
  #now: () => number;
  #queue: Promise<unknown> = Promise.resolve();
  #pool: TxPool | undefined;
  readonly #validations: ValidationQueue;
  readonly #inherentProviders: readonly InherentDataProvider[];
  readonly #onListenerError: (err: unknown) => void;
  readonly #headListeners = new Set<Listener<ImportedBlock>>();
  readonly #finalizedListeners = new Set<Listener<{ hash: Uint8Array; header: Header }>>();

  private constructor(opts: ChainOptions) {
    this.db = opts.db;
    this.spec = opts.spec;
    this.runtime = opts.runtime;
    this.stateVersion = opts.runtime.executive.stateVersion;
    this.#authorities = opts.authorities;
    this.#finality = opts.finality ?? new InstantFinality();
    this.#recentLimit = Math.max(2, opts.recentStates ?? 64);
    this.slotDurationMs = opts.slotDurationMs ?? 6000;
    this.#now = opts.now ?? Date.now;
    this.#validations = opts.validationQueue ?? new ValidationQueue();
    this.#inherentProviders = opts.inherentDataProviders ?? [];
    this.#onListenerError =
      opts.onListenerError ??
      ((err) => console.error(`xstorage chain: a block listener failed: ${(err as Error)?.message ?? err}`));
  }

  /** Opens the chain: writes genesis on an empty database, otherwise rebuilds and checks the best state. */
  static async open(opts: ChainOptions): Promise<Chain> {
    const chain = new Chain(opts);
    await chain.#load();
    return chain;
  }

  async #load(): Promise<void> {
    const { db, spec } = this;
    const genesis = this.genesisBlock();
    if (!db.isInitialized) {
      const trie = genesis.trie;
      const commit = trie.commit();
      await db.initGenesis({
        hash: genesis.hash,
        stateRoot: genesis.header.stateRoot,
        header: HeaderCodec.encode(genesis.header),
        body: [],
        changes: genesis.entries,
        trieCommit: commit,
        chainSpecId: spec.id,
      });
      this.#setBest(genesis.hash, genesis.header, trie);
      return;
    }
    if (db.chainSpecId !== spec.id || hex(db.genesisHash) !== hex(genesis.hash)) {
      throw new ChainSpecMismatchError(
        `the database at this base path holds chain "${db.chainSpecId}" with genesis 0x${hex(db.genesisHash)}, not "${spec.id}" (genesis 0x${hex(genesis.hash)}); use another --base-path or delete it`,
      );
    }
    const trie = await db.verifyCurrentState((entries) => {
      const t = Trie.fromEntries(entries, this.stateVersion);
      return { root: t.root(), result: t };
    });
    // The nodes are in the database already: mark them committed so the next commit reports only the delta.
    trie.commit();
    const best = db.best;
    const header = await this.getHeader(best.hash);
    if (!header) throw new UnknownBlockHashError(best.hash);
    this.#setBest(best.hash, header, trie);
  }

  /** Genesis header, hash and state of the spec (pure). */
  genesisBlock(): { header: Header; hash: Uint8Array; trie: Trie; entries: Array<[Uint8Array, Uint8Array]> } {
    const entries = this.spec.genesis();
    const trie = Trie.fromEntries(entries, this.stateVersion);
    const header: Header = {
      parentHash: ZERO32,
      number: 0,
      stateRoot: trie.root(),
      extrinsicsRoot: extrinsicsRoot([], this.runtime.runtime.version.system_version),
      digest: { logs: [] },
    };
    return { header, hash: headerHash(header), trie, entries };
  }

  /** The pool to notify about imported and finalized blocks (and to author from). */
  attachPool(pool: TxPool): void {
    this.#pool = pool;
  }

  // ---- reads ------------------------------------------------------------------------------------------------

  get genesisHash(): Uint8Array {
    return this.db.genesisHash;
  }
  get bestHash(): Uint8Array {
    return this.#bestHash;
  }
  get bestHeader(): Header {
    return this.#bestHeader;
  }
  get bestNumber(): number {
    return this.#bestHeader.number;
  }
  get finalizedHash(): Uint8Array {
    return this.db.finalized.hash;
  }
  /** The in-memory best state (do not mutate). */
  get bestTrie(): Trie {
    return this.#recent.get(hex(this.#bestHash))!;
  }

  async getHeader(hash: Uint8Array): Promise<Header | undefined> {
    const raw = await this.db.getHeader(hash);
    return raw === undefined ? undefined : HeaderCodec.decode(raw);
  }

  async getBlock(hash: Uint8Array): Promise<BlockData | undefined> {
    const header = await this.getHeader(hash);
    if (!header) return undefined;
    return { header, extrinsics: (await this.db.getBody(hash)) ?? [] };
  }

  getHash(number: number): Promise<Uint8Array | undefined> {
    return this.db.getHash(number);
  }

  /** State at `hash` (default: best). Throws UnknownBlockHashError / StatePrunedError (on read). */
  async stateAt(hash?: Uint8Array): Promise<StateView> {
    const h = hash ?? this.#bestHash;
    const mem = this.#recent.get(hex(h));
    if (mem) return new MemoryStateView(h, mem);
    const meta = await this.db.getBlockMeta(h);
    if (!meta) throw new UnknownBlockHashError(h);
    return new StoredStateView(h, meta.stateRoot, (n) => this.db.state.getNode(n), this.stateVersion);
  }

  /** Runtime API call (`state_call`) at `hash` (default best). */
  async call(method: string, input: Uint8Array, hash?: Uint8Array): Promise<Uint8Array> {
    return this.runtime.call(await this.trieAt(hash), method, input);
  }

  /**
   * A trie of the state at `hash` to run the runtime on. A state rebuilt from stored nodes is kept among the recent
   * states (marked committed: its nodes are in the database already), so repeated calls at that block are cheap.
   */
  async trieAt(hash?: Uint8Array): Promise<Trie> {
    const view = await this.stateAt(hash);
    if (view instanceof MemoryStateView) return view.memTrie;
    const trie = await view.trie();
    trie.commit();
    this.#remember(view.blockHash, trie);
    return trie;
  }

  /**
   * `TaggedTransactionQueue_validate_transaction` at `at` in the pool's terms. Bytes the runtime cannot decode
   * throw (`ExtrinsicDecodeError`), as the runtime call fails in Substrate. Runs in its turn on the validation
   * queue, so a stream of submissions cannot starve block production.
   */
  async validateTransaction(
    tx: Uint8Array,
    at: Uint8Array,
    source: TransactionSource,
  ): Promise<ValidityResult> {
    const trie = this.#recent.get(hex(at)) ?? (await (await this.stateAt(at)).trie());
    const prefetched = this.runtime.prefetchSignature(trie, tx, at);
    if (prefetched) await prefetched;
    return this.#validations.run(() => this.#validateOn(trie, tx, at, source));
  }

  #validateOn(trie: Trie, tx: Uint8Array, at: Uint8Array, source: TransactionSource): ValidityResult {
    const { executive, runtime } = this.runtime;
    const r = runtime.execute(new Overlay(new TrieBackend(trie)), () =>
      executive.validateTransaction(source, tx, at),
    );
    if ('ok' in r) return { ok: true, value: r.ok };
    const e = r.err;
    if (e.type === 'Invalid') {
      const v = e.value;
      return { ok: false, error: { Invalid: v.type === 'Custom' ? { Custom: v.value } : v.type } };
    }
    const v = e.value;
    return { ok: false, error: { Unknown: v.type === 'Custom' ? { Custom: v.value } : v.type } };
  }

  // ---- notifications ----------------------------------------------------------------------------------------

  /** Every imported block that became best, in order. */
  onNewBest(l: Listener<ImportedBlock>): () => void {
    this.#headListeners.add(l);
    return () => this.#headListeners.delete(l);
  }

  onFinalized(l: Listener<{ hash: Uint8Array; header: Header }>): () => void {
    this.#finalizedListeners.add(l);
    return () => this.#finalizedListeners.delete(l);
  }

  // ---- authoring --------------------------------------------------------------------------------------------

  /**
   * Builds, seals and imports a block on the best block (or `opts.parent`): the timestamp inherent (slot × slot
   * duration) and the inherent data the chain's providers and `opts.inherentData` give, then (unless
   * `opts.inherentsOnly`) ready pool transactions best-first. Invalid transactions leave the pool; future ones wait.
   * A block built on another parent than the best becomes best (the collator builds on the head the relay chain
   * included, which may retract a block the relay rejected).
   */
  author(key: AuthorityKey, opts: AuthorOptions = {}): Promise<AuthoredBlock> {
    return this.#exclusive(async () => {
      const parentHash = opts.parent ?? this.#bestHash;
      const parent = opts.parent ? await this.getHeader(opts.parent) : this.#bestHeader;
      if (!parent) throw new UnknownBlockHashError(parentHash);
      const parentTrie = opts.parent ? await this.trieAt(opts.parent) : this.bestTrie;
      const parentSlot = headerSlot(parent);
      const nowSlot = BigInt(Math.floor(this.#now() / this.slotDurationMs));
      const slot = parentSlot !== undefined && parentSlot >= nowSlot ? parentSlot + 1n : nowSlot;
      const draft: Header = {
        parentHash,
        number: parent.number + 1,
        stateRoot: ZERO32,
        extrinsicsRoot: ZERO32,
        digest: { logs: [slotDigest(slot)] },
      };
      const inherentData = new Map([timestampInherentData(slot * BigInt(this.slotDurationMs))]);
      const ctx = { parentHash, parent };
      for (const provide of this.#inherentProviders)
        for (const [id, data] of await provide(ctx)) inherentData.set(id, data);
      for (const [id, data] of opts.inherentData ?? []) inherentData.set(id, data);
      const backend = opts.backend?.(parentTrie) ?? new TrieBackend(parentTrie);
      const built = buildBlock({
        runtime: this.runtime,
        draft,
        backend,
        inherentData,
        ready: opts.inherentsOnly ? undefined : this.#pool?.ready(),
        maxExtrinsics: opts.maxExtrinsics ?? 10_000,
      });
      const { header, changes } = built;
      const trie = trieWithChanges(parentTrie, changes);
      const commit = trie.commit();
      if (hex(commit.root) !== hex(header.stateRoot)) {
        throw new BlockImportError('StateRootMismatch', 'the built state does not match the runtime root');
      }
      if (built.invalid.length > 0) this.#pool?.remove(built.invalid);
      const sealed = sealHeader(header, key);
      const imported = await this.#write(
        { header: sealed, extrinsics: built.extrinsics },
        changes,
        trie,
        commit,
        true,
        opts.finalize,
        opts.parent !== undefined,
      );
      return { ...imported, poolTransactions: built.poolTransactions, parentTrie, unsealedHeader: header };
    });
  }

  // ---- import -----------------------------------------------------------------------------------------------

  /**
   * Imports a block from elsewhere: checks the seal against the authorities, strips it, re-executes the block on
   * its parent's state (state and extrinsics roots must match the header), then writes it.
   */
  importBlock(block: BlockData): Promise<ImportedBlock> {
    return this.#exclusive(async () => {
      const hash = headerHash(block.header);
      if (await this.db.hasBlock(hash))
        throw new BlockImportError('AlreadyKnown', `block 0x${hex(hash)} is known`);
      const parentHeader = await this.getHeader(block.header.parentHash);
      if (!parentHeader)
        throw new BlockImportError('UnknownParent', `parent 0x${hex(block.header.parentHash)} is not known`);
      const unsealed = checkSeal(block.header, this.#authorities);
      const slot = headerSlot(unsealed)!;
      const parentSlot = headerSlot(parentHeader);
      if (parentSlot !== undefined && slot <= parentSlot)
        throw new BlockImportError(
          'SlotNotIncreasing',
          `slot ${slot} is not after the parent's ${parentSlot}`,
        );
      const parentTrie = await this.trieAt(block.header.parentHash);
      const { executive, runtime } = this.runtime;
      // Inherents against our clock (a timestamp too far in the future is refused, as sp_timestamp checks).
      const local = new Map([timestampInherentData(BigInt(this.#now()))]);
      const checked = runtime.execute(new Overlay(new TrieBackend(parentTrie)), () => {
        try {
          return executive.checkInherents({ header: unsealed, extrinsics: block.extrinsics }, local);
        } catch (err) {
          throw new BlockImportError('InherentsInvalid', (err as Error).message);
        }
      });
      if (!checked.okay) {
        const ids = [...checked.errors.data.keys()].map((k) => Buffer.from(k).toString('latin1'));
        throw new BlockImportError('InherentsInvalid', `inherent check failed for ${ids.join(', ')}`);
      }
      const overlay = new Overlay(new TrieBackend(parentTrie));
      try {
        runtime.execute(overlay, () =>
          executive.executeBlock({ header: unsealed, extrinsics: block.extrinsics }),
        );
      } catch (err) {
        if (err instanceof BlockExecutionError) {
          const reason =
            err.reason === 'StateRootMismatch' || err.reason === 'ExtrinsicsRootMismatch'
              ? err.reason
              : 'ExecutionFailed';
          throw new BlockImportError(reason, err.message);
        }
        throw new BlockImportError('ExecutionFailed', (err as Error).message);
      }
      const changes = overlay.drainChanges();
      const trie = trieWithChanges(parentTrie, changes);
      const commit = trie.commit();
      return this.#write(block, changes, trie, commit, false);
    });
  }

  async #write(
    block: BlockData,
    changes: Array<[Uint8Array, Uint8Array | null]>,
    trie: Trie,
    commit: ReturnType<Trie['commit']>,
    own: boolean,
    finalizeOverride?: boolean,
    forceBest?: boolean,
  ): Promise<ImportedBlock> {
    const hash = headerHash(block.header);
    const number = block.header.number;
    const finalize = finalizeOverride ?? this.#finality.finalizeOnImport({ hash, number, own });
    const finalizedBefore = this.db.finalized.number;
    const prevBest = this.#bestHash;
    // Read before the import: finalizing on import discards the fork the previous best may be on.
    const leaving =
      hex(block.header.parentHash) !== hex(prevBest)
        ? await this.#leavingBest(block.header.parentHash, { finalizing: false })
        : [];
    await this.db.importBlock(
      {
        hash,
        number,
        parentHash: block.header.parentHash,
        stateRoot: block.header.stateRoot,
        header: HeaderCodec.encode(block.header),
        body: block.extrinsics,
        changes,
        trieCommit: commit,
      },
      { finalize, setBest: forceBest || undefined },
    );
    this.#remember(hash, trie);
    const imported: ImportedBlock = { ...block, hash, number, changes, finalized: finalize };
    const isBest = hex(this.db.best.hash) === hex(hash);
    if (isBest) {
      this.#setBest(hash, block.header, trie);
      if (this.#pool) {
        await this.#pool.onBlockImported(
          hash,
          block.extrinsics.map((x) => this.#pool!.hashOf(x)),
          { number },
        );
        await this.#retractToPool(leaving);
      }
      this.#tell(this.#headListeners, imported);
    }
    if (finalize) await this.#notifyFinalizedUpTo(finalizedBefore, hash, block.header);
    else if (finalizeOverride === undefined)
      this.#finality.afterImport?.({ hash, number, own }, (h) => this.finalize(h));
    return imported;
  }

  /** Finalizes a known block (for gadgets that decide after import). */
  finalize(hash: Uint8Array): Promise<void> {
    return this.#exclusive(async () => {
      const from = this.db.finalized.number;
      const meta = await this.db.getBlockMeta(hash);
      if (!meta) throw new UnknownBlockHashError(hash);
      // Already final (a descendant was finalized first): nothing to do.
      if (meta.number <= from) return;
      // Read before finalizing: the database discards the fork the best block may be on.
      const leaving = await this.#leavingBest(hash, { finalizing: true });
      await this.db.finalize(hash);
      // Finalizing a block off the best fork makes it (the database's new best) the best block here too.
      const best = this.db.best;
      if (hex(best.hash) !== hex(this.#bestHash)) {
        const header = await this.getHeader(best.hash);
        if (!header) throw new UnknownBlockHashError(best.hash);
        const view = await this.stateAt(best.hash);
        const trie = view instanceof MemoryStateView ? view.memTrie : await view.trie();
        trie.commit();
        this.#setBest(best.hash, header, trie);
        const extrinsics = (await this.db.getBody(best.hash)) ?? [];
        // The pool validates what comes back against the new best block.
        await this.#pool?.onBlockImported(
          best.hash,
          extrinsics.map((x) => this.#pool!.hashOf(x)),
          { number: header.number },
        );
        await this.#retractToPool(leaving);
        // A reorg: the storage changes against the previous best are not known here (listeners re-read state).
        this.#tell(this.#headListeners, {
          header,
          extrinsics,
          hash: best.hash,
          number: header.number,
          changes: [],
          finalized: true,
        });
      }
      await this.#notifyFinalizedUpTo(from);
    });
  }

  /**
   * Tells the pool and listeners about every block finalized since `from` (the canonical ones up to the new
   * finalized block: finalizing a block finalizes its unfinalized ancestors too).
   */
  async #notifyFinalizedUpTo(from: number, last?: Uint8Array, lastHeader?: Header): Promise<void> {
    const to = this.db.finalized.number;
    const hashes: Uint8Array[] = [];
    const headers: Header[] = [];
    for (let n = from + 1; n <= to; n++) {
      if (n === to && last && lastHeader) {
        hashes.push(last);
        headers.push(lastHeader);
        continue;
      }
      const h = await this.db.getHash(n);
      const hd = h && (await this.getHeader(h));
      if (h && hd) {
        hashes.push(h);
        headers.push(hd);
      }
    }
    this.#notifyFinalized(hashes, headers);
  }

  #notifyFinalized(hashes: Uint8Array[], headers: Header[]): void {
    this.#pool?.onBlocksFinalized(hashes);
    const last = hashes.length - 1;
    if (last < 0) return;
    this.#tell(this.#finalizedListeners, { hash: hashes[last], header: headers[last] });
  }

  /**
   * The blocks that leave the best chain if `target` (or a block on its fork) becomes best, with their bodies: read
   * before the database imports or finalizes, because finalizing discards the abandoned fork. Empty without a pool.
   */
  async #leavingBest(
    target: Uint8Array,
    { finalizing }: { finalizing: boolean },
  ): Promise<Array<[Uint8Array, Uint8Array[]]>> {
    if (!this.#pool || hex(target) === hex(this.#bestHash)) return [];
    try {
      const route = await treeRoute((h) => this.db.getBlockMeta(h), this.#bestHash, target);
      // Finalizing an ancestor of the best block keeps the best chain.
      if (finalizing && route.enacted.length === 0) return [];
      return Promise.all(
        route.retracted.map(
          async (h): Promise<[Uint8Array, Uint8Array[]]> => [h, (await this.db.getBody(h)) ?? []],
        ),
      );
    } catch (err) {
      this.#onListenerError(err);
      return [];
    }
  }

  /**
   * A reorg: the transactions of the blocks that left the best chain go back to the pool (those still valid there),
   * as Substrate's pool maintenance does. A parachain collator building on the head the relay chain included
   * abandons a block the relay never took: without this, its transactions would be lost. Pool maintenance never
   * fails the import or the finalization that caused it.
   */
  async #retractToPool(leaving: Array<[Uint8Array, Uint8Array[]]>): Promise<void> {
    if (!this.#pool) return;
    for (const [h, body] of leaving) {
      try {
        await this.#pool.onBlockRetracted(h, body);
      } catch (err) {
        this.#onListenerError(err);
      }
    }
  }

  /** Calls every listener; one that throws is reported and does not keep the others (or the import) from going on. */
  #tell<T>(listeners: Set<Listener<T>>, value: T): void {
    for (const l of [...listeners]) {
      try {
        l(value);
      } catch (err) {
        this.#onListenerError(err);
      }
    }
  }

  #setBest(hash: Uint8Array, header: Header, trie: Trie): void {
    this.#bestHash = hash;
    this.#bestHeader = header;
    this.#remember(hash, trie);
  }

  #remember(hash: Uint8Array, trie: Trie): void {
    const k = hex(hash);
    this.#recent.delete(k);
    this.#recent.set(k, trie);
    const bestK = this.#bestHash ? hex(this.#bestHash) : k;
    while (this.#recent.size > this.#recentLimit) {
      const oldest = this.#recent.keys().next().value as string;
      if (oldest === bestK) {
        // Keep the best state; drop the next oldest.
        const t = this.#recent.get(oldest)!;
        this.#recent.delete(oldest);
        this.#recent.set(oldest, t);
        continue;
      }
      this.#recent.delete(oldest);
    }
  }

  #exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(fn, fn);
    this.#queue = run.catch(() => {});
    return run;
  }

  /** Stops finality decisions and waits for running imports/authoring to end (before closing the database). */
  async close(): Promise<void> {
    this.#finality.stop?.();
    await this.idle();
    await this.runtime.close();
  }

  /** Waits for running imports/authoring to end. */
  async idle(): Promise<void> {
    await this.#queue;
  }
}
