/**
 * Keeping up with peers (the requesting side of sync): a peer's handshake and its announcements tell us its best
 * block; an announced block whose parent we have is fetched alone (header + body, by hash) and imported; a peer
 * further ahead is caught up with block requests of up to 128 blocks by number, from just above our best block if
 * the peer's chain holds our best block, otherwise from just above our finalized block (a fork: everything above
 * the finalized block may differ). Every block goes through `Chain.importBlock`, which checks the seal and
 * re-executes it. A block that fails those checks is the sender's fault: it is dropped and banned.
 *
 * All sync work runs one task at a time (imports are serial in the chain anyway); announcements never wait for it.
 */
import type { PeerId } from '@libp2p/interface';
import { type Header, headerHash } from '@xstorage/runtime/block';
import type { Chain } from '../chain/chain.ts';
import { BlockImportError } from '../chain/errors.ts';
import type { BlockAnnounce } from './block-announce.ts';
import {
  BlockAttribute,
  type BlockRequest,
  MAX_BLOCKS_IN_RESPONSE,
  type ReceivedBlock,
} from './block-request.ts';
import { describe } from './wire-errors.ts';

export interface SyncPeer {
  id: PeerId;
  roles: number;
  bestNumber: number;
  bestHash: Uint8Array;
}

export interface BlockSyncOptions {
  chain: Chain;
  /** Sends a block request to `peer` and gives the checked blocks (throws NetworkRequestError). */
  request(peer: PeerId, req: BlockRequest): Promise<ReceivedBlock[]>;
  misbehaved(peer: PeerId, reason: string): void;
  /** The peers we could sync from now. */
  peers(): SyncPeer[];
  log?(message: string): void;
}

/** Import failures that only a block its author should not have sealed, or a forger, can cause. */
const PEER_FAULTS = new Set([
  'MissingSeal',
  'MissingSlot',
  'BadSeal',
  'SlotNotIncreasing',
  'ExecutionFailed',
  'StateRootMismatch',
  'ExtrinsicsRootMismatch',
]);
/** Sync tasks waiting beyond this are dropped (a later announcement or catch-up covers them). */
const MAX_QUEUED_TASKS = 64;

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const FULL = BlockAttribute.Header | BlockAttribute.Body;

type ImportOutcome = 'imported' | 'known' | 'unknown-parent' | 'failed';

export class BlockSync {
  readonly #o: BlockSyncOptions;
  #queue: Promise<void> = Promise.resolve();
  #queued = 0;
  #catchingUp = new Set<string>();
  #active: string | undefined;
  #stopped = false;

  constructor(options: BlockSyncOptions) {
    this.#o = options;
  }

  /** A catch-up is running (`system_health.isSyncing`). */
  get isSyncing(): boolean {
    return this.#active !== undefined;
  }

  stop(): void {
    this.#stopped = true;
  }

  /** Waits for the queued sync work (tests, shutdown). */
  idle(): Promise<void> {
    return this.#queue;
  }

  /** A peer told us its best block (handshake or announcement): catch up if it is a block we lack. */
  peerBest(peer: SyncPeer): void {
    if (peer.bestNumber <= 0) return;
    void this.#o.chain.db.hasBlock(peer.bestHash).then((known) => {
      if (!known) this.#catchUp(peer);
    });
  }

  onAnnounce(peer: SyncPeer, a: BlockAnnounce): void {
    const hash = headerHash(a.header);
    this.#enqueue(async () => {
      const { chain } = this.#o;
      if (await chain.db.hasBlock(hash)) return;
      if (!(await chain.db.hasBlock(a.header.parentHash))) {
        this.#catchUp(peer);
        return;
      }
      const blocks = await this.#request(peer, {
        attributes: FULL,
        from: { hash },
        direction: 'Descending',
        maxBlocks: 1,
      });
      if (!blocks) return;
      const b = blocks.find((x) => hex(x.hash) === hex(hash));
      if (!b?.header) return;
      if ((await this.#import(peer, b.header, b.body)) === 'unknown-parent') this.#catchUp(peer);
    });
  }

  /**
   * Fetches the block `hash` (and, if needed, its missing ancestors) from whichever peer has it; resolves true once
   * it is in the chain. (A parachain full node fetches the block the relay chain included.)
   */
  async fetchBlock(hash: Uint8Array): Promise<boolean> {
    const { chain } = this.#o;
    if (await chain.db.hasBlock(hash)) return true;
    let done = false;
    await this.#enqueueWait(async () => {
      for (const peer of this.#o.peers()) {
        if (await chain.db.hasBlock(hash)) break;
        const blocks = await this.#request(peer, {
          attributes: FULL,
          from: { hash },
          direction: 'Descending',
          maxBlocks: MAX_BLOCKS_IN_RESPONSE,
        });
        if (!blocks || blocks.length === 0) continue;
        // Descending: oldest last. Import from the oldest one we lack up to the wanted block.
        const wanted = blocks.filter((b) => b.header);
        let start = wanted.length;
        for (let i = 0; i < wanted.length; i++) {
          if (await chain.db.hasBlock(wanted[i].hash)) {
            start = i;
            break;
          }
        }
        if (start === wanted.length && wanted.length === MAX_BLOCKS_IN_RESPONSE) {
          // More than one response away: walk the peer's chain up by number to it.
          await this.#catchUpWith({ ...peer, bestHash: hash, bestNumber: wanted[0].header!.number });
        } else {
          for (let i = start - 1; i >= 0; i--) {
            const r = await this.#import(peer, wanted[i].header!, wanted[i].body);
            if (r === 'failed' || r === 'unknown-parent') break;
          }
        }
        if (await chain.db.hasBlock(hash)) break;
      }
      done = await chain.db.hasBlock(hash);
    });
    return done;
  }

  #catchUp(peer: SyncPeer): void {
    const k = peer.id.toString();
    if (this.#catchingUp.has(k)) return;
    this.#catchingUp.add(k);
    this.#enqueue(async () => {
      try {
        this.#active = k;
        await this.#catchUpWith(peer);
      } finally {
        this.#active = undefined;
        this.#catchingUp.delete(k);
      }
    }, true);
  }

  async #catchUpWith(peer: SyncPeer): Promise<void> {
    const { chain } = this.#o;
    let from = await this.#commonStart(peer);
    if (from === undefined) return;
    for (let rounds = 0; rounds < 10_000 && !this.#stopped; rounds++) {
      if (await chain.db.hasBlock(peer.bestHash)) return;
      const blocks = await this.#request(peer, {
        attributes: FULL,
        from: { number: from },
        direction: 'Ascending',
        maxBlocks: MAX_BLOCKS_IN_RESPONSE,
      });
      if (!blocks || blocks.length === 0) return;
      let progressed = false;
      for (const b of blocks) {
        if (!b.header) return;
        const r = await this.#import(peer, b.header, b.body);
        if (r === 'failed') return;
        if (r === 'unknown-parent') {
          // The peer's chain left ours below where we asked: go back to our finalized block, once.
          const fin = chain.db.finalized.number + 1;
          if (from === fin) return;
          from = fin;
          progressed = true;
          break;
        }
        if (r === 'imported') progressed = true;
        from = b.header.number + 1;
      }
      if (!progressed && blocks.length < MAX_BLOCKS_IN_RESPONSE) return;
    }
  }

  /** Where to start asking by number: above our best if the peer's chain holds it, else above our finalized block. */
  async #commonStart(peer: SyncPeer): Promise<number | undefined> {
    const { chain } = this.#o;
    const best = chain.bestNumber;
    const fin = chain.db.finalized.number;
    if (best === fin) return fin + 1;
    const at = await this.#request(peer, {
      attributes: BlockAttribute.Header,
      from: { number: best },
      direction: 'Ascending',
      maxBlocks: 1,
    });
    if (!at) return undefined;
    return at[0] && hex(at[0].hash) === hex(chain.bestHash) ? best + 1 : fin + 1;
  }

  async #request(peer: SyncPeer, req: BlockRequest): Promise<ReceivedBlock[] | undefined> {
    try {
      return await this.#o.request(peer.id, req);
    } catch (err) {
      this.#o.log?.(`block request to ${peer.id} failed: ${describe(err)}`);
      return undefined;
    }
  }

  async #import(peer: SyncPeer, header: Header, body: Uint8Array[]): Promise<ImportOutcome> {
    try {
      await this.#o.chain.importBlock({ header, extrinsics: body });
      return 'imported';
    } catch (err) {
      if (err instanceof BlockImportError) {
        if (err.reason === 'AlreadyKnown') return 'known';
        if (err.reason === 'UnknownParent') return 'unknown-parent';
        if (PEER_FAULTS.has(err.reason)) {
          this.#o.misbehaved(peer.id, `bad block #${header.number}: ${err.message}`);
          return 'failed';
        }
      }
      this.#o.log?.(`block #${header.number} from ${peer.id} not imported: ${describe(err)}`);
      return 'failed';
    }
  }

  #enqueue(task: () => Promise<void>, force = false): void {
    if (this.#stopped || (!force && this.#queued >= MAX_QUEUED_TASKS)) return;
    void this.#enqueueWait(task);
  }

  #enqueueWait(task: () => Promise<void>): Promise<void> {
    this.#queued++;
    const run = this.#queue.then(async () => {
      try {
        if (!this.#stopped) await task();
      } catch (err) {
        this.#o.log?.(`sync task failed: ${describe(err)}`);
      } finally {
        this.#queued--;
      }
    });
    this.#queue = run;
    return run;
  }
}
