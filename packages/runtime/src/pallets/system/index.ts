/** frame_system: the System pallet, its types, account reference counting and block bookkeeping. */
export * from './account.ts';
export * from './block.ts';
export { defaultSystemConfig } from './defaults.ts';
export {
  Account,
  AllExtrinsicsLen,
  AuthorizedUpgrade,
  BlockHash,
  BlockWeight,
  config as systemConfig,
  Digest,
  EventCount,
  EventRecordCodec,
  Events,
  EventTopics,
  ExecutionPhase,
  ExtrinsicCount,
  ExtrinsicData,
  ExtrinsicWeightReclaimed,
  InherentsApplied,
  LastRuntimeUpgrade,
  Number_ as Number,
  ParentHash,
  System,
  type SystemConfig,
  SystemError,
  SystemEvent,
  UpgradedToTripleRefCount,
  UpgradedToU32RefCount,
} from './pallet.ts';
export * from './types.ts';
