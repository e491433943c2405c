/** frame_system's data types, under the Rust paths polkadot-js and subxt know them by. */
import { newtype } from '../../extrinsic/newtype.ts';
import { AccountId32, H256 } from '../../extrinsic/primitives.ts';
import { cow } from '../../frame/runtime-version.ts';
import { DispatchClassCodec, type DispatchInfo, PaysCodec, WeightCodec } from '../../frame/weights.ts';
import type { Codec } from '../../scale/codec.ts';
import { type EnumValue, enumeration, struct, tuple } from '../../scale/composite.ts';
import { bool, compact, str, u32, u128 } from '../../scale/primitives.ts';

export { AccountId32, H256 };
export const BlockNumber = u32;
export type AccountId = Uint8Array;

/** pallet_balances::types::ExtraFlags: `struct ExtraFlags(u128)` (bit 127 marks pallet-balances' new logic). */
export const ExtraFlagsCodec: Codec<bigint> = newtype(
  u128,
  ['pallet_balances', 'types', 'ExtraFlags'],
  'u128',
);

/** pallet_balances::types::AccountData<u128>: what System.Account stores per account, as on Polkadot chains. */
export interface AccountData {
  free: bigint;
  reserved: bigint;
  frozen: bigint;
  flags: bigint;
}
export const AccountDataCodec: Codec<AccountData> = struct(
  { free: u128, reserved: u128, frozen: u128, flags: ExtraFlagsCodec },
  { free: 'Balance', reserved: 'Balance', frozen: 'Balance', flags: 'ExtraFlags' },
).named(['pallet_balances', 'types', 'AccountData'], { params: [{ name: 'Balance', type: u128 }] });

/** The flags value of a fresh account under pallet-balances' new logic (IS_NEW_LOGIC bit). */
export const NEW_LOGIC_FLAG = 1n << 127n;

export interface AccountInfo {
  nonce: number;
  consumers: number;
  providers: number;
  sufficients: number;
  data: AccountData;
}
export const AccountInfoCodec: Codec<AccountInfo> = struct(
  { nonce: u32, consumers: u32, providers: u32, sufficients: u32, data: AccountDataCodec },
  {
    nonce: 'Nonce',
    consumers: 'RefCount',
    providers: 'RefCount',
    sufficients: 'RefCount',
    data: 'AccountData',
  },
).named(['frame_system', 'AccountInfo'], {
  params: [
    { name: 'Nonce', type: u32 },
    { name: 'AccountData', type: AccountDataCodec },
  ],
});

export function emptyAccountInfo(): AccountInfo {
  return {
    nonce: 0,
    consumers: 0,
    providers: 0,
    sufficients: 0,
    data: { free: 0n, reserved: 0n, frozen: 0n, flags: 0n },
  };
}

const phaseShape = { ApplyExtrinsic: [0, u32], Finalization: [1], Initialization: [2] } as const;
export type Phase = EnumValue<typeof phaseShape>;
export const PhaseCodec: Codec<Phase> = enumeration(phaseShape).named(['frame_system', 'Phase']);

export { type Digest, DigestCodec, type DigestItem, DigestItemCodec } from '../../block/digest.ts';

/** frame_system::DispatchEventInfo (weight, class, pays_fee) as carried by ExtrinsicSuccess/ExtrinsicFailed. */
export const DispatchInfoCodec: Codec<DispatchInfo> = struct({
  weight: WeightCodec,
  class: DispatchClassCodec,
  pays_fee: PaysCodec,
})
  .named(['frame_system', 'DispatchEventInfo'])
  .map(
    (v) => ({ weight: v.weight, class: v.class, paysFee: v.pays_fee }),
    (v) => ({ weight: v.weight, class: v.class, pays_fee: v.paysFee }),
  );

export interface LastRuntimeUpgradeInfo {
  spec_version: number;
  spec_name: string;
}
export const LastRuntimeUpgradeInfoCodec: Codec<LastRuntimeUpgradeInfo> = struct(
  { spec_version: compact(u32), spec_name: cow(str) },
  { spec_version: 'codec::Compact<u32>', spec_name: "Cow<'static, str>" },
).named(['frame_system', 'LastRuntimeUpgradeInfo']);

export interface CodeUpgradeAuthorization {
  code_hash: Uint8Array;
  check_version: boolean;
}
export const CodeUpgradeAuthorizationCodec: Codec<CodeUpgradeAuthorization> = struct(
  { code_hash: H256, check_version: bool },
  { code_hash: 'T::Hash', check_version: 'bool' },
).named(['frame_system', 'CodeUpgradeAuthorization']);

export const EventTopicEntry = tuple(BlockNumber, u32);
