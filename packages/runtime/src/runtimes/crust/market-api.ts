/**
 * `MarketApi` (ours; Crust has no runtime API for it): what an order of `file_size` bytes costs at the current fees,
 * split as the market charges it, so a client can quote a fee without placing an order:
 *
 *   const fee = await api.call.marketApi.orderFee(size);   // { total, baseFee, byteFee, keysCountFee, … }
 *
 * `total` is what `market.place_storage_order` (and `xstorage.place_storage_order_through_parachain`) takes from the
 * payer with no tips, for a CID not yet ordered (a re-order of a known CID is charged at its recorded size). It is
 * read at the block the call is made at; the fees move once per report slot.
 */
import type { RuntimeApiDecl, RuntimeApiImpl } from '../../frame/runtime-version.ts';
import { orderFee } from '../../pallets/market/index.ts';
import type { Codec } from '../../scale/codec.ts';
import { struct } from '../../scale/composite.ts';
import { u64, u128 } from '../../scale/primitives.ts';

export interface MarketOrderFee {
  /** base_fee + byte_fee + keys_count_fee: what the payer is charged besides tips. */
  total: bigint;
  /** `FileBaseFee` (all to the reserved pot). */
  base_fee: bigint;
  /** `FileByteFee` × size in whole MiB. */
  byte_fee: bigint;
  /** `FileKeysCountFee`. */
  keys_count_fee: bigint;
  /** `StakingRatio` × (byte_fee + keys_count_fee), to the staking pot. */
  staking: bigint;
  /** `StorageRatio` × (byte_fee + keys_count_fee), to the storage pot (the file's reward amount). */
  storage: bigint;
  /** The rest, to the reserved pot. */
  reserved: bigint;
}

export const MarketOrderFeeCodec: Codec<MarketOrderFee> = struct(
  {
    total: u128,
    base_fee: u128,
    byte_fee: u128,
    keys_count_fee: u128,
    staking: u128,
    storage: u128,
    reserved: u128,
  },
  {
    total: 'Balance',
    base_fee: 'Balance',
    byte_fee: 'Balance',
    keys_count_fee: 'Balance',
    staking: 'Balance',
    storage: 'Balance',
    reserved: 'Balance',
  },
).named(['xstorage_primitives', 'market', 'OrderFee']);

export const MarketApiDecl: RuntimeApiDecl = {
  name: 'MarketApi',
  version: 1,
  docs: [" Quotes of Crust's storage market."],
  methods: {
    order_fee: {
      inputs: [['file_size', u64]],
      output: MarketOrderFeeCodec,
      docs: [
        ' The fee of an order of `file_size` bytes at the current fees (no tips), split as the market charges it.',
      ],
    },
  },
};

export const marketApi: RuntimeApiImpl = {
  api: MarketApiDecl,
  methods: {
    order_fee(fileSize: bigint): MarketOrderFee {
      const f = orderFee(fileSize);
      return {
        total: f.total,
        base_fee: f.baseFee,
        byte_fee: f.byteFee,
        keys_count_fee: f.keysCountFee,
        staking: f.staking,
        storage: f.storage,
        reserved: f.reserved,
      };
    },
  },
};
