import { hexToU8a, u8aToHex } from '@polkadot/util';
import { xxhashAsU8a } from '@polkadot/util-crypto';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  blake2,
  blake2_128,
  blake2_256,
  blake2_512,
  HashInputError,
  initCrypto,
  keccak256,
  selectCryptoBackend,
  sha256,
  twox64,
  twox128,
  twox256,
} from '../../src/crypto/hashing.ts';

const text = (s: string) => new TextEncoder().encode(s);

beforeAll(async () => {
  expect(await initCrypto()).toBe('wasm');
});

for (const backend of ['wasm', 'js'] as const) {
  describe(`hashing (${backend} backend)`, () => {
    beforeAll(() => selectCryptoBackend(backend));

    it('twox128 matches the well-known pallet prefixes', () => {
      // Storage keys seen on every Substrate chain (e.g. state_getStorage of System.Account, polkadot-js docs).
      expect(u8aToHex(twox128(text('System')))).toBe('0x26aa394eea5630e07c48ae0c9558cef7');
      expect(u8aToHex(twox128(text('Account')))).toBe('0xb99d880ec681799c0cf30e8886371da9');
      expect(u8aToHex(twox128(text('Balances')))).toBe('0xc2261276cc9d1f8598ea4b6a74b15c2f');
      expect(u8aToHex(twox128(text('TotalIssuance')))).toBe('0x57c875e4cff74148e4628f264b974c80');
    });

    it('twox64 of empty input is xxh64 seed 0 (0xef46db3751d8e999) little-endian', () => {
      // xxHash reference: XXH64("", 0) = 0xEF46DB3751D8E999.
      expect(u8aToHex(twox64(new Uint8Array()))).toBe('0x99e9d85137db46ef');
    });

    it('twox64/128/256 agree with the polkadot-js pure-JS xxhash on random input', () => {
      fc.assert(
        fc.property(fc.uint8Array({ maxLength: 300 }), (data) => {
          expect(twox64(data)).toEqual(xxhashAsU8a(data, 64, true));
          expect(twox128(data)).toEqual(xxhashAsU8a(data, 128, true));
          expect(twox256(data)).toEqual(xxhashAsU8a(data, 256, true));
        }),
        { numRuns: 100 },
      );
    });

    it('blake2b matches RFC 7693 Appendix A and reference vectors', () => {
      // RFC 7693 Appendix A: BLAKE2b-512("abc").
      expect(u8aToHex(blake2_512(text('abc')))).toBe(
        '0xba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d17d87c5392aab792dc252d5de4533cc9518d38aa8dbf1925ab92386edd4009923',
      );
      // BLAKE2b-256 reference values (b2sum -l 256).
      expect(u8aToHex(blake2_256(new Uint8Array()))).toBe(
        '0x0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8',
      );
      expect(u8aToHex(blake2_256(text('abc')))).toBe(
        '0xbddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319',
      );
      // Empty Substrate trie root = blake2_256([0x00]) (Polkadot spec, sp-trie).
      expect(u8aToHex(blake2_256(new Uint8Array([0])))).toBe(
        '0x03170a2e7597b7b7e3d84c05391d139a62b157e78786d8c082f29dcf4c111314',
      );
      // blake2_128 of //Alice's public key: the hasher part of System.Account(Alice).
      expect(
        u8aToHex(blake2_128(hexToU8a('0xd43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d'))),
      ).toBe('0xde1e86a9a8c739864cf3cc5ec2bea59f');
    });

    it('keyed blake2b matches the BLAKE2 reference KAT (blake2b-kat.txt, in = empty, key = 00..3f)', () => {
      const key = Uint8Array.from({ length: 64 }, (_, i) => i);
      expect(u8aToHex(blake2(new Uint8Array(), 64, key))).toBe(
        '0x10ebb67700b1868efb4417987acf4690ae9d972fb7a590c2f02871799aaa4786b5e996e8f0f4eb981fc214b005f42d2ff4233499391653df7aefcbc13fc51568',
      );
    });

    it('blake2 rejects impossible output and key lengths with HashInputError', () => {
      expect(() => blake2(new Uint8Array(), 0)).toThrow(HashInputError);
      expect(() => blake2(new Uint8Array(), 65)).toThrow(HashInputError);
      expect(() => blake2(new Uint8Array(), 32, new Uint8Array(65))).toThrow(HashInputError);
      expect(blake2(text('abc'), 32)).toEqual(blake2_256(text('abc')));
    });

    it('keccak256 and sha256 match their reference vectors', () => {
      // Keccak team / Ethereum: keccak256("") and keccak256("abc").
      expect(u8aToHex(keccak256(new Uint8Array()))).toBe(
        '0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470',
      );
      expect(u8aToHex(keccak256(text('abc')))).toBe(
        '0x4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45',
      );
      // FIPS 180-2 Appendix B.1.
      expect(u8aToHex(sha256(text('abc')))).toBe(
        '0xba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
      );
    });
  });
}

describe('hashing backends agree', () => {
  it('wasm and JS give identical digests on random input', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), fc.integer({ min: 1, max: 64 }), (data, outLen) => {
        selectCryptoBackend('wasm');
        const w = [blake2(data, outLen), blake2_256(data), keccak256(data), twox128(data)];
        selectCryptoBackend('js');
        const j = [blake2(data, outLen), blake2_256(data), keccak256(data), twox128(data)];
        selectCryptoBackend('wasm');
        expect(w).toEqual(j);
      }),
      { numRuns: 200 },
    );
  });
});
