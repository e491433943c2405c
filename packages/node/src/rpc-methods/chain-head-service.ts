/**
 * The chainHead_v1 side of the node: every follow subscription (by connection), the pinned blocks they share, the
 * limits of polkadot-sdk's rpc-spec-v2 (`chain_head.rs` defaults), and the chain notifications fanned out to them.
 *
 * Pinning limit: at most `maxPinnedBlocks` distinct blocks are pinned over all subscriptions. When one more is
 * needed, a subscription holding a block pinned longer than `maxPinnedDurationMs` is stopped first (as Substrate
 * does), the one with the most pins among them; when none pins that long, the one holding the most pins overall
 * (Substrate then stops them all; this keeps clients that unpin alive while the one that does not is cut off). A
 * stopped subscription gets the spec's `stop` event.
 */
import { HeaderCodec } from '@xstorage/runtime/block';
import type { RuntimeVersion } from '@xstorage/runtime/frame';
import type { Chain, ImportedBlock } from '../chain/chain.ts';
import { MemoryStateView } from '../chain/state-view.ts';
import type { SubscriptionSink } from '../rpc/index.ts';
import { type FollowBlock, type FollowHost, FollowSubscription } from './chain-head-follow.ts';
import { PinnedBlocks } from './chain-head-pins.ts';
import { toHex } from './json.ts';

export interface ChainHeadLimits {
  /** Distinct blocks pinned over all follow subscriptions (rpc-spec-v2 `MAX_PINNED_BLOCKS`). */
  maxPinnedBlocks: number;
  /** Pins older than this make their subscription the first to stop at the limit (`MAX_PINNED_DURATION`). */
  maxPinnedDurationMs: number;
  /** Operations in progress per follow subscription; each storage item counts (`MAX_ONGOING_OPERATIONS`). */
  maxOperations: number;
  /** chainHead_v1_follow subscriptions per connection (`MAX_FOLLOW_SUBSCRIPTIONS_PER_CONNECTION`). */
  maxFollowPerConnection: number;
  /** Items per `operationStorageItems` event; a descendants query waits for `chainHead_v1_continue` after one. */
  storagePageItems: number;
  /** Items in one `chainHead_v1_storage` / `archive_v1_storage` call. */
  maxStorageQueryItems: number;
}

export const CHAIN_HEAD_DEFAULTS: ChainHeadLimits = {
  maxPinnedBlocks: 512,
  maxPinnedDurationMs: 60_000,
  maxOperations: 16,
  maxFollowPerConnection: 4,
  storagePageItems: 1000,
  maxStorageQueryItems: 1024,
};

const fromHex = (hex: string) => new Uint8Array(Buffer.from(hex.slice(2), 'hex'));

export class ChainHeadService {
  readonly limits: ChainHeadLimits;
  readonly pins = new PinnedBlocks();
  readonly #chain: Chain;
  /** `${connectionId}/${subscriptionId}` → subscription. */
  readonly #subs = new Map<string, FollowSubscription>();
  readonly #perConnection = new Map<number, number>();
  readonly #host: FollowHost;
  readonly #now: () => number;

  constructor(chain: Chain, limits: Partial<ChainHeadLimits> = {}, now: () => number = Date.now) {
    this.#chain = chain;
    this.limits = { ...CHAIN_HEAD_DEFAULTS, ...limits };
    this.#now = now;
    this.#host = this.#makeHost();
    chain.onNewBest((b) => this.#onNewBest(b));
    chain.onFinalized((f) => {
      if (this.#subs.size === 0) return;
      const hex = toHex(f.hash);
      for (const s of [...this.#subs.values()]) s.finalized(hex);
    });
  }

  /** Subscriptions open now (all connections). */
  get followCount(): number {
    return this.#subs.size;
  }

  followsOf(connectionId: number): number {
    return this.#perConnection.get(connectionId) ?? 0;
  }

  /** Starts a follow subscription on `sink` (the caller checked the per-connection limit). */
  follow(connectionId: number, withRuntime: boolean, sink: SubscriptionSink): FollowSubscription {
    const sub = new FollowSubscription(
      sink.id,
      connectionId,
      withRuntime,
      this.limits.maxOperations,
      sink,
      this.#host,
    );
    this.#subs.set(`${connectionId}/${sink.id}`, sub);
    this.#perConnection.set(connectionId, this.followsOf(connectionId) + 1);
    sub.start();
    return sub;
  }

  /** The live subscription `id` of this connection (subscriptions are private to their connection). */
  get(connectionId: number, id: string): FollowSubscription | undefined {
    const s = this.#subs.get(`${connectionId}/${id}`);
    return s && !s.stopped ? s : undefined;
  }

  #onNewBest(b: ImportedBlock): void {
    if (this.#subs.size === 0) return;
    const hex = toHex(b.hash);
    // The best trie is this block's state now; capture it before the chain moves on or evicts it.
    const state =
      toHex(this.#chain.bestHash) === hex ? new MemoryStateView(b.hash, this.#chain.bestTrie) : undefined;
    if (!state) return;
    const block: FollowBlock = {
      hex,
      hash: b.hash,
      number: b.number,
      parentHex: toHex(b.header.parentHash),
      header: HeaderCodec.encode(b.header),
      state,
    };
    for (const s of [...this.#subs.values()]) s.newBest(block);
  }

  #pin(sub: FollowSubscription, block: FollowBlock): boolean {
    if (sub.stopped) return false;
    if (sub.pinned.has(block.hex)) return true;
    if (!this.pins.has(block.hex)) {
      while (this.pins.size >= this.limits.maxPinnedBlocks) {
        const victim = this.#victim();
        if (!victim) break;
        victim.stop();
        if (victim === sub) return false;
      }
    }
    this.pins.acquire(block);
    sub.pinned.set(block.hex, this.#now());
    return true;
  }

  /** Which subscription to stop for room: the biggest holder among those pinning too long, else overall. */
  #victim(): FollowSubscription | undefined {
    const live = [...this.#subs.values()].filter((s) => !s.stopped && s.pinned.size > 0);
    const staleBefore = this.#now() - this.limits.maxPinnedDurationMs;
    const stale = live.filter((s) => s.oldestPinAt < staleBefore);
    const pool = stale.length > 0 ? stale : live;
    if (pool.length === 0) return undefined;
    return pool.reduce((a, b) => (b.pinned.size > a.pinned.size ? b : a));
  }

  #makeHost(): FollowHost {
    const chain = this.#chain;
    return {
      pin: (sub, block) => this.#pin(sub, block),
      unpin: (hex) => this.pins.release(hex),
      block: async (hex) => {
        const pinned = this.pins.get(hex);
        if (pinned) return pinned;
        const hash = fromHex(hex);
        const [meta, header] = await Promise.all([chain.db.getBlockMeta(hash), chain.db.getHeader(hash)]);
        if (!meta || !header) return undefined;
        return {
          hex,
          hash,
          number: meta.number,
          parentHex: toHex(meta.parentHash),
          header,
          state: await chain.stateAt(hash),
        };
      },
      meta: async (hex) => {
        const pinned = this.pins.get(hex);
        if (pinned) return { number: pinned.number, parentHex: pinned.parentHex };
        const m = await chain.db.getBlockMeta(fromHex(hex));
        return m && { number: m.number, parentHex: toHex(m.parentHash) };
      },
      chainFinalizedHex: () => toHex(chain.finalizedHash),
      chainBestHex: () => toHex(chain.bestHash),
      unfinalized: async () => (await chain.db.unfinalizedBlocks()).map((h) => toHex(h)),
      runtimeVersion: (): RuntimeVersion => chain.runtime.runtime.version,
      removed: (sub) => {
        const key = `${sub.connectionId}/${sub.id}`;
        if (this.#subs.get(key) !== sub) return;
        this.#subs.delete(key);
        const n = this.followsOf(sub.connectionId) - 1;
        if (n > 0) this.#perConnection.set(sub.connectionId, n);
        else this.#perConnection.delete(sub.connectionId);
      },
      onError: (err) => {
        console.error(`chainHead_v1_follow: subscription stopped: ${(err as Error).message}`);
      },
    };
  }
}
