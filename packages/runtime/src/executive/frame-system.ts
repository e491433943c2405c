/**
 * `ExecutiveSystem` over the System pallet's storage: frame_system's `initialize`, `finalize`, `note_*`,
 * `reset_events`, `register_extra_weight_unchecked` and the runtime-upgrade check, as polkadot-sdk writes them.
 * (If the System pallet grows these functions itself, this adapter should delegate to them.)
 */
import type { Digest } from '../block/digest.ts';
import { blake2_256 } from '../crypto/hashing.ts';
import type { DispatchError, PostDispatchInfo } from '../frame/dispatch-error.ts';
import { currentEnv, state } from '../frame/env.ts';
import type { Runtime } from '../frame/runtime.ts';
import { EXTRINSIC_INDEX_KEY, INTRABLOCK_ENTROPY_KEY } from '../frame/well-known-keys.ts';
import {
  addWeight,
  type ConsumedWeight,
  type DispatchClass,
  type DispatchInfo,
  emptyConsumedWeight,
  forClass,
  minWeight,
  type Weight,
} from '../frame/weights.ts';
import {
  Account,
  AllExtrinsicsLen,
  BlockHash,
  BlockWeight,
  Digest as DigestItem,
  SystemEvent as Event,
  EventCount,
  EventTopics,
  Events,
  ExecutionPhase,
  ExtrinsicCount,
  ExtrinsicData,
  InherentsApplied,
  LastRuntimeUpgrade,
  Number_,
  ParentHash,
  type SystemConfig,
} from '../pallets/system/pallet.ts';
import { u32 } from '../scale/index.ts';
import type { ExecutiveSystem } from './system-interface.ts';

const ENTROPY_PREFIX = new TextEncoder().encode('frame_system::initialize');

function extrinsicIndex(): number {
  const raw = state().get(EXTRINSIC_INDEX_KEY);
  return raw ? u32.decode(raw) : 0;
}

export function frameSystem(runtime: Runtime, config: SystemConfig): ExecutiveSystem {
  const classKey = (c: DispatchClass) =>
    c === 'Normal' ? 'normal' : c === 'Operational' ? 'operational' : 'mandatory';
  return {
    blockWeights: config.blockWeights,
    blockLength: config.blockLength,

    resetEvents() {
      Events.kill();
      EventCount.kill();
      EventTopics.clear();
    },

    initialize(number: number, parentHash: Uint8Array, digest: Digest) {
      ExecutionPhase.set({ type: 'Initialization' });
      state().set(EXTRINSIC_INDEX_KEY, u32.encode(0));
      const seed = new Uint8Array(ENTROPY_PREFIX.length + 32);
      seed.set(ENTROPY_PREFIX);
      seed.set(parentHash, ENTROPY_PREFIX.length);
      // (b"frame_system::initialize", parent_hash).encode(): a fixed-size array encodes without a length prefix.
      state().set(INTRABLOCK_ENTROPY_KEY, blake2_256(seed));
      Number_.set(number);
      DigestItem.set(digest as never);
      ParentHash.set(parentHash);
      if (number > 0) BlockHash.set(number - 1, parentHash);
      BlockWeight.kill();
    },

    registerExtraWeightUnchecked(w: Weight, cls: DispatchClass) {
      const current = BlockWeight.get() as ConsumedWeight;
      const key = classKey(cls);
      BlockWeight.set({ ...current, [key]: addWeight(current[key], w) });
    },

    noteFinishedInitialize() {
      ExecutionPhase.set({ type: 'ApplyExtrinsic', value: 0 });
    },

    noteExtrinsic(encoded: Uint8Array) {
      ExtrinsicData.set(extrinsicIndex(), encoded);
    },

    noteAppliedExtrinsic(
      result: { ok: true } | { ok: false; error: DispatchError },
      info: DispatchInfo,
      post: PostDispatchInfo,
    ) {
      const actual = post.actualWeight ? minWeight(post.actualWeight, info.weight) : info.weight;
      const dispatch_info = {
        weight: addWeight(actual, forClass(config.blockWeights.per_class, info.class).base_extrinsic),
        class: info.class,
        paysFee: info.paysFee === 'No' || post.paysFee === 'No' ? 'No' : 'Yes',
      };
      Event.deposit(
        (result.ok
          ? { type: 'ExtrinsicSuccess', value: { dispatch_info } }
          : { type: 'ExtrinsicFailed', value: { dispatch_error: result.error, dispatch_info } }) as never,
      );
      const next = extrinsicIndex() + 1;
      state().set(EXTRINSIC_INDEX_KEY, u32.encode(next));
      ExecutionPhase.set({ type: 'ApplyExtrinsic', value: next });
    },

    noteFinishedExtrinsics() {
      const index = extrinsicIndex();
      state().delete(EXTRINSIC_INDEX_KEY);
      ExtrinsicCount.set(index);
      ExecutionPhase.set({ type: 'Finalization' });
    },

    finalize() {
      ExecutionPhase.kill();
      AllExtrinsicsLen.kill();
      state().delete(INTRABLOCK_ENTROPY_KEY);
      InherentsApplied.kill();
      const number = Number_.get() as number;
      const parentHash = ParentHash.get() as Uint8Array;
      const digest = DigestItem.get() as unknown as Digest;
      const count = (ExtrinsicCount.take() as number | undefined) ?? 0;
      const extrinsics: Uint8Array[] = [];
      for (let i = 0; i < count; i++) extrinsics.push(ExtrinsicData.take(i) as Uint8Array);
      // Move the BlockHash pruning window by one block, keeping the genesis hash.
      const toRemove = Math.max(0, Math.max(0, number - config.blockHashCount) - 1);
      if (toRemove !== 0) BlockHash.remove(toRemove);
      return { number, parentHash, digest, extrinsics };
    },

    runtimeUpgraded() {
      const last = LastRuntimeUpgrade.get() as { spec_version: number; spec_name: string } | undefined;
      const v = runtime.version;
      if (last && last.spec_version >= v.spec_version && last.spec_name === v.spec_name) return false;
      LastRuntimeUpgrade.set({ spec_version: v.spec_version, spec_name: v.spec_name });
      return true;
    },

    blockNumber: () => Number_.get() as number,
    blockHash: (n: number) => (BlockHash.contains(n) ? (BlockHash.get(n) as Uint8Array) : undefined),
    account(who: Uint8Array) {
      const a = Account.get(who);
      return { nonce: a.nonce, providers: a.providers, sufficients: a.sufficients };
    },
    setNonce(who: Uint8Array, nonce: number) {
      Account.mutate(who, (a) => {
        a.nonce = nonce;
        return a;
      });
    },
    blockWeight: () => (BlockWeight.get() as ConsumedWeight) ?? emptyConsumedWeight(),
    setBlockWeight: (w: ConsumedWeight) => BlockWeight.set(w),
    allExtrinsicsLen: () => (AllExtrinsicsLen.get() as number | undefined) ?? 0,
    setAllExtrinsicsLen: (n: number) => AllExtrinsicsLen.set(n),
  };
}

void currentEnv;
