/**
 * The trie's node hasher calls the wasm blake2b directly: it must give exactly blake2_256 for every input length
 * (block boundaries at 128 bytes), hash only the first `length` bytes of its buffer, and behave the same with the
 * JS backend.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blake2_256, initCrypto, selectCryptoBackend } from '../../src/crypto/hashing.ts';
import { toHex } from '../../src/trie/nibbles.ts';
import { hashNodeEncoding } from '../../src/trie/node-hasher.ts';

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
  }
});
