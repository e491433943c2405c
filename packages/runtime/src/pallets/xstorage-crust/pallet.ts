/**
 * Crust's `xstorage` pallet (crustio/crust parachain/upgrade-to-polkadot-v1.1.0 crust-collator/pallets/xstorage), the
 * Crust-side end of a cross-chain storage order, as a pallet named `Xstorage` (module path `xstorage`). Crust's call 0
 * only records `FileSuccess` for an off-chain service; here the market runs on chain, so every order is a real
 * `market` order:
 *
 * - 0 `place_storage_order_through_parachain(cid, size)`: what a parachain's XCM `Transact` carries,
 *   `(127u8, 0u8, cid, size).encode()`. The signed origin (the sibling's sovereign account, or the remote user's
 *   derived account, whatever the XCM origin converter produced) pays a market order for `cid`; a failing order fails
 *   the call with the market's error, so the XCM's transact status reports it back.
 * - 1 `place_storage_order(cid, size, currency_id)`: the caller pays the flat fee registered for `currency_id` to the
 *   pallet's account (`PalletId(*b"xstorage")`), which pays the market order in CRU.
 * - 2 `register_storage_fee(currency_id, amount)`: `StorageFeeOwner` (root here) sets that flat fee.
 * - 3 `place_storage_order_paying_with(cid, size, tips, asset, max_in)` (ours): the signed origin pays the order in a
 *   sibling's token it holds here (`asset`, its Location): the token is swapped (through `conversion`, Crust's
 *   AssetConversion) for the CRU the order needs plus CRU's existential deposit (less the CRU the origin already
 *   has), taking at most `max_in`, then the origin pays the market order as in call 0. What parachains paying in
 *   their own token Transact.
 *
 * Both order calls deposit `FileSuccess { account, cid, size }` (account: the caller) after the market's own
 * `FileSuccess`.
 */
import { AccountId, accountKind } from '../../frame/account.ts';
import { DispatchFailure } from '../../frame/dispatch-error.ts';
import { ensureRoot, ensureSigned, type Origin } from '../../frame/origin.ts';
import { call, constant, pallet } from '../../frame/pallet.ts';
import { addWeight, ROCKS_DB_WEIGHT, type Weight, weight } from '../../frame/weights.ts';
import type { Codec } from '../../scale/codec.ts';
import { array, enumeration } from '../../scale/composite.ts';
import { bytes, u8, u64, u128 } from '../../scale/primitives.ts';
import {
  isHere,
  type Location,
  LocationCodec,
  toLatestLocation,
  VersionedLocationCodec,
} from '../../xcm/index.ts';

/** Crust's `CurrencyId`: its own token, or an asset of its asset manager (`AssetId = u128`). */
export type CurrencyId = { type: 'SelfReserve' } | { type: 'OtherReserve'; value: bigint };

export const CurrencyIdCodec = enumeration({ SelfReserve: [0], OtherReserve: [1, u128] }).named([
  'crust_parachain_runtime',
  'CurrencyId',
]) as unknown as Codec<CurrencyId>;

/** The market as xstorage reaches it (market's `placeStorageOrderFor` and its weight). */
export interface XstorageMarket {
  /** Places a market order for `cid` paid by `who`; throws the market's DispatchFailure, changing nothing. */
  placeStorageOrderFor(who: Uint8Array, cid: Uint8Array, size: bigint, tips: bigint): bigint;
  placeStorageOrderWeight(): Weight;
  /** What `placeStorageOrderFor(_, cid, size, tips)` would charge now (a known CID at its recorded size). */
  orderCost?(cid: Uint8Array, size: bigint, tips: bigint): bigint;
}

/** How `place_storage_order_paying_with` gets CRU for a sibling's token (Crust's AssetConversion). */
export interface XstorageConversion {
  /** CRU `who` may spend, and CRU's existential deposit. */
  cruBalance(who: Uint8Array): bigint;
  cruExistentialDeposit(): bigint;
  /** Swaps at most `maxIn` of `asset` held by `who` (keeping its account) for exactly `amountOut` CRU into `who`;
   * returns what it took; throws the conversion's DispatchFailure, changing nothing. */
  swapForExactCru(who: Uint8Array, asset: Location, amountOut: bigint, maxIn: bigint): bigint;
  swapWeight(): Weight;
}

/** The currencies `place_storage_order` takes its flat fee in (Crust's CurrencyIdToMultiLocation + AssetTransactor). */
export interface XstorageCurrencies {
  /** Whether `id` names a currency with a location (else NotCrossChainTransferableCurrency). */
  isTransferable(id: CurrencyId): boolean;
  /** Moves `amount` of `id` (`internal_transfer_asset`); throws on failure (UnableToTransferStorageFee). */
  transfer(id: CurrencyId, from: Uint8Array, to: Uint8Array, amount: bigint): void;
}

export interface XstorageConfig {
  market: XstorageMarket;
  currencies: XstorageCurrencies;
  /** `StorageFeeOwner`; default Root (Crust: root or half the council). */
  storageFeeOwner?: (origin: Origin) => void;
  /** For call 3 (absent: `ConversionUnavailable`). */
  conversion?: XstorageConversion;
}

/** `PALLET_ID` */
export const XSTORAGE_PALLET_ID = new TextEncoder().encode('xstorage');

/** `PalletId(*b"xstorage").into_account_truncating()`: b"modl" ++ id ++ zeros, sized for the runtime's accounts. */
export function xstorageAccount(length: number = accountKind().length): Uint8Array {
  const a = new Uint8Array(length);
  const raw = new Uint8Array([...new TextEncoder().encode('modl'), ...XSTORAGE_PALLET_ID]);
  a.set(raw.subarray(0, length));
  return a;
}

const p = pallet<XstorageConfig>('Xstorage', { module: 'xstorage' });
const config = (): XstorageConfig => p.config();

export const StorageFeePerCurrency = p.map(
  'StorageFeePerCurrency',
  ['Blake2_128Concat', CurrencyIdCodec],
  u128,
  {},
);

export const XstorageEvent = p.events({
  FileSuccess: [
    0,
    { account: AccountId, cid: bytes, size: u64 },
    [' New asset with the asset manager is registered'],
  ],
  StorageFeeRegistered: [1, { currency_id: CurrencyIdCodec, amount: u128 }],
  PaidWith: [
    2,
    { account: AccountId, asset: LocationCodec, paid: u128, cru: u128 },
    [' `account` swapped `paid` of `asset` for `cru` CRU to pay an order (call 3).'],
  ],
});

export const XstorageError = p.errors({
  NotCrossChainTransferableCurrency: [0],
  NotSupportedCurrency: [1],
  UnableToTransferStorageFee: [2],
  ConversionUnavailable: [3, [' No conversion of sibling tokens into CRU is configured.']],
  BadAsset: [4, [' The asset is not a sibling token (or its location cannot be read).']],
});

const READ = Number(ROCKS_DB_WEIGHT.read);
const WRITE = Number(ROCKS_DB_WEIGHT.write);

/** Crust's `default_xstorage_weight` (pallets/xstorage/src/weights.rs: 1_000_000 + 10885 proof, 3 reads, 4 writes). */
export const defaultXstorageWeight = (): Weight =>
  addWeight(weight(1_000_000, 10_885), weight(3 * READ + 4 * WRITE, 0));

export const XstorageWeights = {
  /** Crust's weight plus the market order it places here. */
  placeOrder: (): Weight => addWeight(defaultXstorageWeight(), config().market.placeStorageOrderWeight()),
  registerStorageFee: defaultXstorageWeight,
  /** Call 0's weight plus the swap. */
  placeOrderPayingWith: (): Weight =>
    addWeight(XstorageWeights.placeOrder(), config().conversion?.swapWeight() ?? weight(0, 0)),
};

/** Call 3: swap `asset` for what the order needs, then place it for `who`. */
function placeOrderPayingWith(
  who: Uint8Array,
  cid: Uint8Array,
  size: bigint,
  tips: bigint,
  asset: Location,
  maxIn: bigint,
): void {
  const { market, conversion } = config();
  if (!conversion || !market.orderCost) throw XstorageError.fail('ConversionUnavailable');
  if (isHere(asset)) throw XstorageError.fail('BadAsset');
  // Enough CRU for the order and to keep the account (the market may take all of what it pays with).
  const target = market.orderCost(cid, size, tips) + conversion.cruExistentialDeposit();
  const have = conversion.cruBalance(who);
  const buy = target > have ? target - have : 0n;
  if (buy > 0n) {
    const paid = conversion.swapForExactCru(who, asset, buy, maxIn);
    XstorageEvent.deposit({ type: 'PaidWith', value: { account: who, asset, paid, cru: buy } });
  }
  market.placeStorageOrderFor(who, cid, size, tips);
}

export const Xstorage = p.build({
  docs: [' Cross-chain storage orders: parachains place market orders on Crust through XCM Transact.'],
  calls: {
    place_storage_order_through_parachain: call(
      0,
      { cid: bytes, size: u64 },
      {
        weight: () => XstorageWeights.placeOrder(),
        dispatch(origin, { cid, size }) {
          const who = ensureSigned(origin);
          config().market.placeStorageOrderFor(who, cid, size, 0n);
          XstorageEvent.deposit({ type: 'FileSuccess', value: { account: who, cid, size } });
        },
        typeNames: { cid: 'Vec<u8>', size: 'u64' },
        docs: [
          ' Place a market storage order for `cid` paid by the origin (index 0: what parachains send through XCM).',
        ],
      },
    ),
    place_storage_order: call(
      1,
      { cid: bytes, size: u64, currency_id: CurrencyIdCodec },
      {
        weight: () => XstorageWeights.placeOrder(),
        dispatch(origin, { cid, size, currency_id }) {
          const who = ensureSigned(origin);
          const { currencies, market } = config();
          if (!currencies.isTransferable(currency_id))
            throw XstorageError.fail('NotCrossChainTransferableCurrency');
          const amount = StorageFeePerCurrency.get(currency_id);
          if (amount === undefined) throw XstorageError.fail('NotSupportedCurrency');
          try {
            currencies.transfer(currency_id, who, xstorageAccount(), amount);
          } catch (err) {
            if (err instanceof DispatchFailure) throw XstorageError.fail('UnableToTransferStorageFee');
            throw err;
          }
          market.placeStorageOrderFor(xstorageAccount(), cid, size, 0n);
          XstorageEvent.deposit({ type: 'FileSuccess', value: { account: who, cid, size } });
        },
        typeNames: { cid: 'Vec<u8>', size: 'u64', currency_id: 'T::CurrencyId' },
        docs: [
          ' Pay the flat fee registered for `currency_id`; the pallet account pays the market order for `cid`.',
        ],
      },
    ),
    register_storage_fee: call(
      2,
      { currency_id: CurrencyIdCodec, amount: u128 },
      {
        weight: XstorageWeights.registerStorageFee,
        dispatch(origin, { currency_id, amount }) {
          (config().storageFeeOwner ?? ensureRoot)(origin);
          if (!config().currencies.isTransferable(currency_id))
            throw XstorageError.fail('NotCrossChainTransferableCurrency');
          StorageFeePerCurrency.set(currency_id, amount);
          XstorageEvent.deposit({ type: 'StorageFeeRegistered', value: { currency_id, amount } });
        },
        typeNames: { currency_id: 'T::CurrencyId', amount: 'u128' },
        docs: [' Set the flat storage fee of `currency_id` (StorageFeeOwner).'],
      },
    ),
    place_storage_order_paying_with: call(
      3,
      { cid: bytes, size: u64, tips: u128, asset: VersionedLocationCodec, max_in: u128 },
      {
        weight: () => XstorageWeights.placeOrderPayingWith(),
        dispatch(origin, { cid, size, tips, asset, max_in }) {
          const who = ensureSigned(origin);
          let location: Location;
          try {
            location = toLatestLocation(asset);
          } catch {
            throw XstorageError.fail('BadAsset');
          }
          placeOrderPayingWith(who, cid, size, tips, location, max_in);
          XstorageEvent.deposit({ type: 'FileSuccess', value: { account: who, cid, size } });
        },
        typeNames: {
          cid: 'Vec<u8>',
          size: 'u64',
          tips: 'u128',
          asset: 'Box<VersionedLocation>',
          max_in: 'u128',
        },
        docs: [
          ' Place a market order for `cid` paid by the origin in `asset` (a sibling token held here), swapped for',
          " the order's CRU taking at most `max_in` (what parachains paying in their own token send through XCM).",
        ],
      },
    ),
  },
  constants: {
    PalletId: constant(array(u8, 8).named(['frame_support', 'PalletId']), () => [...XSTORAGE_PALLET_ID], [
      " The pallet's id, from which its account (the payer of `place_storage_order`'s market orders) derives.",
    ]),
  },
});
