/**
 * Crust's DSM storage market (`market`): orders, fees and their split into pots, replicas from work reports, the
 * first reporters' rewards, renewal and closing. See pallet.ts for the calls, orders.ts for the typed entry point the
 * `xstorage` pallet uses, replicas.ts for what swork and the storage challenge pallet call.
 */
export {
  CRUST_FEE_ADJUSTMENT,
  CRUST_MARKET_DEFAULTS,
  MAX_REPLICAS,
  type MarketConfig,
  type MarketCurrency,
  REWARD_PERSON,
  type ReplicaObserver,
} from './config.ts';
export {
  baseFeeRatio,
  calculateRewardAmount,
  calculateSpower,
  getFileFee,
  MIB,
  type OrderFee,
  orderFee,
  roundedMiB,
  splitFee,
  updateBaseFee,
  updateFileByteFee,
  updateFileKeysCountFee,
} from './fees.ts';
export * from './items.ts';
export {
  addPrepaid,
  calculateReward,
  placeStorageOrderFor,
  rewardMerchant,
  updateReplicas,
} from './orders.ts';
export { Market, type MarketGenesis, MarketWeights } from './pallet.ts';
export {
  collateralPot,
  moduleSubAccount,
  type PotName,
  pot,
  reservedPot,
  stakingPot,
  storagePot,
} from './pots.ts';
export * from './primitives.ts';
export {
  type MarketReplicaAccess,
  marketInterface,
  marketReplicaAccess,
  type ReplicaView,
} from './replicas.ts';
export { type FileInfoV2, FileInfoV2Codec, type Replica, ReplicaCodec, replicaOf } from './types.ts';
