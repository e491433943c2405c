/**
 * frame_system's per-block bookkeeping, called by the executive: initialize → (inherents, extrinsics: note each)
 * → finalize. Follows polkadot-sdk substrate/frame/system/src/lib.rs (initialize, note_applied_extrinsic,
 * note_finished_extrinsics, finalize).
 */

import { blake2_256 } from '../../crypto/index.ts';
import type { DispatchError, PostDispatchInfo } from '../../frame/dispatch-error.ts';
import { state } from '../../frame/env.ts';
import type { DispatchOutcome } from '../../frame/runtime.ts';
import {
  addWeight,
  type ConsumedWeight,
  type DispatchClass,
  type DispatchInfo,
  emptyConsumedWeight,
  forClass,
  minWeight,
  type Weight,
} from '../../frame/weights.ts';
import { EXTRINSIC_INDEX_KEY, INTRABLOCK_ENTROPY_KEY } from '../../frame/well-known-keys.ts';
import { u32 } from '../../scale/primitives.ts';
import { keyToString } from '../../state/keys.ts';
import {
  AllExtrinsicsLen,
  BlockHash,
  BlockWeight,
  config,
  Digest,
  EventCount,
  Events,
  EventTopics,
  ExecutionPhase,
  ExtrinsicCount,
  ExtrinsicData,
  ExtrinsicWeightReclaimed,
  InherentsApplied,
  Number_,
  ParentHash,
  SystemEvent,
} from './pallet.ts';
import type { Digest as DigestValue } from './types.ts';

const EXTRINSIC_INDEX = keyToString(EXTRINSIC_INDEX_KEY);
const INTRABLOCK_ENTROPY = keyToString(INTRABLOCK_ENTROPY_KEY);
const ENTROPY_TAG = new TextEncoder().encode('frame_system::initialize');

/**
 * `frame_system::initialize`: starts block `number` (Number, ParentHash, Digest, BlockHash[number-1]). As in
 * polkadot-sdk it leaves the previous block's events alone: `Executive::initialize_block` calls `resetEvents`
 * first, while `validate_transaction`, which also initializes the next block, does not pay for clearing them.
 */
export function initialize(number: number, parentHash: Uint8Array, digest: DigestValue): void {
  ExecutionPhase.set({ type: 'Initialization' });
  state().setK(EXTRINSIC_INDEX, u32.encode(0));
  // (b"frame_system::initialize", parent_hash).using_encoded(blake2_256): a byte array and a hash, no prefixes.
  const seed = new Uint8Array(ENTROPY_TAG.length + parentHash.length);
  seed.set(ENTROPY_TAG);
  seed.set(parentHash, ENTROPY_TAG.length);
  state().setK(INTRABLOCK_ENTROPY, blake2_256(seed));
  Number_.set(number);
  Digest.set(digest);
  ParentHash.set(parentHash);
  if (number > 0) BlockHash.set(number - 1, parentHash);
  BlockWeight.kill();
  InherentsApplied.kill();
}

/** Removes the previous block's events (done at the start of each block, so RPC can read them until then). */
export function resetEvents(): void {
  Events.kill();
  EventCount.kill();
  EventTopics.clear();
}

export function noteFinishedInitialize(): void {
  ExecutionPhase.set({ type: 'ApplyExtrinsic', value: 0 });
}

/** Index of the extrinsic being applied (`:extrinsic_index`), undefined outside ApplyExtrinsic. */
export function extrinsicIndex(): number | undefined {
  const raw = state().getK(EXTRINSIC_INDEX);
  return raw ? u32.decode(raw) : undefined;
}

/** Records the encoded extrinsic (the executive calls this before applying it; used for the extrinsics root). */
export function noteExtrinsic(encoded: Uint8Array): void {
  ExtrinsicData.set(extrinsicIndex() ?? 0, encoded);
}

/** The weight a dispatch actually used: the post-dispatch actual weight capped by the declared weight. */
export function extractActualWeight(post: PostDispatchInfo, info: DispatchInfo): Weight {
  return post.actualWeight ? minWeight(post.actualWeight, info.weight) : info.weight;
}

export function extractActualPaysFee(post: PostDispatchInfo, info: DispatchInfo): 'Yes' | 'No' {
  return info.paysFee === 'No' || post.paysFee === 'No' ? 'No' : 'Yes';
}

/**
 * After an extrinsic: deposits ExtrinsicSuccess / ExtrinsicFailed (weight = actual + the class's base extrinsic
 * weight) and moves to the next extrinsic index.
 */
export function noteAppliedExtrinsic(outcome: DispatchOutcome, info: DispatchInfo): void {
  const base = forClass(config().blockWeights.per_class, info.class).base_extrinsic;
  const dispatchInfo: DispatchInfo = {
    weight: addWeight(extractActualWeight(outcome.postInfo, info), base),
    class: info.class,
    paysFee: extractActualPaysFee(outcome.postInfo, info),
  };
  if (outcome.ok) SystemEvent.deposit({ type: 'ExtrinsicSuccess', value: { dispatch_info: dispatchInfo } });
  else
    SystemEvent.deposit({
      type: 'ExtrinsicFailed',
      value: { dispatch_error: outcome.error as DispatchError, dispatch_info: dispatchInfo },
    });
  ExtrinsicWeightReclaimed.kill();
  const next = (extrinsicIndex() ?? 0) + 1;
  state().setK(EXTRINSIC_INDEX, u32.encode(next));
  ExecutionPhase.set({ type: 'ApplyExtrinsic', value: next });
}

/** Marks that all inherents were applied (`note_inherents_applied`). */
export function noteInherentsApplied(): void {
  InherentsApplied.set(true);
}

/** After the last extrinsic: ExtrinsicCount, Finalization phase, `:extrinsic_index` removed. */
export function noteFinishedExtrinsics(): void {
  const count = extrinsicIndex() ?? 0;
  ExtrinsicCount.set(count);
  ExecutionPhase.set({ type: 'Finalization' });
  state().deleteK(EXTRINSIC_INDEX);
}

export interface FinalizedBlock {
  number: number;
  parentHash: Uint8Array;
  digest: DigestValue;
  /** The block's encoded extrinsics in order, for the extrinsics root. */
  extrinsics: Uint8Array[];
}

/**
 * Ends the block: takes ExtrinsicData, prunes BlockHash beyond BlockHashCount, clears per-block temporaries
 * (ExecutionPhase, AllExtrinsicsLen, intrablock entropy, InherentsApplied); returns
 * what the header needs besides the roots (the executive computes extrinsics_root and the state root).
 */
export function finalize(): FinalizedBlock {
  ExecutionPhase.kill();
  AllExtrinsicsLen.kill();
  state().deleteK(INTRABLOCK_ENTROPY);
  InherentsApplied.kill();
  const number = Number_.get();
  const parentHash = ParentHash.get();
  const digest = Digest.get();
  const count = ExtrinsicCount.take() ?? 0;
  const extrinsics: Uint8Array[] = [];
  for (let i = 0; i < count; i++) extrinsics.push(ExtrinsicData.take(i));
  const hashCount = config().blockHashCount;
  const toRemove = number - hashCount - 1;
  if (toRemove > 0 && number > hashCount) BlockHash.remove(toRemove);
  // BlockWeight stays readable until the next block's initialize, as in frame_system.
  return { number, parentHash, digest, extrinsics };
}

export function blockNumber(): number {
  return Number_.get();
}

export function parentHash(): Uint8Array {
  return ParentHash.get();
}

export function blockWeight(): ConsumedWeight {
  return BlockWeight.get();
}

/** Adds weight to the block's consumed weight without checks (`register_extra_weight_unchecked`). */
export function registerExtraWeightUnchecked(w: Weight, cls: DispatchClass): void {
  BlockWeight.mutate((c) => {
    const key = cls === 'Normal' ? 'normal' : cls === 'Operational' ? 'operational' : 'mandatory';
    c[key] = addWeight(c[key], w);
  });
}

export function setBlockWeight(c: ConsumedWeight): void {
  BlockWeight.set(c);
}

export function allExtrinsicsLen(): number {
  return AllExtrinsicsLen.get() ?? 0;
}

export function setAllExtrinsicsLen(len: number): void {
  AllExtrinsicsLen.set(len);
}

export { emptyConsumedWeight };
