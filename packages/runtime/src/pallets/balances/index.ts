export { BalancesCurrency, type NativeCurrency } from './adapter.ts';
export * from './currency.ts';
export * from './fungible.ts';
export {
  Account,
  type BalancesConfig,
  Error as BalancesError,
  Event as BalancesEvent,
  Freezes,
  Holds,
  InactiveIssuance,
  Locks,
  Reserves,
  TotalIssuance,
} from './items.ts';
export { Balances, BalancesGenesisError, type BalancesGenesis, BalancesWeights } from './pallet.ts';
export * from './types.ts';
