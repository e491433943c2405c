/**
 * A Crust storage node as one program: the IPFS node (Helia on disk, private libp2p), its HTTP gateway with
 * `/status` (and, on a public gateway, the Pinning Service API), the manager that picks orders and pulls them,
 * and the worker that registers, reports, re-checks, answers challenges and cleans up. Crust is reached only
 * through its JSON-RPC.
 *
 *   const sn = new CrustStorageNode({ crust: 'ws://127.0.0.1:9945', key: '//Alice//storage-1', basePath });
 *   const { http, account } = await sn.start();   … await sn.stop();
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { KeyringPair } from '@polkadot/keyring/types';
import { u8aToHex } from '@polkadot/util';
import { bytesToString, type ChainEvent, CrustClient } from './chain/crust-client.ts';
import { accountKey, type WorkerKey, workerKey } from './chain/keys.ts';
import { Gateway, type GatewayOptions } from './gateway/index.ts';
import type { Route } from './http/route.ts';
import { statusRoute } from './http/status.ts';
import { Fetcher, fsFreeBytes, type Provider, StorageNode, usedBytes } from './ipfs-access.ts';
import { type Log, Manager } from './manager/manager.ts';
import {
  DEFAULT_LIMITS,
  type ManagerLimits,
  STRATEGY_PRESETS,
  type StrategyWeights,
} from './manager/strategy.ts';
import { type FileState, FileStore } from './store/file-store.ts';
import { DEFAULT_WORKER_OPTIONS, Worker, type WorkerOptions } from './worker/worker.ts';

export interface CrustStorageNodeOptions {
  /** Crust's JSON-RPC (ws://…). */
  crust: string;
  /** The account: a secret URI (`//Alice//storage-1`, a mnemonic) or a file holding one. */
  key: string;
  basePath: string;
  /** A name for logs and the devnet's endpoints. */
  name?: string;
  httpHost?: string;
  /** The HTTP port (gateway, `/status`); 0 = any free port. */
  httpPort?: number;
  listen?: string[];
  peers?: string[];
  /** Where files are pulled from (the public gateway, the other storage nodes). */
  providers?: Provider[];
  /** A group owner to join (its allowlist must name this account). */
  group?: string;
  /** Bytes this node may fill; default: what the file system has free at start plus what the blocks take. */
  capacity?: number;
  limits?: Partial<ManagerLimits>;
  strategy?: StrategyWeights;
  worker?: Partial<WorkerOptions>;
  /** More gateway options (upload limits, auth). */
  gateway?: Partial<GatewayOptions>;
  /** Extra HTTP routes in front of the gateway's (the Pinning Service API of a public gateway). */
  routes?: (node: CrustStorageNode) => Route[];
  log?: Log;
  /** Pull `market.filesV2` pages this often while scanning (ms). */
  tickMs?: number;
}

export class StorageNodeStartError extends Error {
  override name = 'StorageNodeStartError';
}

export interface StartedStorageNode {
  http: string;
  account: string;
  workerKey: string;
  peerId: string;
  multiaddrs: string[];
}

export class CrustStorageNode {
  readonly options: CrustStorageNodeOptions;
  readonly ipfs: StorageNode;
  private client?: CrustClient;
  private account?: KeyringPair;
  private key?: WorkerKey;
  private store?: FileStore;
  private gateway?: Gateway;
  manager?: Manager;
  worker?: Worker;
  private providers: Provider[];
  private capacity = 0;
  private head = 0;
  private lastProcessed = 0;
  private processing: Promise<void> = Promise.resolve();
  private unsubscribe?: () => void;
  private timer?: NodeJS.Timeout;
  private httpUrl = '';
  private readonly log: Log;
  private stopped = false;
  private nextChainCheckAt = 0;

  constructor(options: CrustStorageNodeOptions) {
    this.options = options;
    this.ipfs = new StorageNode({ basePath: options.basePath, listen: options.listen, peers: options.peers });
    this.providers = options.providers ?? [];
    this.log = options.log ?? (() => {});
  }

  get crust(): CrustClient {
    if (!this.client) throw new StorageNodeStartError('the storage node is not started');
    return this.client;
  }

  get accountPair(): KeyringPair {
    if (!this.account) throw new StorageNodeStartError('the storage node is not started');
    return this.account;
  }

  get http(): string {
    return this.httpUrl;
  }

  /** Replaces the providers pulls go to (the devnet sets the other nodes once they listen). */
  setProviders(providers: Provider[]): void {
    this.providers = providers;
  }

  async start(): Promise<StartedStorageNode> {
    const o = this.options;
    await mkdir(o.basePath, { recursive: true });
    this.client = await CrustClient.connect(o.crust);
    try {
      this.account = await accountKey(o.key, this.client.ss58Prefix);
      this.key = await workerKey(o.basePath);
      this.store = new FileStore(join(o.basePath, 'worker-db'));
      await this.store.open();
      await this.ipfs.start();
      this.gateway = new Gateway({
        helia: this.ipfs.helia as never,
        host: o.httpHost ?? '127.0.0.1',
        port: o.httpPort ?? 0,
        ...o.gateway,
        routes: [statusRoute(() => this.status()), ...(o.routes?.(this) ?? [])],
      });
      this.httpUrl = (await this.gateway.start()).url;
      const used = usedBytes(this.ipfs.helia);
      this.capacity = o.capacity ?? (await fsFreeBytes(o.basePath)) + used;
      const limits = { ...DEFAULT_LIMITS, ...o.limits };
      const fetcher = new Fetcher(this.ipfs.helia);
      this.worker = new Worker(
        {
          client: this.client,
          account: this.account,
          key: this.key,
          store: this.store,
          node: this.ipfs,
          log: this.log,
          freeBytes: () => this.freeBytes(),
          pullsInFlight: () => this.manager?.pullsInFlight ?? 0,
          abortPull: (cid) => this.manager?.abort(cid),
        },
        { ...DEFAULT_WORKER_OPTIONS, group: o.group, ...o.worker },
      );
      this.manager = new Manager({
        store: this.store,
        client: this.client,
        helia: this.ipfs.helia,
        node: this.ipfs,
        fetcher,
        limits,
        strategy: o.strategy ?? STRATEGY_PRESETS.default,
        providers: () =>
          this.providers.filter((p) => !(p.kind === 'http' && p.url.replace(/\/$/, '') === this.httpUrl)),
        freeBytes: () => this.freeBytes(),
        readiness: () => {
          const r = this.worker!.readiness();
          return { ...r, group: this.worker!.groupShare, nodeCount: this.worker!.nodeCount };
        },
        head: () => this.head,
        log: this.log,
      });
      await this.worker.start();
      const best = await this.client.bestHead();
      this.head = best.number;
      const saved = Number((await this.store.getMeta('last-block')) ?? '0');
      this.lastProcessed = saved > 0 ? Math.max(saved, best.number - 1000) : best.number;
      await this.manager.start();
      this.unsubscribe = await this.client.onHead((h) => {
        this.head = Math.max(this.head, h.number);
        this.processing = this.processing
          .then(() => this.onHead(h.number))
          .catch((err) => this.log('block-error', { message: (err as Error).message }));
      });
      this.timer = setInterval(() => void this.manager?.tick().catch(() => {}), o.tickMs ?? 1000);
      this.timer.unref();
    } catch (err) {
      await this.stop();
      throw err;
    }
    const started: StartedStorageNode = {
      http: this.httpUrl,
      account: this.account.address,
      workerKey: u8aToHex(this.key.publicKey),
      peerId: this.ipfs.peerId.toString(),
      multiaddrs: this.ipfs.multiaddrs.map(String),
    };
    this.log('started', {
      name: o.name,
      ...started,
      capacity: this.capacity,
      reportSlot: this.worker.reportSlot,
    });
    return started;
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    clearInterval(this.timer);
    this.unsubscribe?.();
    this.worker?.stop();
    await this.manager?.stop().catch(() => {});
    await this.processing.catch(() => {});
    await this.gateway?.stop().catch(() => {});
    if (this.ipfs.started) await this.ipfs.stop().catch(() => {});
    await this.store?.close().catch(() => {});
    await this.client?.disconnect();
  }

  /** Bytes free for new files: capacity − what the blocks take, and never more than the file system has. */
  async freeBytes(): Promise<number> {
    if (!this.ipfs.started) return 0;
    const used = usedBytes(this.ipfs.helia);
    const fs = await fsFreeBytes(this.options.basePath).catch(() => Number.POSITIVE_INFINITY);
    return Math.max(0, Math.min(this.capacity - used, fs));
  }

  /** Events of every block since the last one handled, then the manager and the worker. */
  private async onHead(n: number): Promise<void> {
    if (this.stopped) return;
    const client = this.crust;
    for (let b = this.lastProcessed + 1; b <= n && !this.stopped; b++) {
      const hash = u8aToHex(await client.blockHash(b));
      await this.onEvents(await client.eventsAt(hash));
      this.lastProcessed = b;
    }
    await this.store!.setMeta('last-block', String(this.lastProcessed));
    await this.manager!.tick();
    await this.worker!.onHead(n);
    if (Date.now() >= this.nextChainCheckAt) {
      this.nextChainCheckAt = Date.now() + 5_000;
      await this.worker!.checkChainFiles(n);
      await this.worker!.cleanup();
    }
  }

  private async onEvents(events: ChainEvent[]): Promise<void> {
    const orders: string[] = [];
    const closed: string[] = [];
    for (const e of events) {
      if (e.section === 'market' && e.method === 'FileSuccess')
        orders.push(bytesToString(e.data[1].toU8a(true)));
      else if (e.section === 'xstorage' && e.method === 'FileSuccess')
        orders.push(bytesToString(e.data.cid.toU8a(true)));
      else if (e.section === 'market' && (e.method === 'FileClosed' || e.method === 'IllegalFileClosed'))
        closed.push(bytesToString(e.data[0].toU8a(true)));
      else if (e.section === 'storageChallenge' && e.method === 'ChallengeIssued') {
        const d = e.data;
        if (d.who.toString() === this.account!.address)
          void this.worker!.onChallenge({
            id: BigInt(d.id.toString()),
            cid: bytesToString(d.cid.toU8a(true)),
            seed: d.seed.toU8a(),
            deadline: d.deadline.toNumber(),
          });
      } else if (e.section === 'storageChallenge' && e.method === 'ChallengeFailed') {
        if (e.data.who.toString() === this.account!.address)
          this.log('challenge-failed', {
            id: e.data.id.toString(),
            cid: bytesToString(e.data.cid.toU8a(true)),
            reason: e.data.reason.toString(),
          });
      } else if (e.section === 'swork' && /Group|KickOut|Allowlist/.test(e.method)) {
        await this.worker!.refreshIdentity().catch(() => {});
      }
    }
    if (orders.length > 0) await this.manager!.onNewOrders(orders);
    if (closed.length > 0) await this.manager!.onClosed(closed, 'closed on chain');
  }

  /** What `GET /status` shows. */
  async status(): Promise<Record<string, unknown>> {
    const byState: Partial<Record<FileState, number>> = {};
    const files: Array<Record<string, unknown>> = [];
    for (const r of this.store?.all() ?? []) {
      byState[r.state] = (byState[r.state] ?? 0) + 1;
      if (files.length < 1000)
        files.push({
          cid: r.cid,
          state: r.state,
          reason: r.reason,
          size: r.size,
          dagSize: r.dagSize,
          replicas: r.replicas,
          onChain: r.onChain,
          attempts: r.attempts,
          source: r.source,
        });
    }
    const w = this.worker;
    const slot = w?.reportSlot ?? 0;
    const used = this.ipfs.started ? usedBytes(this.ipfs.helia) : 0;
    const free = await this.freeBytes();
    const pending = (this.manager?.inFlight ?? []).reduce((s, p) => s + Math.max(0, p.size - p.bytes), 0);
    return {
      name: this.options.name,
      account: this.account?.address,
      workerKey: this.key ? u8aToHex(this.key.publicKey) : undefined,
      registered: w?.registered ?? false,
      identity: w?.identity ?? null,
      group: w?.identity?.group ?? null,
      ready: w?.readiness() ?? { ready: false },
      head: this.head,
      reportSlot: slot,
      currentSlot: slot ? Math.floor(this.head / slot) * slot : 0,
      nextSlot: slot ? (Math.floor(this.head / slot) + 1) * slot : 0,
      nextReport: w?.nextReport ?? null,
      lastReport: w?.lastReport ?? null,
      challenges: w?.challenges ?? null,
      files: byState,
      fileList: files,
      pulls: this.manager?.inFlight ?? [],
      pullsPaused: this.manager?.pausedReason ?? null,
      space: { capacity: this.capacity, used, free, pending },
    };
  }
}
