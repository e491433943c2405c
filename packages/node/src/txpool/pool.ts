/**
 * Transaction pool, after Substrate's graph pool (`client/transaction-pool/src/graph`): a ready queue (every
 * `requires` tag provided by another ready transaction or by the chain) and a future queue (tags missing);
 * replacement of a transaction providing the same tag by a strictly higher priority one; limits on count and
 * bytes; a best-first `ready()` iterator that respects dependencies; block import / retraction / finality
 * hooks; revalidation; longevity; and one status stream per watched transaction.
 */
import { blake2_256 } from '@xstorage/runtime/crypto';
import { TxPoolError } from './errors.ts';
import { Heap } from './heap.ts';
import {
  LONGEVITY_FOREVER,
  type TransactionSource,
  type ValidateFn,
  type ValidTransaction,
} from './validity.ts';
import { type HexString, type TransactionStatus, TransactionWatcher } from './watcher.ts';

export interface PoolLimit {
  count: number;
  bytes: number;
}

/** Substrate's `--pool-limit` 8192 / `--pool-kbytes` 20480. */
export const DEFAULT_READY_LIMIT: PoolLimit = { count: 8192, bytes: 20 * 1024 * 1024 };

export interface TxPoolOptions {
  validate: ValidateFn;
  /** The chain's best block when the pool starts. */
  best: { hash: Uint8Array; number: number };
  /** Default DEFAULT_READY_LIMIT. */
  readyLimit?: PoolLimit;
  /** Substrate: a tenth of the ready limits. */
  futureLimit?: PoolLimit;
  /** How long an invalid transaction is refused (Substrate: 30 minutes). */
  banTimeMs?: number;
  /** Blocks with in-block transactions awaiting finality before the oldest times out (Substrate: 512). */
  maxFinalityWatchedBlocks?: number;
  /** Refuse transactions that would go to the future queue (1021). */
  rejectFutureTransactions?: boolean;
  /** Extrinsic hash; defaults to blake2_256. */
  hasher?: (tx: Uint8Array) => Uint8Array;
  now?: () => number;
}

/** A transaction as the pool holds it. */
export interface PoolTransaction {
  readonly hash: Uint8Array;
  readonly hashHex: HexString;
  readonly data: Uint8Array;
  readonly source: TransactionSource;
  readonly priority: bigint;
  readonly requires: readonly string[];
  readonly provides: readonly string[];
  readonly longevity: bigint;
  readonly propagate: boolean;
  /** Arrival order, for fairness among equal priorities. */
  readonly insertionId: number;
  /** Last block number at which the transaction is still valid. */
  readonly validTill: bigint;
  /** Block number at which it was last validated. */
  readonly validatedAt: number;
}

interface FutureEntry {
  tx: PoolTransaction;
  missing: Set<string>;
}

const RECENTLY_PRUNED_BLOCKS = 2;

const toHex = (b: Uint8Array): HexString =>
  `0x${Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex')}`;
const tagKey = (t: Uint8Array) => Buffer.from(t.buffer, t.byteOffset, t.byteLength).toString('hex');

export class TxPool {
  readonly #validate: ValidateFn;
  readonly #readyLimit: PoolLimit;
  readonly #futureLimit: PoolLimit;
  readonly #banTimeMs: number;
  readonly #maxFinalityBlocks: number;
  readonly #rejectFuture: boolean;
  readonly #hasher: (tx: Uint8Array) => Uint8Array;
  readonly #now: () => number;

  readonly #ready = new Map<string, PoolTransaction>();
  readonly #readyProvides = new Map<string, string>();
  #readyBytes = 0;
  readonly #future = new Map<string, FutureEntry>();
  #futureBytes = 0;
  readonly #recentlyPruned: Set<string>[] = [];
  readonly #banned = new Map<string, number>();
  readonly #inFlight = new Set<string>();
  readonly #watchers = new Map<string, TransactionWatcher>();
  /** block hash → txs included there that are watched and not final yet (insertion-ordered = oldest first). */
  readonly #inBlock = new Map<HexString, string[]>();
  #nextInsertion = 1;
  #best: { hash: Uint8Array; number: number };

  constructor(opts: TxPoolOptions) {
    this.#validate = opts.validate;
    this.#best = { hash: opts.best.hash, number: opts.best.number };
    this.#readyLimit = opts.readyLimit ?? DEFAULT_READY_LIMIT;
    this.#futureLimit = opts.futureLimit ?? {
      count: Math.ceil(this.#readyLimit.count / 10),
      bytes: Math.ceil(this.#readyLimit.bytes / 10),
    };
    this.#banTimeMs = opts.banTimeMs ?? 30 * 60 * 1000;
    this.#maxFinalityBlocks = opts.maxFinalityWatchedBlocks ?? 512;
    this.#rejectFuture = opts.rejectFutureTransactions ?? false;
    this.#hasher = opts.hasher ?? blake2_256;
    this.#now = opts.now ?? Date.now;
  }

  /** The pool's extrinsic hash (blake2_256 by default). */
  hashOf(tx: Uint8Array): Uint8Array {
    return this.#hasher(tx);
  }

  status(): { ready: number; readyBytes: number; future: number; futureBytes: number } {
    return {
      ready: this.#ready.size,
      readyBytes: this.#readyBytes,
      future: this.#future.size,
      futureBytes: this.#futureBytes,
    };
  }

  get bestBlock(): { hash: Uint8Array; number: number } {
    return this.#best;
  }

  has(hash: Uint8Array | string): boolean {
    const h = typeof hash === 'string' ? hash : toHex(hash);
    return this.#ready.has(h) || this.#future.has(h);
  }

  get(hash: Uint8Array | string): PoolTransaction | undefined {
    const h = typeof hash === 'string' ? hash : toHex(hash);
    return this.#ready.get(h) ?? this.#future.get(h)?.tx;
  }

  isReady(hash: Uint8Array | string): boolean {
    return this.#ready.has(typeof hash === 'string' ? hash : toHex(hash));
  }

  /** Every transaction in the pool, ready ones first (`author_pendingExtrinsics`). */
  pending(): PoolTransaction[] {
    return [...this.#ready.values(), ...[...this.#future.values()].map((f) => f.tx)];
  }

  /** The status stream of a transaction in the pool (or recently in a block), if any. */
  watch(hash: Uint8Array | string): TransactionWatcher | undefined {
    const h = typeof hash === 'string' ? hash : toHex(hash);
    let w = this.#watchers.get(h);
    if (!w && this.has(h)) {
      w = new TransactionWatcher(h as HexString);
      w.emit(this.#ready.has(h) ? 'ready' : 'future');
      this.#watchers.set(h, w);
    }
    return w;
  }

  /** Validates and imports; resolves to the hash or rejects with TxPoolError (`author_submitExtrinsic`). */
  async submit(data: Uint8Array, source: TransactionSource = 'External'): Promise<Uint8Array> {
    const tx = await this.#validateNew(data, source);
    this.#importNew(tx);
    return tx.hash;
  }

  /** As submit, with a status stream that starts with "ready" or "future" (`author_submitAndWatchExtrinsic`). */
  async submitAndWatch(
    data: Uint8Array,
    source: TransactionSource = 'External',
  ): Promise<{ hash: Uint8Array; watcher: TransactionWatcher }> {
    const tx = await this.#validateNew(data, source);
    const watcher = this.#watchers.get(tx.hashHex) ?? new TransactionWatcher(tx.hashHex);
    this.#watchers.set(tx.hashHex, watcher);
    try {
      this.#importNew(tx);
    } catch (err) {
      if (watcher.history.length === 0) this.#watchers.delete(tx.hashHex);
      throw err;
    }
    return { hash: tx.hash, watcher };
  }

  /** Best-first iterator over ready transactions for block building; dependencies come before dependents. */
  ready(): ReadyIterator {
    return new ReadyIterator([...this.#ready.values()]);
  }

  /** Removes transactions on request (`author_removeExtrinsic`): status "invalid", banned. */
  remove(hashes: readonly (Uint8Array | string)[]): PoolTransaction[] {
    const out: PoolTransaction[] = [];
    for (const h of hashes) {
      const hex = typeof h === 'string' ? h : toHex(h);
      const tx = this.get(hex);
      if (!tx) continue;
      this.#removeSubtree([hex], 'invalid');
      this.#ban(hex);
      out.push(tx);
    }
    return out;
  }

  /** Tells watchers that a transaction was gossiped to `peers`. */
  markBroadcast(hash: Uint8Array | string, peers: string[]): void {
    this.#emit(typeof hash === 'string' ? hash : toHex(hash), { broadcast: peers });
  }

  /**
   * A block was imported (and is the new best): its transactions leave the pool ("inBlock"), the tags they
   * provided count as satisfied, futures waiting for them are promoted, other transactions providing the same
   * tags are revalidated, and those past their longevity are dropped as invalid.
   */
  async onBlockImported(
    blockHash: Uint8Array,
    includedTxHashes: readonly Uint8Array[],
    opts: { number?: number; prunedTags?: readonly Uint8Array[] } = {},
  ): Promise<void> {
    const number = opts.number ?? this.#best.number + 1;
    this.#best = { hash: blockHash, number };
    const blockHex = toHex(blockHash);
    const pruned = new Set<string>((opts.prunedTags ?? []).map(tagKey));
    const included: string[] = [];
    for (const h of includedTxHashes) {
      const hex = toHex(h);
      const tx = this.get(hex);
      if (tx) {
        for (const t of tx.provides) pruned.add(t);
        this.#detach(hex);
      }
      if (this.#watchers.has(hex)) {
        this.#emit(hex, { inBlock: blockHex });
        included.push(hex);
      }
    }
    if (included.length > 0) {
      const list = this.#inBlock.get(blockHex) ?? [];
      list.push(...included);
      this.#inBlock.set(blockHex, list);
      while (this.#inBlock.size > this.#maxFinalityBlocks) {
        const [oldest, txs] = this.#inBlock.entries().next().value as [HexString, string[]];
        this.#inBlock.delete(oldest);
        for (const t of txs) this.#emitFinal(t, { finalityTimeout: oldest });
      }
    }
    const now = this.#now();
    for (const [h, until] of this.#banned) if (until <= now) this.#banned.delete(h);
    this.#recentlyPruned.push(pruned);
    while (this.#recentlyPruned.length > RECENTLY_PRUNED_BLOCKS) this.#recentlyPruned.shift();

    // Others that provide a tag the block just used (e.g. the same nonce) are likely stale now.
    const clashing = [...this.#ready.values(), ...[...this.#future.values()].map((f) => f.tx)]
      .filter((tx) => tx.provides.some((t) => pruned.has(t)))
      .map((tx) => tx.hashHex);
    this.#promote(pruned);
    // Longevity: validity is over.
    const stale = this.pending()
      .filter((tx) => tx.validTill < BigInt(number))
      .map((tx) => tx.hashHex);
    for (const h of stale) {
      if (!this.has(h)) continue;
      this.#removeSubtree([h], 'invalid');
      this.#ban(h);
    }
    if (clashing.length > 0) await this.#revalidateHashes(clashing.filter((h) => this.has(h)));
  }

  /**
   * A block left the best chain: its watched transactions get "retracted", and its extrinsics are submitted
   * again (source InBlock); those still valid return to the pool.
   */
  async onBlockRetracted(blockHash: Uint8Array, extrinsics: readonly Uint8Array[] = []): Promise<void> {
    const blockHex = toHex(blockHash);
    const txs = this.#inBlock.get(blockHex) ?? [];
    this.#inBlock.delete(blockHex);
    for (const t of txs) this.#emit(t, { retracted: blockHex });
    for (const x of extrinsics) {
      try {
        await this.submit(x, 'InBlock');
      } catch {
        // Not valid any more on the new best chain, or already back: nothing to resubmit.
      }
    }
  }

  /** Blocks became final (pass every newly finalized block, oldest first). */
  onBlocksFinalized(blockHashes: readonly Uint8Array[]): void {
    for (const b of blockHashes) {
      const blockHex = toHex(b);
      const txs = this.#inBlock.get(blockHex);
      if (!txs) continue;
      this.#inBlock.delete(blockHex);
      for (const t of txs) this.#emitFinal(t, { finalized: blockHex });
    }
  }

  /**
   * Re-runs validation at the best block (or `at`) for the transactions last validated at least `minAgeBlocks`
   * ago (default: all): invalid ones are removed ("invalid") and banned; valid ones are re-queued with their new
   * priority, tags and longevity.
   */
  async revalidate(
    opts: { at?: Uint8Array; minAgeBlocks?: number } = {},
  ): Promise<{ removed: number; revalidated: number }> {
    const minAge = opts.minAgeBlocks ?? 0;
    const hashes = this.pending()
      .filter((t) => this.#best.number - t.validatedAt >= minAge)
      .map((t) => t.hashHex);
    return this.#revalidateHashes(hashes, opts.at);
  }

  // ---- internals ----

  async #validateNew(data: Uint8Array, source: TransactionSource): Promise<PoolTransaction> {
    const hash = this.#hasher(data);
    const hex = toHex(hash);
    if (this.has(hex) || this.#inFlight.has(hex))
      throw new TxPoolError({ kind: 'AlreadyImported', hash: hex });
    if (this.#isBanned(hex)) throw new TxPoolError({ kind: 'TemporarilyBanned' });
    this.#inFlight.add(hex);
    let result: Awaited<ReturnType<ValidateFn>>;
    const at = this.#best;
    try {
      result = await this.#validate(data, at.hash, source);
    } finally {
      this.#inFlight.delete(hex);
    }
    if (!result.ok) {
      const e = result.error;
      if ('Invalid' in e) {
        this.#ban(hex);
        throw new TxPoolError({ kind: 'InvalidTransaction', reason: e.Invalid });
      }
      throw new TxPoolError({ kind: 'UnknownTransaction', reason: e.Unknown });
    }
    if (this.has(hex)) throw new TxPoolError({ kind: 'AlreadyImported', hash: hex });
    return this.#makeTx(hash, data, source, result.value, at.number, this.#nextInsertion++);
  }

  #makeTx(
    hash: Uint8Array,
    data: Uint8Array,
    source: TransactionSource,
    v: ValidTransaction,
    atNumber: number,
    insertionId: number,
  ): PoolTransaction {
    if (v.provides.length === 0) throw new TxPoolError({ kind: 'NoTagsProvided' });
    const validTill = BigInt(atNumber) + v.longevity;
    return {
      hash,
      hashHex: toHex(hash),
      data,
      source,
      priority: v.priority,
      requires: v.requires.map(tagKey),
      provides: v.provides.map(tagKey),
      longevity: v.longevity,
      propagate: v.propagate,
      insertionId,
      validTill: validTill > LONGEVITY_FOREVER ? LONGEVITY_FOREVER : validTill,
      validatedAt: atNumber,
    };
  }

  /** Imports a validated transaction; throws if it cannot stay (nothing changes then). */
  #importNew(tx: PoolTransaction): void {
    const missing = this.#missingTags(tx);
    if (missing.size > 0) {
      if (this.#rejectFuture) throw new TxPoolError({ kind: 'RejectedFutureTransaction' });
      this.#addFuture(tx, missing);
      this.#emit(tx.hashHex, 'future');
      this.#enforceFutureLimit();
      if (!this.#future.has(tx.hashHex)) throw new TxPoolError({ kind: 'ImmediatelyDropped' });
      return;
    }
    this.#importReady(tx);
    this.#emit(tx.hashHex, 'ready');
    this.#promote(new Set(tx.provides));
    this.#enforceReadyLimit();
    if (!this.#ready.has(tx.hashHex)) throw new TxPoolError({ kind: 'ImmediatelyDropped' });
  }

  #satisfied(tag: string): boolean {
    if (this.#readyProvides.has(tag)) return true;
    for (const s of this.#recentlyPruned) if (s.has(tag)) return true;
    return false;
  }

  #missingTags(tx: PoolTransaction): Set<string> {
    return new Set(tx.requires.filter((t) => !this.#satisfied(t)));
  }

  /** Puts a transaction whose requirements are met into the ready queue, replacing lower-priority rivals. */
  #importReady(tx: PoolTransaction): void {
    const rivals = new Set<string>();
    for (const t of tx.provides) {
      const h = this.#readyProvides.get(t);
      if (h !== undefined && h !== tx.hashHex) rivals.add(h);
    }
    if (rivals.size > 0) {
      // As Substrate: the sum of the replaced transactions' priorities must be strictly lower.
      let old = 0n;
      for (const r of rivals) old += this.#ready.get(r)!.priority;
      if (old >= tx.priority) throw new TxPoolError({ kind: 'TooLowPriority', old, new: tx.priority });
      const ancestors = this.#readyAncestors(tx);
      for (const r of rivals) if (ancestors.has(r)) throw new TxPoolError({ kind: 'CycleDetected' });
      const lostTags: string[] = [];
      for (const r of rivals) {
        const rtx = this.#ready.get(r)!;
        this.#detachReady(r);
        for (const t of rtx.provides) if (!tx.provides.includes(t)) lostTags.push(t);
        this.#emitFinal(r, { usurped: tx.hashHex });
      }
      this.#insertReady(tx);
      this.#demoteOrphans(lostTags);
      return;
    }
    this.#insertReady(tx);
  }

  #insertReady(tx: PoolTransaction): void {
    this.#ready.set(tx.hashHex, tx);
    this.#readyBytes += tx.data.length;
    for (const t of tx.provides) this.#readyProvides.set(t, tx.hashHex);
  }

  /** Ready transactions `tx` depends on, transitively (through the tags they provide). */
  #readyAncestors(tx: PoolTransaction): Set<string> {
    const out = new Set<string>();
    const stack = [...tx.requires];
    while (stack.length > 0) {
      const h = this.#readyProvides.get(stack.pop()!);
      if (h === undefined || out.has(h)) continue;
      out.add(h);
      stack.push(...this.#ready.get(h)!.requires);
    }
    return out;
  }

  /** Ready transactions that lost a required tag go back to the future queue (with their dependents). */
  #demoteOrphans(tags: string[]): void {
    const queue = [...tags];
    while (queue.length > 0) {
      const tag = queue.pop()!;
      if (this.#satisfied(tag)) continue;
      for (const tx of [...this.#ready.values()]) {
        if (!tx.requires.includes(tag)) continue;
        this.#detachReady(tx.hashHex);
        this.#addFuture(tx, this.#missingTags(tx));
        this.#emit(tx.hashHex, 'future');
        queue.push(...tx.provides);
      }
    }
  }

  #addFuture(tx: PoolTransaction, missing: Set<string>): void {
    this.#future.set(tx.hashHex, { tx, missing });
    this.#futureBytes += tx.data.length;
  }

  /** Futures whose last missing tags are now provided move to ready (recursively). */
  #promote(newTags: Set<string>): void {
    const queue = [...newTags];
    while (queue.length > 0) {
      const tag = queue.pop()!;
      for (const [h, f] of [...this.#future]) {
        if (!f.missing.delete(tag)) continue;
        if (f.missing.size > 0) continue;
        // Re-check: a tag may have vanished since.
        const still = this.#missingTags(f.tx);
        if (still.size > 0) {
          f.missing = still;
          continue;
        }
        this.#future.delete(h);
        this.#futureBytes -= f.tx.data.length;
        try {
          this.#importReady(f.tx);
        } catch {
          this.#emitFinal(h, 'dropped');
          continue;
        }
        this.#emit(h, 'ready');
        queue.push(...f.tx.provides);
      }
    }
  }

  // As Substrate's `ValidatedPool::enforce_limits` ("ban all removed transactions"): what a limit drops, with
  // the ready dependents that go with it, is temporarily banned, so identical bytes are refused (1012) instead
  // of re-entering the pool at once while the dropped stream has already ended.
  #enforceReadyLimit(): void {
    while (this.#ready.size > this.#readyLimit.count || this.#readyBytes > this.#readyLimit.bytes) {
      const worst = evictionCandidate(this.#ready.values());
      if (!worst) return;
      for (const h of this.#removeSubtree([worst.hashHex], 'dropped')) this.#ban(h);
    }
  }

  #enforceFutureLimit(): void {
    while (this.#future.size > this.#futureLimit.count || this.#futureBytes > this.#futureLimit.bytes) {
      const worst = evictionCandidate(Array.from(this.#future.values(), (f) => f.tx));
      if (!worst) return;
      this.#detach(worst.hashHex);
      this.#emitFinal(worst.hashHex, 'dropped');
      this.#ban(worst.hashHex);
    }
  }

  /** Removes transactions and every ready transaction depending on them, with a final status; returns them. */
  #removeSubtree(hashes: string[], status: 'dropped' | 'invalid'): string[] {
    const removed: string[] = [];
    const queue = [...hashes];
    while (queue.length > 0) {
      const h = queue.pop()!;
      const tx = this.get(h);
      if (!tx) continue;
      const wasReady = this.#ready.has(h);
      this.#detach(h);
      this.#emitFinal(h, status);
      removed.push(h);
      if (!wasReady) continue;
      for (const t of tx.provides) {
        if (this.#satisfied(t)) continue;
        for (const d of this.#ready.values()) if (d.requires.includes(t)) queue.push(d.hashHex);
      }
    }
    return removed;
  }

  /** Takes a transaction out of whichever queue holds it, without any status. */
  #detach(h: string): void {
    if (this.#ready.has(h)) {
      this.#detachReady(h);
      return;
    }
    const f = this.#future.get(h);
    if (f) {
      this.#future.delete(h);
      this.#futureBytes -= f.tx.data.length;
    }
  }

  #detachReady(h: string): void {
    const tx = this.#ready.get(h);
    if (!tx) return;
    this.#ready.delete(h);
    this.#readyBytes -= tx.data.length;
    for (const t of tx.provides) if (this.#readyProvides.get(t) === h) this.#readyProvides.delete(t);
  }

  async #revalidateHashes(
    hashes: string[],
    at?: Uint8Array,
  ): Promise<{ removed: number; revalidated: number }> {
    const blockHash = at ?? this.#best.hash;
    const blockNumber = this.#best.number;
    const txs = hashes.map((h) => this.get(h)).filter((t): t is PoolTransaction => t !== undefined);
    const results = await Promise.all(
      txs.map((tx) => this.#validate(tx.data, blockHash, tx.source).catch(() => undefined)),
    );
    let removed = 0;
    let revalidated = 0;
    // Take them all out, then re-import in arrival order so dependencies settle the same way.
    const before = new Map<string, 'ready' | 'future'>();
    const reimport: PoolTransaction[] = [];
    const lostTags: string[] = [];
    txs.forEach((tx, i) => {
      if (!this.has(tx.hashHex)) return; // changed while validating
      const r = results[i];
      if (r === undefined) return; // the validator failed: keep it as it is
      if (!r.ok) {
        if ('Invalid' in r.error) {
          this.#detach(tx.hashHex);
          this.#emitFinal(tx.hashHex, 'invalid');
          this.#ban(tx.hashHex);
          lostTags.push(...tx.provides);
          removed++;
        }
        return;
      }
      before.set(tx.hashHex, this.#ready.has(tx.hashHex) ? 'ready' : 'future');
      this.#detach(tx.hashHex);
      try {
        reimport.push(this.#makeTx(tx.hash, tx.data, tx.source, r.value, blockNumber, tx.insertionId));
      } catch {
        this.#emitFinal(tx.hashHex, 'invalid');
        lostTags.push(...tx.provides);
        removed++;
      }
    });
    reimport.sort((a, b) => a.insertionId - b.insertionId);
    for (const tx of reimport) {
      revalidated++;
      const missing = this.#missingTags(tx);
      let now: 'ready' | 'future' | undefined;
      if (missing.size > 0) {
        this.#addFuture(tx, missing);
        now = 'future';
      } else {
        try {
          this.#importReady(tx);
          now = 'ready';
          this.#promote(new Set(tx.provides));
        } catch {
          this.#emitFinal(tx.hashHex, 'dropped');
        }
      }
      if (now && before.get(tx.hashHex) !== now) this.#emit(tx.hashHex, now);
    }
    // Ready transactions that depended on one that is no longer ready go back to the future queue.
    this.#demoteOrphans([
      ...lostTags,
      ...reimport.flatMap((t) => (this.#ready.has(t.hashHex) ? [] : [...t.provides])),
    ]);
    // Transactions that were waiting on tags of re-imported ones.
    this.#promote(new Set(reimport.flatMap((t) => (this.#ready.has(t.hashHex) ? t.provides : []))));
    this.#enforceReadyLimit();
    this.#enforceFutureLimit();
    return { removed, revalidated };
  }

  #emit(h: string, s: TransactionStatus): void {
    this.#watchers.get(h)?.emit(s);
  }

  #emitFinal(h: string, s: TransactionStatus): void {
    const w = this.#watchers.get(h);
    if (!w) return;
    w.emit(s);
    this.#watchers.delete(h);
  }

  #ban(h: string): void {
    this.#banned.set(h, this.#now() + this.#banTimeMs);
  }

  #isBanned(h: string): boolean {
    const until = this.#banned.get(h);
    if (until === undefined) return false;
    if (until > this.#now()) return true;
    this.#banned.delete(h);
    return false;
  }
}

/**
 * Best-first walk over a snapshot of the ready queue: highest priority, then earliest arrival, among the
 * transactions whose in-pool dependencies were already returned. `reportInvalid` (the block builder could not
 * apply a transaction) keeps its dependents out.
 */
export class ReadyIterator implements IterableIterator<PoolTransaction> {
  readonly #heap = new Heap<PoolTransaction>((a, b) =>
    a.priority !== b.priority ? a.priority > b.priority : a.insertionId < b.insertionId,
  );
  readonly #pending = new Map<string, number>();
  readonly #dependents = new Map<string, PoolTransaction[]>();
  readonly #invalid = new Set<string>();
  #last: PoolTransaction | undefined;

  constructor(txs: PoolTransaction[]) {
    const provider = new Map<string, string>();
    for (const tx of txs) for (const t of tx.provides) provider.set(t, tx.hashHex);
    for (const tx of txs) {
      let n = 0;
      for (const t of tx.requires) {
        const p = provider.get(t);
        if (p === undefined || p === tx.hashHex) continue;
        n++;
        const list = this.#dependents.get(p) ?? [];
        list.push(tx);
        this.#dependents.set(p, list);
      }
      this.#pending.set(tx.hashHex, n);
      if (n === 0) this.#heap.push(tx);
    }
  }

  /** The last returned transaction could not be included: do not return what depends on it. */
  reportInvalid(tx: PoolTransaction | string): void {
    this.#invalid.add(typeof tx === 'string' ? tx : tx.hashHex);
  }

  next(): IteratorResult<PoolTransaction> {
    this.#unlockLast();
    const tx = this.#heap.pop();
    if (!tx) return { done: true, value: undefined };
    this.#last = tx;
    return { done: false, value: tx };
  }

  [Symbol.iterator](): IterableIterator<PoolTransaction> {
    return this;
  }

  #unlockLast(): void {
    const last = this.#last;
    this.#last = undefined;
    if (!last || this.#invalid.has(last.hashHex)) return;
    for (const d of this.#dependents.get(last.hashHex) ?? []) {
      const n = this.#pending.get(d.hashHex)! - 1;
      this.#pending.set(d.hashHex, n);
      if (n === 0) this.#heap.push(d);
    }
  }
}

/**
 * The transaction a full queue drops first: the lowest priority, and among equals the newest, so that what has
 * waited longest keeps its place.
 */
function evictionCandidate(txs: Iterable<PoolTransaction>): PoolTransaction | undefined {
  let worst: PoolTransaction | undefined;
  for (const tx of txs) {
    if (
      !worst ||
      tx.priority < worst.priority ||
      (tx.priority === worst.priority && tx.insertionId > worst.insertionId)
    ) {
      worst = tx;
    }
  }
  return worst;
}
