/** sp_version::RuntimeVersion and runtime API declarations (sp_api), from which RuntimeVersion.apis derives. */
import { blake2 } from '../crypto/index.ts';
import { type AnyCodec, type Codec, Codec as CodecClass } from '../scale/codec.ts';
import { struct, tuple, vec } from '../scale/composite.ts';
import { bytesFixed, str, u8, u32 } from '../scale/primitives.ts';

export interface RuntimeVersion {
  spec_name: string;
  impl_name: string;
  authoring_version: number;
  spec_version: number;
  impl_version: number;
  /** (blake2_64(api name), api version) of every runtime API the runtime implements. */
  apis: Array<[Uint8Array, number]>;
  transaction_version: number;
  /** Trie layout (0 = V0, 1 = V1) and extrinsics-root version; named `state_version` before polkadot-sdk 2409. */
  system_version: number;
}

export const ApiIdCodec = bytesFixed(8);

/** `Cow<'static, T>`: the same bytes as T; scale-info names it `Cow<T>` with one unnamed field. */
export function cow<T>(inner: Codec<T>): Codec<T> {
  return new CodecClass<T>(
    inner.write,
    inner.read,
    () => ({
      path: ['Cow'],
      params: [{ name: 'T', type: inner }],
      def: { kind: 'composite', fields: [{ type: inner }] },
      docs: [],
    }),
    inner.minLength,
    inner.compare,
  );
}

export const RuntimeVersionCodec: Codec<RuntimeVersion> = struct(
  {
    spec_name: cow(str),
    impl_name: cow(str),
    authoring_version: u32,
    spec_version: u32,
    impl_version: u32,
    apis: cow(vec(tuple(ApiIdCodec, u32))),
    transaction_version: u32,
    system_version: u8,
  },
  {
    spec_name: "Cow<'static, str>",
    impl_name: "Cow<'static, str>",
    apis: 'ApisVec',
  },
).named(['sp_version', 'RuntimeVersion']) as unknown as Codec<RuntimeVersion>;

/** The 8-byte id of a runtime API: blake2_64 of its trait name (sp_api's `ID` constant). */
export function apiId(name: string): Uint8Array {
  return blake2(new TextEncoder().encode(name), 8);
}

export interface RuntimeApiMethod {
  inputs: ReadonlyArray<readonly [name: string, type: AnyCodec]>;
  output: AnyCodec;
  docs?: string[];
}

/** A runtime API trait (`decl_runtime_apis!`): name, version and typed methods. Metadata V15 lists these. */
export interface RuntimeApiDecl {
  name: string;
  version: number;
  docs?: string[];
  methods: Record<string, RuntimeApiMethod>;
}

/** An implementation: method name → function of the decoded inputs, returning the output value. */
export interface RuntimeApiImpl {
  api: RuntimeApiDecl;
  methods: Record<string, (...args: any[]) => unknown>;
}
