/** Instruction builders and a runner for the executor tests (inside `inBlock`). */
import { blake2_256 } from '../../../src/crypto/hashing.ts';
import type { RuntimeCallValue } from '../../../src/frame/pallet.ts';
import type { Weight } from '../../../src/frame/weights.ts';
import {
  type ExecutionResult,
  MAX_WEIGHT,
  prepareAndExecute,
  type XcmExecutorConfig,
} from '../../../src/xcm/executor/index.ts';
import {
  type Asset,
  type AssetFilter,
  assetsFrom,
  type Instruction,
  type Location,
  type OriginKind,
  type Outcome,
  type Xcm,
  XcmCodec,
  type XcmError,
  xcmWeight,
} from '../../../src/xcm/index.ts';
import { config, runtime, UNIT_WEIGHT } from './mock.ts';

export const ZERO = { refTime: 0, proofSize: 0 };

/** Runs `message` from `origin` (prepare + execute), with `credit` of pre-paid weight. */
export function run(
  origin: Location,
  message: Xcm,
  opts: { limit?: Weight; credit?: Weight; config?: XcmExecutorConfig } = {},
): ExecutionResult {
  const id = blake2_256(XcmCodec.encode(message));
  return prepareAndExecute(
    opts.config ?? config,
    origin,
    message,
    id,
    opts.limit ?? MAX_WEIGHT,
    opts.credit ?? ZERO,
  );
}

/** Runs `message` as local, pre-paid execution (pallet-xcm's `execute`: credit = the message's weight). */
export function runPaid(origin: Location, message: Xcm, cfg: XcmExecutorConfig = config): ExecutionResult {
  return run(origin, message, { credit: MAX_WEIGHT, config: cfg });
}

/** The weight of `n` instructions (plus `extra`) as an Outcome's XcmWeight. */
export function used(n: number, extra: Weight = ZERO) {
  return xcmWeight(n * UNIT_WEIGHT.refTime + extra.refTime, n * UNIT_WEIGHT.proofSize + extra.proofSize);
}
export const complete = (n: number, extra: Weight = ZERO): Outcome => ({
  type: 'Complete',
  value: { used: used(n, extra) },
});
/** `n`: instructions whose weight counts (those after the failing one are refunded as surplus). */
export const incomplete = (n: number, index: number, error: XcmError, extra: Weight = ZERO): Outcome => ({
  type: 'Incomplete',
  value: { used: used(n, extra), error: { index, error } },
});

// ---- instructions ---------------------------------------------------------------------------------------------

export const withdraw = (...assets: Asset[]): Instruction => ({
  type: 'WithdrawAsset',
  value: assetsFrom(assets),
});
export const reserveDeposited = (...assets: Asset[]): Instruction => ({
  type: 'ReserveAssetDeposited',
  value: assetsFrom(assets),
});
export const teleported = (...assets: Asset[]): Instruction => ({
  type: 'ReceiveTeleportedAsset',
  value: assetsFrom(assets),
});
export const buy = (fees: Asset, limit?: Weight): Instruction => ({
  type: 'BuyExecution',
  value: {
    fees,
    weight_limit: limit
      ? { type: 'Limited', value: xcmWeight(limit.refTime, limit.proofSize) }
      : { type: 'Unlimited' },
  },
});
export const allCounted = (n: number): AssetFilter => ({
  type: 'Wild',
  value: { type: 'AllCounted', value: n },
});
export const all = (): AssetFilter => ({ type: 'Wild', value: { type: 'All' } });
export const definite = (...assets: Asset[]): AssetFilter => ({
  type: 'Definite',
  value: assetsFrom(assets),
});
export const deposit = (beneficiary: Location, assets: AssetFilter = allCounted(1)): Instruction => ({
  type: 'DepositAsset',
  value: { assets, beneficiary },
});
export const clearOrigin: Instruction = { type: 'ClearOrigin' };
export const refundSurplus: Instruction = { type: 'RefundSurplus' };
export const trap = (code: bigint): Instruction => ({ type: 'Trap', value: code });

export function transact(call: RuntimeCallValue, kind: OriginKind['type']): Instruction {
  return {
    type: 'Transact',
    value: {
      origin_kind: { type: kind } as OriginKind,
      fallback_max_weight: undefined,
      call: { encoded: runtime.encodeCall(call) },
    },
  };
}

export const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
