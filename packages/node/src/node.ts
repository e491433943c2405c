/**
 * A chain node: chain database + chain service + transaction pool + block production + Substrate JSON-RPC, with
 * explicit `start()` / `stop()`.
 *
 *   const node = new Node({ chain: 'dev', tmp: true, rpcPort: 0, sealing: { kind: 'instant' } });
 *   const { rpcUrl, genesisHash } = await node.start(); ... await node.stop();
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { base58Encode } from '@polkadot/util-crypto/base58';
import { blake2AsU8a } from '@polkadot/util-crypto/blake2/asU8a';
import { initCrypto } from '@xstorage/runtime/crypto';
import { type AuthorityKey, devAuthorityKey } from './chain/aura.ts';
import { Chain, type InherentDataProvider } from './chain/chain.ts';
import { ChainStateError } from './chain/errors.ts';
import { type FinalityGadget, InstantFinality } from './chain/finality.ts';
import { makeRuntimeHost } from './chain/runtime-host.ts';
import { Sealing, type SealingMode } from './chain/sealing.ts';
import { type ChainSpec, loadChainSpec } from './chain-spec/chain-spec.ts';
import { ChainDb, ChainDbError } from './db/index.ts';
import { Role } from './network/block-announce.ts';
import { NetworkService } from './network/service.ts';
import { RpcServer, type RpcServerOptions } from './rpc/index.ts';
import type { NodeIdentity, RpcContext } from './rpc-methods/index.ts';
import { substrateRpc } from './rpc-methods/index.ts';
import { TxPool } from './txpool/index.ts';

export const NODE_NAME = 'xstorage-node';
export const NODE_VERSION = '0.1.0';
/** How long after start the signature verifier thread is started. */
const SIGNATURE_THREAD_DELAY_MS = 1000;

export interface NodeOptions {
  /** `dev` (default), a path to a JSON chain spec, or a spec object. */
  chain?: string | ChainSpec;
  /** Where `chains/<id>/db` lives. Required unless `tmp`. */
  basePath?: string;
  /** A fresh temporary base path, deleted at stop. */
  tmp?: boolean;
  rpcHost?: string;
  /** 9944 by default; 0 picks a free port. */
  rpcPort?: number;
  /** The RPC server's limits (per-client caps, timeouts, sizes); defaults in `rpc/options.ts`. */
  rpcLimits?: Omit<RpcServerOptions, 'host' | 'port' | 'getRoutes'>;
  /** Default: a block every 6 s. */
  sealing?: SealingMode;
  /** The authority that seals blocks (default //Alice on the dev phrase). */
  authority?: AuthorityKey;
  /** Default: instant single-authority finality, `finalityDelayMs` after import. */
  finality?: FinalityGadget;
  /** Default 250 ms: long enough for clients to see `inBlock` (0 = finalize in the import's own write). */
  finalityDelayMs?: number;
  /** Finalized states kept readable (default 256). */
  statePruning?: number;
  /** Verify pool transactions' signatures on a helper thread ahead of validation (default true). */
  signatureThread?: boolean;
  /** Where errors of background block production go (default: stderr). */
  onError?: (err: unknown) => void;
  /** Slot length (default 6000 ms: timestamps advance by it per block even when blocks come faster). */
  slotDurationMs?: number;
  /** Inherent data for each authored block beyond the timestamp (the relay chain's para inherent). */
  inherentDataProviders?: readonly InherentDataProvider[];
  /** libp2p networking (block announcements, sync, transactions); absent: no networking. */
  network?: NodeNetworkOptions;
  /** The clock (ms) blocks are authored and their timestamps checked by (default Date.now). */
  clock?: () => number;
}

export interface NodeNetworkOptions {
  /** Listen multiaddrs (default `/ip4/127.0.0.1/tcp/0`). */
  listen?: string[];
  /** Peers to dial and keep dialling (`/ip4/…/tcp/…/p2p/<peer id>`). */
  bootnodes?: string[];
  /** Diagnostics (peers dropped, failed requests). */
  log?: (message: string) => void;
  /** The role announced to peers (default: Authority when this node seals, else Full; a collator is Authority). */
  role?: 'Authority' | 'Full';
}

export interface NodeInfo {
  rpcUrl: string;
  httpUrl: string;
  genesisHash: string;
  bestNumber: number;
  chain: string;
  basePath: string;
  /** With networking: the libp2p peer id and listen multiaddrs (each ending in `/p2p/<peer id>`). */
  peerId?: string;
  listenAddresses?: string[];
}

/** Another node holds the database: one line saying what to do. */
export class NodeStartError extends Error {
  override readonly name = 'NodeStartError';
}

const hex = (b: Uint8Array) => `0x${Buffer.from(b).toString('hex')}`;

export class Node {
  readonly options: NodeOptions;
  #db: ChainDb | undefined;
  #chain: Chain | undefined;
  #pool: TxPool | undefined;
  #sealing: Sealing | undefined;
  #rpc: RpcServer | undefined;
  #network: NetworkService | undefined;
  #basePath: string | undefined;
  #tmpDir: string | undefined;
  #state: 'new' | 'starting' | 'running' | 'stopping' | 'stopped' = 'new';
  #signatureThreadTimer: NodeJS.Timeout | undefined;

  constructor(options: NodeOptions = {}) {
    this.options = options;
  }

  get chain(): Chain {
    return this.#need(this.#chain);
  }
  get pool(): TxPool {
    return this.#need(this.#pool);
  }
  get sealing(): Sealing {
    return this.#need(this.#sealing);
  }
  get rpc(): RpcServer {
    return this.#need(this.#rpc);
  }
  get basePath(): string {
    return this.#need(this.#basePath);
  }
  /** The network service (only with `network` options). */
  get network(): NetworkService {
    return this.#need(this.#network);
  }

  #need<T>(v: T | undefined): T {
    if (v === undefined) throw new ChainStateError('node is not started');
    return v;
  }

  async start(): Promise<NodeInfo> {
    if (this.#state !== 'new') throw new ChainStateError(`node cannot start: it is ${this.#state}`);
    this.#state = 'starting';
    try {
      return await this.#start();
    } catch (err) {
      await this.#teardown();
      this.#state = 'stopped';
      throw err;
    }
  }

  async #start(): Promise<NodeInfo> {
    const o = this.options;
    await initCrypto();
    const spec = typeof o.chain === 'object' ? o.chain : await loadChainSpec(o.chain ?? 'dev');
    if (o.tmp) {
      this.#tmpDir = await mkdtemp(join(tmpdir(), 'xstorage-node-'));
      this.#basePath = this.#tmpDir;
    } else {
      if (!o.basePath) throw new NodeStartError('a base path is needed (--base-path <dir>, or --tmp)');
      this.#basePath = resolve(o.basePath);
    }
    const dbDir = join(this.#basePath, 'chains', spec.id, 'db');
    await mkdir(dbDir, { recursive: true });
    try {
      this.#db = await ChainDb.open(dbDir, { statePruningWindow: o.statePruning ?? 256 });
    } catch (err) {
      if (err instanceof ChainDbError && /in use by another process/.test(err.message)) {
        throw new NodeStartError(
          `the database ${dbDir} is locked by another running node; stop that node or use another --base-path (or --tmp)`,
        );
      }
      throw err;
    }
    const authority = o.authority ?? devAuthorityKey('//Alice');
    // A verifier thread checks pool transactions' signatures while the event loop validates and builds blocks.
    const runtime = makeRuntimeHost(spec.runtime, { signatureThread: o.signatureThread ?? true });
    const chain = await Chain.open({
      db: this.#db,
      spec,
      runtime,
      authorities: [authority.publicKey],
      finality: o.finality ?? new InstantFinality({ delayMs: o.finalityDelayMs ?? 250 }),
      inherentDataProviders: o.inherentDataProviders,
      slotDurationMs: o.slotDurationMs,
      now: o.clock,
    });
    this.#chain = chain;
    // Blocks imported before a crash but not yet finalized: a single authority finalizes them now.
    if (!o.finality && chain.db.finalized.number < chain.bestNumber) await chain.finalize(chain.bestHash);
    const pool = new TxPool({
      best: { hash: chain.bestHash, number: chain.bestNumber },
      validate: (tx, at, source) => chain.validateTransaction(tx, at, source),
    });
    this.#pool = pool;
    chain.attachPool(pool);
    const onError =
      o.onError ??
      ((err: unknown) => console.error(`xstorage node: block production failed: ${(err as Error).message}`));
    const sealing = new Sealing(chain, authority, o.sealing ?? { kind: 'interval', blockTimeMs: 6000 }, {
      onError,
      readyCount: () => pool.status().ready,
    });
    this.#sealing = sealing;
    const identity: NodeIdentity = {
      name: NODE_NAME,
      version: NODE_VERSION,
      peerId: peerIdFor(this.#basePath),
      roles: ['Authority'],
      listenAddresses: [],
    };
    if (o.network) {
      const authoring = o.network.role
        ? o.network.role === 'Authority'
        : (o.sealing ?? { kind: 'interval' }).kind !== 'external';
      const network = new NetworkService({
        chain,
        pool,
        keyFile: join(this.#basePath, 'chains', spec.id, 'network', 'secret_ed25519'),
        roles: authoring ? Role.Authority : Role.Full,
        listen: o.network.listen,
        bootnodes: o.network.bootnodes,
        log: o.network.log,
        onTransactionImported: () => sealing.transactionArrived(),
      });
      this.#network = network;
      await network.start();
      identity.peerId = network.peerId;
      identity.listenAddresses = network.listenAddresses();
      identity.roles = [authoring ? 'Authority' : 'Full'];
    }
    const network = this.#network;
    const ctx: RpcContext = { chain, pool, sealing, spec, identity, network };
    const health = () =>
      network?.health() ?? { peers: 0, isSyncing: false, shouldHavePeers: spec.chainType !== 'Development' };
    this.#rpc = new RpcServer(substrateRpc(ctx), {
      ...o.rpcLimits,
      host: o.rpcHost ?? '127.0.0.1',
      port: o.rpcPort ?? 9944,
      getRoutes: { '/health': health, '/health/readiness': () => ({}) },
    });
    try {
      await this.#rpc.start();
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (code === 'EADDRINUSE')
        throw new NodeStartError(
          `RPC port ${o.rpcPort ?? 9944} on ${o.rpcHost ?? '127.0.0.1'} is in use; stop whatever holds it or pass --rpc-port <other>`,
        );
      throw err;
    }
    sealing.start();
    // Off the cold-start path: loading the verifier thread's wasm takes a few hundred ms of CPU.
    this.#signatureThreadTimer = setTimeout(() => runtime.startSignatureThread(), SIGNATURE_THREAD_DELAY_MS);
    this.#signatureThreadTimer.unref();
    this.#state = 'running';
    return {
      rpcUrl: this.#rpc.wsUrl,
      httpUrl: this.#rpc.httpUrl,
      genesisHash: hex(chain.genesisHash),
      bestNumber: chain.bestNumber,
      chain: spec.id,
      basePath: this.#basePath,
      ...(network ? { peerId: network.peerId, listenAddresses: network.listenAddresses() } : {}),
    };
  }

  async stop(): Promise<void> {
    if (this.#state === 'stopped' || this.#state === 'stopping') return;
    this.#state = 'stopping';
    await this.#teardown();
    this.#state = 'stopped';
  }

  async #teardown(): Promise<void> {
    clearTimeout(this.#signatureThreadTimer);
    await this.#sealing?.stop().catch(() => {});
    await this.#network?.stop().catch(() => {});
    await this.#rpc?.stop().catch(() => {});
    await this.#chain?.close().catch(() => {});
    await this.#db?.close().catch(() => {});
    if (this.#tmpDir) await rm(this.#tmpDir, { recursive: true, force: true }).catch(() => {});
  }
}

/** A stable libp2p-style (ed25519 identity multihash) peer id per base path; no networking yet. */
function peerIdFor(basePath: string): string {
  const key = blake2AsU8a(new TextEncoder().encode(`xstorage-peer:${basePath}`));
  return base58Encode(new Uint8Array([0x00, 0x24, 0x08, 0x01, 0x12, 0x20, ...key]));
}
