/**
 * The runtime's identity as the `:code` storage entry. Our runtimes are TypeScript, not wasm, yet clients identify a
 * runtime by `:code`: its presence, its blake2_256 hash (polkadot-api keys its metadata cache by it; a relay chain
 * takes it as a parachain's validation code hash) and its size. So `:code` holds a small deterministic blob that
 * changes exactly when what clients can observe of the runtime changes:
 *
 *   offset 0   4 bytes   magic "\0tsr" (laid out as wasm's "\0asm"; never valid wasm, never zstd-compressed wasm)
 *   offset 4   1 byte    format version, 1
 *   offset 5   n bytes   SCALE `sp_version::RuntimeVersion` (the `Core_version` answer: names, versions, API list)
 *   offset 5+n 32 bytes  blake2_256 of the runtime's metadata V15 (`RuntimeMetadataPrefixed`: pallets, storage,
 *                        calls, events, errors, constants, extrinsic format, runtime APIs)
 *
 * Code changes that alter neither must bump `impl_version` (or `spec_version`), as a Substrate runtime upgrade must.
 * V15 is fixed by format version 1, so supporting another metadata version later leaves the blob alone.
 * Computed once per runtime object (metadata generation is the only cost).
 */
import { blake2_256 } from '../crypto/hashing.ts';
import { generateMetadata } from '../metadata/generate.ts';
import type { Runtime } from './runtime.ts';
import { type RuntimeVersion, RuntimeVersionCodec } from './runtime-version.ts';

export const RUNTIME_CODE_MAGIC = Uint8Array.of(0x00, 0x74, 0x73, 0x72);
export const RUNTIME_CODE_FORMAT = 1;
/** The metadata version whose hash format 1 carries. */
export const RUNTIME_CODE_METADATA_VERSION = 15;

export class RuntimeCodeError extends Error {
  override readonly name = 'RuntimeCodeError';
}

export interface RuntimeCodeInfo {
  version: RuntimeVersion;
  /** blake2_256 of the metadata V15 bytes. */
  metadataHash: Uint8Array;
}

const cache = new WeakMap<Runtime, Uint8Array>();

/** The `:code` blob of `runtime` (see the file comment). Callers get a copy. */
export function runtimeCode(runtime: Runtime): Uint8Array {
  let blob = cache.get(runtime);
  if (!blob) {
    const version = RuntimeVersionCodec.encode(runtime.version);
    const metadataHash = blake2_256(generateMetadata(runtime, RUNTIME_CODE_METADATA_VERSION));
    blob = new Uint8Array(5 + version.length + 32);
    blob.set(RUNTIME_CODE_MAGIC, 0);
    blob[4] = RUNTIME_CODE_FORMAT;
    blob.set(version, 5);
    blob.set(metadataHash, 5 + version.length);
    cache.set(runtime, blob);
  }
  return blob.slice();
}

/** Reads a `:code` blob back; anything else (wasm, truncated, trailing bytes, other format) is a RuntimeCodeError. */
export function parseRuntimeCode(blob: Uint8Array): RuntimeCodeInfo {
  if (blob.length < 5 + 32 || RUNTIME_CODE_MAGIC.some((b, i) => blob[i] !== b)) {
    throw new RuntimeCodeError('not a TypeScript runtime code blob (magic "\\0tsr")');
  }
  if (blob[4] !== RUNTIME_CODE_FORMAT) {
    throw new RuntimeCodeError(`runtime code format ${blob[4]} is not supported (${RUNTIME_CODE_FORMAT})`);
  }
  const body = blob.subarray(5, blob.length - 32);
  let version: RuntimeVersion;
  try {
    version = RuntimeVersionCodec.decode(body);
  } catch (err) {
    throw new RuntimeCodeError(`runtime code blob: bad RuntimeVersion: ${(err as Error).message}`);
  }
  return { version, metadataHash: blob.slice(blob.length - 32) };
}
