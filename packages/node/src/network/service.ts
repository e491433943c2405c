/**
 * The network service of a chain node: a libp2p host with its own persisted peer id, and the chain's protocols,
 * namespaced by its genesis hash as Substrate's are:
 *
 * - `/<genesis>/block-announces/1` (notifications): handshake `BlockAnnouncesHandshake`, then `BlockAnnounce` of each
 *   new best block (block-announce.ts);
 * - `/<genesis>/sync/2` (request/response): protobuf `BlockRequest` → `BlockResponse` (block-request.ts), served from
 *   the chain database (block-server.ts) and used to catch up (block-sync.ts);
 * - `/<genesis>/transactions/1` (notifications): handshake `Roles`, then `Vec<OpaqueExtrinsic>` (transaction-gossip.ts).
 *
 * A peer that sends bytes that do not decode, frames over a limit, or blocks that fail their seal or re-execution is
 * disconnected and refused for `BAN_DURATION_MS`; nothing a peer sends ends in an exception outside its substream.
 * Bootnodes are dialled at start and again whenever their connection is gone.
 */
import type { Libp2p, PeerId } from '@libp2p/interface';
import { type Multiaddr, multiaddr } from '@multiformats/multiaddr';
import { headerHash } from '@xstorage/runtime/block';
import type { Chain, ImportedBlock } from '../chain/chain.ts';
import type { TxPool } from '../txpool/index.ts';
import {
  type BlockAnnouncesHandshake,
  decodeBlockAnnounce,
  decodeHandshake,
  encodeBlockAnnounce,
  encodeHandshake,
  MAX_BLOCK_ANNOUNCE_BYTES,
  rolesName,
} from './block-announce.ts';
import {
  type BlockRequest,
  decodeBlockRequest,
  decodeBlockResponse,
  encodeBlockRequest,
  encodeBlockResponse,
  MAX_BLOCK_REQUEST_BYTES,
  MAX_BLOCK_RESPONSE_BYTES,
  MAX_BLOCKS_IN_RESPONSE,
  type ReceivedBlock,
} from './block-request.ts';
import { answerBlockRequest } from './block-server.ts';
import { BlockSync, type SyncPeer } from './block-sync.ts';
import { NetworkMessageError, NetworkStateError } from './errors.ts';
import { createChainHost } from './host.ts';
import { NotificationsProtocol } from './notifications.ts';
import { loadOrCreateNodeKey } from './peer-key.ts';
import {
  BAN_DURATION_MS,
  BLOCK_REQUEST_TIMEOUT_MS,
  type ChainProtocols,
  chainProtocols,
} from './protocols.ts';
import {
  handleRequests,
  type RequestHandlerConfig,
  type RequestOptions,
  sendRequest,
} from './request-response.ts';
import { TransactionGossip } from './transaction-gossip.ts';
import {
  decodeRolesHandshake,
  decodeTransactions,
  encodeRolesHandshake,
  encodeTransactions,
  MAX_TRANSACTIONS_MESSAGE_BYTES,
} from './transactions-message.ts';

export interface NetworkOptions {
  /** Listen multiaddrs (default `/ip4/127.0.0.1/tcp/0`). */
  listen?: string[];
  /** Peers to dial and keep dialling (multiaddrs ending in `/p2p/<peer id>`). */
  bootnodes?: string[];
  /** `Role` bits this node announces (FULL, AUTHORITY). */
  roles: number;
}

export interface NetworkServiceOptions extends NetworkOptions {
  chain: Chain;
  pool: TxPool;
  /** The node key file (`<chain dir>/network/secret_ed25519`). */
  keyFile: string;
  /** A transaction from a peer entered the pool. */
  onTransactionImported?: () => void;
  /** Diagnostics (peers dropped, failed requests). */
  log?: (message: string) => void;
}

/** `system_peers` entry, as Substrate's `PeerInfo`. */
export interface PeerInfoJson {
  peerId: string;
  roles: string;
  bestHash: string;
  bestNumber: number;
}

/** How often bootnodes are redialled and missing substreams reopened. */
const MAINTENANCE_MS = 1000;

const hex = (b: Uint8Array) => `0x${Buffer.from(b).toString('hex')}`;
const same = (a: Uint8Array, b: Uint8Array) => Buffer.compare(a, b) === 0;

export class NetworkService {
  readonly #o: NetworkServiceOptions;
  readonly protocols: ChainProtocols;
  #libp2p: Libp2p | undefined;
  #announces: NotificationsProtocol<BlockAnnouncesHandshake> | undefined;
  #transactions: NotificationsProtocol<number> | undefined;
  #gossip: TransactionGossip | undefined;
  #sync: BlockSync | undefined;
  readonly #peers = new Map<string, SyncPeer>();
  readonly #bans = new Map<string, number>();
  #offBest: (() => void) | undefined;
  #timer: NodeJS.Timeout | undefined;
  #bootnodes: Multiaddr[] = [];
  #startingBlock = 0;
  #running = false;

  constructor(options: NetworkServiceOptions) {
    this.#o = options;
    this.protocols = chainProtocols(options.chain.genesisHash);
    // Bad addresses fail here, before anything starts.
    this.#bootnodes = (options.bootnodes ?? []).map((a) => multiaddr(a));
    for (const a of options.listen ?? []) multiaddr(a);
  }

  get libp2p(): Libp2p {
    if (!this.#libp2p) throw new NetworkStateError('the network is not started');
    return this.#libp2p;
  }

  get sync(): BlockSync {
    if (!this.#sync) throw new NetworkStateError('the network is not started');
    return this.#sync;
  }

  get peerId(): string {
    return this.libp2p.peerId.toString();
  }

  /** Our listen addresses, each ending in `/p2p/<peer id>` (what others pass as `--bootnodes`). */
  listenAddresses(): string[] {
    return this.libp2p.getMultiaddrs().map((m) => m.toString());
  }

  async start(): Promise<void> {
    if (this.#libp2p) throw new NetworkStateError('the network is already started');
    const { chain, pool } = this.#o;
    const privateKey = await loadOrCreateNodeKey(this.#o.keyFile);
    const libp2p = await createChainHost({
      privateKey,
      listen: this.#o.listen?.length ? this.#o.listen : ['/ip4/127.0.0.1/tcp/0'],
      isBanned: (p) => this.#isBanned(p),
    });
    this.#libp2p = libp2p;
    this.#startingBlock = chain.bestNumber;
    const misbehaved = (peer: PeerId, reason: string) => this.misbehaved(peer, reason);

    this.#sync = new BlockSync({
      chain,
      request: (peer, req) => this.requestBlocks(peer, req),
      misbehaved,
      peers: () => [...this.#peers.values()].filter((p) => this.#isConnected(p.id)),
      log: this.#o.log,
    });
    this.#announces = new NotificationsProtocol<BlockAnnouncesHandshake>(libp2p, {
      protocol: this.protocols.blockAnnounces,
      maxMessageBytes: MAX_BLOCK_ANNOUNCE_BYTES,
      maxHandshakeBytes: 1024,
      localHandshake: () =>
        encodeHandshake({
          roles: this.#o.roles,
          bestNumber: chain.bestNumber,
          bestHash: chain.bestHash,
          genesisHash: chain.genesisHash,
        }),
      decodeHandshake: (b) => {
        const hs = decodeHandshake(b);
        if (!same(hs.genesisHash, chain.genesisHash))
          throw new NetworkMessageError(
            'BlockAnnouncesHandshake',
            `genesis ${hex(hs.genesisHash)} is not ours`,
          );
        return hs;
      },
      onHandshake: (peer, hs) => this.#notePeer(peer, hs),
      onMessage: (peer, msg) => this.#onAnnounce(peer, msg),
      misbehaved,
    });
    this.#transactions = new NotificationsProtocol<number>(libp2p, {
      protocol: this.protocols.transactions,
      maxMessageBytes: MAX_TRANSACTIONS_MESSAGE_BYTES,
      maxHandshakeBytes: 16,
      localHandshake: () => encodeRolesHandshake(this.#o.roles),
      decodeHandshake: decodeRolesHandshake,
      onHandshake: () => {},
      onMessage: (peer, msg) => this.#gossip!.received(peer, decodeTransactions(msg)),
      misbehaved,
    });
    this.#gossip = new TransactionGossip({
      pool,
      peers: () => libp2p.getPeers().filter((p) => this.#transactions!.isOpen(p)),
      send: (peer, txs) => this.#transactions!.send(peer, encodeTransactions(txs)),
      onImported: this.#o.onTransactionImported,
    });

    await this.#announces.start();
    await this.#transactions.start();
    await handleRequests(libp2p, {
      protocol: this.protocols.sync,
      maxRequestBytes: MAX_BLOCK_REQUEST_BYTES,
      timeoutMs: BLOCK_REQUEST_TIMEOUT_MS,
      handle: async (_peer, bytes) =>
        encodeBlockResponse(await answerBlockRequest(chain, decodeBlockRequest(bytes))),
      misbehaved,
    });
    libp2p.addEventListener('peer:connect', (e) => this.#onConnect(e.detail));
    libp2p.addEventListener('peer:disconnect', (e) => this.#onDisconnect(e.detail));
    await libp2p.start();
    this.#running = true;
    this.#offBest = chain.onNewBest((b) => this.#announce(b));
    this.#gossip.start();
    this.#maintain();
  }

  async stop(): Promise<void> {
    this.#running = false;
    clearTimeout(this.#timer);
    this.#offBest?.();
    this.#gossip?.stop();
    this.#sync?.stop();
    await this.#announces?.stop();
    await this.#transactions?.stop();
    await Promise.resolve(this.#libp2p?.stop()).catch(() => {});
    await this.#sync?.idle();
  }

  // ---- peers ------------------------------------------------------------------------------------------------

  /** Chain peers: connected, handshake done (`system_peers`). */
  peers(): PeerInfoJson[] {
    return [...this.#peers.values()]
      .filter((p) => this.#isConnected(p.id))
      .map((p) => ({
        peerId: p.id.toString(),
        roles: rolesName(p.roles),
        bestHash: hex(p.bestHash),
        bestNumber: p.bestNumber,
      }));
  }

  health(): { peers: number; isSyncing: boolean; shouldHavePeers: boolean } {
    return { peers: this.peers().length, isSyncing: this.#sync?.isSyncing ?? false, shouldHavePeers: true };
  }

  syncState(): { startingBlock: number; currentBlock: number; highestBlock: number } {
    const current = this.#o.chain.bestNumber;
    const highest = Math.max(current, ...[...this.#peers.values()].map((p) => p.bestNumber));
    return { startingBlock: this.#startingBlock, currentBlock: current, highestBlock: highest };
  }

  /** Drops `peer` and refuses it for a while (it broke a protocol). */
  misbehaved(peer: PeerId, reason: string): void {
    const k = peer.toString();
    if (!this.#running || this.#isBanned(k)) return;
    this.#o.log?.(`dropping peer ${k}: ${reason}`);
    this.#bans.set(k, Date.now() + BAN_DURATION_MS);
    this.#forget(peer);
    if (this.#libp2p) this.#libp2p.hangUp(peer).catch(() => {});
  }

  /** Dials a peer (a multiaddr with `/p2p/<id>`). */
  async connect(address: string | Multiaddr, signal?: AbortSignal): Promise<void> {
    await this.libp2p.dial(typeof address === 'string' ? multiaddr(address) : address, { signal });
  }

  // ---- other protocols on this host (the relay's collation protocol) ----------------------------------------

  handleRequests(config: Omit<RequestHandlerConfig, 'misbehaved'>): Promise<void> {
    return handleRequests(this.libp2p, { ...config, misbehaved: (p, r) => this.misbehaved(p, r) });
  }

  request(
    peer: PeerId | Multiaddr,
    protocol: string,
    bytes: Uint8Array,
    o: RequestOptions,
  ): Promise<Uint8Array> {
    return sendRequest(this.libp2p, peer, protocol, bytes, o);
  }

  /** One block request to `peer`, the response checked (headers hash to their hashes, extrinsics well-formed). */
  async requestBlocks(peer: PeerId, req: BlockRequest): Promise<ReceivedBlock[]> {
    const raw = await this.request(peer, this.protocols.sync, encodeBlockRequest(req), {
      maxResponseBytes: MAX_BLOCK_RESPONSE_BYTES,
      timeoutMs: BLOCK_REQUEST_TIMEOUT_MS,
    });
    try {
      return decodeBlockResponse(raw, {
        maxBlocks: req.maxBlocks === 0 ? MAX_BLOCKS_IN_RESPONSE : req.maxBlocks,
        needHeader: true,
      });
    } catch (err) {
      this.misbehaved(peer, (err as Error).message);
      throw err;
    }
  }

  // ---- internals --------------------------------------------------------------------------------------------

  #isBanned(k: string): boolean {
    const until = this.#bans.get(k);
    if (until === undefined) return false;
    if (until > Date.now()) return true;
    this.#bans.delete(k);
    return false;
  }

  #isConnected(peer: PeerId): boolean {
    return (this.#libp2p?.getConnections(peer).length ?? 0) > 0;
  }

  #onConnect(peer: PeerId): void {
    if (!this.#running) return;
    void this.#announces!.open(peer);
    void this.#transactions!.open(peer);
  }

  #onDisconnect(peer: PeerId): void {
    this.#forget(peer);
  }

  #forget(peer: PeerId): void {
    this.#peers.delete(peer.toString());
    this.#announces?.forget(peer);
    this.#transactions?.forget(peer);
    this.#gossip?.forget(peer);
  }

  #notePeer(peer: PeerId, hs: BlockAnnouncesHandshake): void {
    const k = peer.toString();
    let p = this.#peers.get(k);
    if (!p) {
      p = { id: peer, roles: hs.roles, bestNumber: hs.bestNumber, bestHash: hs.bestHash };
      this.#peers.set(k, p);
    } else {
      p.roles = hs.roles;
      if (hs.bestNumber >= p.bestNumber) {
        p.bestNumber = hs.bestNumber;
        p.bestHash = hs.bestHash;
      }
    }
    this.#sync!.peerBest(p);
  }

  #onAnnounce(peer: PeerId, bytes: Uint8Array): void {
    const a = decodeBlockAnnounce(bytes);
    const p = this.#peers.get(peer.toString());
    if (!p) return;
    if (a.state !== 'Normal') {
      p.bestNumber = a.header.number;
      p.bestHash = headerHash(a.header);
    }
    this.#sync!.onAnnounce(p, a);
  }

  #announce(b: ImportedBlock): void {
    if (!this.#running) return;
    const msg = encodeBlockAnnounce({ header: b.header, state: 'Best' });
    this.#announces!.broadcast(msg, (peer) => {
      const p = this.#peers.get(peer.toString());
      return !p || !same(p.bestHash, b.hash);
    });
  }

  /** Redials bootnodes that are not connected; reopens substreams that closed on live connections. */
  #maintain(): void {
    if (!this.#running) return;
    const libp2p = this.libp2p;
    const now = Date.now();
    for (const [k, until] of this.#bans) if (until <= now) this.#bans.delete(k);
    for (const addr of this.#bootnodes) {
      const id = addr.getComponents().find((c) => c.name === 'p2p')?.value;
      if (id && (this.#isBanned(id) || libp2p.getPeers().some((p) => p.toString() === id))) continue;
      void libp2p.dial(addr, { signal: AbortSignal.timeout(5000) }).catch(() => {});
    }
    for (const peer of libp2p.getPeers()) {
      if (this.#peers.has(peer.toString()) && !this.#announces!.isOpen(peer))
        void this.#announces!.open(peer);
      if (this.#peers.has(peer.toString()) && !this.#transactions!.isOpen(peer))
        void this.#transactions!.open(peer);
    }
    this.#timer = setTimeout(() => this.#maintain(), MAINTENANCE_MS);
    this.#timer.unref();
  }
}
