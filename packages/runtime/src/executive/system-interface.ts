/**
 * What the executive needs from frame_system (its `Pallet::initialize`, `finalize`, `note_*` functions and the
 * storage the transaction extensions read). The System pallet implements this; everything runs inside the
 * runtime's ambient env (`runtime.execute(overlay, ...)`).
 */
import type { Digest } from '../block/digest.ts';
import type { ExtensionState } from '../extrinsic/extensions/extension.ts';
import type { DispatchError, PostDispatchInfo } from '../frame/dispatch-error.ts';
import type { BlockLength, BlockWeights, DispatchClass, DispatchInfo, Weight } from '../frame/weights.ts';

export interface ExecutiveSystem extends ExtensionState {
  readonly blockWeights: BlockWeights;
  readonly blockLength: BlockLength;

  /** `reset_events`: clears Events, EventCount, EventTopics. */
  resetEvents(): void;
  /**
   * `initialize(number, parent_hash, digest)`: ExecutionPhase = Initialization, ExtrinsicIndex = 0, Number,
   * Digest, ParentHash, BlockHash(number - 1) = parent_hash, BlockWeight and AllExtrinsicsLen reset.
   */
  initialize(number: number, parentHash: Uint8Array, digest: Digest): void;
  /** `register_extra_weight_unchecked`. */
  registerExtraWeightUnchecked(w: Weight, cls: DispatchClass): void;
  /** `note_finished_initialize`: ExecutionPhase = ApplyExtrinsic(0). */
  noteFinishedInitialize(): void;
  /** `note_extrinsic`: ExtrinsicData(ExtrinsicIndex) = encoded extrinsic. */
  noteExtrinsic(encoded: Uint8Array): void;
  /**
   * `note_applied_extrinsic`: deposits ExtrinsicSuccess / ExtrinsicFailed with the actual dispatch info, bumps
   * ExtrinsicIndex and ExecutionPhase = ApplyExtrinsic(index + 1).
   */
  noteAppliedExtrinsic(
    result: { ok: true } | { ok: false; error: DispatchError },
    info: DispatchInfo,
    post: PostDispatchInfo,
  ): void;
  /** `InherentsApplied`: whether the block's inherents are done (the first transaction marks it). */
  inherentsApplied(): boolean;
  /** `note_inherents_applied`. */
  noteInherentsApplied(): void;
  /** `note_finished_extrinsics`: ExtrinsicCount = ExtrinsicIndex, ExecutionPhase = Finalization. */
  noteFinishedExtrinsics(): void;
  /**
   * The non-root parts of `finalize()`: removes the block's temporaries (ExecutionPhase, AllExtrinsicsLen,
   * BlockWeight, ExtrinsicCount, ExtrinsicData, InherentsApplied), prunes BlockHash beyond BlockHashCount,
   * and returns what the header needs. The executive computes both roots.
   */
  finalize(): { number: number; parentHash: Uint8Array; digest: Digest; extrinsics: Uint8Array[] };
  /** True (and records the new version) if the runtime version changed since the last block. */
  runtimeUpgraded(): boolean;
}
