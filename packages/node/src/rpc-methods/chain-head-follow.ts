/**
 * One `chainHead_v1_follow` subscription: which blocks it has reported and pinned, its finalized and best block, and
 * its operations (body / call / storage) with their slots. Chain notifications are processed one at a time in
 * arrival order (a promise queue), so the events keep the spec's guarantees: `initialized` first; every `newBlock`
 * after its parent; `bestBlockChanged` and `finalized` only name reported blocks; the best block is never pruned
 * and never a non-last entry of `finalizedBlockHashes`. A block whose parent was never reported (a fork that became
 * best, a notification the node skipped) is reported after its missing ancestors.
 */
import type { RuntimeVersion } from '@xstorage/runtime/frame';
import type { SubscriptionSink } from '../rpc/index.ts';
import type { PinnedBlock } from './chain-head-pins.ts';
import { toHex } from './json.ts';

/** A block as the follow logic needs it: identity, place in the tree, header, and (when known) its state. */
export type FollowBlock = PinnedBlock;

/** What a follow subscription needs from the chainHead service. */
export interface FollowHost {
  /** Pins `block` for `sub`, making room under the global limit; false when `sub` itself was stopped for it. */
  pin(sub: FollowSubscription, block: FollowBlock): boolean;
  /** Drops one of `sub`'s pins. */
  unpin(hex: string): void;
  /** Block by hash from the chain (header, tree position, state view), or undefined when unknown. */
  block(hex: string): Promise<FollowBlock | undefined>;
  /** Tree position only (cheaper than `block`). */
  meta(hex: string): Promise<{ number: number; parentHex: string } | undefined>;
  readonly chainFinalizedHex: () => string;
  readonly chainBestHex: () => string;
  /** Hashes of the blocks above the finalized one, all forks. */
  unfinalized(): Promise<string[]>;
  runtimeVersion(): RuntimeVersion;
  /** The subscription ended (unfollow, stop, connection gone). */
  removed(sub: FollowSubscription): void;
  /** Processing failed unexpectedly (a database error): the subscription stops. */
  onError(err: unknown): void;
}

/** An operation in progress (body, call, storage) and the slots it holds. */
export interface Operation {
  readonly id: string;
  readonly blockHex: string;
  slots: number;
  stopped: boolean;
  /** Set while a storage operation waits for `chainHead_v1_continue`. */
  resume?: () => void;
}

interface Reported {
  number: number;
  parentHex: string;
}

/** The `spec` of a runtime event: RuntimeVersion fields the spec keeps, `apis` as `{ "0x<id>": version }`. */
export function runtimeSpecJson(v: RuntimeVersion) {
  return {
    specName: v.spec_name,
    implName: v.impl_name,
    specVersion: v.spec_version,
    implVersion: v.impl_version,
    transactionVersion: v.transaction_version,
    apis: Object.fromEntries(v.apis.map(([id, version]) => [toHex(id), version])),
  };
}

export class FollowSubscription {
  /** Pinned blocks of this subscription and when they were pinned (ms). */
  readonly pinned = new Map<string, number>();
  readonly operations = new Map<string, Operation>();
  readonly #reported = new Map<string, Reported>();
  #finalized = { hex: '', number: -1 };
  #best = '';
  #queue: Promise<void> = Promise.resolve();
  #stopped = false;
  #slotsUsed = 0;
  #nextOperation = 0;

  constructor(
    readonly id: string,
    readonly connectionId: number,
    readonly withRuntime: boolean,
    readonly maxOperations: number,
    private readonly sink: SubscriptionSink,
    private readonly host: FollowHost,
  ) {}

  get stopped(): boolean {
    return this.#stopped;
  }

  /** When the oldest of its pins was made (Infinity without pins). */
  get oldestPinAt(): number {
    let oldest = Number.POSITIVE_INFINITY;
    for (const t of this.pinned.values()) if (t < oldest) oldest = t;
    return oldest;
  }

  /** Queues the `initialized` snapshot: must be the first thing queued. */
  start(): void {
    this.#enqueue(() => this.#init());
  }

  /** A block became the chain's best (`block.state` is its in-memory state, captured when it was imported). */
  newBest(block: FollowBlock): void {
    this.#enqueue(() => this.#onNewBest(block));
  }

  finalized(hex: string): void {
    this.#enqueue(() => this.#onFinalized(hex));
  }

  /** Sends an event on the subscription (operation events included) unless it has ended. */
  send(event: Record<string, unknown>): void {
    if (!this.#stopped) this.sink.send(event);
  }

  /** Ends the subscription with a `stop` event (limits, gaps in the chain, node errors). */
  stop(): void {
    if (this.#stopped) return;
    this.sink.send({ event: 'stop' });
    this.end();
    this.sink.close();
  }

  /** The server drops it (its client does not read fast enough): a last `stop`, then it ends. */
  dropped(): void {
    if (this.#stopped) return;
    this.sink.send({ event: 'stop' });
    this.end();
  }

  /** Ends the subscription without an event (unfollow, connection gone): releases pins and operations. */
  end(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    for (const op of this.operations.values()) {
      op.stopped = true;
      op.resume?.();
    }
    this.operations.clear();
    this.#slotsUsed = 0;
    for (const hex of this.pinned.keys()) this.host.unpin(hex);
    this.pinned.clear();
    this.#reported.clear();
    this.host.removed(this);
  }

  // ---- operations ------------------------------------------------------------------------------------------------

  /** Reserves up to `wanted` operation slots; returns how many were granted (0 = limit reached). */
  reserve(wanted: number): number {
    const n = Math.max(0, Math.min(wanted, this.maxOperations - this.#slotsUsed));
    this.#slotsUsed += n;
    return n;
  }

  /** A new operation holding `slots` reserved slots on a pinned block. */
  openOperation(blockHex: string, slots: number): Operation {
    const op: Operation = { id: String(this.#nextOperation++), blockHex, slots, stopped: false };
    this.operations.set(op.id, op);
    return op;
  }

  /** The operation ended (done, error, inaccessible or stopped): its slots are free again. */
  closeOperation(op: Operation): void {
    if (this.operations.get(op.id) !== op) return;
    this.operations.delete(op.id);
    this.#slotsUsed -= op.slots;
    op.stopped = true;
    op.resume?.();
  }

  // ---- event processing ------------------------------------------------------------------------------------------

  #enqueue(task: () => Promise<void>): void {
    this.#queue = this.#queue.then(async () => {
      if (this.#stopped) return;
      try {
        await task();
      } catch (err) {
        this.host.onError(err);
        this.stop();
      }
    });
  }

  /** Pins and reports one block; false when the subscription had to stop. */
  #report(block: FollowBlock): boolean {
    if (!this.host.pin(this, block)) return false;
    this.#reported.set(block.hex, { number: block.number, parentHex: block.parentHex });
    this.send(
      this.withRuntime
        ? { event: 'newBlock', blockHash: block.hex, parentBlockHash: block.parentHex, newRuntime: null }
        : { event: 'newBlock', blockHash: block.hex, parentBlockHash: block.parentHex },
    );
    return !this.#stopped;
  }

  #setBest(hex: string): void {
    if (this.#best === hex) return;
    this.#best = hex;
    this.send({ event: 'bestBlockChanged', bestBlockHash: hex });
  }

  async #init(): Promise<void> {
    const fin = await this.host.block(this.host.chainFinalizedHex());
    if (!fin) throw new Error('the finalized block is not in the database');
    if (!this.host.pin(this, fin)) return;
    this.#reported.set(fin.hex, { number: fin.number, parentHex: fin.parentHex });
    this.#finalized = { hex: fin.hex, number: fin.number };
    this.send(
      this.withRuntime
        ? {
            event: 'initialized',
            finalizedBlockHashes: [fin.hex],
            finalizedBlockRuntime: { type: 'valid', spec: runtimeSpecJson(this.host.runtimeVersion()) },
          }
        : { event: 'initialized', finalizedBlockHashes: [fin.hex] },
    );
    // Every block above the finalized one, parents before children (ascending numbers).
    const above: Array<{ hex: string; number: number; parentHex: string }> = [];
    for (const hex of await this.host.unfinalized()) {
      const m = await this.host.meta(hex);
      if (m && m.number > fin.number) above.push({ hex, ...m });
    }
    above.sort((a, b) => a.number - b.number);
    for (const b of above) {
      if (!this.#reported.has(b.parentHex)) continue;
      const block = await this.host.block(b.hex);
      if (block && !this.#report(block)) return;
    }
    const best = this.host.chainBestHex();
    // Sent even when the best block is the finalized one: clients then know the best block without waiting.
    this.#best = '';
    this.#setBest(this.#reported.has(best) ? best : fin.hex);
  }

  async #onNewBest(block: FollowBlock): Promise<void> {
    if (this.#reported.has(block.hex)) {
      this.#setBest(block.hex);
      return;
    }
    if (block.number <= this.#finalized.number) return;
    // Ancestors never reported (a fork that just became best): report them first, oldest first.
    const missing: string[] = [];
    let parent = block.parentHex;
    let number = block.number - 1;
    while (!this.#reported.has(parent)) {
      if (number <= this.#finalized.number) return; // not above our finalized block
      missing.push(parent);
      const m = await this.host.meta(parent);
      if (!m) return;
      parent = m.parentHex;
      number = m.number - 1;
    }
    for (const hex of missing.reverse()) {
      const a = await this.host.block(hex);
      if (!a || !this.#report(a)) return;
    }
    if (!this.#report(block)) return;
    this.#setBest(block.hex);
  }

  async #onFinalized(hex: string): Promise<void> {
    const top = await this.host.meta(hex);
    if (!top || top.number <= this.#finalized.number) return;
    // The newly finalized blocks, from the one above our finalized block up to `hex`.
    const route: string[] = [];
    let cur = hex;
    let number = top.number;
    while (number > this.#finalized.number) {
      route.push(cur);
      const r = this.#reported.get(cur) ?? (await this.host.meta(cur));
      if (!r) {
        this.stop();
        return;
      }
      cur = r.parentHex;
      number = r.number - 1;
    }
    if (cur !== this.#finalized.hex) {
      // Finality moved to another branch than the one we finalized: the chain has a gap for us.
      this.stop();
      return;
    }
    route.reverse();
    for (const h of route) {
      if (this.#reported.has(h)) continue;
      const b = await this.host.block(h);
      if (!b || !this.#report(b)) {
        if (!this.#stopped) this.stop();
        return;
      }
    }
    const last = route[route.length - 1];
    const inRoute = new Set(route);
    const pruned: string[] = [];
    for (const h of this.#reported.keys()) {
      if (h === this.#finalized.hex || inRoute.has(h)) continue;
      if (!this.#descends(h, last, top.number)) pruned.push(h);
    }
    if (pruned.includes(this.#best) || (inRoute.has(this.#best) && this.#best !== last)) {
      const chainBest = this.host.chainBestHex();
      this.#setBest(
        this.#reported.has(chainBest) && this.#descends(chainBest, last, top.number) ? chainBest : last,
      );
    }
    this.send({ event: 'finalized', finalizedBlockHashes: route, prunedBlockHashes: pruned });
    this.#reported.delete(this.#finalized.hex);
    for (const h of route) if (h !== last) this.#reported.delete(h);
    for (const h of pruned) this.#reported.delete(h);
    this.#finalized = { hex: last, number: top.number };
  }

  /** Whether reported block `hex` is `ancestor` or descends from it (walking reported parents). */
  #descends(hex: string, ancestor: string, ancestorNumber: number): boolean {
    let cur = hex;
    let r = this.#reported.get(cur);
    while (r && r.number > ancestorNumber) {
      cur = r.parentHex;
      r = this.#reported.get(cur);
    }
    return cur === ancestor;
  }
}
