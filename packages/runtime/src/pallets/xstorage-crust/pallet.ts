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
});

export const XstorageError = p.errors({
  NotCrossChainTransferableCurrency: [0],
  NotSupportedCurrency: [1],
  UnableToTransferStorageFee: [2],
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
};

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
  },
  constants: {
    PalletId: constant(array(u8, 8).named(['frame_support', 'PalletId']), () => [...XSTORAGE_PALLET_ID], [
      " The pallet's id, from which its account (the payer of `place_storage_order`'s market orders) derives.",
    ]),
  },
});
