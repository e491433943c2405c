/**
 * scale-info type descriptions (the `TypeDef` of frame-metadata's PortableRegistry). Every codec carries one, so a
 * single definition yields both the wire format and the metadata that describes it.
 */
import type { AnyCodec } from './codec.ts';

export type PrimitiveName =
  | 'bool'
  | 'char'
  | 'str'
  | 'u8'
  | 'u16'
  | 'u32'
  | 'u64'
  | 'u128'
  | 'u256'
  | 'i8'
  | 'i16'
  | 'i32'
  | 'i64'
  | 'i128'
  | 'i256';

export interface FieldInfo {
  name?: string;
  type: AnyCodec;
  /** The Rust type name as written in the source, shown by tools (e.g. `T::AccountId`). */
  typeName?: string;
  docs?: string[];
}

export interface VariantInfo {
  name: string;
  index: number;
  fields: FieldInfo[];
  docs?: string[];
}

export type TypeDef =
  | { kind: 'primitive'; name: PrimitiveName }
  | { kind: 'composite'; fields: FieldInfo[] }
  | { kind: 'variant'; variants: VariantInfo[] }
  | { kind: 'sequence'; of: AnyCodec }
  | { kind: 'array'; len: number; of: AnyCodec }
  | { kind: 'tuple'; of: AnyCodec[] }
  | { kind: 'compact'; of: AnyCodec }
  /** `BitVec<Store, Order>`: scale-info's TypeDefBitSequence (store u8..u64, order `bitvec::order::{Lsb0,Msb0}`). */
  | { kind: 'bitSequence'; store: AnyCodec; order: AnyCodec };

export interface TypeParam {
  name: string;
  type?: AnyCodec;
}

export interface TypeInfo {
  /** Rust path segments, e.g. ['sp_runtime', 'multiaddress', 'MultiAddress']; empty for anonymous types. */
  path: string[];
  params: TypeParam[];
  def: TypeDef;
  docs: string[];
}
