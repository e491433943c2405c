/** cumulus-pallet-parachain-system storage, events and errors, with cumulus's names, types and indices. */
import { H256 } from '../../extrinsic/primitives.ts';
import { pallet } from '../../frame/pallet.ts';
import { addWeight, ROCKS_DB_WEIGHT, type Weight, WeightCodec, weight } from '../../frame/weights.ts';
import { PersistedValidationDataCodec } from '../../parachains/candidate.ts';
import {
  AbridgedHostConfigurationCodec,
  type UpgradeGoAhead,
  UpgradeGoAheadCodec,
  type UpgradeRestriction,
  UpgradeRestrictionCodec,
} from '../../parachains/host-config.ts';
import { ParaIdCodec } from '../../parachains/ids.ts';
import { OutboundHrmpMessageCodec } from '../../parachains/messages.ts';
import type { Codec } from '../../scale/codec.ts';
import { btreeMap, option, vec } from '../../scale/composite.ts';
import { bool, bytes, bytesFixed, u32 } from '../../scale/primitives.ts';
import { FIXED_ONE, FixedU128Codec } from '../transaction-payment/index.ts';
import {
  MessageQueueChainCodec,
  MessagingStateSnapshotCodec,
  type ParachainSystemConfig,
  type ParachainSystemWeightInfo,
  StorageProofCodec,
} from './types.ts';

export const p = pallet<ParachainSystemConfig>('ParachainSystem', {
  module: 'cumulus_pallet_parachain_system',
});

/** `Option<T>` stored under ValueQuery (default None): `'None'` stands for None in JS. */
function optionValue<T extends string>(of: Codec<T>): Codec<T | 'None'> {
  return option(of).map<T | 'None'>(
    (v) => (v === undefined ? 'None' : (v as T)),
    (v) => (v === 'None' ? undefined : v) as never,
  );
}

const UpwardMessageCodec = bytes;

export const PendingValidationCode = p.value('PendingValidationCode', bytes, {
  default: new Uint8Array(0),
  docs: [
    ' In case of a scheduled upgrade, this storage field contains the validation code to be',
    ' applied.',
  ],
});
export const NewValidationCode = p.value('NewValidationCode', bytes, {
  docs: [
    ' Validation code that is set by the parachain and is to be communicated to collator and',
    ' consequently the relay-chain.',
    '',
    ' This will be cleared in `on_initialize` of each new block if no other pallet already set',
    ' the value.',
  ],
});
export const ValidationData = p.value('ValidationData', PersistedValidationDataCodec, {
  docs: [
    ' The [`PersistedValidationData`] set for this block.',
    " This value is expected to be set only once per block and it's never stored",
    ' in the trie.',
  ],
});
export const DidSetValidationCode = p.value('DidSetValidationCode', bool, {
  default: false,
  docs: [' Were the validation data set to notify the relay chain?'],
});
export const LastRelayChainBlockNumber = p.value('LastRelayChainBlockNumber', u32, {
  default: 0,
  docs: [
    ' The relay chain block number associated with the last parachain block.',
    '',
    ' This is updated in `on_finalize`.',
  ],
});
export const UpgradeRestrictionSignal = p.value(
  'UpgradeRestrictionSignal',
  optionValue<UpgradeRestriction>(UpgradeRestrictionCodec),
  {
    default: 'None' as UpgradeRestriction | 'None',
    docs: [
      ' An option which indicates if the relay-chain restricts signalling a validation code upgrade.',
      ' In other words, if this is `Some` and [`NewValidationCode`] is `Some` then the produced',
      ' candidate will be invalid.',
    ],
  },
);
export const UpgradeGoAheadStorage = p.value(
  'UpgradeGoAhead',
  optionValue<UpgradeGoAhead>(UpgradeGoAheadCodec),
  {
    default: 'None' as UpgradeGoAhead | 'None',
    docs: [' Optional upgrade go-ahead signal from the relay-chain.'],
  },
);
export const RelayStateProof = p.value('RelayStateProof', StorageProofCodec, {
  docs: [' The state proof for the last relay parent block.'],
});
export const RelevantMessagingState = p.value('RelevantMessagingState', MessagingStateSnapshotCodec, {
  docs: [
    ' The snapshot of some state related to messaging relevant to the current parachain as per',
    ' the relay parent.',
  ],
});
export const HostConfiguration = p.value('HostConfiguration', AbridgedHostConfigurationCodec, {
  docs: [' The parachain host configuration that was obtained from the relay parent.'],
});
export const LastDmqMqcHead = p.value('LastDmqMqcHead', MessageQueueChainCodec, {
  default: new Uint8Array(32),
  docs: [' The last downward message queue chain head we have observed.'],
});
export const LastHrmpMqcHeads = p.value('LastHrmpMqcHeads', btreeMap(ParaIdCodec, MessageQueueChainCodec), {
  default: new Map(),
  docs: [' The message queue chain heads we have observed per each channel incoming channel.'],
});
export const ProcessedDownwardMessages = p.value('ProcessedDownwardMessages', u32, {
  default: 0,
  docs: [
    ' Number of downward messages processed in a block.',
    '',
    ' This will be cleared in `on_initialize` of each new block.',
  ],
});
export const HrmpWatermark = p.value('HrmpWatermark', u32, {
  default: 0,
  docs: [
    ' HRMP watermark that was set in a block.',
    '',
    ' This will be cleared in `on_initialize` of each new block.',
  ],
});
export const HrmpOutboundMessages = p.value('HrmpOutboundMessages', vec(OutboundHrmpMessageCodec), {
  default: [],
  docs: [
    ' HRMP messages that were sent in a block.',
    '',
    ' This will be cleared in `on_initialize` of each new block.',
  ],
});
export const UpwardMessages = p.value('UpwardMessages', vec(UpwardMessageCodec), {
  default: [],
  docs: [
    ' Upward messages that were sent in a block.',
    '',
    ' This will be cleared in `on_initialize` of each new block.',
  ],
});
export const PendingUpwardMessages = p.value('PendingUpwardMessages', vec(UpwardMessageCodec), {
  default: [],
  docs: [' Upward messages that are still pending and not yet send to the relay chain.'],
});
export const UpwardDeliveryFeeFactor = p.value('UpwardDeliveryFeeFactor', FixedU128Codec, {
  default: FIXED_ONE,
  docs: [' The factor to multiply the base delivery fee by for UMP.'],
});
export const AnnouncedHrmpMessagesPerCandidate = p.value('AnnouncedHrmpMessagesPerCandidate', u32, {
  default: 0,
  docs: [
    ' The number of HRMP messages we observed in `on_initialize` and thus used that number for',
    ' announcing the weight of `on_initialize` and `on_finalize`.',
  ],
});
export const ReservedXcmpWeightOverride = p.value('ReservedXcmpWeightOverride', WeightCodec, {
  docs: [
    ' The weight we reserve at the beginning of the block for processing XCMP messages. This',
    ' overrides the amount set in the Config trait.',
  ],
});
export const ReservedDmpWeightOverride = p.value('ReservedDmpWeightOverride', WeightCodec, {
  docs: [
    ' The weight we reserve at the beginning of the block for processing DMP messages. This',
    ' overrides the amount set in the Config trait.',
  ],
});
export const CustomValidationHeadData = p.value('CustomValidationHeadData', bytes, {
  docs: [' A custom head data that should be returned as result of `validate_block`.'],
});

export const ParachainSystemEvent = p.events({
  ValidationFunctionStored: [0, undefined, [' The validation function has been scheduled to apply.']],
  ValidationFunctionApplied: [
    1,
    { relay_chain_block_num: u32 },
    [' The validation function was applied as of the contained relay chain block number.'],
  ],
  ValidationFunctionDiscarded: [2, undefined, [' The relay-chain aborted the upgrade process.']],
  DownwardMessagesReceived: [
    3,
    { count: u32 },
    [' Some downward messages have been received and will be processed.'],
  ],
  DownwardMessagesProcessed: [
    4,
    { weight_used: WeightCodec, dmq_head: H256 },
    [' Downward messages were processed using the given weight.'],
  ],
  UpwardMessageSent: [
    5,
    { message_hash: option(bytesFixed(32)) },
    [' An upward message was sent to the relay chain.'],
  ],
});

export const ParachainSystemError = p.errors({
  OverlappingUpgrades: [0, [' Attempt to upgrade validation function while existing upgrade pending.']],
  ProhibitedByPolkadot: [
    1,
    [' Polkadot currently prohibits this parachain from upgrading its validation function.'],
  ],
  TooBig: [
    2,
    [
      ' The supplied validation function has compiled into a blob larger than Polkadot is',
      ' willing to run.',
    ],
  ],
  ValidationDataNotAvailable: [
    3,
    [' The inherent which supplies the validation data did not run this block.'],
  ],
  HostConfigurationNotAvailable: [
    4,
    [' The inherent which supplies the host configuration did not run this block.'],
  ],
  NotScheduled: [5, [' No validation function upgrade is currently scheduled.']],
  NothingAuthorized: [6, [' No code upgrade has been authorized.']],
  Unauthorized: [7, [' The given code upgrade has not been authorized.']],
});

const db = (reads: number, writes: number): Weight =>
  weight(reads * Number(ROCKS_DB_WEIGHT.read) + writes * Number(ROCKS_DB_WEIGHT.write), 0);

/** cumulus parachain-system `weights.rs` (`enqueue_inbound_downward_messages(n)`), with RocksDbWeight. */
export const DEFAULT_WEIGHTS: ParachainSystemWeightInfo = {
  enqueueInboundDownwardMessagesBase: addWeight(weight(1_735_000, 8013), db(4, 4)),
  enqueueInboundDownwardMessagesPerMessage: weight(25_300_108, 0),
};

export function weights(): ParachainSystemWeightInfo {
  const w = p.config().weights;
  return w ? { ...DEFAULT_WEIGHTS, ...w } : DEFAULT_WEIGHTS;
}

export { db };
