/**
 * frame-metadata's types (V14 and V15) and scale-info's PortableRegistry, defined with the SCALE DSL. Field order
 * and enum indices follow frame-metadata (v14.rs, v15.rs) and scale-info (portable form: type ids are Compact<u32>).
 */
import type { Codec } from '../scale/codec.ts';
import { btreeMap, enumeration, option, struct, vec } from '../scale/composite.ts';
import { bytes, compact, str, u8, u32 } from '../scale/primitives.ts';

export const TypeId = compact(u32);
const docs = vec(str);

export const FieldCodec = struct({ name: option(str), type: TypeId, typeName: option(str), docs });
export const VariantCodec = struct({ name: str, fields: vec(FieldCodec), index: u8, docs });
export const TypeDefPrimitiveCodec = enumeration({
  Bool: [0],
  Char: [1],
  Str: [2],
  U8: [3],
  U16: [4],
  U32: [5],
  U64: [6],
  U128: [7],
  U256: [8],
  I8: [9],
  I16: [10],
  I32: [11],
  I64: [12],
  I128: [13],
  I256: [14],
}).map(
  (v) => v.type,
  (type) => ({ type }),
);
export const TypeDefCodec = enumeration({
  Composite: [0, struct({ fields: vec(FieldCodec) })],
  Variant: [1, struct({ variants: vec(VariantCodec) })],
  Sequence: [2, struct({ type: TypeId })],
  Array: [3, struct({ len: u32, type: TypeId })],
  Tuple: [4, vec(TypeId)],
  Primitive: [5, struct({ type: TypeDefPrimitiveCodec })],
  Compact: [6, struct({ type: TypeId })],
  BitSequence: [7, struct({ bitStoreType: TypeId, bitOrderType: TypeId })],
});
export const PortableTypeCodec = struct({
  id: TypeId,
  type: struct({
    path: vec(str),
    params: vec(struct({ name: str, type: option(TypeId) })),
    def: TypeDefCodec,
    docs,
  }),
});

export const StorageHasherCodec = enumeration({
  Blake2_128: [0],
  Blake2_256: [1],
  Blake2_128Concat: [2],
  Twox128: [3],
  Twox256: [4],
  Twox64Concat: [5],
  Identity: [6],
});

export const StorageEntryCodec = struct({
  name: str,
  modifier: enumeration({ Optional: [0], Default: [1] }),
  type: enumeration({
    Plain: [0, TypeId],
    Map: [1, struct({ hashers: vec(StorageHasherCodec), key: TypeId, value: TypeId })],
  }),
  default: bytes,
  docs,
});

const PalletStorageCodec = struct({ prefix: str, entries: vec(StorageEntryCodec) });
const TypeRef = struct({ type: TypeId });
export const PalletConstantCodec = struct({ name: str, type: TypeId, value: bytes, docs });

const palletV14Shape = {
  name: str,
  storage: option(PalletStorageCodec),
  calls: option(TypeRef),
  event: option(TypeRef),
  constants: vec(PalletConstantCodec),
  error: option(TypeRef),
  index: u8,
};
export const PalletV14Codec = struct(palletV14Shape);
export const PalletV15Codec = struct({ ...palletV14Shape, docs });

export const SignedExtensionCodec = struct({ identifier: str, type: TypeId, additionalSigned: TypeId });

export const ExtrinsicV14Codec = struct({
  type: TypeId,
  version: u8,
  signedExtensions: vec(SignedExtensionCodec),
});
export const ExtrinsicV15Codec = struct({
  version: u8,
  addressType: TypeId,
  callType: TypeId,
  signatureType: TypeId,
  extraType: TypeId,
  signedExtensions: vec(SignedExtensionCodec),
});

export const RuntimeApiCodec = struct({
  name: str,
  methods: vec(
    struct({
      name: str,
      inputs: vec(struct({ name: str, type: TypeId })),
      output: TypeId,
      docs,
    }),
  ),
  docs,
});

export const OuterEnumsCodec = struct({ callType: TypeId, eventType: TypeId, errorType: TypeId });
export const CustomMetadataCodec = struct({ map: btreeMap(str, struct({ type: TypeId, value: bytes })) });

export const MetadataV14Codec = struct({
  types: vec(PortableTypeCodec),
  pallets: vec(PalletV14Codec),
  extrinsic: ExtrinsicV14Codec,
  type: TypeId,
});
export const MetadataV15Codec = struct({
  types: vec(PortableTypeCodec),
  pallets: vec(PalletV15Codec),
  extrinsic: ExtrinsicV15Codec,
  type: TypeId,
  apis: vec(RuntimeApiCodec),
  outerEnums: OuterEnumsCodec,
  custom: CustomMetadataCodec,
});

/** "meta" as a little-endian u32 (frame-metadata's META_RESERVED), first 4 bytes of RuntimeMetadataPrefixed. */
export const METADATA_MAGIC = new Uint8Array([0x6d, 0x65, 0x74, 0x61]);

/** RuntimeMetadataPrefixed: magic ++ RuntimeMetadata (enum: variant index = metadata version). */
export const RuntimeMetadataPrefixedCodec = struct({
  magic: u32,
  metadata: enumeration({ V14: [14, MetadataV14Codec], V15: [15, MetadataV15Codec] }),
});

export type MetadataV14 = typeof MetadataV14Codec extends Codec<infer T> ? T : never;
export type MetadataV15 = typeof MetadataV15Codec extends Codec<infer T> ? T : never;
