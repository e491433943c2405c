/**
 * cumulus parachain-system's types under their Rust paths: the `ParachainInherentData` the collator hands the
 * runtime (`cumulus_primitives_parachain_inherent`, inherent `sysi1337`), `sp_trie::StorageProof`, the
 * `MessageQueueChain` head newtype, the relay messaging snapshot the pallet keeps (`relay_state_snapshot`), the
 * parachain `AggregateMessageOrigin` (cumulus_primitives_core) MessageQueue is keyed by, and the pallet's Config.
 */
import { newtype } from '../../extrinsic/newtype.ts';
import { H256 } from '../../extrinsic/primitives.ts';
import type { Weight } from '../../frame/weights.ts';
import { type PersistedValidationData, PersistedValidationDataCodec } from '../../parachains/candidate.ts';
import { type AbridgedHrmpChannel, AbridgedHrmpChannelCodec } from '../../parachains/host-config.ts';
import { type ParaId, ParaIdCodec } from '../../parachains/ids.ts';
import {
  type InboundDownwardMessage,
  InboundDownwardMessageCodec,
  type InboundHrmpMessage,
  InboundHrmpMessageCodec,
} from '../../parachains/messages.ts';
import type { Codec } from '../../scale/codec.ts';
import { btreeMap, btreeSet, enumeration, struct, tuple, vec } from '../../scale/composite.ts';
import { bytes, u32 } from '../../scale/primitives.ts';

/** `cumulus_primitives_parachain_inherent::INHERENT_IDENTIFIER`. */
export const PARACHAIN_INHERENT_IDENTIFIER = 'sysi1337';

/** `sp_trie::StorageProof { trie_nodes: BTreeSet<Vec<u8>> }`: the nodes, sorted and deduplicated. */
export interface StorageProof {
  trie_nodes: Set<Uint8Array>;
}
export const StorageProofCodec: Codec<StorageProof> = struct(
  { trie_nodes: btreeSet(bytes) },
  { trie_nodes: 'BTreeSet<Vec<u8>>' },
).named(['sp_trie', 'storage_proof', 'StorageProof']);

/** A proof as a plain node list (what `Trie.proof` returns) in the codec's form. */
export function storageProof(nodes: Iterable<Uint8Array>): StorageProof {
  return { trie_nodes: new Set(nodes) };
}

/** `ParachainInherentData`: what the collator proves and relays into each block. */
export interface ParachainInherentData {
  validation_data: PersistedValidationData;
  relay_chain_state: StorageProof;
  /** The para's whole downward queue as of the relay parent, oldest first. */
  downward_messages: InboundDownwardMessage[];
  /** Per sender, the messages of its channel to us as of the relay parent, oldest first. */
  horizontal_messages: Map<ParaId, InboundHrmpMessage[]>;
}
export const ParachainInherentDataCodec: Codec<ParachainInherentData> = struct(
  {
    validation_data: PersistedValidationDataCodec,
    relay_chain_state: StorageProofCodec,
    downward_messages: vec(InboundDownwardMessageCodec),
    horizontal_messages: btreeMap(ParaIdCodec, vec(InboundHrmpMessageCodec)),
  },
  {
    validation_data: 'PersistedValidationData',
    relay_chain_state: 'sp_trie::StorageProof',
    downward_messages: 'Vec<InboundDownwardMessage>',
    horizontal_messages: 'BTreeMap<ParaId, Vec<InboundHrmpMessage>>',
  },
).named(['cumulus_primitives_parachain_inherent', 'ParachainInherentData']);

/** `MessageQueueChain(RelayHash)`: the running MQC head of a queue. */
export const MessageQueueChainCodec: Codec<Uint8Array> = newtype(
  H256,
  ['cumulus_primitives_parachain_inherent', 'MessageQueueChain'],
  'RelayHash',
);

/** `RelayDispatchQueueRemainingCapacity`: room left in our upward queue on the relay. */
export interface RelayDispatchQueueRemainingCapacity {
  remaining_count: number;
  remaining_size: number;
}
export const RelayDispatchQueueRemainingCapacityCodec: Codec<RelayDispatchQueueRemainingCapacity> = struct(
  { remaining_count: u32, remaining_size: u32 },
  { remaining_count: 'u32', remaining_size: 'u32' },
).named(['cumulus_pallet_parachain_system', 'relay_state_snapshot', 'RelayDispatchQueueRemainingCapacity']);

/** `MessagingStateSnapshot`: the relay's messaging state for us at the relay parent; channels sorted by para id. */
export interface MessagingStateSnapshot {
  dmq_mqc_head: Uint8Array;
  relay_dispatch_queue_remaining_capacity: RelayDispatchQueueRemainingCapacity;
  ingress_channels: Array<[ParaId, AbridgedHrmpChannel]>;
  egress_channels: Array<[ParaId, AbridgedHrmpChannel]>;
}
export const MessagingStateSnapshotCodec: Codec<MessagingStateSnapshot> = struct(
  {
    dmq_mqc_head: H256,
    relay_dispatch_queue_remaining_capacity: RelayDispatchQueueRemainingCapacityCodec,
    ingress_channels: vec(tuple(ParaIdCodec, AbridgedHrmpChannelCodec)),
    egress_channels: vec(tuple(ParaIdCodec, AbridgedHrmpChannelCodec)),
  },
  {
    dmq_mqc_head: 'relay_chain::Hash',
    relay_dispatch_queue_remaining_capacity: 'RelayDispatchQueueRemainingCapacity',
    ingress_channels: 'Vec<(ParaId, AbridgedHrmpChannel)>',
    egress_channels: 'Vec<(ParaId, AbridgedHrmpChannel)>',
  },
).named([
  'cumulus_pallet_parachain_system',
  'relay_state_snapshot',
  'MessagingStateSnapshot',
]) as unknown as Codec<MessagingStateSnapshot>;

/** `cumulus_primitives_core::AggregateMessageOrigin`: the parachain's MessageQueue origins. */
export type AggregateMessageOrigin =
  | { type: 'Here' }
  | { type: 'Parent' }
  | { type: 'Sibling'; value: ParaId };
export const AggregateMessageOriginCodec: Codec<AggregateMessageOrigin> = enumeration({
  Here: [0],
  Parent: [1],
  Sibling: [2, ParaIdCodec],
}).named(['cumulus_primitives_core', 'AggregateMessageOrigin']) as Codec<AggregateMessageOrigin>;

/** `CheckAssociatedRelayNumber`: how the relay parent number may move between our blocks. */
export type RelayNumberRule = 'StrictlyIncreases' | 'MonotonicallyIncreases' | 'Any';

export interface ParachainSystemWeightInfo {
  /** `enqueue_inbound_downward_messages(n)` = base + n × perMessage. */
  enqueueInboundDownwardMessagesBase: Weight;
  enqueueInboundDownwardMessagesPerMessage: Weight;
}

export interface ParachainSystemConfig {
  /** `SelfParaId` (cumulus reads it from parachain-info). */
  selfParaId: ParaId | (() => ParaId);
  /** `DmpQueue: HandleMessage`: downward messages go here (MessageQueue, origin Parent). */
  dmpQueue: { handleMessages(messages: Uint8Array[]): void; maxMessageLen(): number };
  /** `XcmpMessageHandler` (xcmp-queue's `handleXcmpMessages`). */
  xcmpMessageHandler: {
    handleXcmpMessages(pages: Iterable<readonly [ParaId, number, Uint8Array]>, maxWeight: Weight): Weight;
  };
  /** `OutboundXcmpMessageSource` (xcmp-queue's `takeOutboundMessages`). */
  outboundXcmpMessageSource: { takeOutboundMessages(maximumChannels: number): Array<[ParaId, Uint8Array]> };
  /** `ReservedXcmpWeight`: the most inbound HRMP handling may use per block. */
  reservedXcmpWeight: Weight;
  /** `ReservedDmpWeight`. */
  reservedDmpWeight: Weight;
  /** `CheckAssociatedRelayNumber` (cumulus default for async backing: MonotonicallyIncreases). */
  checkAssociatedRelayNumber: RelayNumberRule;
  /**
   * `ConsensusHook = ExpectParentIncluded`: refuse a block unless the relay parent's head of this para is our
   * parent block (no unincluded segment: each block waits for its parent's inclusion). Needs `Paras::Heads` proven.
   */
  expectParentIncluded?: boolean;
  /** `OnSystemEvent::on_validation_data`. */
  onValidationData?(data: PersistedValidationData): void;
  /** `OnSystemEvent::on_validation_code_applied`. */
  onValidationCodeApplied?(): void;
  weights?: Partial<ParachainSystemWeightInfo>;
}
