/**
 * pallet-asset-conversion's mock (polkadot-sdk substrate/frame/asset-conversion/src/mock.rs) as a runtime, so its
 * tests' numbers apply unchanged: Balances with ED 100; the `Assets` instance, here `ForeignAssets` keyed by Location
 * (AssetDeposit 1, AssetAccountDeposit 10, metadata deposits 1, approval 1); `PoolAssets` (u32 ids, no deposits);
 * AssetConversion with LPFee 3, PoolSetupFee 100 of the native token paid to `AssetConversionOrigin`
 * (PalletId("py/ascon") as an account), MaxSwapPathLength 4, MintMinLiquidity 100, and the mock's
 * `Chain<WithFirstAsset<Native>, Ascending>` locator. The mock's `NativeOrWithId::WithId(n)` is the sibling
 * parachain token `(1, [Parachain(2000 + n)])` here (same order: the native `Here` sorts first).
 *
 * Plus System, Timestamp and TransactionPayment, as a chain has them.
 */
import { initCrypto } from '../../../src/crypto/index.ts';
import { signedOrigin, rootOrigin } from '../../../src/frame/origin.ts';
import type { RuntimeCallValue } from '../../../src/frame/pallet.ts';
import type { DispatchOutcome } from '../../../src/frame/runtime.ts';
import { substrateScheme } from '../../../src/extrinsic/signature-scheme.ts';
import {
  AssetConversion,
  type AssetConversionConfig,
  type AssetConversionGenesis,
  assetConversionApi,
  nativeAndAssets,
} from '../../../src/pallets/asset-conversion/index.ts';
import { type AssetsConfig, defineAssets } from '../../../src/pallets/assets/index.ts';
import { Balances, BalancesCurrency } from '../../../src/pallets/balances/index.ts';
import {
  Number as BlockNumber,
  defaultSystemConfig,
  Events,
  System,
} from '../../../src/pallets/system/index.ts';
import { Timestamp, timestampInherent } from '../../../src/pallets/timestamp/index.ts';
import { TransactionPayment } from '../../../src/pallets/transaction-payment/index.ts';
import { defineChainRuntime } from '../../../src/runtimes/chain-runtime.ts';
import {
  devExtensions,
  devTimestampConfig,
  devTransactionPaymentConfig,
} from '../../../src/runtimes/dev/config.ts';
import { MemoryBackend } from '../../../src/state/memory-backend.ts';
import { Overlay } from '../../../src/state/overlay.ts';
import { type Location, LocationCodec, parachain } from '../../../src/xcm/index.ts';

export const ready = initCrypto();

export const acc = (n: number): Uint8Array => new Uint8Array(32).fill(n);
/** The mock's `NativeOrWithId::Native`. */
export const NATIVE: Location = { parents: 0, interior: [] };
/** The mock's `NativeOrWithId::WithId(n)`. */
export const token = (n: number): Location => ({ parents: 1, interior: [parachain(2000 + n)] });

export const ForeignAssetsInstance = defineAssets<Location>({
  name: 'ForeignAssets',
  assetId: LocationCodec,
});
export const PoolAssetsInstance = defineAssets<number>({ name: 'PoolAssets' });
export const ForeignAssets = ForeignAssetsInstance.pallet;
export const PoolAssets = PoolAssetsInstance.pallet;

const foreignAssetsConfig: AssetsConfig = {
  currency: BalancesCurrency,
  assetDeposit: 1n,
  assetAccountDeposit: 10n,
  metadataDepositBase: 1n,
  metadataDepositPerByte: 1n,
  approvalDeposit: 1n,
  stringLimit: 50,
};
const poolAssetsConfig: AssetsConfig = {
  currency: BalancesCurrency,
  assetDeposit: 0n,
  assetAccountDeposit: 0n,
  metadataDepositBase: 0n,
  metadataDepositPerByte: 0n,
  approvalDeposit: 0n,
  stringLimit: 50,
};

/** `AccountIdConversion::into_account_truncating(&PalletId(*b"py/ascon"))`: b"modl" ++ id ++ zeros. */
export const ASSET_CONVERSION_ORIGIN = (() => {
  const a = new Uint8Array(32);
  a.set(new TextEncoder().encode('modlpy/ascon'));
  return a;
})();

export const MOCK_CONFIG: AssetConversionConfig = {
  assets: nativeAndAssets({
    native: NATIVE,
    currency: BalancesCurrency,
    assets: ForeignAssetsInstance.fungibles,
  }),
  poolAssets: PoolAssetsInstance.fungibles,
  native: NATIVE,
  poolLocator: 'WithFirstAssetThenAscending',
  poolAccount: 'PalletIdSeed',
  lpFee: 3,
  poolSetupFee: 100n,
  poolSetupFeeTarget: ASSET_CONVERSION_ORIGIN,
  liquidityWithdrawalFee: 0,
  mintMinLiquidity: 100n,
  maxSwapPathLength: 4,
};

export const INDEX = { Balances: 10, ForeignAssets: 53, PoolAssets: 55, AssetConversion: 56 } as const;

export function makeConversionRuntime(config: Partial<AssetConversionConfig> = {}) {
  return defineChainRuntime({
    pallets: [
      [0, System, defaultSystemConfig()],
      [3, Timestamp, devTimestampConfig],
      [INDEX.Balances, Balances, { existentialDeposit: 100n, maxLocks: 50, maxReserves: 50, maxFreezes: 0 }],
      [11, TransactionPayment, devTransactionPaymentConfig],
      [INDEX.ForeignAssets, ForeignAssets, foreignAssetsConfig],
      [INDEX.PoolAssets, PoolAssets, poolAssetsConfig],
      [INDEX.AssetConversion, AssetConversion, { ...MOCK_CONFIG, ...config }],
    ],
    version: {
      spec_name: 'asset-conversion-mock',
      impl_name: 'asset-conversion-mock',
      authoring_version: 1,
      spec_version: 1,
      impl_version: 1,
      transaction_version: 1,
      system_version: 1,
    },
    scheme: substrateScheme,
    extensions: devExtensions,
    inherents: [timestampInherent],
    apis: [assetConversionApi],
  });
}

export interface MockGenesis {
  balances?: Array<[Uint8Array, bigint]>;
  /** (id, owner, is_sufficient, min_balance) */
  foreignAssets?: Array<[Location, Uint8Array, boolean, bigint]>;
  /** (id, account, balance) */
  foreignAccounts?: Array<[Location, Uint8Array, bigint]>;
  pools?: AssetConversionGenesis['pools'];
}

/** A state to run the mock's test bodies in (`new_test_ext()`): block 1, balances 1..4 as the mock gives them. */
export class ConversionExt {
  readonly chain: ReturnType<typeof makeConversionRuntime>;
  readonly backend = new MemoryBackend();

  constructor(config: Partial<AssetConversionConfig> = {}, genesis: MockGenesis = {}) {
    this.chain = makeConversionRuntime(config);
    const overlay = this.chain.runtime.buildGenesis({
      Balances: {
        balances: genesis.balances ?? [
          [acc(1), 10000n],
          [acc(2), 20000n],
          [acc(3), 30000n],
          [acc(4), 40000n],
        ],
      },
      ForeignAssets: {
        assets: genesis.foreignAssets ?? [],
        metadata: [],
        accounts: genesis.foreignAccounts ?? [],
      },
      AssetConversion: { pools: genesis.pools ?? [] },
    });
    this.backend.apply(overlay.drainChanges());
    this.run(() => BlockNumber.set(1));
  }

  run<T>(fn: () => T): T {
    const overlay = new Overlay(this.backend);
    const out = this.chain.runtime.execute(overlay, fn);
    this.backend.apply(overlay.drainChanges());
    return out;
  }

  /** Dispatches the call after a round trip through its SCALE encoding (what an extrinsic carries). */
  dispatch(who: Uint8Array | 'root', call: RuntimeCallValue): DispatchOutcome {
    const { runtime } = this.chain;
    const decoded = runtime.decodeCall(runtime.encodeCall(call));
    return this.run(() => runtime.dispatch(decoded, who === 'root' ? rootOrigin() : signedOrigin(who)));
  }

  /** Every storage entry, to show a failed call changed nothing (`assert_noop!`). */
  snapshot(): Map<string, string> {
    const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
    return new Map([...this.backend.entries()].map(([k, v]) => [hex(k), hex(v)]));
  }

  /** The AssetConversion events deposited since the last call, then cleared (the mock's `events()`). */
  events(): Array<{ type: string; value: any }> {
    return this.run(() => {
      const out = Events.get()
        .map((r: any) => r.event)
        .filter((e: any) => e.type === 'AssetConversion')
        .map((e: any) => e.value);
      Events.set([]);
      return out;
    });
  }

  callApi(method: string, input: Uint8Array): Uint8Array {
    const overlay = new Overlay(this.backend);
    return this.chain.runtime.callApi(overlay, method, input);
  }
}

// ---- calls, as the mock's tests write them ------------------------------------------------------------------------

const ac = (type: string, value: Record<string, unknown>): RuntimeCallValue => ({
  type: 'AssetConversion',
  value: { type, value },
});
export const createPool = (asset1: Location, asset2: Location) => ac('create_pool', { asset1, asset2 });
export const addLiquidity = (
  asset1: Location,
  asset2: Location,
  amount1_desired: bigint,
  amount2_desired: bigint,
  amount1_min: bigint,
  amount2_min: bigint,
  mint_to: Uint8Array,
) =>
  ac('add_liquidity', {
    asset1,
    asset2,
    amount1_desired,
    amount2_desired,
    amount1_min,
    amount2_min,
    mint_to,
  });
export const removeLiquidity = (
  asset1: Location,
  asset2: Location,
  lp_token_burn: bigint,
  amount1_min_receive: bigint,
  amount2_min_receive: bigint,
  withdraw_to: Uint8Array,
) =>
  ac('remove_liquidity', {
    asset1,
    asset2,
    lp_token_burn,
    amount1_min_receive,
    amount2_min_receive,
    withdraw_to,
  });
export const swapExactTokensForTokens = (
  path: Location[],
  amount_in: bigint,
  amount_out_min: bigint,
  send_to: Uint8Array,
  keep_alive: boolean,
) => ac('swap_exact_tokens_for_tokens', { path, amount_in, amount_out_min, send_to, keep_alive });
export const swapTokensForExactTokens = (
  path: Location[],
  amount_out: bigint,
  amount_in_max: bigint,
  send_to: Uint8Array,
  keep_alive: boolean,
) => ac('swap_tokens_for_exact_tokens', { path, amount_out, amount_in_max, send_to, keep_alive });
export const touch = (asset1: Location, asset2: Location) => ac('touch', { asset1, asset2 });

export const forceSetBalance = (who: Uint8Array, new_free: bigint): RuntimeCallValue => ({
  type: 'Balances',
  value: { type: 'force_set_balance', value: { who: { type: 'Id', value: who }, new_free } },
});
export const forceCreate = (id: Location, owner: Uint8Array, min_balance = 1n): RuntimeCallValue => ({
  type: 'ForeignAssets',
  value: {
    type: 'force_create',
    value: { id, owner: { type: 'Id', value: owner }, is_sufficient: false, min_balance },
  },
});
export const mint = (id: Location, beneficiary: Uint8Array, amount: bigint): RuntimeCallValue => ({
  type: 'ForeignAssets',
  value: { type: 'mint', value: { id, beneficiary: { type: 'Id', value: beneficiary }, amount } },
});
export const transferAsset = (id: Location, target: Uint8Array, amount: bigint): RuntimeCallValue => ({
  type: 'ForeignAssets',
  value: { type: 'transfer', value: { id, target: { type: 'Id', value: target }, amount } },
});
