/**
 * Identities of parachains and their data (polkadot-sdk `polkadot/parachain/src/primitives.rs`,
 * `polkadot-core-primitives`): `Id` (a u32 newtype), `HeadData` and `ValidationCode` (byte newtypes),
 * `ValidationCodeHash` (blake2-256 of the code), `HrmpChannelId`, `CandidateHash`, and the accounts a para owns on
 * the relay (`Id: TypeId = b"para"`) and on a sibling (`Sibling: TypeId = b"sibl"`), as `into_account_truncating`
 * derives them.
 */
import { blake2_256 } from '../crypto/hashing.ts';
import { newtype } from '../extrinsic/newtype.ts';
import { H256 } from '../extrinsic/primitives.ts';
import { bytes, type Codec, struct, u32 } from '../scale/index.ts';

const PRIMITIVES = ['polkadot_parachain_primitives', 'primitives'];

/** A para's id: `polkadot_parachain_primitives::primitives::Id(u32)`, in JS a plain number 0..2^32-1. */
export type ParaId = number;
export const ParaIdCodec: Codec<ParaId> = newtype(u32, [...PRIMITIVES, 'Id'], 'u32');

/** First id a public (non-system) parachain may have; ids below are system parachains (`IsSystem`). */
export const LOWEST_PUBLIC_ID = 2000;

/** `IsSystem for Id`: system parachains (ids < 2000) pay no HRMP deposits. */
export function isSystemPara(id: ParaId): boolean {
  return id < LOWEST_PUBLIC_ID;
}

/** `HeadData(Vec<u8>)`: a para's head (for our parachains, the SCALE-encoded block header). */
export const HeadDataCodec: Codec<Uint8Array> = newtype(bytes, [...PRIMITIVES, 'HeadData'], 'Vec<u8>');

/** `ValidationCode(Vec<u8>)`: the para's runtime blob (for us an opaque identity of a TypeScript runtime). */
export const ValidationCodeCodec: Codec<Uint8Array> = newtype(
  bytes,
  [...PRIMITIVES, 'ValidationCode'],
  'Vec<u8>',
);

/** `ValidationCodeHash(Hash)`: blake2-256 of the code bytes. */
export const ValidationCodeHashCodec: Codec<Uint8Array> = newtype(
  H256,
  [...PRIMITIVES, 'ValidationCodeHash'],
  'Hash',
);

/** `BlockData(Vec<u8>)`: the body of a proof of validity. */
export const BlockDataCodec: Codec<Uint8Array> = newtype(bytes, [...PRIMITIVES, 'BlockData'], 'Vec<u8>');

/** `polkadot_core_primitives::CandidateHash(Hash)`. */
export const CandidateHashCodec: Codec<Uint8Array> = newtype(
  H256,
  ['polkadot_core_primitives', 'CandidateHash'],
  'Hash',
);

/** `ValidationCode::hash`: blake2-256 of the bytes (not of their SCALE encoding). */
export function validationCodeHash(code: Uint8Array): Uint8Array {
  return blake2_256(code);
}

/** `HeadData::hash`: blake2-256 of the bytes; what `CandidateDescriptor::para_head` carries. */
export function headDataHash(head: Uint8Array): Uint8Array {
  return blake2_256(head);
}

/** An HRMP channel `(sender → recipient)`; channels are one-way. Ordered by sender, then recipient. */
export interface HrmpChannelId {
  sender: ParaId;
  recipient: ParaId;
}
export const HrmpChannelIdCodec: Codec<HrmpChannelId> = struct(
  { sender: ParaIdCodec, recipient: ParaIdCodec },
  { sender: 'Id', recipient: 'Id' },
).named([...PRIMITIVES, 'HrmpChannelId']);

/** `Ord for HrmpChannelId` (derived: sender, then recipient). */
export function compareChannelIds(a: HrmpChannelId, b: HrmpChannelId): number {
  return a.sender - b.sender || a.recipient - b.recipient;
}

export class ParaIdError extends Error {
  override name = 'ParaIdError';
}

/** Throws `ParaIdError` unless `id` is a u32. */
export function checkParaId(id: unknown): ParaId {
  if (typeof id !== 'number' || !Number.isInteger(id) || id < 0 || id > 0xffff_ffff)
    throw new ParaIdError(`para id must be an integer in 0..2^32-1, got ${String(id)}`);
  return id;
}

function typeIdAccount(typeId: string, id: ParaId, length: 32 | 20): Uint8Array {
  checkParaId(id);
  const out = new Uint8Array(length);
  out.set(new TextEncoder().encode(typeId));
  new DataView(out.buffer).setUint32(4, id, true);
  return out;
}

/** The para's sovereign account on its relay chain: `"para" ++ u32_le(id) ++ zeros` (`Id: TypeId`). */
export function paraSovereignAccount(id: ParaId, length: 32 | 20 = 32): Uint8Array {
  return typeIdAccount('para', id, length);
}

/** The para's sovereign account on a sibling parachain: `"sibl" ++ u32_le(id) ++ zeros` (`Sibling: TypeId`). */
export function siblingSovereignAccount(id: ParaId, length: 32 | 20 = 32): Uint8Array {
  return typeIdAccount('sibl', id, length);
}
