/**
 * blake2_256 of trie node encodings, the hot loop of `Trie.root()`. With the wasm backend it calls the
 * @polkadot/wasm-crypto module's blake2b export directly, the same sequence of wasm calls as its `blake2b` wrapper
 * (allocate the input, hash, copy the 32-byte result out, free it) without the wrapper's per-call argument arrays:
 * measured 0.7 against 1.2 µs for a 64-byte leaf and 1.6 against 2.5 µs for a 530-byte branch, on a trie update
 * that hashes ~4 nodes per changed key. The trie encodes each node straight into the allocated input
 * (`reserveEncoding` then `hashReserved`), so the encoding is never copied. The direct path checks itself against
 * `blake2_256` on first use and is never used if anything about it differs; with the JS backend everything goes
 * through `blake2_256`.
 */
import { bridge } from '@polkadot/wasm-crypto/init';
import { blake2_256, cryptoBackend } from '../crypto/hashing.ts';

type WasmCryptoInstance = NonNullable<typeof bridge.wasm>;

/** Where the wasm functions write their (pointer, length) result, as the wrapper uses it. */
const RESULT_AREA = 8;
const OUT_LENGTH = 32;

const UNCHECKED = 0;
const USABLE = 1;
const UNUSABLE = 2;
let directState = UNCHECKED;
let wasm: WasmCryptoInstance | null = null;
let memory = new Uint8Array(0);
let words = new Int32Array(0);

function views(w: WasmCryptoInstance): void {
  const buffer = w.memory.buffer;
  if (memory.buffer !== buffer) {
    memory = new Uint8Array(buffer);
    words = new Int32Array(buffer);
  }
}

/** Where the next node encoding is written: `bytes[offset .. offset + size)` (one object, reused by every call). */
export interface EncodingTarget {
  bytes: Uint8Array;
  offset: number;
}

const target: EncodingTarget = { bytes: new Uint8Array(0), offset: 0 };
/** Encoding buffer of the JS backend (single-threaded, never re-entered while in use). */
let scratch = new Uint8Array(1024);
/** The input reserved in wasm memory for the next hash; the wasm call takes ownership of it (Rust frees it). */
let reservedPtr = 0;
let reservedSize = 0;
/** A zero-length key: wasm-bindgen's malloc(0) hands out a dangling constant pointer that is never freed. */
let keyPtr = 0;

function reserveDirect(w: WasmCryptoInstance, size: number): EncodingTarget {
  reservedPtr = w.__wbindgen_malloc(size);
  reservedSize = size;
  views(w); // allocation may have grown (and so detached) the wasm memory
  target.bytes = memory;
  target.offset = reservedPtr;
  return target;
}

/** Hashes the reserved input into `out[offset .. offset + 32)`. */
function hashReservedDirect(w: WasmCryptoInstance, out: Uint8Array, offset: number): void {
  w.ext_blake2b(RESULT_AREA, reservedPtr, reservedSize, keyPtr, 0, OUT_LENGTH);
  reservedPtr = 0;
  views(w);
  const resultPtr = words[RESULT_AREA >> 2];
  const resultLength = words[(RESULT_AREA >> 2) + 1];
  if (resultLength !== OUT_LENGTH) throw new Error(`wasm blake2b returned ${resultLength} bytes`);
  for (let i = 0; i < OUT_LENGTH; i++) out[offset + i] = memory[resultPtr + i];
  w.__wbindgen_free(resultPtr, resultLength);
}

function checkDirect(): number {
  try {
    const w = bridge.wasm;
    if (w === null || typeof w.ext_blake2b !== 'function') return UNUSABLE;
    keyPtr = w.__wbindgen_malloc(0);
    const probe = Uint8Array.from({ length: 200 }, (_, i) => (i * 31 + 7) & 0xff);
    for (const n of [0, 1, 31, 32, 128, 129, 200]) {
      const t = reserveDirect(w, n);
      t.bytes.set(probe.subarray(0, n), t.offset);
      const a = new Uint8Array(OUT_LENGTH + 2);
      hashReservedDirect(w, a, 1);
      const b = blake2_256(probe.subarray(0, n));
      if (a[0] !== 0 || a[OUT_LENGTH + 1] !== 0 || b.some((x, i) => x !== a[1 + i])) return UNUSABLE;
    }
    wasm = w;
    return USABLE;
  } catch {
    return UNUSABLE;
  }
}

function useDirect(): boolean {
  if (cryptoBackend() !== 'wasm') return false;
  if (directState === UNCHECKED) directState = checkDirect();
  return directState === USABLE;
}

/**
 * Reserves `size` bytes for a node encoding that the next `hashReserved()` hashes: the caller writes exactly `size`
 * bytes at `offset` into `bytes`. With wasm this is the hasher's own input buffer (no copy); no other hashing may
 * happen in between, since it may move the wasm memory.
 */
export function reserveEncoding(size: number): EncodingTarget {
  if (useDirect()) return reserveDirect(wasm!, size);
  if (scratch.length < size) scratch = new Uint8Array(Math.max(size, scratch.length * 2));
  reservedPtr = 0;
  reservedSize = size;
  target.bytes = scratch;
  target.offset = 0;
  return target;
}

/** Writes blake2_256 of the bytes reserved by the last `reserveEncoding` into `out[offset .. offset + 32)`. */
export function hashReservedInto(out: Uint8Array, offset: number): void {
  if (reservedPtr !== 0) hashReservedDirect(wasm!, out, offset);
  else out.set(blake2_256(scratch.subarray(0, reservedSize)), offset);
}

/** blake2_256 of `input[0..length)`; the result is a new array. */
export function hashNodeEncoding(input: Uint8Array, length: number): Uint8Array {
  const t = reserveEncoding(length);
  t.bytes.set(length === input.length ? input : input.subarray(0, length), t.offset);
  const out = new Uint8Array(OUT_LENGTH);
  hashReservedInto(out, 0);
  return out;
}
