export {
  buildParachainInherentData,
  type CandidateOutputs,
  candidateOutputs,
  type CollationInfo,
  CollationInfoCodec,
  CollectCollationInfoApi,
  collectCollationInfo,
  collectCollationInfoApi,
  type RelayParentView,
} from './collator.ts';
export {
  dropProcessedMessages,
  ParachainInherentDataError,
  parachainInherentDataEntry,
  parachainSystemInherent,
  readParachainInherentData,
} from './inherent.ts';
export {
  AnnouncedHrmpMessagesPerCandidate,
  CustomValidationHeadData,
  DEFAULT_WEIGHTS as ParachainSystemDefaultWeights,
  DidSetValidationCode,
  HostConfiguration,
  HrmpOutboundMessages,
  HrmpWatermark,
  LastDmqMqcHead,
  LastHrmpMqcHeads,
  LastRelayChainBlockNumber,
  NewValidationCode,
  ParachainSystemError,
  ParachainSystemEvent,
  PendingUpwardMessages,
  PendingValidationCode,
  ProcessedDownwardMessages,
  RelayStateProof,
  RelevantMessagingState,
  ReservedDmpWeightOverride,
  ReservedXcmpWeightOverride,
  UpgradeGoAheadStorage,
  UpgradeRestrictionSignal,
  UpwardDeliveryFeeFactor,
  UpwardMessages,
  ValidationData,
} from './items.ts';
export { moveUpwardMessages, outgoingChannels, parachainChannelInfo, sendUpwardMessage } from './outbound.ts';
export { ParachainSystem, selfParaId } from './pallet.ts';
export { ParachainSystemPanic, type ParachainSystemPanicReason } from './panic.ts';
export {
  collectRelayStateKeys,
  type ReadEntryErr,
  RelayChainStateProof,
  type RelayStateErrorKind,
  RelayStateProofError,
  relayStateKeys,
} from './relay-state.ts';
export * from './types.ts';
export { applyGoAhead, scheduleCodeUpgrade } from './upgrade.ts';
export {
  PARENT_ORIGIN,
  type ParachainMessagingOptions,
  parachainMessagingConfigs,
  siblingOrigin,
} from './messaging.ts';
