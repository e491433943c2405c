/**
 * The development chain's constants and pallet configs. UNIT has 12 decimals, ED = 0.001 UNIT, SS58 prefix 42,
 * 6 s blocks; fees follow the parachain-template shape (ExtrinsicBaseWeight costs 1 mUNIT, 10 µUNIT per byte,
 * Polkadot's slow-adjusting multiplier) and go to the treasury account.
 */
import { ExtensionPipeline } from '../../extrinsic/extensions/pipeline.ts';
import { STANDARD_EXTENSIONS } from '../../extrinsic/extensions/standard.ts';
import type { RuntimeVersion } from '../../frame/runtime-version.ts';
import {
  blockLengthWithNormalRatio,
  blockWeightsFor,
  EXTRINSIC_BASE_WEIGHT,
  ROCKS_DB_WEIGHT,
  weight,
} from '../../frame/weights.ts';
import type { AssetsConfig } from '../../pallets/assets/index.ts';
import { auraOnTimestampSet } from '../../pallets/aura/index.ts';
import { standardProxyTypes } from '../../pallets/proxy/index.ts';
import { BalancesCurrency, type BalancesConfig } from '../../pallets/balances/index.ts';
import { BlockWeight, type SystemConfig } from '../../pallets/system/pallet.ts';
import type { TimestampConfig } from '../../pallets/timestamp/index.ts';
import { auraConfig, auraSessionConfig, walletPalletConfigs } from '../wallet-pallets.ts';
import {
  fungibleFeeAdapter,
  linearWeightToFee,
  POLKADOT_SLOW_ADJUSTING,
  resolveFeesTo,
  targetedFeeAdjustment,
  type TransactionPaymentConfig,
} from '../../pallets/transaction-payment/index.ts';

export const UNIT = 10n ** 12n;
export const MILLIUNIT = 10n ** 9n;
export const MICROUNIT = 10n ** 6n;
export const EXISTENTIAL_DEPOSIT = MILLIUNIT;
export const TOKEN_SYMBOL = 'UNIT';
export const TOKEN_DECIMALS = 12;
export const SS58_PREFIX = 42;
export const SLOT_DURATION_MS = 6_000n;
/** 1,000,000 UNIT per dev account. */
export const DEV_ENDOWMENT = 1_000_000n * UNIT;

/** Our indices, stable: extrinsics and storage keys depend on them. */
export const PALLET_INDEX = {
  System: 0,
  Timestamp: 1,
  Balances: 2,
  TransactionPayment: 3,
  Sudo: 4,
  Assets: 5,
  Utility: 6,
  Proxy: 7,
  Multisig: 8,
  Aura: 9,
  Session: 10,
} as const;

/** `PalletId(*b"py/trsry").into_account_truncating()`: b"modl" ++ id ++ zeros. */
export const TREASURY_ACCOUNT: Uint8Array = (() => {
  const a = new Uint8Array(32);
  a.set(new TextEncoder().encode('modlpy/trsry'));
  return a;
})();

export const devVersion: Omit<RuntimeVersion, 'apis'> = {
  spec_name: 'xstorage-dev',
  impl_name: 'xstorage-dev',
  authoring_version: 1,
  spec_version: 100,
  impl_version: 0,
  transaction_version: 1,
  system_version: 1,
};

export const devSystemConfig: SystemConfig = {
  blockWeights: blockWeightsFor({
    maxBlock: weight(2_000_000_000_000, 5 * 1024 * 1024),
    normalRatio: 0.75,
    avgOnInitializeRatio: 0.05,
  }),
  blockLength: blockLengthWithNormalRatio(5 * 1024 * 1024, 0.75),
  blockHashCount: 4096,
  dbWeight: ROCKS_DB_WEIGHT,
  ss58Prefix: SS58_PREFIX,
};

export const devBalancesConfig: BalancesConfig = {
  existentialDeposit: EXISTENTIAL_DEPOSIT,
  maxLocks: 50,
  maxReserves: 50,
  maxFreezes: 0,
};

export const devTimestampConfig: TimestampConfig = {
  minimumPeriod: SLOT_DURATION_MS / 2n,
  onTimestampSet: auraOnTimestampSet,
};

export const devTransactionPaymentConfig: TransactionPaymentConfig = {
  weightToFee: linearWeightToFee(MILLIUNIT, EXTRINSIC_BASE_WEIGHT),
  // Polkadot's SlowAdjustingFeeUpdate: fees drift towards 25% full Normal blocks (down to 0.1× when idle).
  feeMultiplierUpdate: targetedFeeAdjustment({
    ...POLKADOT_SLOW_ADJUSTING,
    blockWeights: devSystemConfig.blockWeights,
    blockWeight: () => BlockWeight.get(),
  }),
  transactionByteFee: 10n * MICROUNIT,
  operationalFeeMultiplier: 5,
  onChargeTransaction: fungibleFeeAdapter(
    BalancesCurrency,
    resolveFeesTo(BalancesCurrency, () => TREASURY_ACCOUNT),
  ),
};

export const devAssetsConfig: AssetsConfig = {
  currency: BalancesCurrency,
  assetDeposit: 10n * UNIT,
  assetAccountDeposit: 10n * MILLIUNIT,
  metadataDepositBase: UNIT,
  metadataDepositPerByte: 10n * MILLIUNIT,
  approvalDeposit: 10n * MILLIUNIT,
  stringLimit: 50,
};

export const devExtensions = new ExtensionPipeline(STANDARD_EXTENSIONS);

/** Chain properties the node reports in `system_properties`. */
export const devProperties = {
  ss58Format: SS58_PREFIX,
  tokenDecimals: TOKEN_DECIMALS,
  tokenSymbol: TOKEN_SYMBOL,
};

/** Proxy (ProxyType Any / NonTransfer / CancelProxy) and Multisig with Polkadot's deposits in UNIT. */
export const devWalletConfigs = walletPalletConfigs({
  unit: UNIT,
  proxyTypes: standardProxyTypes(['xstorage_dev_runtime', 'ProxyType'], {
    Any: 0,
    NonTransfer: 1,
    CancelProxy: 2,
  }),
});

/** Aura with 6 s slots; sessions of 6 hours (3600 blocks), as the parachain template. */
export const devAuraConfig = auraConfig(SLOT_DURATION_MS);
export const devSessionConfig = auraSessionConfig('xstorage_dev_runtime', 3600);
