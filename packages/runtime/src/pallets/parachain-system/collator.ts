/**
 * What the collator needs from this pallet around a block: the relay keys to prove and the inherent data to build
 * a block on a relay parent, and after the block the outputs its candidate commits to (cumulus
 * `collect_collation_info` / the `CollectCollationInfo` runtime API).
 */
import { type Header, HeaderCodec } from '../../block/header.ts';
import type { RuntimeApiDecl, RuntimeApiImpl } from '../../frame/runtime-version.ts';
import type { PersistedValidationData } from '../../parachains/candidate.ts';
import { HeadDataCodec, type ParaId } from '../../parachains/ids.ts';
import {
  type InboundDownwardMessage,
  type InboundHrmpMessage,
  type OutboundHrmpMessage,
  OutboundHrmpMessageCodec,
} from '../../parachains/messages.ts';
import { ValidationCodeCodec } from '../../parachains/ids.ts';
import type { Codec } from '../../scale/codec.ts';
import { option, struct, vec } from '../../scale/composite.ts';
import { bytes, u32 } from '../../scale/primitives.ts';
import {
  CustomValidationHeadData,
  HrmpOutboundMessages,
  HrmpWatermark,
  NewValidationCode,
  ProcessedDownwardMessages,
  UpwardMessages,
} from './items.ts';
import { collectRelayStateKeys } from './relay-state.ts';
import { type ParachainInherentData, storageProof } from './types.ts';

/** The commitments a block's execution produced (all but the head, which is the block's header). */
export interface CandidateOutputs {
  upward_messages: Uint8Array[];
  horizontal_messages: OutboundHrmpMessage[];
  new_validation_code: Uint8Array | undefined;
  processed_downward_messages: number;
  hrmp_watermark: number;
  /** `CustomValidationHeadData`: replaces the header as the candidate's head when set. */
  custom_head_data: Uint8Array | undefined;
}

/** Reads the outputs from the state after the block (call inside the runtime env, on the block's post-state). */
export function candidateOutputs(): CandidateOutputs {
  return {
    upward_messages: UpwardMessages.get(),
    horizontal_messages: HrmpOutboundMessages.get(),
    new_validation_code: NewValidationCode.get(),
    processed_downward_messages: ProcessedDownwardMessages.get(),
    hrmp_watermark: HrmpWatermark.get(),
    custom_head_data: CustomValidationHeadData.get(),
  };
}

/** `cumulus_primitives_core::CollationInfo` (CollectCollationInfo v2). */
export interface CollationInfo {
  upward_messages: Uint8Array[];
  horizontal_messages: OutboundHrmpMessage[];
  new_validation_code: Uint8Array | undefined;
  processed_downward_messages: number;
  hrmp_watermark: number;
  head_data: Uint8Array;
}
export const CollationInfoCodec: Codec<CollationInfo> = struct(
  {
    upward_messages: vec(bytes),
    horizontal_messages: vec(OutboundHrmpMessageCodec),
    new_validation_code: option(ValidationCodeCodec),
    processed_downward_messages: u32,
    hrmp_watermark: u32,
    head_data: HeadDataCodec,
  },
  {
    upward_messages: 'Vec<UpwardMessage>',
    horizontal_messages: 'Vec<OutboundHrmpMessage>',
    new_validation_code: 'Option<relay_chain::ValidationCode>',
    processed_downward_messages: 'u32',
    hrmp_watermark: 'relay_chain::BlockNumber',
    head_data: 'HeadData',
  },
).named(['cumulus_primitives_core', 'CollationInfo']);

/** `collect_collation_info(header)`: the outputs, with the header (or the custom head) as head data. */
export function collectCollationInfo(header: Header): CollationInfo {
  const o = candidateOutputs();
  return {
    upward_messages: o.upward_messages,
    horizontal_messages: o.horizontal_messages,
    new_validation_code: o.new_validation_code,
    processed_downward_messages: o.processed_downward_messages,
    hrmp_watermark: o.hrmp_watermark,
    head_data: o.custom_head_data ?? HeaderCodec.encode(header),
  };
}

export const CollectCollationInfoApi: RuntimeApiDecl = {
  name: 'CollectCollationInfo',
  version: 2,
  docs: [' Runtime api to collect information about a collation.'],
  methods: {
    collect_collation_info: {
      inputs: [['header', HeaderCodec]],
      output: CollationInfoCodec,
      docs: [' Collect information about a collation.'],
    },
  },
};

/** The `CollectCollationInfo` implementation (add it to a parachain runtime's APIs). */
export const collectCollationInfoApi: RuntimeApiImpl = {
  api: CollectCollationInfoApi,
  methods: { collect_collation_info: (header: Header) => collectCollationInfo(header) },
};

export interface RelayParentView {
  paraId: ParaId;
  /** The relay parent's number and state root; the para's head there; the PoV limit. */
  validationData: PersistedValidationData;
  /** A read of the relay state at the relay parent. */
  readRelay(key: Uint8Array): Uint8Array | undefined;
  /** A proof of `keys` (present or absent) against the relay parent's state root. */
  proveRelay(keys: Uint8Array[]): Uint8Array[];
  /** The para's downward queue at the relay parent, oldest first. */
  downwardMessages: InboundDownwardMessage[];
  /** Per ingress sender, its channel's contents at the relay parent, oldest first. */
  horizontalMessages: Map<ParaId, InboundHrmpMessage[]>;
}

/** The `ParachainInherentData` for a block on a relay parent: proves exactly the keys the pallet reads. */
export function buildParachainInherentData(view: RelayParentView): ParachainInherentData {
  const { keys } = collectRelayStateKeys(view.paraId, view.readRelay);
  return {
    validation_data: view.validationData,
    relay_chain_state: storageProof(view.proveRelay(keys)),
    downward_messages: view.downwardMessages,
    horizontal_messages: new Map([...view.horizontalMessages].sort((a, b) => a[0] - b[0])),
  };
}
