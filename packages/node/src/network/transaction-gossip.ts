/**
 * Transaction propagation (Substrate's transactions protocol handler): the pool's transactions that may propagate
 * are sent to every peer that is not known to have them, in batches, every `intervalMs` (Substrate propagates on
 * import and every 2.9 s; a short interval keeps submit-to-any-node quick). Transactions from a peer go into our
 * pool as `External` (each validated there), and are remembered as known to that peer so they are not echoed back.
 * The author's pool gets them this way whichever node a user submitted to.
 */
import type { PeerId } from '@libp2p/interface';
import type { TxPool } from '../txpool/index.ts';
import { MAX_TRANSACTIONS_MESSAGE_BYTES } from './transactions-message.ts';

/** Hashes remembered per peer (oldest forgotten first). */
const KNOWN_PER_PEER = 10_240;
/** Bytes per message we send (well under the 16 MiB a receiver accepts). */
const BATCH_BYTES = Math.min(MAX_TRANSACTIONS_MESSAGE_BYTES, 1024 * 1024);

export interface TransactionGossipOptions {
  pool: TxPool;
  /** Connected peers with an open transactions substream. */
  peers(): PeerId[];
  send(peer: PeerId, txs: Uint8Array[]): boolean;
  /** A transaction from the network entered the pool (instant sealing builds a block). */
  onImported?(): void;
  intervalMs?: number;
}

class KnownSet {
  readonly #set = new Set<string>();
  add(h: string): void {
    this.#set.add(h);
    if (this.#set.size > KNOWN_PER_PEER) this.#set.delete(this.#set.values().next().value as string);
  }
  has(h: string): boolean {
    return this.#set.has(h);
  }
}

export class TransactionGossip {
  readonly #o: TransactionGossipOptions;
  readonly #known = new Map<string, KnownSet>();
  #timer: NodeJS.Timeout | undefined;

  constructor(options: TransactionGossipOptions) {
    this.#o = options;
  }

  start(): void {
    const tick = () => {
      this.propagate();
      this.#timer = setTimeout(tick, this.#o.intervalMs ?? 200);
      this.#timer.unref();
    };
    tick();
  }

  stop(): void {
    clearTimeout(this.#timer);
  }

  forget(peer: PeerId): void {
    this.#known.delete(peer.toString());
  }

  #knownOf(peer: PeerId): KnownSet {
    const k = peer.toString();
    let s = this.#known.get(k);
    if (!s) {
      s = new KnownSet();
      this.#known.set(k, s);
    }
    return s;
  }

  /** Sends every propagatable pool transaction a peer does not know yet. */
  propagate(): void {
    const peers = this.#o.peers();
    if (peers.length === 0) return;
    const pending = this.#o.pool.pending().filter((t) => t.propagate);
    if (pending.length === 0) return;
    for (const peer of peers) {
      const known = this.#knownOf(peer);
      let batch: Uint8Array[] = [];
      let bytes = 0;
      const sentTo: string[] = [];
      const flush = () => {
        if (batch.length > 0 && this.#o.send(peer, batch))
          for (const h of sentTo) {
            known.add(h);
            this.#o.pool.markBroadcast(h, [peer.toString()]);
          }
        batch = [];
        bytes = 0;
        sentTo.length = 0;
      };
      for (const tx of pending) {
        if (known.has(tx.hashHex)) continue;
        if (bytes + tx.data.length > BATCH_BYTES) flush();
        batch.push(tx.data);
        bytes += tx.data.length;
        sentTo.push(tx.hashHex);
      }
      flush();
    }
  }

  /** Transactions a peer sent: into the pool one by one; refusals are normal (already known, already included). */
  async received(peer: PeerId, txs: Uint8Array[]): Promise<void> {
    const known = this.#knownOf(peer);
    let imported = false;
    for (const tx of txs) {
      const h = `0x${Buffer.from(this.#o.pool.hashOf(tx)).toString('hex')}`;
      known.add(h);
      if (this.#o.pool.has(h)) continue;
      try {
        await this.#o.pool.submit(tx, 'External');
        imported = true;
      } catch {
        // Refused by the pool or the runtime: a transaction can turn invalid on its way (included meanwhile, nonce
        // used), so this is not held against the peer.
      }
    }
    if (imported) this.#o.onImported?.();
  }
}
