export {
  type BlockPointer,
  type BlockToImport,
  ChainDb,
  type ChainDbOptions,
  type ImportOptions,
} from './chain-db.ts';
export type { BlockMeta, StorageChange } from './codec.ts';
export {
  ChainDbCorruptionError,
  ChainDbError,
  DbDecodeError,
  InvalidChainOperationError,
  StateRootMismatchError,
  UnknownBlockError,
} from './errors.ts';
export {
  type BlockRef,
  type BlockWriteBatch,
  type CurrentState,
  LevelStateStore,
  type StateStore,
  type TrieCommit,
} from './state-store.ts';
export { DbTransaction } from './transaction.ts';
export { type TreeRoute, treeRoute } from './tree-route.ts';
