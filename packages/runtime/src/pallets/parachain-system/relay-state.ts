/**
 * Reading the relay chain's state at the relay parent from the storage proof in the inherent (cumulus
 * `relay_state_snapshot::RelayChainStateProof`): the proof must contain the node whose hash is the relay parent's
 * storage root; every read is a lookup through proven nodes, so a missing or altered node is an error, and a key
 * the proof shows absent reads as absent. Entries decode as Rust's `Decode` does (a prefix; the abridged host
 * configuration and channel are prefixes of the relay's full values).
 */
import type { AbridgedHostConfiguration, AbridgedHrmpChannel } from '../../parachains/host-config.ts';
import {
  AbridgedHostConfigurationCodec,
  AbridgedHrmpChannelCodec,
  type UpgradeGoAhead,
  UpgradeGoAheadCodec,
  type UpgradeRestriction,
  UpgradeRestrictionCodec,
} from '../../parachains/host-config.ts';
import { HeadDataCodec, type ParaId, ParaIdCodec } from '../../parachains/ids.ts';
import { wellKnownKeys } from '../../parachains/index.ts';
import { H256 } from '../../extrinsic/primitives.ts';
import type { Codec } from '../../scale/codec.ts';
import { tuple, vec } from '../../scale/composite.ts';
import { u32 } from '../../scale/primitives.ts';
import { ProofDatabase } from '../../trie/proof-source.ts';
import { ProofTrie } from '../../trie/proof-trie.ts';
import { type MessagingStateSnapshot, RelayDispatchQueueRemainingCapacityCodec } from './types.ts';

/** cumulus `relay_state_snapshot::Error` (with `ReadEntryErr` as `cause`). */
export type RelayStateErrorKind =
  | 'RootMismatch'
  | 'Config'
  | 'DmqMqcHead'
  | 'RelayDispatchQueueRemainingCapacity'
  | 'HrmpIngressChannelIndex'
  | 'HrmpEgressChannelIndex'
  | 'HrmpChannel'
  | 'UpgradeGoAhead'
  | 'UpgradeRestriction'
  | 'ParaHead';
/** `ReadEntryErr`: not provable from the proof, not decodable, or absent where a value is required. */
export type ReadEntryErr = 'Proof' | 'Decode' | 'Absent';

export class RelayStateProofError extends Error {
  override name = 'RelayStateProofError';
  constructor(
    readonly kind: RelayStateErrorKind,
    readonly entry: ReadEntryErr | undefined,
    detail: string,
  ) {
    super(`relay state proof: ${kind}${entry ? ` (${entry})` : ''}: ${detail}`);
  }
}

const ParaIdsCodec = vec(ParaIdCodec);
const QueueSizeCodec = tuple(u32, u32) as unknown as Codec<[number, number]>;

export class RelayChainStateProof {
  readonly #trie: ProofTrie;

  /** Items are hashed once; the proof's size and item count are bounded (trie/proof-source.ts limits). */
  constructor(
    readonly paraId: ParaId,
    readonly root: Uint8Array,
    nodes: Iterable<Uint8Array>,
  ) {
    let db: ProofDatabase;
    try {
      db = new ProofDatabase([...nodes]);
    } catch (err) {
      throw new RelayStateProofError('RootMismatch', undefined, (err as Error).message);
    }
    if (!(root instanceof Uint8Array) || root.length !== 32 || db.fetch(root) === undefined)
      throw new RelayStateProofError(
        'RootMismatch',
        undefined,
        'no node of the proof hashes to the relay parent storage root',
      );
    // Reads only: the version matters for writes, and V1 reads both inline and hashed values.
    this.#trie = new ProofTrie(root, db, 1);
  }

  /** The raw value under `key`; undefined when the proof shows it absent; 'Proof' when it cannot tell. */
  readRaw(key: Uint8Array): Uint8Array | undefined | 'Proof' {
    try {
      return this.#trie.get(key)?.slice();
    } catch {
      return 'Proof';
    }
  }

  /** `read_entry`: the decoded value, `fallback` when absent, or a `ReadEntryErr`. */
  readEntry<T>(key: Uint8Array, codec: Codec<T>, fallback?: () => T): T | ReadEntryErr {
    const raw = this.readRaw(key);
    if (raw === 'Proof') return 'Proof';
    if (raw === undefined) return fallback ? fallback() : 'Absent';
    try {
      return codec.decodeAt(raw, 0)[0];
    } catch {
      return 'Decode';
    }
  }

  #required<T>(kind: RelayStateErrorKind, key: Uint8Array, codec: Codec<T>, fallback?: () => T): T {
    const v = this.readEntry(key, codec, fallback);
    if (v === 'Proof' || v === 'Decode' || v === 'Absent')
      throw new RelayStateProofError(kind, v as ReadEntryErr, `key 0x${Buffer.from(key).toString('hex')}`);
    return v as T;
  }

  #optional<T>(kind: RelayStateErrorKind, key: Uint8Array, codec: Codec<T>): T | undefined {
    const raw = this.readRaw(key);
    if (raw === 'Proof')
      throw new RelayStateProofError(kind, 'Proof', `key 0x${Buffer.from(key).toString('hex')}`);
    if (raw === undefined) return undefined;
    try {
      return codec.decodeAt(raw, 0)[0];
    } catch {
      throw new RelayStateProofError(kind, 'Decode', `key 0x${Buffer.from(key).toString('hex')}`);
    }
  }

  /** `read_abridged_host_configuration` (required). */
  readAbridgedHostConfiguration(): AbridgedHostConfiguration {
    return this.#required('Config', wellKnownKeys.ACTIVE_CONFIG, AbridgedHostConfigurationCodec);
  }

  /** `read_messaging_state_snapshot`. */
  readMessagingStateSnapshot(host: AbridgedHostConfiguration): MessagingStateSnapshot {
    const id = this.paraId;
    const dmq_mqc_head = this.#required(
      'DmqMqcHead',
      wellKnownKeys.dmqMqcHead(id),
      H256,
      () => new Uint8Array(32),
    );
    // Absent: fall back to the deprecated queue size (cumulus, paritytech/polkadot#6283), (0, 0) when absent too.
    const relay_dispatch_queue_remaining_capacity =
      this.#optional(
        'RelayDispatchQueueRemainingCapacity',
        wellKnownKeys.relayDispatchQueueRemainingCapacity(id),
        RelayDispatchQueueRemainingCapacityCodec,
      ) ??
      (() => {
        const [count, size] = this.#required(
          'RelayDispatchQueueRemainingCapacity',
          wellKnownKeys.relayDispatchQueueSize(id),
          QueueSizeCodec,
          () => [0, 0] as [number, number],
        );
        return {
          remaining_count: Math.max(0, host.max_upward_queue_count - count),
          remaining_size: Math.max(0, host.max_upward_queue_size - size),
        };
      })();
    const ingress = this.#required(
      'HrmpIngressChannelIndex',
      wellKnownKeys.hrmpIngressChannelIndex(id),
      ParaIdsCodec,
      () => [],
    );
    const egress = this.#required(
      'HrmpEgressChannelIndex',
      wellKnownKeys.hrmpEgressChannelIndex(id),
      ParaIdsCodec,
      () => [],
    );
    const channel = (sender: ParaId, recipient: ParaId): AbridgedHrmpChannel =>
      this.#required(
        'HrmpChannel',
        wellKnownKeys.hrmpChannels({ sender, recipient }),
        AbridgedHrmpChannelCodec,
      );
    return {
      dmq_mqc_head,
      relay_dispatch_queue_remaining_capacity,
      ingress_channels: ingress.map(
        (sender) => [sender, channel(sender, id)] as [ParaId, AbridgedHrmpChannel],
      ),
      egress_channels: egress.map(
        (recipient) => [recipient, channel(id, recipient)] as [ParaId, AbridgedHrmpChannel],
      ),
    };
  }

  /** `read_included_para_head`: the relay's latest included head of ours (optional: old collators omit it). */
  readIncludedParaHead(): Uint8Array | undefined {
    return this.#optional('ParaHead', wellKnownKeys.paraHead(this.paraId), HeadDataCodec);
  }

  readUpgradeGoAheadSignal(): UpgradeGoAhead | undefined {
    return this.#optional(
      'UpgradeGoAhead',
      wellKnownKeys.upgradeGoAheadSignal(this.paraId),
      UpgradeGoAheadCodec,
    );
  }

  readUpgradeRestrictionSignal(): UpgradeRestriction | undefined {
    return this.#optional(
      'UpgradeRestriction',
      wellKnownKeys.upgradeRestrictionSignal(this.paraId),
      UpgradeRestrictionCodec,
    );
  }
}

/**
 * The relay keys a block of para `paraId` on a relay parent must prove (what `set_validation_data` reads): the
 * active host configuration, our DMQ head, our upward-queue room (and the deprecated queue size it falls back to),
 * our channel indexes and every channel in them,
 * the code-upgrade signals and our included head. A collator reads the two indexes first (see `collectRelayStateKeys`).
 */
export function relayStateKeys(
  paraId: ParaId,
  ingressSenders: readonly ParaId[],
  egressRecipients: readonly ParaId[],
): Uint8Array[] {
  return [
    wellKnownKeys.ACTIVE_CONFIG,
    wellKnownKeys.dmqMqcHead(paraId),
    wellKnownKeys.relayDispatchQueueRemainingCapacity(paraId),
    wellKnownKeys.relayDispatchQueueSize(paraId),
    wellKnownKeys.hrmpIngressChannelIndex(paraId),
    wellKnownKeys.hrmpEgressChannelIndex(paraId),
    wellKnownKeys.upgradeGoAheadSignal(paraId),
    wellKnownKeys.upgradeRestrictionSignal(paraId),
    wellKnownKeys.paraHead(paraId),
    ...ingressSenders.map((sender) => wellKnownKeys.hrmpChannels({ sender, recipient: paraId })),
    ...egressRecipients.map((recipient) => wellKnownKeys.hrmpChannels({ sender: paraId, recipient })),
  ];
}

/** `relayStateKeys` with the channel indexes read from the relay state at the relay parent. */
export function collectRelayStateKeys(
  paraId: ParaId,
  read: (key: Uint8Array) => Uint8Array | undefined,
): { keys: Uint8Array[]; ingressSenders: ParaId[]; egressRecipients: ParaId[] } {
  const index = (key: Uint8Array): ParaId[] => {
    const raw = read(key);
    return raw === undefined ? [] : ParaIdsCodec.decodeAt(raw, 0)[0];
  };
  const ingressSenders = index(wellKnownKeys.hrmpIngressChannelIndex(paraId));
  const egressRecipients = index(wellKnownKeys.hrmpEgressChannelIndex(paraId));
  return { keys: relayStateKeys(paraId, ingressSenders, egressRecipients), ingressSenders, egressRecipients };
}
