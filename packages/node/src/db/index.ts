/**
 * Chain database (LevelDB): `ChainDb.open(dir)`, `initGenesis`, `importBlock(block, { setBest?, finalize? })`,
 * `setBest`, `finalize`, reads by hash/number, and `state` (trie nodes with refcounts + pruning window, flat
 * current state). On restart: `verifyCurrentState(entries => ({ root: Trie.fromEntries(entries, v).root(), result }))`.
 */
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
