/**
 * `ExecutiveSystem` backed by the System pallet: its per-block bookkeeping (pallets/system/block.ts: initialize,
 * note_*, finalize) and account storage, plus the LastRuntimeUpgrade check the executive runs before
 * on_runtime_upgrade.
 */
import type { Digest } from '../block/digest.ts';
import type { Runtime } from '../frame/runtime.ts';
import type { ConsumedWeight } from '../frame/weights.ts';
import * as block from '../pallets/system/block.ts';
import {
  Account,
  BlockHash,
  InherentsApplied,
  LastRuntimeUpgrade,
  type SystemConfig,
} from '../pallets/system/pallet.ts';
import type { ExecutiveSystem } from './system-interface.ts';

export function frameSystem(runtime: Runtime, config: SystemConfig): ExecutiveSystem {
  return {
    blockWeights: config.blockWeights,
    blockLength: config.blockLength,
    resetEvents: block.resetEvents,
    initialize: (number, parentHash, digest: Digest) => block.initialize(number, parentHash, digest),
    registerExtraWeightUnchecked: block.registerExtraWeightUnchecked,
    noteFinishedInitialize: block.noteFinishedInitialize,
    noteExtrinsic: block.noteExtrinsic,
    noteAppliedExtrinsic: (result, info, postInfo) =>
      block.noteAppliedExtrinsic(
        result.ok ? { ok: true, postInfo } : { ok: false, error: result.error, postInfo },
        info,
      ),
    inherentsApplied: () => InherentsApplied.get(),
    noteInherentsApplied: block.noteInherentsApplied,
    noteFinishedExtrinsics: block.noteFinishedExtrinsics,
    finalize: block.finalize,

    /** `Executive::runtime_upgraded`: spec_version went up or spec_name changed since LastRuntimeUpgrade. */
    runtimeUpgraded() {
      const last = LastRuntimeUpgrade.get();
      const v = runtime.version;
      if (last && last.spec_version >= v.spec_version && last.spec_name === v.spec_name) return false;
      LastRuntimeUpgrade.set({ spec_version: v.spec_version, spec_name: v.spec_name });
      return true;
    },

    blockNumber: block.blockNumber,
    blockHash: (n) => (BlockHash.contains(n) ? BlockHash.get(n) : undefined),
    account(who) {
      const a = Account.get(who);
      return { nonce: a.nonce, providers: a.providers, sufficients: a.sufficients };
    },
    setNonce(who, nonce) {
      Account.mutate(who, (a) => {
        a.nonce = nonce;
        return a;
      });
    },
    blockWeight: (): ConsumedWeight => block.blockWeight(),
    setBlockWeight: block.setBlockWeight,
    allExtrinsicsLen: block.allExtrinsicsLen,
    setAllExtrinsicsLen: block.setAllExtrinsicsLen,
  };
}
