/**
 * Crust's DSM storage market as a pallet named `Market` (cstrml/market/src/lib.rs, mainnet): calls at Crust's call
 * indices (those of its off-chain replica service, 2–5, are left out: replicas are updated on chain here), the fee
 * adjustments in `on_initialize`, the pots funded at genesis, and Crust's constants.
 */
import { ensureRoot, ensureSigned } from '../../frame/origin.ts';
import { call, constant } from '../../frame/pallet.ts';
import { addWeight, ROCKS_DB_WEIGHT, type Weight, weight } from '../../frame/weights.ts';
import { array, tuple } from '../../scale/composite.ts';
import { bool, bytes, compact, u8, u32, u64, u128 } from '../../scale/primitives.ts';
import type { MarketConfig } from './config.ts';
import { updateBaseFee, updateFileByteFee, updateFileKeysCountFee } from './fees.ts';
import {
  EnableMarket,
  FileBaseFee,
  FileBaseFeeDecreaseRatio,
  FileBaseFeeDecreaseThreshold,
  FileBaseFeeIncreaseRatio,
  FileBaseFeeIncreaseThreshold,
  FileByteFee,
  FileByteFeeDecreaseRatio,
  FileByteFeeIncreaseRatio,
  FileFeeAdjustInterval,
  FileKeysCountFee,
  FileKeysCountFeeAdjustThreshold,
  FileKeysCountFeeDecreaseRatio,
  FileKeysCountFeeIncreaseRatio,
  HasNewOrder,
  LastFileFeeAdjustBlock,
  MarketError,
  MarketEvent,
  MaxFileBaseFee,
  MaxFileByteFee,
  MaxFileKeysCountFee,
  MinFileBaseFee,
  MinFileByteFee,
  MinFileKeysCountFee,
  p,
  SpowerReadyPeriod,
} from './items.ts';
import { addPrepaid, calculateReward, placeStorageOrderFor, rewardMerchant } from './orders.ts';
import { type PotName, pot } from './pots.ts';
import { MerkleRoot, PERBILL_ACCURACY, Perbill } from './primitives.ts';

const READ = Number(ROCKS_DB_WEIGHT.read);
const WRITE = Number(ROCKS_DB_WEIGHT.write);
const w = (refTime: number, reads = 0, writes = 0, proof = 0): Weight =>
  addWeight(weight(refTime, proof), weight(reads * READ + writes * WRITE, 0));

/** Crust's benchmarked weights (cstrml/market/src/weight.rs) plus RocksDb reads and writes. */
export const MarketWeights = {
  placeStorageOrder: () => w(719_000_000, 16, 9, 8_000),
  calculateReward: () => w(297_000_000, 62, 8, 40_000),
  rewardMerchant: () => w(296_000_000, 8, 4, 4_000),
  root: () => weight(1_000, 0),
};

const Balance = u128;

/** A root-only setter of one fee bound with Crust's min ≤ max check. */
function checkedBound(kind: 'min' | 'max', value: bigint, other: bigint): void {
  if (kind === 'min' ? value > other : value < other) throw MarketError.fail('MaxFeeLessThanMinFee');
}

export interface MarketGenesis {
  /** Overrides `EnableMarket` (default: the config's `enableMarket`). */
  enableMarket?: boolean;
  /** Initial `FileBaseFee` (default 0, as Crust). */
  fileBaseFee?: bigint;
}

export const Market = p.build({
  docs: [" Crust's decentralized storage market (DSM)."],
  calls: {
    place_storage_order: call(
      0,
      { cid: MerkleRoot, reported_file_size: u64, tips: compact(u128), memo: bytes },
      {
        weight: MarketWeights.placeStorageOrder,
        dispatch(origin, { cid, reported_file_size, tips, memo }) {
          if (!EnableMarket.get()) throw MarketError.fail('PlaceOrderNotAvailable');
          placeStorageOrderFor(ensureSigned(origin), cid, reported_file_size, tips, memo);
        },
        typeNames: { cid: 'MerkleRoot', reported_file_size: 'u64', tips: 'BalanceOf<T>', memo: 'Vec<u8>' },
        docs: [
          ' Place a storage order. The cid and file_size of this file should be provided. Extra tips is accepted.',
        ],
      },
    ),
    add_prepaid: call(
      1,
      { cid: MerkleRoot, amount: compact(u128) },
      {
        weight: MarketWeights.placeStorageOrder,
        dispatch(origin, { cid, amount }) {
          addPrepaid(ensureSigned(origin), cid, amount);
        },
        typeNames: { cid: 'MerkleRoot', amount: 'BalanceOf<T>' },
        docs: [
          ' Add prepaid amount of currency for this file.',
          ' If this file has prepaid value and enough for a new storage order, it can be renewed by anyone.',
        ],
      },
    ),
    calculate_reward: call(
      6,
      { cid: MerkleRoot },
      {
        weight: MarketWeights.calculateReward,
        dispatch(origin, { cid }) {
          calculateReward(ensureSigned(origin), cid);
        },
        typeNames: { cid: 'MerkleRoot' },
        docs: [' Calculate the reward for a file'],
      },
    ),
    reward_merchant: call(
      7,
      {},
      {
        weight: MarketWeights.rewardMerchant,
        dispatch(origin) {
          rewardMerchant(ensureSigned(origin));
        },
        docs: [' Reward a merchant'],
      },
    ),
    set_enable_market: call(
      8,
      { is_enabled: bool },
      {
        weight: MarketWeights.root,
        dispatch(origin, { is_enabled }) {
          ensureRoot(origin);
          EnableMarket.set(is_enabled);
          MarketEvent.deposit({ type: 'SetEnableMarketSuccess', value: is_enabled });
        },
        docs: [' Open/Close market service', '', ' The dispatch origin for this call must be _Root_.'],
      },
    ),
    set_base_fee: call(
      9,
      { base_fee: compact(Balance) },
      {
        weight: MarketWeights.root,
        dispatch(origin, { base_fee }) {
          ensureRoot(origin);
          FileBaseFee.set(base_fee);
          MarketEvent.deposit({ type: 'SetBaseFeeSuccess', value: base_fee });
        },
        typeNames: { base_fee: 'BalanceOf<T>' },
        docs: [' Set the file base fee', '', ' The dispatch origin for this call must be _Root_.'],
      },
    ),
    set_byte_fee: call(
      10,
      { byte_fee: compact(Balance) },
      {
        weight: MarketWeights.root,
        dispatch(origin, { byte_fee }) {
          ensureRoot(origin);
          FileByteFee.set(byte_fee);
        },
        typeNames: { byte_fee: 'BalanceOf<T>' },
        docs: [' Set the file byte fee', '', ' The dispatch origin for this call must be _Root_.'],
      },
    ),
    set_key_count_fee: call(
      11,
      { key_count_fee: compact(Balance) },
      {
        weight: MarketWeights.root,
        dispatch(origin, { key_count_fee }) {
          ensureRoot(origin);
          FileKeysCountFee.set(key_count_fee);
        },
        typeNames: { key_count_fee: 'BalanceOf<T>' },
        docs: [' Set the file key count fee', '', ' The dispatch origin for this call must be _Root_.'],
      },
    ),
    set_min_base_fee: call(
      12,
      { min_base_fee: compact(Balance) },
      {
        weight: MarketWeights.root,
        dispatch(origin, { min_base_fee }) {
          ensureRoot(origin);
          checkedBound('min', min_base_fee, MaxFileBaseFee.get());
          MinFileBaseFee.set(min_base_fee);
        },
        typeNames: { min_base_fee: 'BalanceOf<T>' },
        docs: [' Set the mininal file base fee', '', ' The dispatch origin for this call must be _Root_.'],
      },
    ),
    set_min_byte_fee: call(
      13,
      { min_byte_fee: compact(Balance) },
      {
        weight: MarketWeights.root,
        dispatch(origin, { min_byte_fee }) {
          ensureRoot(origin);
          checkedBound('min', min_byte_fee, MaxFileByteFee.get());
          MinFileByteFee.set(min_byte_fee);
        },
        typeNames: { min_byte_fee: 'BalanceOf<T>' },
        docs: [' Set the minimal file byte fee', '', ' The dispatch origin for this call must be _Root_.'],
      },
    ),
    set_min_key_count_fee: call(
      14,
      { min_key_count_fee: compact(Balance) },
      {
        weight: MarketWeights.root,
        dispatch(origin, { min_key_count_fee }) {
          ensureRoot(origin);
          checkedBound('min', min_key_count_fee, MaxFileKeysCountFee.get());
          MinFileKeysCountFee.set(min_key_count_fee);
        },
        typeNames: { min_key_count_fee: 'BalanceOf<T>' },
        docs: [
          ' Set the minimal file key count fee',
          '',
          ' The dispatch origin for this call must be _Root_.',
        ],
      },
    ),
    set_max_base_fee: call(
      15,
      { max_base_fee: compact(Balance) },
      {
        weight: MarketWeights.root,
        dispatch(origin, { max_base_fee }) {
          ensureRoot(origin);
          checkedBound('max', max_base_fee, MinFileBaseFee.get());
          MaxFileBaseFee.set(max_base_fee);
        },
        typeNames: { max_base_fee: 'BalanceOf<T>' },
        docs: [' Set the maximum file base fee', '', ' The dispatch origin for this call must be _Root_.'],
      },
    ),
    set_max_byte_fee: call(
      16,
      { max_byte_fee: compact(Balance) },
      {
        weight: MarketWeights.root,
        dispatch(origin, { max_byte_fee }) {
          ensureRoot(origin);
          checkedBound('max', max_byte_fee, MinFileByteFee.get());
          MaxFileByteFee.set(max_byte_fee);
        },
        typeNames: { max_byte_fee: 'BalanceOf<T>' },
        docs: [' Set the maximum file byte fee', '', ' The dispatch origin for this call must be _Root_.'],
      },
    ),
    set_max_key_count_fee: call(
      17,
      { max_key_count_fee: compact(Balance) },
      {
        weight: MarketWeights.root,
        dispatch(origin, { max_key_count_fee }) {
          ensureRoot(origin);
          checkedBound('max', max_key_count_fee, MinFileKeysCountFee.get());
          MaxFileKeysCountFee.set(max_key_count_fee);
        },
        typeNames: { max_key_count_fee: 'BalanceOf<T>' },
        docs: [
          ' Set the maximum file key count fee',
          '',
          ' The dispatch origin for this call must be _Root_.',
        ],
      },
    ),
    set_file_fee_adjust_interval: call(
      18,
      { file_fee_adjust_interval: u32 },
      {
        weight: MarketWeights.root,
        dispatch(origin, { file_fee_adjust_interval }) {
          ensureRoot(origin);
          if (file_fee_adjust_interval <= 0) throw MarketError.fail('FileFeeAdjustIntervalInvalid');
          FileFeeAdjustInterval.set(file_fee_adjust_interval);
        },
        docs: [
          ' Set the file fee adjust interval, unit in number of slots.',
          '',
          ' The dispatch origin for this call must be _Root_.',
        ],
      },
    ),
    set_file_base_fee_increase_threshold: call(
      19,
      { file_base_fee_increase_threshold: u32 },
      {
        weight: MarketWeights.root,
        dispatch(origin, { file_base_fee_increase_threshold }) {
          ensureRoot(origin);
          if (file_base_fee_increase_threshold >= FileBaseFeeDecreaseThreshold.get())
            throw MarketError.fail('BaseFeeIncreaseThresholdLargerThanDecreaseThreshold');
          FileBaseFeeIncreaseThreshold.set(file_base_fee_increase_threshold);
        },
        docs: [
          ' Set the file base fee increase threshold. When the average replicas count is less than the threshold, the base fee will increase.',
          ' The dispatch origin for this call must be _Root_.',
        ],
      },
    ),
    set_file_base_fee_decrease_threshold: call(
      20,
      { file_base_fee_decrease_threshold: u32 },
      {
        weight: MarketWeights.root,
        dispatch(origin, { file_base_fee_decrease_threshold }) {
          ensureRoot(origin);
          if (file_base_fee_decrease_threshold <= FileBaseFeeIncreaseThreshold.get())
            throw MarketError.fail('BaseFeeIncreaseThresholdLargerThanDecreaseThreshold');
          FileBaseFeeDecreaseThreshold.set(file_base_fee_decrease_threshold);
        },
        docs: [
          ' Set the file base fee decrease threshold. When the average replicas count is larger than the threshold, the base fee will decrease.',
          ' The dispatch origin for this call must be _Root_.',
        ],
      },
    ),
    set_file_base_fee_increase_ratio: ratioSetter(
      21,
      'file_base_fee_increase_ratio',
      FileBaseFeeIncreaseRatio,
    ),
    set_file_base_fee_decrease_ratio: ratioSetter(
      22,
      'file_base_fee_decrease_ratio',
      FileBaseFeeDecreaseRatio,
    ),
    set_file_byte_fee_increase_ratio: ratioSetter(
      23,
      'file_byte_fee_increase_ratio',
      FileByteFeeIncreaseRatio,
    ),
    set_file_byte_fee_decrease_ratio: ratioSetter(
      24,
      'file_byte_fee_decrease_ratio',
      FileByteFeeDecreaseRatio,
    ),
    set_file_keys_count_fee_adjust_threshold: call(
      25,
      { file_keys_count_fee_adjust_threshold: u32 },
      {
        weight: MarketWeights.root,
        dispatch(origin, { file_keys_count_fee_adjust_threshold }) {
          ensureRoot(origin);
          FileKeysCountFeeAdjustThreshold.set(file_keys_count_fee_adjust_threshold);
        },
        docs: [
          ' Set the file keys count fee adjust threshold, unit in number of on-chain files.',
          ' The dispatch origin for this call must be _Root_.',
        ],
      },
    ),
    set_file_keys_count_fee_increase_ratio: ratioSetter(
      26,
      'file_keys_count_fee_increase_ratio',
      FileKeysCountFeeIncreaseRatio,
    ),
    set_file_keys_count_fee_decrease_ratio: ratioSetter(
      27,
      'file_keys_count_fee_decrease_ratio',
      FileKeysCountFeeDecreaseRatio,
    ),
  },
  constants: {
    ModuleId: constant(array(u8, 8).named(['sp_runtime', 'ModuleId']), (c: MarketConfig) => [...c.moduleId], [
      " The market's module id, used for deriving its sovereign account ID.",
    ]),
    FileDuration: constant(u32, (c: MarketConfig) => c.fileDuration, [' The file duration.']),
    FileReplica: constant(u32, (c: MarketConfig) => c.fileReplica, [' The file base replica to get reward.']),
    InitFileByteFee: constant(Balance, (c: MarketConfig) => c.initFileByteFee, [
      ' The file init price after the chain start.',
    ]),
    StorageReferenceRatio: constant(
      tuple(u128, u128),
      (c: MarketConfig) => [c.storageReferenceRatio[0], c.storageReferenceRatio[1]] as [bigint, bigint],
      [' The storage reference ratio to adjust the file byte fee.'],
    ),
    StorageIncreaseRatio: constant(Perbill, (c: MarketConfig) => c.storageIncreaseRatio, [
      ' The storage increase ratio for each file byte&key fee change.',
    ]),
    StorageDecreaseRatio: constant(Perbill, (c: MarketConfig) => c.storageDecreaseRatio, [
      ' The storage decrease ratio for each file byte&key fee change.',
    ]),
    StakingRatio: constant(Perbill, (c: MarketConfig) => c.stakingRatio, [
      ' The staking ratio for how much CRU into staking pot.',
    ]),
    StorageRatio: constant(Perbill, (c: MarketConfig) => c.storageRatio, [
      ' The storage ratio for how much CRU into storage pot.',
    ]),
    MaximumFileSize: constant(u64, (c: MarketConfig) => c.maximumFileSize, [' The max file size of a file']),
    RenewRewardRatio: constant(Perbill, (c: MarketConfig) => c.renewRewardRatio, [
      ' The renew reward ratio for liquidator.',
    ]),
  },
  hooks: {
    onInitialize(now) {
      const c = p.config();
      const interval = FileFeeAdjustInterval.get() * c.reportSlot;
      let used = w(0, 2, 0);
      if (interval === 0) return used;
      if ((now + c.priceUpdateOffset) % interval === 0 && HasNewOrder.get()) {
        updateFileByteFee();
        updateFileKeysCountFee();
        HasNewOrder.set(false);
        LastFileFeeAdjustBlock.set(now);
        used = addWeight(used, w(0, 13, 4));
      }
      if ((now + c.baseFeeUpdateOffset) % interval === 0) {
        updateBaseFee();
        LastFileFeeAdjustBlock.set(now);
        used = addWeight(used, w(0, 8, 4));
      }
      return used;
    },
  },
  genesis: {
    default: (): MarketGenesis => ({}),
    build(g: MarketGenesis) {
      const c = p.config();
      // Crust's genesis gives each pot the minimum balance so that fee shares below it can be paid in.
      const ed = c.currency.existentialDeposit();
      for (const name of ['collateral', 'storage', 'staking', 'reserved'] as PotName[]) {
        const account = pot(name);
        const free = c.currency.free(account);
        if (free < ed) c.currency.mint(account, ed - free);
      }
      FileByteFee.set(c.initFileByteFee);
      FileKeysCountFee.set(c.initFileKeysCountFee);
      MaxFileByteFee.set(c.initMaxFileByteFee);
      MaxFileKeysCountFee.set(c.initMaxFileKeysCountFee);
      MaxFileBaseFee.set(c.initMaxFileBaseFee);
      FileBaseFee.set(g.fileBaseFee ?? 0n);
      SpowerReadyPeriod.set(c.spowerReadyPeriod);
      EnableMarket.set(g.enableMarket ?? c.enableMarket);
    },
  },
});

function ratioSetter<N extends string>(index: number, name: N, item: { set(v: number): void }) {
  return call(index, { [name]: Perbill } as Record<N, typeof Perbill>, {
    weight: MarketWeights.root,
    dispatch(origin, args) {
      ensureRoot(origin);
      // `Perbill` decodes saturating at one (`from_parts` takes the min with its accuracy).
      item.set(Math.min((args as Record<N, number>)[name], Number(PERBILL_ACCURACY)));
    },
    docs: [` Set the ${name.replace(/_/g, ' ')}.`, ' The dispatch origin for this call must be _Root_.'],
  });
}
