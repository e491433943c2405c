export { burnFees, type FeeSink, fungibleFeeAdapter, resolveFeesTo } from './fee-adapter.ts';
export {
  Event as TransactionPaymentEvent,
  FIXED_ONE,
  FixedU128Codec,
  NextFeeMultiplier,
  type Releases,
  StorageVersion,
  type TransactionPaymentConfig,
} from './items.ts';
export {
  lengthToFee,
  TransactionPayment,
  type TransactionPaymentGenesis,
  transactionPaymentFees,
  weightToFee,
} from './pallet.ts';
export * from './weight-to-fee.ts';
export * from './fee-multiplier.ts';
