/**
 * The Crust parachain runtime: the parachain template's pallets at the template's indices (System 0,
 * ParachainSystem 1, Timestamp 2, Balances 10, TransactionPayment 11, Sudo 15, Session 22, Aura 23, XcmpQueue 30,
 * MessageQueue 33, Utility 40, Multisig 41, Proxy 42, Assets 50: whatever `parachainRuntimeSpec` holds) plus Crust's own at its parachain indices (crust-collator/runtime/src/lib.rs on
 * parachain/upgrade-to-polkadot-v1.1.0: Market 100, Swork 111, Benefits 113, Xstorage 127) and our StorageChallenge
 * (130), Asset Hub's PoolAssets (55) and AssetConversion (56) through which xstorage turns a sibling's token into CRU,
 * and the `MarketApi` and `AssetConversionApi` runtime APIs.
 */
import { AssetConversion, assetConversionApi } from '../../pallets/asset-conversion/index.ts';
import { Benefits } from '../../pallets/benefits/index.ts';
import type { RuntimeCallValue } from '../../frame/pallet.ts';
import { Market } from '../../pallets/market/index.ts';
import { StorageChallenge } from '../../pallets/storage-challenge/index.ts';
import { Swork } from '../../pallets/swork/index.ts';
import { Xstorage } from '../../pallets/xstorage-crust/index.ts';
import { type ChainRuntime, defineChainRuntime, type HostFunctions } from '../chain-runtime.ts';
import { PARACHAIN_PALLET_INDEX, parachainRuntimeSpec } from '../parachain/runtime.ts';
import {
  CRUST,
  CRUST_PRODUCTION_DURATIONS,
  type CrustDurations,
  crustConfigs,
  PoolAssets,
} from './config.ts';
import { crustXcmCallFilter } from './call-filter.ts';
import { crustGenesisConfig } from './genesis.ts';
import { marketApi } from './market-api.ts';

export const CRUST_PALLET_INDEX = {
  ...PARACHAIN_PALLET_INDEX,
  PoolAssets: 55,
  AssetConversion: 56,
  Market: 100,
  Swork: 111,
  Benefits: 113,
  Xstorage: 127,
  StorageChallenge: 130,
} as const;

/**
 * frame_system's `BaseCallFilter`: only AssetConversion creates LP tokens (Asset Hub's `CreateOrigin` for
 * `PoolAssets` is the pallet's account): a signer creating the next LP token id first would make `create_pool` fail.
 */
export function crustBaseCallFilter(call: RuntimeCallValue): boolean {
  return !(call?.type === 'PoolAssets' && call.value?.type === 'create');
}

export interface CrustRuntimeOptions {
  /** Default: Crust's production durations. */
  durations?: CrustDurations;
  /** `impl_name` (default `xstorage-crust`); the devnet profile names itself `xstorage-crust-devnet`. */
  implName?: string;
}

export function makeCrustRuntime(options: CrustRuntimeOptions = {}, host: HostFunctions = {}): ChainRuntime {
  const c = crustConfigs(options.durations ?? CRUST_PRODUCTION_DURATIONS);
  // Crust takes the template without the parachain-side Xstorage (60): its own Xstorage is at 127.
  const template = parachainRuntimeSpec(
    CRUST,
    c.template,
    { safeCallFilter: crustXcmCallFilter },
    { xstorage: false },
  );
  const I = CRUST_PALLET_INDEX;
  return defineChainRuntime(
    {
      ...template,
      pallets: [
        ...template.pallets,
        [I.PoolAssets, PoolAssets.pallet, c.poolAssets],
        [I.AssetConversion, AssetConversion, c.assetConversion],
        [I.Market, Market, c.market],
        [I.Swork, Swork, c.swork],
        [I.Benefits, Benefits, c.benefits],
        [I.Xstorage, Xstorage, c.xstorage],
        [I.StorageChallenge, StorageChallenge, c.storageChallenge],
      ],
      version: { ...template.version, impl_name: options.implName ?? 'xstorage-crust' },
      apis: [...(template.apis ?? []), marketApi, assetConversionApi],
      callFilter: crustBaseCallFilter,
      genesisPresets: { development: crustGenesisConfig },
    },
    host,
  );
}
