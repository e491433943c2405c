/**
 * The relay chain's constants and pallet configs: DOT with 10 decimals and SS58 prefix 0, as Polkadot; ED 1 DOT
 * (Polkadot's), fees in the parachain template's shape (the base extrinsic weight costs 1 mDOT,
 * 10 µDOT per byte) to the treasury account.
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
import { auraOnTimestampSet } from '../../pallets/aura/index.ts';
import { standardProxyTypes } from '../../pallets/proxy/index.ts';
import { treasuryAccount } from '../parachain/config.ts';
import { auraConfig, auraSessionConfig, walletPalletConfigs } from '../wallet-pallets.ts';

export const DOT = 10n ** 10n;
export const MILLIDOT = DOT / 1000n;
export const MICRODOT = DOT / 1_000_000n;
export const RELAY_TOKEN = { symbol: 'DOT', decimals: 10, ss58: 0 } as const;
/** Polkadot's existential deposit: 1 DOT. */
export const RELAY_EXISTENTIAL_DEPOSIT = DOT;
export const RELAY_SLOT_MS = 6_000n;

/** Polkadot's indices for the pallets we have. */
export const RELAY_PALLET_INDEX = {
  System: 0,
  Timestamp: 3,
  Balances: 5,
  TransactionPayment: 32,
  /** Polkadot has BABE (2) and Session (9); our relay authors with Aura, at 9, and keeps Session beside it. */
  Session: 8,
  Aura: 9,
  Utility: 26,
  Proxy: 29,
  Multisig: 30,
  XcmPallet: 99,
  Sudo: 255,
} as const;

/** Polkadot's MessageQueue index. */
export const RELAY_MESSAGE_QUEUE_INDEX = 100;
/** Blocks per session (our relay has no pallet_session; HRMP requests take effect at the next session). */
export const RELAY_SESSION_LENGTH = 10;

export const relayVersion: Omit<RuntimeVersion, 'apis'> = {
  spec_name: 'xstorage-relay',
  impl_name: 'xstorage-relay',
  authoring_version: 0,
  spec_version: 1_000_000,
  impl_version: 0,
  transaction_version: 26,
  system_version: 1,
};

export const relaySystemConfig: SystemConfig = {
  blockWeights: blockWeightsFor({
    maxBlock: weight(2_000_000_000_000, 5 * 1024 * 1024),
    normalRatio: 0.75,
    avgOnInitializeRatio: 0.05,
  }),
  blockLength: blockLengthWithNormalRatio(5 * 1024 * 1024, 0.75),
  blockHashCount: 4096,
  dbWeight: ROCKS_DB_WEIGHT,
  ss58Prefix: RELAY_TOKEN.ss58,
};

export const relayBalancesConfig: BalancesConfig = {
  existentialDeposit: RELAY_EXISTENTIAL_DEPOSIT,
  maxLocks: 50,
  maxReserves: 50,
  maxFreezes: 0,
};

export const relayTimestampConfig: TimestampConfig = {
  minimumPeriod: RELAY_SLOT_MS / 2n,
  onTimestampSet: auraOnTimestampSet,
};

const TREASURY = treasuryAccount(32);

export const relayTransactionPaymentConfig: TransactionPaymentConfig = {
  weightToFee: linearWeightToFee(MILLIDOT, EXTRINSIC_BASE_WEIGHT),
  feeMultiplierUpdate: targetedFeeAdjustment({
    ...POLKADOT_SLOW_ADJUSTING,
    blockWeights: relaySystemConfig.blockWeights,
    blockWeight: () => BlockWeight.get(),
  }),
  transactionByteFee: 10n * MICRODOT,
  operationalFeeMultiplier: 5,
  onChargeTransaction: fungibleFeeAdapter(
    BalancesCurrency,
    resolveFeesTo(BalancesCurrency, () => TREASURY),
  ),
};

export const relayExtensions = new ExtensionPipeline(STANDARD_EXTENSIONS);

export const relayProperties = {
  ss58Format: RELAY_TOKEN.ss58,
  tokenDecimals: RELAY_TOKEN.decimals,
  tokenSymbol: RELAY_TOKEN.symbol,
};

/** Proxy (Polkadot's ProxyType indices: Any 0, NonTransfer 1, CancelProxy 6) and Multisig with Polkadot's deposits. */
export const relayWalletConfigs = walletPalletConfigs({
  unit: DOT,
  proxyTypes: standardProxyTypes(['xstorage_relay_runtime', 'ProxyType'], {
    Any: 0,
    NonTransfer: 1,
    CancelProxy: 6,
  }),
});

/** Aura with 6 s slots (Polkadot authors with BABE; our relay with Aura); sessions of 4 hours (2400 blocks). */
export const relayAuraConfig = auraConfig(RELAY_SLOT_MS);
export const relaySessionConfig = auraSessionConfig('xstorage_relay_runtime', 2400);
