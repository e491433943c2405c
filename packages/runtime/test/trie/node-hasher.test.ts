/**
 * The trie's node hasher calls the wasm blake2b directly: it must give exactly blake2_256 for every input length
 * (block boundaries at 128 bytes), hash only the first `length` bytes of its buffer, and behave the same with the
 * JS backend.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blake2_256, initCrypto, selectCryptoBackend } from '../../src/crypto/hashing.ts';
import { toHex } from '../../src/trie/nibbles.ts';
import { hashNodeEncoding, hashReservedInto, reserveEncoding } from '../../src/trie/node-hasher.ts';

beforeAll(async () => {
  expect(await initCrypto()).toBe('wasm');
});
afterAll(() => selectCryptoBackend('wasm'));

const ascii = (s: string) => new TextEncoder().encode(s);

describe('hashNodeEncoding', () => {
  for (const backend of ['wasm', 'js'] as const) {
    it(`is BLAKE2b-256 of the first length bytes (${backend} backend)`, () => {
      selectCryptoBackend(backend);
      // BLAKE2b-256 reference digests (as published with the BLAKE2 reference implementation / b2sum -l 256).
      expect(toHex(hashNodeEncoding(ascii('abc'), 3))).toBe(
        '0xbddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319',
      );
      expect(toHex(hashNodeEncoding(ascii('abcdef'), 0))).toBe(
        '0x0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8',
      );
      const buf = Uint8Array.from({ length: 1100 }, (_, i) => (i * 131 + 17) & 0xff);
      for (let n = 0; n <= 1100; n += n < 300 ? 1 : 97) {
        const h = hashNodeEncoding(buf, n);
        expect(h.length).toBe(32);
        expect(toHex(h)).toBe(toHex(blake2_256(buf.slice(0, n))));
      }
      // Results are fresh arrays: later calls do not overwrite earlier ones.
      const a = hashNodeEncoding(buf, 40);
      const copy = a.slice();
      hashNodeEncoding(buf, 41);
      expect(a).toEqual(copy);
      selectCryptoBackend('wasm');
    });

    it(`hashes an encoding written in place into exactly 32 bytes of the destination (${backend} backend)`, () => {
      selectCryptoBackend(backend);
      const src = Uint8Array.from({ length: 700 }, (_, i) => (i * 29 + 3) & 0xff);
      for (const n of [0, 1, 31, 32, 33, 127, 128, 129, 256, 530, 700]) {
        const target = reserveEncoding(n);
        for (let i = 0; i < n; i++) target.bytes[target.offset + i] = src[i];
        const out = new Uint8Array(40).fill(0xee);
        hashReservedInto(out, 5);
        expect(toHex(out.subarray(5, 37))).toBe(toHex(blake2_256(src.subarray(0, n))));
        expect([...out.subarray(0, 5), ...out.subarray(37)].every((b) => b === 0xee)).toBe(true);
      }
      selectCryptoBackend('wasm');
    });
  }
});
