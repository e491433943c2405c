/**
 * `:code` of a TypeScript runtime (frame/runtime-code.ts): magic, format byte, the SCALE RuntimeVersion that
 * @polkadot/types decodes as `RuntimeVersion` (the decoder polkadot.js uses for `Core_version`), and the blake2_256
 * (@polkadot/util-crypto) of the metadata V15 the runtime serves through `Metadata_metadata_at_version(15)`. The
 * blob is the same for the same runtime definition and differs when the version or the metadata differ.
 */
import { TypeRegistry } from '@polkadot/types';
import { u8aToHex } from '@polkadot/util';
import { blake2AsU8a } from '@polkadot/util-crypto';
import { describe, expect, it } from 'vitest';
import { defineRuntime } from '../../src/frame/runtime.ts';
import {
  parseRuntimeCode,
  RUNTIME_CODE_MAGIC,
  RuntimeCodeError,
  runtimeCode,
} from '../../src/frame/runtime-code.ts';
import { metadataApi } from '../../src/metadata/api.ts';
import { defaultSystemConfig, System } from '../../src/pallets/system/index.ts';
import { u32 } from '../../src/scale/index.ts';
import { MemoryBackend } from '../../src/state/memory-backend.ts';
import { Overlay } from '../../src/state/overlay.ts';
import { runtime as mini } from './mini-runtime.ts';

type MiniSpec = Parameters<typeof defineRuntime>[0];

function variant(change: (spec: MiniSpec) => MiniSpec) {
  const base: MiniSpec = {
    pallets: [[0, System, defaultSystemConfig()]],
    apis: [metadataApi],
    extrinsic: mini.extrinsic,
    version: {
      spec_name: 'code-test',
      impl_name: 'code-test-node',
      authoring_version: 1,
      spec_version: 1,
      impl_version: 1,
      transaction_version: 1,
      system_version: 1,
    },
  };
  return defineRuntime(change(base) as any);
}

describe('runtimeCode', () => {
  it('is magic ++ format 1 ++ SCALE RuntimeVersion ++ blake2_256(metadata V15), as outside decoders read it', () => {
    const code = runtimeCode(mini);
    expect(u8aToHex(code.subarray(0, 5))).toBe('0x0074737201');
    const registry = new TypeRegistry();
    const body = code.subarray(5, code.length - 32);
    const v = registry.createType('RuntimeVersion', body);
    expect(v.encodedLength).toBe(body.length);
    expect(v.specName.toString()).toBe('mini');
    expect(v.implName.toString()).toBe('mini-node');
    expect(v.specVersion.toNumber()).toBe(100);
    expect(v.stateVersion.toNumber()).toBe(1);
    expect(v.apis.map(([id, ver]) => [id.toHex(), ver.toNumber()])).toEqual([
      // blake2_64("Metadata"), version 2: the id polkadot.js knows for sp_api::Metadata
      ['0x37e397fc7c91f5e4', 2],
    ]);
    // The metadata the runtime itself serves: Option<OpaqueMetadata> from Metadata_metadata_at_version(15).
    const served = mini.callApi(
      new Overlay(new MemoryBackend()),
      'Metadata_metadata_at_version',
      u32.encode(15),
    );
    const opaque = registry.createType('Option<Bytes>', served).unwrap().toU8a(true);
    expect(u8aToHex(code.subarray(code.length - 32))).toBe(u8aToHex(blake2AsU8a(opaque, 256)));
    expect(parseRuntimeCode(code)).toEqual({
      version: mini.version,
      metadataHash: code.slice(code.length - 32),
    });
  });

  it('is the same for the same definition and changes with the version or the metadata', () => {
    const a = runtimeCode(variant((s) => s));
    expect(u8aToHex(runtimeCode(variant((s) => s)))).toBe(u8aToHex(a));
    const impl = runtimeCode(variant((s) => ({ ...s, version: { ...s.version, impl_version: 2 } })));
    const spec = runtimeCode(variant((s) => ({ ...s, version: { ...s.version, spec_version: 2 } })));
    // Same version, different metadata: no runtime API list change, only the extrinsic's signed extensions.
    const md = runtimeCode(
      variant((s) => ({
        ...s,
        extrinsic: { ...s.extrinsic!, signedExtensions: s.extrinsic!.signedExtensions.slice(1) },
      })),
    );
    const all = [a, impl, spec, md].map((c) => u8aToHex(c));
    expect(new Set(all).size).toBe(4);
    expect(u8aToHex(md.subarray(0, md.length - 32))).toBe(u8aToHex(a.subarray(0, a.length - 32)));
  });

  it('callers cannot alter the cached blob', () => {
    const a = runtimeCode(mini);
    a.fill(0);
    expect(runtimeCode(mini).subarray(0, 4)).toEqual(RUNTIME_CODE_MAGIC);
  });

  it('parseRuntimeCode refuses wasm, other formats, truncated and padded blobs', () => {
    const code = runtimeCode(mini);
    const wasm = Uint8Array.of(0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0, ...new Uint8Array(40));
    expect(() => parseRuntimeCode(wasm)).toThrow(RuntimeCodeError);
    const v2 = code.slice();
    v2[4] = 2;
    expect(() => parseRuntimeCode(v2)).toThrow(/format 2 is not supported/);
    expect(() => parseRuntimeCode(code.subarray(0, 36))).toThrow(RuntimeCodeError);
    expect(() => parseRuntimeCode(code.subarray(0, code.length - 1))).toThrow(RuntimeCodeError);
    expect(() => parseRuntimeCode(Uint8Array.of(...code, 0))).toThrow(RuntimeCodeError);
  });
});
