/** pallet_assets' storage types under their Rust paths (polkadot-sdk substrate/frame/assets/src/types.rs). */
import { AccountId } from '../../frame/account.ts';
import type { AnyCodec, Codec } from '../../scale/codec.ts';
import { enumeration, struct, tuple, unit } from '../../scale/composite.ts';
import { bool, bytes, u128, u32, u8 } from '../../scale/primitives.ts';

export type AssetStatus = 'Live' | 'Frozen' | 'Destroying';
export const AssetStatusCodec: Codec<AssetStatus> = enumeration({ Live: [0], Frozen: [1], Destroying: [2] })
  .named(['pallet_assets', 'types', 'AssetStatus'])
  .map(
    (v) => v.type,
    (type) => ({ type }),
  );

export interface AssetDetails {
  owner: Uint8Array;
  issuer: Uint8Array;
  admin: Uint8Array;
  freezer: Uint8Array;
  supply: bigint;
  deposit: bigint;
  min_balance: bigint;
  is_sufficient: boolean;
  accounts: number;
  sufficients: number;
  approvals: number;
  status: AssetStatus;
}
export const AssetDetailsCodec: Codec<AssetDetails> = struct(
  {
    owner: AccountId,
    issuer: AccountId,
    admin: AccountId,
    freezer: AccountId,
    supply: u128,
    deposit: u128,
    min_balance: u128,
    is_sufficient: bool,
    accounts: u32,
    sufficients: u32,
    approvals: u32,
    status: AssetStatusCodec,
  },
  {
    owner: 'AccountId',
    issuer: 'AccountId',
    admin: 'AccountId',
    freezer: 'AccountId',
    supply: 'Balance',
    deposit: 'DepositBalance',
    min_balance: 'Balance',
    is_sufficient: 'bool',
    accounts: 'u32',
    sufficients: 'u32',
    approvals: 'u32',
    status: 'AssetStatus',
  },
).named(['pallet_assets', 'types', 'AssetDetails'], {
  params: [
    { name: 'Balance', type: u128 },
    { name: 'AccountId', type: AccountId },
    { name: 'DepositBalance', type: u128 },
  ],
});

export type AccountStatus = 'Liquid' | 'Frozen' | 'Blocked';
export const AccountStatusCodec: Codec<AccountStatus> = enumeration({
  Liquid: [0],
  Frozen: [1],
  Blocked: [2],
})
  .named(['pallet_assets', 'types', 'AccountStatus'])
  .map(
    (v) => v.type,
    (type) => ({ type }),
  );

export type ExistenceReason =
  | { type: 'Consumer' }
  | { type: 'Sufficient' }
  | { type: 'DepositHeld'; value: bigint }
  | { type: 'DepositRefunded' }
  | { type: 'DepositFrom'; value: [Uint8Array, bigint] };
export const ExistenceReasonCodec = enumeration({
  Consumer: [0],
  Sufficient: [1],
  DepositHeld: [2, u128],
  DepositRefunded: [3],
  DepositFrom: [4, tuple(AccountId, u128)],
}).named(['pallet_assets', 'types', 'ExistenceReason'], {
  params: [
    { name: 'Balance', type: u128 },
    { name: 'AccountId', type: AccountId },
  ],
}) as unknown as Codec<ExistenceReason>;

export interface AssetAccount {
  balance: bigint;
  status: AccountStatus;
  reason: ExistenceReason;
  extra: undefined;
}
export const AssetAccountCodec: Codec<AssetAccount> = struct(
  { balance: u128, status: AccountStatusCodec, reason: ExistenceReasonCodec, extra: unit },
  {
    balance: 'Balance',
    status: 'AccountStatus',
    reason: 'ExistenceReason<DepositBalance, AccountId>',
    extra: 'Extra',
  },
).named(['pallet_assets', 'types', 'AssetAccount'], {
  params: [
    { name: 'Balance', type: u128 },
    { name: 'DepositBalance', type: u128 },
    { name: 'Extra', type: unit },
    { name: 'AccountId', type: AccountId },
  ],
});

export interface Approval {
  amount: bigint;
  deposit: bigint;
}
export const ApprovalCodec: Codec<Approval> = struct(
  { amount: u128, deposit: u128 },
  { amount: 'Balance', deposit: 'DepositBalance' },
).named(['pallet_assets', 'types', 'Approval'], {
  params: [
    { name: 'Balance', type: u128 },
    { name: 'DepositBalance', type: u128 },
  ],
});

export interface AssetMetadata {
  deposit: bigint;
  name: Uint8Array;
  symbol: Uint8Array;
  decimals: number;
  is_frozen: boolean;
}
/** `BoundedVec<u8, StringLimit>`: a Vec<u8> on the wire. */
const BoundedString = bytes;
export const AssetMetadataCodec: Codec<AssetMetadata> = struct(
  { deposit: u128, name: BoundedString, symbol: BoundedString, decimals: u8, is_frozen: bool },
  {
    deposit: 'DepositBalance',
    name: 'BoundedString',
    symbol: 'BoundedString',
    decimals: 'u8',
    is_frozen: 'bool',
  },
).named(['pallet_assets', 'types', 'AssetMetadata'], {
  params: [
    { name: 'DepositBalance', type: u128 },
    { name: 'BoundedString', type: BoundedString },
  ],
});

export const emptyMetadata = (): AssetMetadata => ({
  deposit: 0n,
  name: new Uint8Array(),
  symbol: new Uint8Array(),
  decimals: 0,
  is_frozen: false,
});

export type { AnyCodec };
