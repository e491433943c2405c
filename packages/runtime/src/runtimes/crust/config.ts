/**
 * The Crust parachain's pallet configs: the parachain template's (with Crust's existential deposit), and Crust's own
 * market, swork, benefits, xstorage and our storage challenges, with their durations in one place; and the
 * AssetConversion through which xstorage turns a sibling's token into the CRU of an order. Crust's
 * production durations are the default of `makeCrustRuntime`; the devnet profile runs short ones, so that a stored
 * file reaches its replicas within a minute and lives minutes, not 180 days (see README.md).
 */
import { blake2_256 } from '../../crypto/hashing.ts';
import {
  type AssetConversionConfig,
  AssetConversionWeights,
  nativeAndAssets,
  swapTokensForExactTokens,
} from '../../pallets/asset-conversion/index.ts';
import { type AssetsConfig, AssetsFungibles, defineAssets } from '../../pallets/assets/index.ts';
import { BalancesCurrency, issue } from '../../pallets/balances/index.ts';
import {
  type BenefitsConfig,
  benefitInterface,
  CRUST_BENEFITS_DEFAULTS,
} from '../../pallets/benefits/index.ts';
import {
  CRUST_MARKET_DEFAULTS,
  FilesV2,
  type MarketConfig,
  MarketWeights,
  marketInterface,
  marketReplicaAccess,
  orderFee,
  placeStorageOrderFor,
} from '../../pallets/market/index.ts';
import {
  challengeReplicaObserver,
  STORAGE_CHALLENGE_DEFAULTS,
  type StorageChallengeConfig,
} from '../../pallets/storage-challenge/index.ts';
import {
  CRUST_SWORK_DEFAULTS,
  type SworkConfig,
  sworkChallengeAccess,
  sworkerInterface,
} from '../../pallets/swork/index.ts';
import type {
  CurrencyId,
  XstorageConfig,
  XstorageConversion,
  XstorageCurrencies,
} from '../../pallets/xstorage-crust/index.ts';
import { here } from '../../xcm/index.ts';
import { type ParachainData, parachainData } from '../parachain/chains.ts';
import { type ParachainConfigs, parachainConfigs } from '../parachain/config.ts';
import { ForeignAssets } from '../xcm-shared.ts';

/** Crust's chain data (para id 2008, CRU, 12 decimals, SS58 66), from the template's table. */
export const CRUST: ParachainData = parachainData('crust')!;

/** 1 CRU in units. */
export const CRU = 10n ** 12n;
/** Crust's `ExistentialDeposit`: 10 MILLICENTS = 10^7 units (crust-collator runtime). */
export const CRUST_EXISTENTIAL_DEPOSIT = 10_000_000n;

/**
 * The code identity our storage nodes register with in `swork.register(applier, code, pubkey, sig)`:
 * blake2_256("xstorage-storage-node/1"). Crust's code is the hash of its SGX enclave; ours has no enclave, so it names
 * the storage node's protocol version. The Crust genesis allowlists it in `swork.Codes` (never expiring); a new
 * incompatible storage node version takes "…/2" and a root `swork.set_code`.
 */
export const XSTORAGE_STORAGE_NODE_CODE: Uint8Array = blake2_256(
  new TextEncoder().encode('xstorage-storage-node/1'),
);

/** Every duration the Crust runtime takes, in blocks (eras for `bondingDuration`, slots for `punishmentSlots`). */
export interface CrustDurations {
  /** `REPORT_SLOT`: work reports once per slot; market fees adjust per slot. */
  reportSlot: number;
  /** `FileDuration`: a file's lifetime from its first replica. */
  fileDuration: number;
  /** `LiquidityDuration` (a constant Crust no longer reads). */
  liquidityDuration: number;
  /** `SpowerReadyPeriod`'s genesis value: a replica counts the file size until then. */
  spowerReadyPeriod: number;
  /** `PRICE_UPDATE_OFFSET` / `BASE_FEE_UPDATE_OFFSET` within a slot. */
  priceUpdateOffset: number;
  baseFeeUpdateOffset: number;
  /** swork's `UPDATE_OFFSET` / `END_OFFSET` within a slot (workload sum start / hand-over). */
  sworkUpdateOffset: number;
  sworkEndOffset: number;
  /** `PunishmentSlots`. */
  punishmentSlots: number;
  /** StorageChallenge: a challenge every `challengePeriod` blocks, `responseDeadline` blocks to answer. */
  challengePeriod: number;
  responseDeadline: number;
  /** Benefits' era clock and `BondingDuration`. */
  eraLength: number;
  bondingDuration: number;
}

/** Crust mainnet (and our challenge defaults): 1-hour slots, 180-day files, 6-hour eras, 112-era bonding. */
export const CRUST_PRODUCTION_DURATIONS: CrustDurations = {
  reportSlot: CRUST_MARKET_DEFAULTS.reportSlot,
  fileDuration: CRUST_MARKET_DEFAULTS.fileDuration,
  liquidityDuration: CRUST_MARKET_DEFAULTS.liquidityDuration,
  spowerReadyPeriod: CRUST_MARKET_DEFAULTS.spowerReadyPeriod,
  priceUpdateOffset: CRUST_MARKET_DEFAULTS.priceUpdateOffset,
  baseFeeUpdateOffset: CRUST_MARKET_DEFAULTS.baseFeeUpdateOffset,
  sworkUpdateOffset: CRUST_SWORK_DEFAULTS.updateOffset,
  sworkEndOffset: CRUST_SWORK_DEFAULTS.endOffset,
  punishmentSlots: CRUST_SWORK_DEFAULTS.punishmentSlots,
  challengePeriod: STORAGE_CHALLENGE_DEFAULTS.challengePeriod,
  responseDeadline: STORAGE_CHALLENGE_DEFAULTS.responseDeadline,
  eraLength: CRUST_BENEFITS_DEFAULTS.eraLength,
  bondingDuration: CRUST_BENEFITS_DEFAULTS.bondingDuration,
};

/**
 * The devnet's: 10-block report slots (a minute at 6 s blocks, 5 s at the tests' 500 ms), files that live 300 blocks
 * (30 minutes at 6 s), spower ready after 60, a storage challenge every 20 blocks with 10 to answer, 60-block eras
 * and a 2-era bonding duration.
 */
export const CRUST_DEVNET_DURATIONS: CrustDurations = {
  reportSlot: 10,
  fileDuration: 300,
  liquidityDuration: 50,
  spowerReadyPeriod: 60,
  priceUpdateOffset: 3,
  baseFeeUpdateOffset: 2,
  sworkUpdateOffset: 5,
  sworkEndOffset: 1,
  punishmentSlots: 4,
  challengePeriod: 20,
  responseDeadline: 10,
  eraLength: 60,
  bondingDuration: 2,
};

export class CrustDurationsError extends Error {
  override name = 'CrustDurationsError';
}

/** Refuses durations the pallets cannot run with (a slot offset outside its slot, a zero period). */
export function checkCrustDurations(d: CrustDurations): void {
  const positive: Array<keyof CrustDurations> = [
    'reportSlot',
    'fileDuration',
    'spowerReadyPeriod',
    'challengePeriod',
    'responseDeadline',
  ];
  for (const k of Object.keys(d) as Array<keyof CrustDurations>) {
    if (!Number.isInteger(d[k]) || d[k] < 0 || d[k] > 0xffff_ffff)
      throw new CrustDurationsError(`${k} must be an integer block count, got ${d[k]}`);
  }
  for (const k of positive) if (d[k] === 0) throw new CrustDurationsError(`${k} must be positive`);
  for (const k of [
    'priceUpdateOffset',
    'baseFeeUpdateOffset',
    'sworkUpdateOffset',
    'sworkEndOffset',
  ] as const)
    if (d[k] >= d.reportSlot)
      throw new CrustDurationsError(`${k} (${d[k]}) must be below reportSlot (${d.reportSlot})`);
  if (d.sworkEndOffset >= d.sworkUpdateOffset)
    throw new CrustDurationsError('sworkEndOffset must be below sworkUpdateOffset');
}

/**
 * `CurrencyIdToMultiLocation` + `AssetTransactor` for `xstorage.place_storage_order`: `SelfReserve` is CRU
 * (Balances), `OtherReserve(id)` an asset of the template's `Assets` pallet (u32 ids; a larger id names nothing).
 */
export const crustCurrencies: XstorageCurrencies = {
  isTransferable(id: CurrencyId) {
    if (id.type === 'SelfReserve') return true;
    return id.value <= 0xffff_ffffn && AssetsFungibles.assetExists(Number(id.value));
  },
  transfer(id, from, to, amount) {
    if (id.type === 'SelfReserve') BalancesCurrency.transfer(from, to, amount, 'Expendable');
    else AssetsFungibles.transfer(Number(id.value), from, to, amount, false);
  },
};

/** The LP tokens of Crust's AssetConversion pools (Asset Hub's `PoolAssets`: u32 ids, no deposits). */
export const PoolAssets = defineAssets<number>({ name: 'PoolAssets' });

/** `PoolAssets`' config: no deposits (only AssetConversion creates its tokens, owned by the pools' accounts). */
export function poolAssetsConfig(template: ParachainConfigs): AssetsConfig {
  return {
    ...template.assets,
    assetDeposit: 0n,
    assetAccountDeposit: 0n,
    metadataDepositBase: 0n,
    metadataDepositPerByte: 0n,
    approvalDeposit: 0n,
  };
}

/** AssetConversion on Crust: pools of CRU (`Here`, Balances) and the siblings' tokens in `ForeignAssets`, with Asset
 * Hub's defaults (every pool holds CRU first, 0.3% to liquidity providers, no setup fee). */
export const crustAssetConversionConfig: AssetConversionConfig = {
  native: here(),
  assets: nativeAndAssets({ native: here(), currency: BalancesCurrency, assets: ForeignAssets.fungibles }),
  poolAssets: PoolAssets.fungibles,
};

/** What a market order of `cid` costs now: a known CID at its recorded size (as `place_storage_order` charges). */
function marketOrderCost(cid: Uint8Array, size: bigint, tips: bigint): bigint {
  const known = FilesV2.get(cid);
  const charged = known && known.file_size <= size ? known.file_size : size;
  return orderFee(charged).total + tips;
}

/** xstorage's call 3 buys CRU with a sibling's token through the pools, keeping the payer's token account. */
export const crustConversion: XstorageConversion = {
  cruBalance: (who) => BalancesCurrency.reducible(who, 'Expendable'),
  cruExistentialDeposit: () => CRUST_EXISTENTIAL_DEPOSIT,
  swapForExactCru: (who, asset, amountOut, maxIn) =>
    swapTokensForExactTokens(who, [asset, here()], amountOut, maxIn, who, true),
  swapWeight: () => AssetConversionWeights.swapTokensForExactTokens(2),
};

export interface CrustConfigs {
  template: ParachainConfigs;
  poolAssets: AssetsConfig;
  assetConversion: AssetConversionConfig;
  market: MarketConfig;
  swork: SworkConfig;
  benefits: BenefitsConfig;
  storageChallenge: StorageChallengeConfig;
  xstorage: XstorageConfig;
}

export function crustConfigs(d: CrustDurations = CRUST_PRODUCTION_DURATIONS): CrustConfigs {
  checkCrustDurations(d);
  const template = parachainConfigs(CRUST);
  return {
    template: {
      ...template,
      balances: { ...template.balances, existentialDeposit: CRUST_EXISTENTIAL_DEPOSIT },
    },
    poolAssets: poolAssetsConfig(template),
    assetConversion: crustAssetConversionConfig,
    market: {
      ...CRUST_MARKET_DEFAULTS,
      reportSlot: d.reportSlot,
      fileDuration: d.fileDuration,
      liquidityDuration: d.liquidityDuration,
      spowerReadyPeriod: d.spowerReadyPeriod,
      priceUpdateOffset: d.priceUpdateOffset,
      baseFeeUpdateOffset: d.baseFeeUpdateOffset,
      currency: BalancesCurrency,
      sworker: sworkerInterface,
      benefits: benefitInterface,
      replicaObserver: challengeReplicaObserver,
    },
    swork: {
      ...CRUST_SWORK_DEFAULTS,
      reportSlot: d.reportSlot,
      updateOffset: d.sworkUpdateOffset,
      endOffset: d.sworkEndOffset,
      punishmentSlots: d.punishmentSlots,
      market: marketInterface,
      benefits: benefitInterface,
    },
    benefits: {
      ...CRUST_BENEFITS_DEFAULTS,
      eraLength: d.eraLength,
      bondingDuration: d.bondingDuration,
      currency: BalancesCurrency,
      issue,
    },
    storageChallenge: {
      challengePeriod: d.challengePeriod,
      responseDeadline: d.responseDeadline,
      market: marketReplicaAccess,
      swork: sworkChallengeAccess,
    },
    xstorage: {
      market: {
        placeStorageOrderFor: (who, cid, size, tips) => placeStorageOrderFor(who, cid, size, tips),
        placeStorageOrderWeight: MarketWeights.placeStorageOrder,
        orderCost: marketOrderCost,
      },
      currencies: crustCurrencies,
      conversion: crustConversion,
    },
  };
}
