/**
 * The parachain template's pallet configs, derived from a chain's data (its token's decimals decide the existential
 * deposit and the fees): ED = 0.001 token, the base extrinsic weight costs 1 mToken, 10 µToken per byte, Polkadot's
 * slow-adjusting multiplier, fees to the chain's treasury account.
 */
import { ExtensionPipeline } from '../../extrinsic/extensions/pipeline.ts';
import { STANDARD_EXTENSIONS } from '../../extrinsic/extensions/standard.ts';
import {
  blockLengthWithNormalRatio,
  blockWeightsFor,
  EXTRINSIC_BASE_WEIGHT,
  ROCKS_DB_WEIGHT,
  weight,
} from '../../frame/weights.ts';
import type { AssetsConfig } from '../../pallets/assets/index.ts';
import { BalancesCurrency, type BalancesConfig } from '../../pallets/balances/index.ts';
import { BlockWeight, type SystemConfig } from '../../pallets/system/pallet.ts';
import type { TimestampConfig } from '../../pallets/timestamp/index.ts';
import {
  fungibleFeeAdapter,
  linearWeightToFee,
  POLKADOT_SLOW_ADJUSTING,
  resolveFeesTo,
  targetedFeeAdjustment,
  type TransactionPaymentConfig,
} from '../../pallets/transaction-payment/index.ts';
import { type AuraConfig, auraOnTimestampSet } from '../../pallets/aura/index.ts';
import { standardProxyTypes } from '../../pallets/proxy/index.ts';
import type { SessionConfig } from '../../pallets/session/index.ts';
import {
  auraConfig,
  auraSessionConfig,
  type WalletPalletConfigs,
  walletPalletConfigs,
} from '../wallet-pallets.ts';
import type { ParachainData } from './chains.ts';

/** Polkadot's slot: 6 s. */
export const PARACHAIN_SLOT_MS = 6_000n;

/** `PalletId(*b"py/trsry")` as an account of `length` bytes (b"modl" ++ id ++ zeros). */
export function treasuryAccount(length: 32 | 20): Uint8Array {
  const a = new Uint8Array(length);
  a.set(new TextEncoder().encode('modlpy/trsry'));
  return a;
}

/** 1 token, 1 mToken, 1 µToken in the chain's smallest units. */
export function tokenUnits(decimals: number): { unit: bigint; milli: bigint; micro: bigint } {
  const unit = 10n ** BigInt(decimals);
  return { unit, milli: unit / 1000n, micro: unit / 1_000_000n };
}

export interface ParachainConfigs {
  system: SystemConfig;
  timestamp: TimestampConfig;
  balances: BalancesConfig;
  transactionPayment: TransactionPaymentConfig;
  assets: AssetsConfig;
  wallet: WalletPalletConfigs;
  aura: AuraConfig;
  session: SessionConfig;
}

/** Cumulus' parachain template: 2 s of compute and 5 MiB of proof per block, 75% for normal extrinsics. */
export function parachainConfigs(data: ParachainData): ParachainConfigs {
  const { unit, milli, micro } = tokenUnits(data.decimals);
  const length = data.accounts === 'ethereum' ? 20 : 32;
  const system: SystemConfig = {
    blockWeights: blockWeightsFor({
      maxBlock: weight(2_000_000_000_000, 5 * 1024 * 1024),
      normalRatio: 0.75,
      avgOnInitializeRatio: 0.05,
    }),
    blockLength: blockLengthWithNormalRatio(5 * 1024 * 1024, 0.75),
    blockHashCount: 4096,
    dbWeight: ROCKS_DB_WEIGHT,
    ss58Prefix: data.ss58,
  };
  const treasury = treasuryAccount(length);
  return {
    system,
    timestamp: { minimumPeriod: PARACHAIN_SLOT_MS / 2n, onTimestampSet: auraOnTimestampSet },
    balances: { existentialDeposit: milli, maxLocks: 50, maxReserves: 50, maxFreezes: 0 },
    transactionPayment: {
      weightToFee: linearWeightToFee(milli, EXTRINSIC_BASE_WEIGHT),
      feeMultiplierUpdate: targetedFeeAdjustment({
        ...POLKADOT_SLOW_ADJUSTING,
        blockWeights: system.blockWeights,
        blockWeight: () => BlockWeight.get(),
      }),
      transactionByteFee: 10n * micro,
      operationalFeeMultiplier: 5,
      onChargeTransaction: fungibleFeeAdapter(
        BalancesCurrency,
        resolveFeesTo(BalancesCurrency, () => treasury),
      ),
    },
    assets: {
      currency: BalancesCurrency,
      assetDeposit: 10n * unit,
      assetAccountDeposit: 10n * milli,
      metadataDepositBase: unit,
      metadataDepositPerByte: 10n * milli,
      approvalDeposit: 10n * milli,
      stringLimit: 50,
    },
    // Asset Hub's ProxyType indices (Any 0, NonTransfer 1, CancelProxy 2); sessions of 6 hours, as the template.
    wallet: walletPalletConfigs({
      unit,
      proxyTypes: standardProxyTypes([`${data.id}_runtime`, 'ProxyType'], {
        Any: 0,
        NonTransfer: 1,
        CancelProxy: 2,
      }),
    }),
    aura: auraConfig(PARACHAIN_SLOT_MS),
    session: auraSessionConfig(`${data.id}_runtime`, 3600),
  };
}

export const parachainExtensions = new ExtensionPipeline(STANDARD_EXTENSIONS);
