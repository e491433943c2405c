/**
 * Hash functions used by Substrate (sp_core::hashing), over bytes. The hot ones (blake2b, twox, keccak) run in
 * @polkadot/wasm-crypto once `initCrypto()` has resolved: measured 4-10x faster than the pure-JS versions for
 * 32..500-byte inputs (bench/runtime-crypto.bench.ts). Before init, or if wasm cannot load, every function falls
 * back to a pure-JS implementation with identical output, so nothing ever depends on init order for correctness.
 */
import { blake2b as blake2bJs } from '@noble/hashes/blake2b';
import { keccak_256 as keccak256Js } from '@noble/hashes/sha3';
import { sha256 as sha256Js } from '@noble/hashes/sha256';
import { xxhashAsU8a } from '@polkadot/util-crypto/xxhash/asU8a';
import {
  blake2b as blake2bWasm,
  keccak256 as keccak256Wasm,
  twox as twoxWasm,
  isReady as wasmIsReady,
  waitReady as wasmWaitReady,
} from '@polkadot/wasm-crypto';

/** Thrown for arguments no hash function accepts (e.g. a blake2 output length outside 1..64). */
export class HashInputError extends Error {
  override name = 'HashInputError';
}

const NO_KEY = new Uint8Array(0);
let useWasm = false;

/**
 * Loads the wasm hashing/signature backend. Await once at process start; afterwards everything stays synchronous.
 * Resolves to the backend in use ('js' when wasm could not be instantiated: still correct, only slower).
 */
export async function initCrypto(): Promise<'wasm' | 'js'> {
  if (!useWasm) useWasm = (await wasmWaitReady()) && wasmIsReady();
  return cryptoBackend();
}

export function cryptoBackend(): 'wasm' | 'js' {
  return useWasm ? 'wasm' : 'js';
}

/** Switches backend (tests and benches compare both); 'wasm' requires `initCrypto()` to have succeeded. */
export function selectCryptoBackend(backend: 'wasm' | 'js'): void {
  if (backend === 'wasm' && !wasmIsReady()) {
    throw new HashInputError('wasm crypto backend is not initialised: await initCrypto() first');
  }
  useWasm = backend === 'wasm';
}

/** BLAKE2b (RFC 7693) with an output of `outLen` bytes (1..64) and an optional key (0..64 bytes). */
export function blake2(data: Uint8Array, outLen: number, key: Uint8Array = NO_KEY): Uint8Array {
  if (!Number.isInteger(outLen) || outLen < 1 || outLen > 64) {
    throw new HashInputError(`blake2: output length ${outLen} is not in 1..64`);
  }
  if (key.length > 64) throw new HashInputError(`blake2: key of ${key.length} bytes exceeds 64`);
  if (useWasm) return blake2bWasm(data, key, outLen);
  return blake2bJs(data, key.length > 0 ? { dkLen: outLen, key } : { dkLen: outLen });
}

export function blake2_128(data: Uint8Array): Uint8Array {
  return useWasm ? blake2bWasm(data, NO_KEY, 16) : blake2bJs(data, { dkLen: 16 });
}

export function blake2_256(data: Uint8Array): Uint8Array {
  return useWasm ? blake2bWasm(data, NO_KEY, 32) : blake2bJs(data, { dkLen: 32 });
}

export function blake2_512(data: Uint8Array): Uint8Array {
  return useWasm ? blake2bWasm(data, NO_KEY, 64) : blake2bJs(data, { dkLen: 64 });
}

/** xxHash64 with seeds 0..rounds-1, each digest little-endian, concatenated (sp_core::hashing::twox_*). */
function twox(data: Uint8Array, rounds: number): Uint8Array {
  return useWasm ? twoxWasm(data, rounds) : xxhashAsU8a(data, (rounds * 64) as 64 | 128 | 256, true);
}

export function twox64(data: Uint8Array): Uint8Array {
  return twox(data, 1);
}

export function twox128(data: Uint8Array): Uint8Array {
  return twox(data, 2);
}

export function twox256(data: Uint8Array): Uint8Array {
  return twox(data, 4);
}

/** Keccak-256 as Ethereum uses it (original Keccak padding, not NIST SHA3-256). */
export function keccak256(data: Uint8Array): Uint8Array {
  return useWasm ? keccak256Wasm(data) : keccak256Js(data);
}

/** SHA-256. Pure JS: measured as fast as the wasm one for small inputs and faster for large ones. */
export function sha256(data: Uint8Array): Uint8Array {
  return sha256Js(data);
}
