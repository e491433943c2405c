/**
 * What a chain node does beyond importing and serving blocks, by its role in the relay + parachains network — one
 * process per chain node, each talking to the others over libp2p and the relay chain's RPC:
 *
 * - `relay-validator`: seals relay blocks, validates the collations that arrive on the collation protocol and backs
 *   them into the `parachn0` inherent (the devnet's `CandidateBacking`, fed over the network);
 * - `relay-full`: follows the relay chain (blocks from peers, each re-executed);
 * - `collator`: builds a parachain block on each new relay block it sees through the relay's RPC, and sends the
 *   collation to the relay validator's node over libp2p;
 * - `para-full`: follows the parachain (blocks from peers) and finalizes the block the relay chain included, read
 *   from `paras.heads` at each finalized relay block through the relay's RPC; a block it lacks is fetched first.
 *
 * Nodes that only follow check block timestamps against the later of the wall clock and the newest block's own
 * timestamp: a devnet running faster than the runtime's slot time (`--block-time 500` with 6 s slots) moves its
 * chain's time ahead of the wall clock by design, and a follower would otherwise refuse those blocks as "too far in
 * the future" forever. A block still may not claim more than 30 s beyond that.
 */
import { HeaderCodec, headerHash } from '@xstorage/runtime/block';
import { storagePrefix } from '@xstorage/runtime/crypto';
import { parachainsInherentData } from '@xstorage/runtime/pallets/relay';
import { HeadDataCodec, type ParaId, wellKnownKeys } from '@xstorage/runtime/parachains';
import { u64 } from '@xstorage/runtime/scale';
import type { AuthorityKey } from '../chain/aura.ts';
import type { Chain, InherentDataProvider } from '../chain/chain.ts';
import { ManualFinality } from '../chain/finality.ts';
import { NetworkCollationTransport, serveCollations } from '../collation/collation-transport.ts';
import { Collator, CollatorError } from '../collation/collator.ts';
import { inProcessRelay } from '../collation/relay-interface.ts';
import { RpcRelayChain } from '../collation/rpc-relay.ts';
import type { Node, NodeOptions } from '../node.ts';
import { type BackingEvent, CandidateBacking } from '../relay/backing.ts';
import { ParaCodeRegistry } from '../relay/para-code.ts';
import { describe } from './wire-errors.ts';

export type NodeRole =
  /** A standalone chain that seals its own blocks (`--dev`). */
  | { kind: 'standalone' }
  | { kind: 'relay-validator'; key: AuthorityKey }
  | { kind: 'relay-full' }
  | { kind: 'collator'; paraId: ParaId; key: AuthorityKey; relayRpcUrl: string; relayValidator: string }
  | { kind: 'para-full'; paraId: ParaId; relayRpcUrl?: string };

export interface RoleEvents {
  onError?(err: unknown): void;
  /** Relay validator: each collation's fate. Collator: what the validator answered. */
  onCandidate?(event: BackingEvent): void;
  /** Para full node: a block became final because the relay chain included it. */
  onParaFinalized?(number: number, hash: Uint8Array): void;
}

export class NodeRoleError extends Error {
  override readonly name = 'NodeRoleError';
}

const TIMESTAMP_NOW = storagePrefix('Timestamp', 'Now');

/** max(wall clock, the best block's timestamp): see the file comment. */
export function followerClock(chain: () => Chain | undefined): () => number {
  return () => {
    const c = chain();
    const raw = c?.bestTrie.get(TIMESTAMP_NOW);
    const chainTime = raw && raw.length === 8 ? Number(u64.decode(raw)) : 0;
    return Math.max(Date.now(), chainTime);
  };
}

export class RoleRunner {
  readonly role: NodeRole;
  readonly #events: RoleEvents;
  #node: Node | undefined;
  #backing: CandidateBacking | undefined;
  #collator: Collator | undefined;
  #relay: RpcRelayChain | undefined;
  #offFinalized: (() => void) | undefined;
  #finalizing: Promise<void> = Promise.resolve();
  #fetchingHead: Promise<void> | undefined;
  #stopped = false;

  constructor(role: NodeRole, events: RoleEvents = {}) {
    this.role = role;
    this.#events = events;
  }

  /** The node options the role needs on top of `base` (sealing, finality, inherent data, clock, authority). */
  nodeOptions(base: NodeOptions): NodeOptions {
    const r = this.role;
    switch (r.kind) {
      case 'standalone':
        return base;
      case 'relay-validator': {
        const provider: InherentDataProvider = (parent) =>
          this.#backing
            ? this.#backing.inherentDataProvider(parent)
            : [
                parachainsInherentData({
                  bitfields: [],
                  backed_candidates: [],
                  disputes: [],
                  parent_header: parent.parent,
                }),
              ];
        return {
          ...base,
          authority: r.key,
          inherentDataProviders: [...(base.inherentDataProviders ?? []), provider],
        };
      }
      case 'relay-full':
        return { ...base, sealing: { kind: 'external' }, clock: followerClock(() => this.#chain()) };
      case 'collator':
        return {
          ...base,
          authority: r.key,
          sealing: { kind: 'external' },
          finality: new ManualFinality(),
          network: base.network && { ...base.network, role: 'Authority' },
        };
      case 'para-full':
        return {
          ...base,
          sealing: { kind: 'external' },
          finality: new ManualFinality(),
          clock: followerClock(() => this.#chain()),
        };
    }
  }

  #chain(): Chain | undefined {
    try {
      return this.#node?.chain;
    } catch {
      return undefined;
    }
  }

  /** Call right after creating the node (before `node.start()`): the role reads the node's chain lazily. */
  attach(node: Node): void {
    this.#node = node;
  }

  /** Starts the role's work on a started node. */
  async start(node: Node): Promise<void> {
    this.#node = node;
    const r = this.role;
    const onError = (err: unknown) => this.#events.onError?.(err);
    if (r.kind === 'relay-validator') {
      const backing = new CandidateBacking({
        relay: inProcessRelay(node.chain),
        codes: new ParaCodeRegistry(),
        validator: r.key,
        onCollation: (e) => this.#events.onCandidate?.(e),
      });
      this.#backing = backing;
      await serveCollations(node.network, node.chain.genesisHash, (c) => backing.submit(c));
    } else if (r.kind === 'collator') {
      const relay = new RpcRelayChain({ url: r.relayRpcUrl, paraId: r.paraId });
      this.#relay = relay;
      const relayGenesis = await this.#untilRelayAnswers(() => relay.genesisHash());
      const transport = new NetworkCollationTransport(node.network, relayGenesis, r.relayValidator);
      const collator = new Collator({
        chain: node.chain,
        paraId: r.paraId,
        key: r.key,
        relay,
        submit: async (c) => {
          const e = await transport.submit(c);
          this.#events.onCandidate?.(e);
          return e;
        },
        onError: (err) => {
          onError(err);
          // The relay chain holds a head this node lacks (its database was lost or is behind): fetch it from peers.
          if (err instanceof CollatorError)
            void this.#fetchIncludedHead(node, relay, r.paraId).catch(onError);
        },
      });
      this.#collator = collator;
      collator.start();
    } else if (r.kind === 'para-full' && r.relayRpcUrl) {
      const relay = new RpcRelayChain({ url: r.relayRpcUrl, paraId: r.paraId });
      this.#relay = relay;
      this.#offFinalized = relay.onFinalized((head) => {
        this.#finalizing = this.#finalizing
          .then(() => this.#finalizeIncluded(node, relay, r.paraId, head.hash))
          .catch(onError);
      });
    }
  }

  /** The relay node may start after us: wait for its RPC (as a collator waits for its relay chain). */
  async #untilRelayAnswers<T>(fn: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      if (this.#stopped) throw new NodeRoleError('stopped while waiting for the relay chain');
      try {
        return await fn();
      } catch (err) {
        if (attempt === 0 || attempt % 20 === 0)
          this.#events.onError?.(new NodeRoleError(`waiting for the relay chain's RPC: ${describe(err)}`));
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  }

  /** Fetches (with its missing ancestors) the para head the relay chain holds at its best block, one at a time. */
  #fetchIncludedHead(node: Node, relay: RpcRelayChain, paraId: ParaId): Promise<void> {
    if (this.#fetchingHead) return this.#fetchingHead;
    this.#fetchingHead = (async () => {
      try {
        const best = await relay.best();
        const raw = await relay.storage(best.hash, wellKnownKeys.paraHead(paraId));
        if (!raw) return;
        const hash = headerHash(HeaderCodec.decode(HeadDataCodec.decode(raw)));
        if (!(await node.chain.db.hasBlock(hash))) await node.network.sync.fetchBlock(hash);
      } finally {
        this.#fetchingHead = undefined;
      }
    })();
    return this.#fetchingHead;
  }

  /** The para head the relay chain holds at `relayBlock` is final here (fetched from peers first if missing). */
  async #finalizeIncluded(
    node: Node,
    relay: RpcRelayChain,
    paraId: ParaId,
    relayBlock: Uint8Array,
  ): Promise<void> {
    if (this.#stopped) return;
    const raw = await relay.storage(relayBlock, wellKnownKeys.paraHead(paraId));
    if (!raw) return;
    const header = HeaderCodec.decode(HeadDataCodec.decode(raw));
    const chain = node.chain;
    if (header.number <= chain.db.finalized.number) return;
    const hash = headerHash(header);
    if (!(await chain.db.hasBlock(hash)) && !(await node.network.sync.fetchBlock(hash))) return;
    await chain.finalize(hash);
    this.#events.onParaFinalized?.(header.number, hash);
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#offFinalized?.();
    await this.#collator?.stop();
    await this.#finalizing.catch(() => {});
    this.#relay?.close();
  }
}

export interface RoleFlags {
  /** `--validator //Key` */
  validator?: AuthorityKey;
  /** `--collator //Key` */
  collator?: AuthorityKey;
  /** `--relay-rpc ws://…` */
  relayRpcUrl?: string;
  /** `--relay-bootnode <multiaddr>` */
  relayValidator?: string;
}

/** The role a node of a chain of `kind` takes with these flags; a contradiction is a NodeRoleError. */
export function chooseRole(chain: ChainKind, f: RoleFlags): NodeRole {
  const para = chain.kind === 'parachain' ? chain : undefined;
  if (f.validator && chain.kind !== 'relay')
    throw new NodeRoleError('--validator is for the relay chain (--chain relay)');
  if (f.collator && !para) throw new NodeRoleError('--collator is for a parachain (--chain crust, acala, …)');
  if ((f.relayRpcUrl || f.relayValidator) && !para)
    throw new NodeRoleError('--relay-rpc and --relay-bootnode are for a parachain node');
  if (chain.kind === 'standalone') return { kind: 'standalone' };
  if (chain.kind === 'relay')
    return f.validator ? { kind: 'relay-validator', key: f.validator } : { kind: 'relay-full' };
  const paraId = (chain as { paraId: number }).paraId;
  if (f.collator) {
    if (!f.relayRpcUrl || !f.relayValidator)
      throw new NodeRoleError(
        '--collator needs --relay-rpc <ws://relay node> and --relay-bootnode <relay validator multiaddr>',
      );
    return {
      kind: 'collator',
      paraId,
      key: f.collator,
      relayRpcUrl: f.relayRpcUrl,
      relayValidator: f.relayValidator,
    };
  }
  if (f.relayValidator) throw new NodeRoleError('--relay-bootnode is for a collator (with --collator)');
  return { kind: 'para-full', paraId, relayRpcUrl: f.relayRpcUrl };
}

/** A runtime profile's role (runtimes/profile.ts `ChainRole`). */
export type ChainKind = { kind: 'standalone' } | { kind: 'relay' } | { kind: 'parachain'; paraId: number };
