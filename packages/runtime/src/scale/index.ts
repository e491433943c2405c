export { bitvec, type BitOrder, type BitStore } from './bitvec.ts';
export { Codec, compareBytes, type AnyCodec, type Infer } from './codec.ts';
export { compactLength, encodeCompact, readCompact, readCompactNumber, writeCompact } from './compact.ts';
export {
  array,
  btreeMap,
  btreeSet,
  enumeration,
  lazy,
  lengthPrefixed,
  option,
  result,
  struct,
  tuple,
  unit,
  vec,
  type EnumShape,
  type EnumValue,
  type OptionValue,
  type ResultValue,
  type StructShape,
  type StructValue,
  type VariantSpec,
} from './composite.ts';
export { ScaleDecodeError, ScaleDefinitionError, ScaleEncodeError } from './errors.ts';
export { Reader, Writer } from './io.ts';
export { U128_MAX, U64_MAX } from './limits.ts';
export {
  bool,
  bytes,
  bytesFixed,
  compact,
  i128,
  i16,
  i256,
  i32,
  i64,
  i8,
  readLength,
  str,
  u128,
  u16,
  u256,
  u32,
  u64,
  u8,
  writeLength,
} from './primitives.ts';
export { TypeRegistry, type PortableType, type PortableTypeDef } from './registry.ts';
export type { FieldInfo, PrimitiveName, TypeDef, TypeInfo, TypeParam, VariantInfo } from './type-info.ts';
