/**
 * Crust's `market` declarations (cstrml/market/src/lib.rs, mainnet): storage names, hashers, defaults and docs;
 * events and errors with their indices. Items that only serve Crust's off-chain replica service (`SpowerSuperior`,
 * `LastReplicasUpdateBlock`, `LastSpowerCalculateBlock`) and the unused `PendingFiles` are left out, and so are their
 * event and error indices: replicas here are updated on chain by swork's work reports.
 */
import { AccountId } from '../../frame/account.ts';
import { pallet } from '../../frame/pallet.ts';
import { tuple } from '../../scale/composite.ts';
import { bool, u32, u128 } from '../../scale/primitives.ts';
import { CRUST_FEE_ADJUSTMENT, CRUST_MARKET_DEFAULTS, type MarketConfig } from './config.ts';
import { MerkleRoot, Perbill } from './primitives.ts';
import { FileInfoV2Codec } from './types.ts';

export const p = pallet<MarketConfig>('Market', { module: 'cstrml_market' });
export const config = (): MarketConfig => p.config();

const BlockNumber = u32;
const Balance = u128;
const D = CRUST_MARKET_DEFAULTS;
const A = CRUST_FEE_ADJUSTMENT;

export const OrdersCount = p.value('OrdersCount', u32, {
  default: 0,
  docs: [' New orders count in the past one period(one hour), determinate the FileBaseFee'],
});
export const FileFeeAdjustInterval = p.value('FileFeeAdjustInterval', u32, {
  default: A.fileFeeAdjustInterval,
  docs: [' The file fee adjust interval, unit in number of slots.'],
});
export const LastFileFeeAdjustBlock = p.value('LastFileFeeAdjustBlock', BlockNumber, {
  default: 0,
  docs: [' The last file fee adjust block.'],
});
export const FileBaseFee = p.value('FileBaseFee', Balance, {
  default: 0n,
  docs: [' The file base fee for each storage order.'],
});
export const MinFileBaseFee = p.value('MinFileBaseFee', Balance, {
  default: 0n,
  docs: [' The minimal file base fee for each storage order.'],
});
export const MaxFileBaseFee = p.value('MaxFileBaseFee', Balance, {
  default: D.initMaxFileBaseFee,
  docs: [' The maximum file base fee for each storage order.'],
});
export const FileBaseFeeIncreaseThreshold = p.value('FileBaseFeeIncreaseThreshold', u32, {
  default: A.fileBaseFeeIncreaseThreshold,
  docs: [
    ' The file base fee increase threshold. When the average replicas count is less than the threshold, the base fee will increase.',
  ],
});
export const FileBaseFeeDecreaseThreshold = p.value('FileBaseFeeDecreaseThreshold', u32, {
  default: A.fileBaseFeeDecreaseThreshold,
  docs: [
    ' The file base fee decrease threshold. When the average replicas count is larger than the threshold, the base fee will decrease.',
  ],
});
export const FileBaseFeeIncreaseRatio = p.value('FileBaseFeeIncreaseRatio', Perbill, {
  default: A.fileBaseFeeIncreaseRatio,
  docs: [' The file base fee increase ratio.'],
});
export const FileBaseFeeDecreaseRatio = p.value('FileBaseFeeDecreaseRatio', Perbill, {
  default: A.fileBaseFeeDecreaseRatio,
  docs: [' The file base fee decrease ratio.'],
});
export const FileByteFee = p.value('FileByteFee', Balance, {
  default: D.initFileByteFee,
  docs: [
    ' The file price per MB.',
    " It's dynamically adjusted and would change according to FilesSize, TotalCapacity and StorageReferenceRatio.",
  ],
});
export const MinFileByteFee = p.value('MinFileByteFee', Balance, {
  default: 0n,
  docs: [' The minimal file price per MB.'],
});
export const MaxFileByteFee = p.value('MaxFileByteFee', Balance, {
  default: D.initMaxFileByteFee,
  docs: [' The maximum file price per MB.'],
});
export const FileByteFeeIncreaseRatio = p.value('FileByteFeeIncreaseRatio', Perbill, {
  default: A.fileByteFeeIncreaseRatio,
  docs: [' The file byte fee increase ratio.'],
});
export const FileByteFeeDecreaseRatio = p.value('FileByteFeeDecreaseRatio', Perbill, {
  default: A.fileByteFeeDecreaseRatio,
  docs: [' The file byte fee decrease ratio.'],
});
export const FileKeysCount = p.value('FileKeysCount', u32, {
  default: 0,
  docs: [' Files count, determinate the FileKeysCountFee'],
});
export const FileKeysCountFee = p.value('FileKeysCountFee', Balance, {
  default: D.initFileKeysCountFee,
  docs: [
    ' The file price by keys',
    " It's dynamically adjusted and would change according to the total keys in files",
  ],
});
export const MinFileKeysCountFee = p.value('MinFileKeysCountFee', Balance, {
  default: 0n,
  docs: [' The minimal file price by keys'],
});
export const MaxFileKeysCountFee = p.value('MaxFileKeysCountFee', Balance, {
  default: D.initMaxFileKeysCountFee,
  docs: [' The maximum file price by keys'],
});
export const FileKeysCountFeeAdjustThreshold = p.value('FileKeysCountFeeAdjustThreshold', u32, {
  default: A.fileKeysCountFeeAdjustThreshold,
  docs: [' The file keys count fee adjust threshold, unit in number of on-chain files.'],
});
export const FileKeysCountFeeIncreaseRatio = p.value('FileKeysCountFeeIncreaseRatio', Perbill, {
  default: A.fileKeysCountFeeIncreaseRatio,
  docs: [' The file keys count fee increase ratio.'],
});
export const FileKeysCountFeeDecreaseRatio = p.value('FileKeysCountFeeDecreaseRatio', Perbill, {
  default: A.fileKeysCountFeeDecreaseRatio,
  docs: [' The file keys count fee decrease ratio.'],
});
export const FilesV2 = p.map('FilesV2', ['Twox64Concat', MerkleRoot], FileInfoV2Codec, {
  docs: [' File V2 information iterated by order id'],
});
export const HasNewOrder = p.value('HasNewOrder', bool, {
  default: false,
  docs: [' Has new order in the past blocks, pruning handling of pending files'],
});
export const EnableMarket = p.value('EnableMarket', bool, {
  default: false,
  docs: [' The global market switch to enable place storage order service'],
});
export const SpowerReadyPeriod = p.value('SpowerReadyPeriod', BlockNumber, {
  default: D.spowerReadyPeriod,
  docs: [' The sPower will become valid after this period, default is 3 months'],
});

export const MarketEvent = p.events({
  FileSuccess: [
    0,
    tuple(AccountId, MerkleRoot),
    [
      ' Place a storage order success.',
      ' The first item is the account who places the storage order.',
      ' The second item is the cid of the file.',
    ],
  ],
  RenewFileSuccess: [
    1,
    tuple(AccountId, MerkleRoot),
    [
      ' Renew an existed file success.',
      ' The first item is the account who renew the storage order.',
      ' The second item is the cid of the file.',
    ],
  ],
  AddPrepaidSuccess: [
    2,
    tuple(AccountId, MerkleRoot, Balance),
    [
      ' Add prepaid value for an existed file success.',
      ' The first item is the account who add the prepaid.',
      ' The second item is the cid of the file.',
      ' The third item is the prepaid amount of currency.',
    ],
  ],
  CalculateSuccess: [
    3,
    MerkleRoot,
    [' Calculate the reward for a file success.', ' The first item is the cid of the file.'],
  ],
  IllegalFileClosed: [
    4,
    MerkleRoot,
    [' A file is closed due to mismatch file size.', ' The first item is the cid of the file.'],
  ],
  RewardMerchantSuccess: [
    5,
    AccountId,
    [' Reward the merchant success.', ' The first item is the account of the merchant.'],
  ],
  SetEnableMarketSuccess: [6, bool, [' Set the global market switch success.']],
  SetBaseFeeSuccess: [7, Balance, [' Set the file base fee success.']],
  FileClosed: [
    10,
    MerkleRoot,
    [' A file is closed due to expired', ' The first item is the cid of the file'],
  ],
});

export const MarketError = p.errors({
  InsufficientCurrency: [
    0,
    [
      " Don't have enough currency(CRU) to finish the extrinsic(transaction).",
      ' Please transfer some CRU into this account.',
    ],
  ],
  FileSizeNotCorrect: [
    1,
    [
      ' The file size is not correct.',
      ' The same file is already on chain and the file size should be same.',
      ' Please check the file size again.',
    ],
  ],
  NotInRewardPeriod: [
    2,
    [' The file is not in the reward period.', ' Please wait until the file is expired.'],
  ],
  NotEnoughReward: [3, [' The reward is not enough.']],
  FileTooLarge: [4, [' The file is too large. Please check the MaximumFileSize value.']],
  PlaceOrderNotAvailable: [5, [' Place order is not available right now. Please wait for a while.']],
  FileNotExist: [6, [' The file does not exist. Please check the cid again.']],
  FileFeeAdjustIntervalInvalid: [10, [' The file fee adjust interval is invalid.']],
  MaxFeeLessThanMinFee: [11, [' The max fee should be greater than the min fee.']],
  BaseFeeIncreaseThresholdLargerThanDecreaseThreshold: [
    12,
    [' The file base fee increase threshold should be less than the decrease threshold.'],
  ],
});
