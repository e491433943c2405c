/**
 * Metadata V14/V15 generated from a composed runtime: every pallet's storage (modifiers, hashers, default bytes),
 * calls/events/errors (as the pallet's enums), constants (encoded from its config), the extrinsic format, and for
 * V15 the runtime APIs and outer enums. Types are registered into one PortableRegistry in a fixed order, so the same
 * runtime always yields the same bytes.
 */
import { newtype } from '../extrinsic/newtype.ts';
import type { ExtrinsicMetadataInfo, Runtime } from '../frame/runtime.ts';
import { Codec } from '../scale/codec.ts';
import { struct } from '../scale/composite.ts';
import { bytes } from '../scale/primitives.ts';
import { TypeRegistry } from '../scale/registry.ts';
import { MemoryBackend } from '../state/memory-backend.ts';
import { Overlay } from '../state/overlay.ts';
import {
  METADATA_MAGIC,
  type MetadataV14,
  MetadataV14Codec,
  type MetadataV15,
  MetadataV15Codec,
} from './types.ts';

export type MetadataVersion = 14 | 15;
export const SUPPORTED_METADATA_VERSIONS: readonly MetadataVersion[] = [14, 15];

export class MetadataError extends Error {
  override name = 'MetadataError';
}

type PalletV14 = MetadataV14['pallets'][number];

/**
 * `sp_runtime::generic::UncheckedExtrinsic<Address, Call, Signature, Extra>`: opaque bytes, parameters named. Its
 * type info is exactly that of the runtime APIs' extrinsic parameters (extrinsic/unchecked-extrinsic.ts), so V15
 * holds one type for both, as polkadot-sdk's metadata does (`Block::Extrinsic` is the runtime's UncheckedExtrinsic).
 */
function uncheckedExtrinsicType(runtime: Runtime, ext: ExtrinsicMetadataInfo): Codec<Uint8Array> {
  return new Codec<Uint8Array>(
    bytes.write,
    bytes.read,
    () => ({
      path: ['sp_runtime', 'generic', 'unchecked_extrinsic', 'UncheckedExtrinsic'],
      params: [
        { name: 'Address', type: ext.address },
        { name: 'Call', type: runtime.callCodec },
        { name: 'Signature', type: ext.signature },
        { name: 'Extra', type: ext.extra },
      ],
      def: { kind: 'composite', fields: [{ type: bytes }] },
      docs: ['UncheckedExtrinsic raw bytes, requires custom decoding routine'],
    }),
    1,
  );
}

function collect(runtime: Runtime, reg: TypeRegistry) {
  const pallets: Array<PalletV14 & { docs: string[] }> = [];
  for (const { index, pallet, config } of runtime.pallets) {
    const entries = pallet.storage.map((item) => {
      const info = item.entryInfo();
      return {
        name: info.name,
        modifier: { type: info.modifier },
        type:
          info.kind.type === 'Plain'
            ? { type: 'Plain' as const, value: reg.register(info.kind.value) }
            : {
                type: 'Map' as const,
                value: {
                  hashers: info.kind.hashers.map((h) => ({ type: h })),
                  key: reg.register(info.kind.key),
                  value: reg.register(info.kind.value),
                },
              },
        default: info.default,
        docs: info.docs,
      };
    });
    const constants = Object.entries(pallet.constants).map(([name, c]) => ({
      name,
      type: reg.register(c.type),
      value: c.type.encode(c.value(config, runtime)),
      docs: c.docs ?? [],
    }));
    pallets.push({
      name: pallet.name,
      storage: entries.length > 0 ? { prefix: pallet.name, entries } : undefined,
      calls: pallet.callCodec ? { type: reg.register(pallet.callCodec) } : undefined,
      event: pallet.events ? { type: reg.register(pallet.events.codec) } : undefined,
      constants,
      error: pallet.errors ? { type: reg.register(pallet.errors.codec) } : undefined,
      index,
      docs: pallet.docs,
    } as PalletV14 & { docs: string[] });
  }
  return pallets;
}

const runtimeTypeCache = new WeakMap<Runtime, Codec<undefined>>();
/** The `<crate>::Runtime` marker type metadata names as the runtime's type. */
function runtimeType(runtime: Runtime): Codec<undefined> {
  let c = runtimeTypeCache.get(runtime);
  if (!c) {
    c = (struct({}) as unknown as Codec<undefined>).named([runtime.crate, 'Runtime']);
    runtimeTypeCache.set(runtime, c);
  }
  return c;
}

function requireExtrinsic(runtime: Runtime, ext: ExtrinsicMetadataInfo | undefined): ExtrinsicMetadataInfo {
  const e = ext ?? runtime.extrinsic;
  if (!e)
    throw new MetadataError(
      'metadata needs the extrinsic format: pass it or set defineRuntime({ extrinsic })',
    );
  return e;
}

/** `RuntimeMetadataPrefixed` bytes ("meta" ++ version byte ++ metadata) of `runtime` at `version`. */
export function generateMetadata(
  runtime: Runtime,
  version: MetadataVersion,
  extrinsic?: ExtrinsicMetadataInfo,
): Uint8Array {
  const ext = requireExtrinsic(runtime, extrinsic);
  // Types that refer to the outer enums (System.Events) resolve them through the ambient env.
  return runtime.execute(new Overlay(new MemoryBackend()), () => {
    const reg = new TypeRegistry();
    const pallets = collect(runtime, reg);
    const signedExtensions = ext.signedExtensions.map((s) => ({
      identifier: s.identifier,
      type: reg.register(s.ty),
      additionalSigned: reg.register(s.additionalSigned),
    }));
    let body: Uint8Array;
    if (version === 14) {
      const extrinsicType = reg.register(ext.uncheckedExtrinsic ?? uncheckedExtrinsicType(runtime, ext));
      const ty = reg.register(runtimeType(runtime));
      const md: MetadataV14 = {
        types: reg.types as MetadataV14['types'],
        pallets: pallets.map(({ docs: _docs, ...p }) => p),
        extrinsic: { type: extrinsicType, version: ext.version, signedExtensions },
        type: ty,
      };
      body = MetadataV14Codec.encode(md);
    } else if (version === 15) {
      const extrinsicV15 = {
        version: ext.version,
        addressType: reg.register(ext.address),
        callType: reg.register(runtime.callCodec),
        signatureType: reg.register(ext.signature),
        extraType: reg.register(ext.extra),
        signedExtensions,
      };
      // Not referenced by V15 itself, but clients (polkadot-js) find Address/Call/Signature through its params.
      reg.register(ext.uncheckedExtrinsic ?? uncheckedExtrinsicType(runtime, ext));
      const ty = reg.register(runtimeType(runtime));
      const apis = runtime.apis.map(({ api }) => ({
        name: api.name,
        methods: Object.entries(api.methods).map(([name, m]) => ({
          name,
          inputs: m.inputs.map(([n, c]) => ({ name: n, type: reg.register(c) })),
          output: reg.register(m.output),
          docs: m.docs ?? [],
        })),
        docs: api.docs ?? [],
      }));
      const outerEnums = {
        callType: reg.register(runtime.callCodec),
        eventType: reg.register(runtime.eventCodec),
        errorType: reg.register(runtime.errorCodec),
      };
      const md: MetadataV15 = {
        types: reg.types as MetadataV15['types'],
        pallets,
        extrinsic: extrinsicV15,
        type: ty,
        apis,
        outerEnums,
        custom: { map: new Map() },
      };
      body = MetadataV15Codec.encode(md);
    } else throw new MetadataError(`metadata version ${version} is not supported (14, 15)`);
    const out = new Uint8Array(5 + body.length);
    out.set(METADATA_MAGIC, 0);
    out[4] = version;
    out.set(body, 5);
    return out;
  });
}

/** `sp_core::OpaqueMetadata(Vec<u8>)` */
export const OpaqueMetadataCodec = newtype(bytes, ['sp_core', 'OpaqueMetadata'], 'Vec<u8>');
