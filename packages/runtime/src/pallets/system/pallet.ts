/**
 * frame_system: storage names/layout, events, errors, calls and constants as polkadot-sdk's (substrate/frame/system,
 * stable2409 shape), so polkadot-js reads and decodes them unchanged.
 */
import { AccountId as AccountIdCodec } from '../../frame/account.ts';
import { blake2_256 } from '../../crypto/index.ts';
import { DispatchErrorCodec } from '../../frame/dispatch-error.ts';
import { currentEnv, state } from '../../frame/env.ts';
import { ensureRoot, ensureSigned, ensureSignedOrRoot } from '../../frame/origin.ts';
import { RuntimeEventRef } from '../../frame/outer-enums.ts';
import { call, constant, pallet } from '../../frame/pallet.ts';
import { RuntimeVersionCodec } from '../../frame/runtime-version.ts';
import {
  type BlockLength,
  BlockLengthCodec,
  type BlockWeights,
  BlockWeightsCodec,
  ConsumedWeightCodec,
  emptyConsumedWeight,
  ROCKS_DB_WEIGHT,
  type RuntimeDbWeight,
  RuntimeDbWeightCodec,
  WeightCodec,
  weight,
} from '../../frame/weights.ts';
import { EXTRINSIC_INDEX_KEY } from '../../frame/well-known-keys.ts';
import type { Codec } from '../../scale/codec.ts';
import { struct, tuple, vec } from '../../scale/composite.ts';
import { bool, bytes, u16, u32 } from '../../scale/primitives.ts';
import { keyToString } from '../../state/keys.ts';
import {
  type AccountId,
  AccountInfoCodec,
  BlockNumber,
  CodeUpgradeAuthorizationCodec,
  DigestCodec,
  DispatchInfoCodec,
  EventTopicEntry,
  emptyAccountInfo,
  H256,
  LastRuntimeUpgradeInfoCodec,
  type Phase,
  PhaseCodec,
} from './types.ts';

export interface SystemConfig {
  blockWeights: BlockWeights;
  blockLength: BlockLength;
  /** How many recent block hashes BlockHash keeps. */
  blockHashCount: number;
  dbWeight: RuntimeDbWeight;
  ss58Prefix: number;
  /** MaxConsumers (default 16, as polkadot-sdk runtimes). */
  maxConsumers?: number;
  /** frame_system's OnNewAccount / OnKilledAccount handlers. */
  onNewAccount?(who: AccountId): void;
  onKilledAccount?(who: AccountId): void;
}

const p = pallet<SystemConfig>('System', { module: 'frame_system' });

// ---- storage (declaration order = metadata order, as frame_system) --------------------------------------------

export const Account = p.map('Account', ['Blake2_128Concat', AccountIdCodec], AccountInfoCodec, {
  default: emptyAccountInfo(),
  docs: [' The full account information for a particular account ID.'],
});
export const ExtrinsicCount = p.value('ExtrinsicCount', u32, {
  docs: [' Total extrinsics count for the current block.'],
});
export const InherentsApplied = p.value('InherentsApplied', bool, {
  default: false,
  docs: [' Whether all inherents have been applied.'],
});
export const BlockWeight = p.value('BlockWeight', ConsumedWeightCodec, {
  default: emptyConsumedWeight(),
  docs: [' The current weight for the block.'],
});
export const AllExtrinsicsLen = p.value('AllExtrinsicsLen', u32, {
  docs: [' Total length (in bytes) for all extrinsics put together, for the current block.'],
});
export const BlockHash = p.map('BlockHash', ['Twox64Concat', BlockNumber], H256, {
  default: new Uint8Array(32),
  docs: [' Map of block numbers to block hashes.'],
});
export const ExtrinsicData = p.map('ExtrinsicData', ['Twox64Concat', u32], bytes, {
  default: new Uint8Array(0),
  docs: [" Extrinsics data for the current block (maps an extrinsic's index to its data)."],
});
export const Number_ = p.value('Number', BlockNumber, {
  default: 0,
  docs: [' The current block number being processed. Set by `execute_block`.'],
});
export const ParentHash = p.value('ParentHash', H256, {
  default: new Uint8Array(32),
  docs: [' Hash of the previous block.'],
});
export const Digest = p.value('Digest', DigestCodec, {
  default: { logs: [] },
  docs: [' Digest of the current block, also part of the block header.'],
});

/** frame_system::EventRecord<RuntimeEvent, H256> */
export const EventRecordCodec = struct(
  { phase: PhaseCodec, event: RuntimeEventRef, topics: vec(H256) },
  { phase: 'Phase', event: 'E', topics: 'Vec<T>' },
).named(['frame_system', 'EventRecord'], {
  params: [
    { name: 'E', type: RuntimeEventRef },
    { name: 'T', type: H256 },
  ],
});
export const Events = p.value('Events', vec(EventRecordCodec), {
  default: [],
  docs: [
    ' Events deposited for the current block.',
    '',
    ' NOTE: The item is unbound and should therefore never be read on chain.',
    ' It could otherwise inflate the PoV size of a block.',
  ],
});
export const EventCount = p.value('EventCount', u32, {
  default: 0,
  docs: [' The number of events in the `Events<T>` list.'],
});
export const EventTopics = p.map('EventTopics', ['Blake2_128Concat', H256], vec(EventTopicEntry), {
  default: [],
  docs: [
    ' Mapping between a topic (represented by T::Hash) and a vector of indexes',
    ' of events in the `<Events<T>>` list.',
  ],
});
export const LastRuntimeUpgrade = p.value('LastRuntimeUpgrade', LastRuntimeUpgradeInfoCodec, {
  docs: [' Stores the `spec_version` and `spec_name` of when the last runtime upgrade happened.'],
});
export const UpgradedToU32RefCount = p.value('UpgradedToU32RefCount', bool, {
  default: false,
  docs: [' True if we have upgraded so that `type RefCount` is `u32`. False (default) if not.'],
});
export const UpgradedToTripleRefCount = p.value('UpgradedToTripleRefCount', bool, {
  default: false,
  docs: [
    ' True if we have upgraded so that AccountInfo contains three types of `RefCount`. False',
    ' (default) if not.',
  ],
});
export const ExecutionPhase = p.value('ExecutionPhase', PhaseCodec, {
  docs: [' The execution phase of the block.'],
});
export const AuthorizedUpgrade = p.value('AuthorizedUpgrade', CodeUpgradeAuthorizationCodec, {
  docs: [' `Some` if a code upgrade has been authorized.'],
});
export const ExtrinsicWeightReclaimed = p.value('ExtrinsicWeightReclaimed', WeightCodec, {
  default: weight(0, 0),
  docs: [
    ' The weight reclaimed for the extrinsic.',
    '',
    ' This information is available until the end of the extrinsic execution.',
    ' More precisely this information is removed in `note_applied_extrinsic`.',
  ],
});

// ---- events and errors ----------------------------------------------------------------------------------------

const withNames = <S extends Record<string, Codec<any>>>(shape: S, names: Partial<Record<keyof S, string>>) =>
  struct(shape, names);

export const SystemEvent = p.events({
  ExtrinsicSuccess: [
    0,
    withNames({ dispatch_info: DispatchInfoCodec }, { dispatch_info: 'DispatchEventInfo' }),
    [' An extrinsic completed successfully.'],
  ],
  ExtrinsicFailed: [
    1,
    withNames(
      { dispatch_error: DispatchErrorCodec, dispatch_info: DispatchInfoCodec },
      { dispatch_error: 'DispatchError', dispatch_info: 'DispatchEventInfo' },
    ),
    [' An extrinsic failed.'],
  ],
  CodeUpdated: [2, undefined, [' `:code` was updated.']],
  NewAccount: [
    3,
    withNames({ account: AccountIdCodec }, { account: 'T::AccountId' }),
    [' A new account was created.'],
  ],
  KilledAccount: [
    4,
    withNames({ account: AccountIdCodec }, { account: 'T::AccountId' }),
    [' An account was reaped.'],
  ],
  Remarked: [
    5,
    withNames({ sender: AccountIdCodec, hash: H256 }, { sender: 'T::AccountId', hash: 'T::Hash' }),
    [' On on-chain remark happened.'],
  ],
  UpgradeAuthorized: [
    6,
    withNames({ code_hash: H256, check_version: bool }, { code_hash: 'T::Hash', check_version: 'bool' }),
    [' An upgrade was authorized.'],
  ],
  RejectedInvalidAuthorizedUpgrade: [
    7,
    withNames(
      { code_hash: H256, error: DispatchErrorCodec },
      { code_hash: 'T::Hash', error: 'DispatchError' },
    ),
    [' An invalid authorized upgrade was rejected while trying to apply it.'],
  ],
});

export const SystemError = p.errors({
  InvalidSpecName: [
    0,
    [' The name of specification does not match between the current runtime', ' and the new runtime.'],
  ],
  SpecVersionNeedsToIncrease: [
    1,
    [
      ' The specification version is not allowed to decrease between the current runtime',
      ' and the new runtime.',
    ],
  ],
  FailedToExtractRuntimeVersion: [
    2,
    [
      ' Failed to extract the runtime version from the new runtime.',
      '',
      ' Either calling `Core_version` or decoding `RuntimeVersion` failed.',
    ],
  ],
  NonDefaultComposite: [3, [' Suicide called when the account has non-default composite data.']],
  NonZeroRefCount: [4, [' There is a non-zero reference count preventing the account from being purged.']],
  CallFiltered: [5, [' The origin filter prevent the call to be dispatched.']],
  MultiBlockMigrationsOngoing: [
    6,
    [' A multi-block migration is ongoing and prevents the current code from being replaced.'],
  ],
  NothingAuthorized: [7, [' No upgrade authorized.']],
  Unauthorized: [8, [' The submitted code is not authorized.']],
});

// ---- events deposit (frame_system::Pallet::deposit_event_indexed) --------------------------------------------

const EVENTS_KEY = () => Events.prefixK;
const phaseBytes = (phase: Phase) => PhaseCodec.encode(phase);
const TopicsCodec = vec(H256);
const NO_TOPICS = new Uint8Array([0]);
const INITIALIZATION = phaseBytes({ type: 'Initialization' });

function depositEncodedEvent(encodedEvent: Uint8Array, topics: Uint8Array[]): void {
  const block = Number_.get();
  // Genesis (block 0) records no events, as frame_system.
  if (block === 0) return;
  const phaseRaw = state().getK(ExecutionPhase.prefixK);
  const phase = phaseRaw ?? INITIALIZATION;
  const index = EventCount.get();
  if (index === 0xffffffff) return;
  EventCount.set(index + 1);
  const topicsBytes = topics.length === 0 ? NO_TOPICS : TopicsCodec.encode(topics);
  const record = new Uint8Array(phase.length + encodedEvent.length + topicsBytes.length);
  record.set(phase, 0);
  record.set(encodedEvent, phase.length);
  record.set(topicsBytes, phase.length + encodedEvent.length);
  state().appendK(EVENTS_KEY(), record);
  for (const topic of topics) EventTopics.append(topic, EventTopicEntry.encode([block, index]));
}

// ---- calls ----------------------------------------------------------------------------------------------------

// Weights: polkadot-sdk's frame_system SubstrateWeight (reference hardware), with RocksDb writes.
const WRITE = Number(ROCKS_DB_WEIGHT.write);
const READ = Number(ROCKS_DB_WEIGHT.read);

export const System = p.build({
  docs: [],
  calls: {
    remark: call(
      0,
      { remark: bytes },
      {
        weight: ({ remark }) => weight(2_000_000 + 388 * remark.length, 0),
        dispatch(origin) {
          ensureSignedOrRoot(origin);
        },
        docs: [' Make some on-chain remark.', '', ' Can be executed by every `origin`.'],
        typeNames: { remark: 'Vec<u8>' },
      },
    ),
    set_storage: call(
      4,
      { items: vec(tuple(bytes, bytes)) },
      {
        weight: ({ items }) => weight(2_000_000 + items.length * (800_000 + WRITE), 0),
        class: 'Operational',
        dispatch(origin, { items }) {
          ensureRoot(origin);
          for (const [k, v] of items) state().set(k, v);
        },
        docs: [' Set some items of storage.'],
        typeNames: { items: 'Vec<KeyValue>' },
      },
    ),
    kill_storage: call(
      5,
      { keys: vec(bytes) },
      {
        weight: ({ keys }) => weight(2_000_000 + keys.length * (600_000 + WRITE), 0),
        class: 'Operational',
        dispatch(origin, { keys }) {
          ensureRoot(origin);
          for (const k of keys) state().delete(k);
        },
        docs: [' Kill some items from storage.'],
        typeNames: { keys: 'Vec<Key>' },
      },
    ),
    kill_prefix: call(
      6,
      { prefix: bytes, subkeys: u32 },
      {
        weight: ({ subkeys }) => weight(3_600_000 + subkeys * (1_200_000 + READ + WRITE), 100 + 70 * subkeys),
        class: 'Operational',
        dispatch(origin, { prefix, subkeys }) {
          ensureRoot(origin);
          state().clearPrefixK(keyToString(prefix), subkeys);
        },
        docs: [
          ' Kill all storage items with a key that starts with the given prefix.',
          '',
          ' **NOTE:** We rely on the Root origin to provide us the number of subkeys under',
          ' the prefix we are removing to accurately calculate the weight of this function.',
        ],
        typeNames: { prefix: 'Key', subkeys: 'u32' },
      },
    ),
    remark_with_event: call(
      7,
      { remark: bytes },
      {
        weight: ({ remark }) => weight(5_800_000 + 1_400 * remark.length, 0),
        dispatch(origin, { remark }) {
          const sender = ensureSigned(origin);
          SystemEvent.deposit({ type: 'Remarked', value: { sender, hash: blake2_256(remark) } });
        },
        docs: [' Make some on-chain remark and emit event.'],
        typeNames: { remark: 'Vec<u8>' },
      },
    ),
  },
  constants: {
    BlockWeights: constant(BlockWeightsCodec, (c) => c.blockWeights, [
      ' Block & extrinsics weights: base values and limits.',
    ]),
    BlockLength: constant(BlockLengthCodec, (c) => c.blockLength, [
      ' The maximum length of a block (in bytes).',
    ]),
    BlockHashCount: constant(BlockNumber, (c) => c.blockHashCount, [
      ' Maximum number of block number to block hash mappings to keep (oldest pruned first).',
    ]),
    DbWeight: constant(RuntimeDbWeightCodec, (c) => c.dbWeight, [
      ' The weight of runtime database operations the runtime can invoke.',
    ]),
    Version: constant(RuntimeVersionCodec, (_c, rt) => rt.version, [" Get the chain's in-code version."]),
    SS58Prefix: constant(u16, (c) => c.ss58Prefix, [
      ' The designated SS58 prefix of this chain.',
      '',
      ' This replaces the "ss58Format" property declared in the chain spec. Reason is',
      ' that the runtime should know about the prefix in order to make use of it as',
      ' an identifier of the chain.',
    ]),
  },
  genesis: {
    default: () => ({}),
    build() {
      // frame_system's genesis: BlockHash[0] and ParentHash are 0x45.. ("hash69"), refcount upgrades done.
      const hash69 = new Uint8Array(32).fill(69);
      BlockHash.set(0, hash69);
      ParentHash.set(hash69);
      UpgradedToU32RefCount.set(true);
      UpgradedToTripleRefCount.set(true);
      state().set(EXTRINSIC_INDEX_KEY, u32.encode(0));
      const { spec_version, spec_name } = currentEnv('genesis').runtime.version;
      LastRuntimeUpgrade.set({ spec_version, spec_name });
    },
  },
  system: {
    depositEvent: depositEncodedEvent,
    callFilteredError: () => SystemError.error('CallFiltered'),
  },
});

export const config = (): SystemConfig => p.config();
export { WeightCodec };
