/**
 * The multi-chain devnet in one process: the relay chain and the parachains (Crust and the seed's seven), each a
 * full node of its own (its own database under `<base-path>/<name>/`, its own RPC port), the relay sealing a block
 * every `blockTimeMs`, each parachain's collator building a block on every relay block. When every chain has
 * produced a block it writes `<base-path>/endpoints.json` (the contract other programs read). A restart on the
 * same base path resumes every chain.
 *
 *   const devnet = new Devnet({ basePath, blockTimeMs: 1000, rpcPort: 0 });
 *   const endpoints = await devnet.start(); … await devnet.stop();
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { crustProductionProfile } from '@xstorage/runtime/runtimes/crust';
import { PARACHAIN_PROFILES, PARACHAINS, type ParachainData } from '@xstorage/runtime/runtimes/parachain';
import { relayGenesisConfig, relayProfile } from '@xstorage/runtime/runtimes/relay';
import { devAuthorityKey } from '../chain/aura.ts';
import { ChainStateError } from '../chain/errors.ts';
import { ManualFinality } from '../chain/finality.ts';
import { type ChainSpec, profileChainSpec } from '../chain-spec/chain-spec.ts';
import type { Collation } from '../collation/collation.ts';
import { Collator } from '../collation/collator.ts';
import { inProcessRelay } from '../collation/relay-interface.ts';
import { Node } from '../node.ts';
import { type BackingEvent, CandidateBacking } from '../relay/backing.ts';
import { ParaCodeRegistry } from '../relay/para-code.ts';
import { type DevnetEndpoints, endpointsPath } from './endpoints.ts';

export interface DevnetOptions {
  /** Where each chain's database lives (`<basePath>/<name>/`) and `endpoints.json` is written. */
  basePath?: string;
  /** A fresh temporary base path, deleted at stop (the default without `basePath`). */
  tmp?: boolean;
  /** Parachain names (default: all, see PARACHAINS). */
  parachains?: readonly string[];
  /** Relay block time, and so one parachain block per relay block (default 6000). */
  blockTimeMs?: number;
  rpcHost?: string;
  /** The relay's RPC port; parachains take p+1, p+2, … in PARACHAINS order (0 = any free port for each). */
  rpcPort?: number;
  /** Progress of each chain (starting, first block). */
  onProgress?: (event: DevnetProgress) => void;
  /** Errors of background block production. */
  onError?: (chain: string, err: unknown) => void;
  /** Each collation's fate at the relay chain's validator (backed, or invalid with the reason). */
  onCandidate?: (event: BackingEvent) => void;
  /** Crust with its production durations (600-block report slots, 180-day files): `crust-production`. */
  crustProduction?: boolean;
  /** Storage nodes on Crust, in this process (packages/storage-node, JSON-RPC only); 0 = none (the default here). */
  storageNodes?: number;
  /** Options for every storage node (tests shorten timeouts, limits). */
  storageNodeOptions?: Record<string, unknown>;
  /** Each storage node's log events. */
  onStorageLog?: (node: string, event: string, data: Record<string, unknown>) => void;
  /**
   * Test hook, never set by `xstorage devnet`: sees each parachain's collation on its way to the relay chain's
   * validator and returns what is submitted instead (a test hands in a tampered candidate this way). Default: as built.
   */
  alterCollation?: (collation: Collation, para: ParachainData) => Collation;
}

export type DevnetProgress =
  | { kind: 'starting'; chain: string; rpcUrl: string }
  | { kind: 'producing'; chain: string; best: number }
  | { kind: 'ready'; endpoints: DevnetEndpoints; endpointsFile: string };

export class DevnetOptionsError extends Error {
  override name = 'DevnetOptionsError';
}

export class Devnet {
  readonly options: DevnetOptions;
  readonly parachains: readonly ParachainData[];
  #relay: Node | undefined;
  readonly #paraNodes = new Map<string, Node>();
  readonly #collators: Collator[] = [];
  #backing: CandidateBacking | undefined;
  #basePath: string | undefined;
  #tmpDir: string | undefined;
  #state: 'new' | 'starting' | 'running' | 'stopped' = 'new';
  #storage: { stop(): Promise<void> } | undefined;

  constructor(options: DevnetOptions = {}) {
    this.options = options;
    const names = options.parachains ?? PARACHAINS.map((p) => p.id);
    const unknown = names.filter((n) => !PARACHAINS.some((p) => p.id === n));
    if (unknown.length > 0)
      throw new DevnetOptionsError(
        `unknown parachain ${unknown.join(', ')}; known: ${PARACHAINS.map((p) => p.id).join(', ')}`,
      );
    this.parachains = PARACHAINS.filter((p) => names.includes(p.id));
  }

  get relay(): Node {
    if (!this.#relay) throw new ChainStateError('the devnet is not started');
    return this.#relay;
  }

  parachain(name: string): Node {
    const n = this.#paraNodes.get(name);
    if (!n) throw new ChainStateError(`no parachain ${name} in this devnet`);
    return n;
  }

  /** The relay chain's candidate backing (tests watch it). */
  get backing(): CandidateBacking {
    if (!this.#backing) throw new ChainStateError('the devnet is not started');
    return this.#backing;
  }

  #nameOf(paraId: number): string {
    return this.parachains.find((p) => p.paraId === paraId)?.id ?? `para ${paraId}`;
  }

  get basePath(): string {
    if (!this.#basePath) throw new ChainStateError('the devnet is not started');
    return this.#basePath;
  }

  async start(): Promise<DevnetEndpoints> {
    if (this.#state !== 'new') throw new ChainStateError(`the devnet cannot start: it is ${this.#state}`);
    this.#state = 'starting';
    try {
      return await this.#start();
    } catch (err) {
      await this.#teardown();
      this.#state = 'stopped';
      throw err;
    }
  }

  async #start(): Promise<DevnetEndpoints> {
    const o = this.options;
    if (o.basePath && !o.tmp) this.#basePath = resolve(o.basePath);
    else this.#basePath = this.#tmpDir = await mkdtemp(join(tmpdir(), 'xstorage-devnet-'));
    await mkdir(this.#basePath, { recursive: true });
    const blockTimeMs = o.blockTimeMs ?? 6000;
    const host = o.rpcHost ?? '127.0.0.1';
    const port = o.rpcPort ?? 9944;
    const portOf = (i: number) => (port === 0 ? 0 : port + i);
    const onError = (chain: string) => (err: unknown) =>
      o.onError
        ? o.onError(chain, err)
        : console.error(`xstorage devnet: ${chain}: ${(err as Error).message}`);

    // The relay chain's one validator (//Alice, as in its genesis) backs the collations it validates; the relay
    // block author puts them in through the paras inherent.
    const validator = devAuthorityKey('//Alice');
    let backing: CandidateBacking | undefined;
    const relay = new Node({
      chain: o.crustProduction ? relayWithCrustProduction() : 'relay',
      basePath: join(this.#basePath, 'relay'),
      rpcHost: host,
      rpcPort: portOf(0),
      sealing: { kind: 'interval', blockTimeMs },
      signatureThread: false,
      onError: onError('relay'),
      inherentDataProviders: [(parent) => backing!.inherentDataProvider(parent)],
    });
    this.#relay = relay;
    const relayInfo = await relay.start();
    o.onProgress?.({ kind: 'starting', chain: 'relay', rpcUrl: relayInfo.rpcUrl });

    const relayApi = inProcessRelay(relay.chain);
    backing = new CandidateBacking({
      relay: relayApi,
      codes: new ParaCodeRegistry(),
      validator,
      onCollation: (e) => {
        if (e.kind === 'invalid') onError(this.#nameOf(e.para))(new Error(`candidate invalid: ${e.message}`));
        o.onCandidate?.(e);
      },
    });
    this.#backing = backing;
    const paraInfos = new Map<string, { paraId: number; ws: string }>();
    for (const data of this.parachains) {
      const node = new Node({
        chain: data.id === 'crust' && o.crustProduction ? crustProductionProfile.id : data.id,
        basePath: join(this.#basePath, data.id),
        rpcHost: host,
        rpcPort: portOf(1 + PARACHAINS.indexOf(data)),
        sealing: { kind: 'external' },
        // A parachain block is final once the relay chain includes it (the collator finalizes it then).
        finality: new ManualFinality(),
        signatureThread: false,
        onError: onError(data.id),
      });
      this.#paraNodes.set(data.id, node);
      const info = await node.start();
      paraInfos.set(data.id, { paraId: data.paraId, ws: info.rpcUrl });
      o.onProgress?.({ kind: 'starting', chain: data.id, rpcUrl: info.rpcUrl });
      const collator = new Collator({
        chain: node.chain,
        paraId: data.paraId,
        key: devAuthorityKey('//Alice'),
        relay: relayApi,
        submit: (c) => backing!.submit(o.alterCollation ? o.alterCollation(c, data) : c),
        onError: onError(data.id),
      });
      this.#collators.push(collator);
      collator.start();
    }

    await this.#waitForFirstBlocks();
    const endpoints: DevnetEndpoints = {
      relay: { ws: relayInfo.rpcUrl },
      parachains: Object.fromEntries(paraInfos),
    };
    const crust = paraInfos.get('crust');
    if ((o.storageNodes ?? 0) > 0 && crust) {
      // Loaded only when asked: the storage nodes bring Helia, libp2p and @polkadot/api.
      const { startDevnetStorage } = await import('@xstorage/storage-node/devnet');
      const storage = await startDevnetStorage({
        crustWs: crust.ws,
        basePath: this.#basePath,
        count: o.storageNodes!,
        host,
        nodeOptions: o.storageNodeOptions,
        log: o.onStorageLog,
      });
      this.#storage = storage;
      endpoints.gateway = storage.gateway;
      endpoints.storageNodes = storage.storageNodes;
    }
    const file = endpointsPath(this.#basePath);
    await writeFile(file, `${JSON.stringify(endpoints, null, 2)}\n`);
    this.#state = 'running';
    o.onProgress?.({ kind: 'ready', endpoints, endpointsFile: file });
    return endpoints;
  }

  /** Resolves once every chain's best block is past the one it started at. */
  async #waitForFirstBlocks(): Promise<void> {
    const chains: Array<[string, Node]> = [['relay', this.relay], ...this.#paraNodes];
    await Promise.all(
      chains.map(
        ([name, node]) =>
          new Promise<void>((resolveBlock) => {
            const start = node.chain.bestNumber;
            const off = node.chain.onNewBest((b) => {
              if (b.number <= start) return;
              off();
              this.options.onProgress?.({ kind: 'producing', chain: name, best: b.number });
              resolveBlock();
            });
          }),
      ),
    );
  }

  async stop(): Promise<void> {
    if (this.#state === 'stopped') return;
    await this.#teardown();
    this.#state = 'stopped';
  }

  async #teardown(): Promise<void> {
    await this.#storage?.stop().catch(() => {});
    for (const c of this.#collators) await c.stop();
    for (const n of this.#paraNodes.values()) await n.stop().catch(() => {});
    await this.#relay?.stop().catch(() => {});
    if (this.#tmpDir) await rm(this.#tmpDir, { recursive: true, force: true }).catch(() => {});
  }
}

/** The relay chain with Crust's production-duration runtime (`crust-production`) registered as para 2008. */
function relayWithCrustProduction(): ChainSpec {
  const paras = PARACHAIN_PROFILES.map((p) => (p.id === 'crust' ? crustProductionProfile : p));
  return profileChainSpec({ ...relayProfile, genesisConfig: () => relayGenesisConfig(paras) });
}
