import { hexToU8a, u8aToHex } from '@polkadot/util';
import { decodeAddress, encodeAddress } from '@polkadot/util-crypto';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { initCrypto } from '../../src/crypto/hashing.ts';
import { Ss58Error, ss58Decode, ss58Encode } from '../../src/crypto/ss58.ts';

const ALICE = hexToU8a('0xd43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d');

beforeAll(async () => {
  await initCrypto();
});

describe('ss58', () => {
  it('encodes and decodes //Alice on the generic substrate prefix 42', () => {
    // Substrate dev account, sp-keyring / docs.substrate.io.
    expect(ss58Encode(ALICE, 42)).toBe('5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY');
    const d = ss58Decode('5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY');
    expect(d.prefix).toBe(42);
    expect(d.payload).toEqual(ALICE);
  });

  it('decodes the sibling-parachain account of para 2000 to "sibl" ++ u32_le(2000) ++ zeros', () => {
    // xcm-builder SiblingParachainConvertsVia: b"sibl" ++ ParaId.encode() padded to 32 bytes.
    const d = ss58Decode('5Eg2fntJ27qsari4FGrGhrMqKFDRnkNSR6UshkZYBGXmSuC8', 42);
    const expected = new Uint8Array(32);
    expected.set([0x73, 0x69, 0x62, 0x6c, 0xd0, 0x07, 0, 0]);
    expect(u8aToHex(d.payload)).toBe(u8aToHex(expected));
  });

  it('matches @polkadot/util-crypto encodeAddress for Polkadot (0), Kusama (2), Crust (66) and 2-byte prefixes', () => {
    for (const prefix of [0, 2, 42, 63, 64, 66, 255, 1284, 16383]) {
      const address = encodeAddress(ALICE, prefix);
      expect(ss58Encode(ALICE, prefix)).toBe(address);
      expect(ss58Decode(address, prefix)).toEqual({ payload: ALICE, prefix });
    }
    // Polkadot //Alice, as shown by polkadot-js apps.
    expect(ss58Encode(ALICE, 0)).toBe('15oF4uVJwmo4TdGW7VfQxNLavjCXviqxT9S1MgbjMNHr6Sp5');
  });

  it('round-trips random ids, prefixes and account-index payloads like polkadot-js', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 16383 }).filter((p) => p !== 46 && p !== 47),
        fc.constantFrom(1, 2, 4, 8, 32, 33),
        fc.uint8Array({ minLength: 33, maxLength: 33 }),
        (prefix, len, bytes) => {
          const payload = bytes.subarray(0, len);
          const a = ss58Encode(payload, prefix);
          expect(a).toBe(encodeAddress(payload, prefix));
          const d = ss58Decode(a);
          expect(d.prefix).toBe(prefix);
          expect(d.payload).toEqual(payload);
          // polkadot-js decodeAddress only knows 2-byte prefixes for 32/33-byte payloads (allowedEncodedLengths).
          if (prefix < 64 || len >= 32) expect(decodeAddress(a)).toEqual(payload);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('rejects bad base58, bad checksum, bad length and wrong prefix with precise Ss58Errors', () => {
    const good = '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY';
    const err = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        expect(e).toBeInstanceOf(Ss58Error);
        return (e as Error).message;
      }
      throw new Error('expected an Ss58Error');
    };
    expect(err(() => ss58Decode('5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKut0Y'))).toMatch(/bad base58/);
    expect(err(() => ss58Decode(`${good.slice(0, -1)}Z`))).toMatch(/bad checksum/);
    expect(err(() => ss58Decode(good.slice(0, -3)))).toMatch(/bad length/);
    expect(err(() => ss58Decode(''))).toMatch(/bad length/);
    expect(err(() => ss58Decode('1'.repeat(500)))).toMatch(/bad length/);
    expect(err(() => ss58Decode(good, 0))).toMatch(/wrong prefix: address has prefix 42, expected 0/);
    expect(err(() => ss58Encode(new Uint8Array(31), 42))).toMatch(/bad length/);
    expect(err(() => ss58Encode(ALICE, 16384))).toMatch(/not in 0\.\.16383/);
    expect(err(() => ss58Encode(ALICE, 46))).toMatch(/reserved/);
  });

  it('never throws anything but Ss58Error on arbitrary strings', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (s) => {
        try {
          ss58Decode(s);
        } catch (e) {
          expect(e).toBeInstanceOf(Ss58Error);
        }
      }),
      { numRuns: 500 },
    );
  });
});
