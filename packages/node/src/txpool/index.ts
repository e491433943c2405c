/**
 * Transaction pool: `new TxPool({ validate, best })`, `submit` / `submitAndWatch` (status stream),
 * `ready()` for block building, `onBlockImported` / `onBlockRetracted` / `onBlocksFinalized`, `revalidate`.
 * Author RPC: `pool.submit(xt).catch(poolErrorToRpc)` and `watcherToSink(watcher, sink)`.
 */
export { AuthorErrorCode, type PoolErrorKind, TxPoolError } from './errors.ts';
export {
  DEFAULT_READY_LIMIT,
  type PoolLimit,
  type PoolTransaction,
  ReadyIterator,
  TxPool,
  type TxPoolOptions,
} from './pool.ts';
export { isPoolError, poolErrorToRpc, watcherToSink } from './rpc-bridge.ts';
export {
  debugFormat,
  type InvalidTransaction,
  invalidTransactionMessage,
  LONGEVITY_FOREVER,
  type TransactionSource,
  type TransactionValidityError,
  type UnknownTransaction,
  unknownTransactionMessage,
  type ValidateFn,
  type ValidityResult,
  type ValidTransaction,
} from './validity.ts';
export {
  type HexString,
  isFinalStatus,
  type StatusListener,
  type TransactionStatus,
  TransactionWatcher,
} from './watcher.ts';
