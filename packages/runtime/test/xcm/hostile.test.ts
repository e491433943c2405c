/**
 * Hostile bytes: random input, and valid messages cut, flipped and spliced. The decoders throw only
 * `ScaleDecodeError`, leave the limit counters at rest, and whatever they accept re-encodes to exactly the bytes they
 * read (decoding is canonical, as parity-scale-codec's is for these types).
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { ScaleDecodeError } from '../../src/scale/index.ts';
import {
  AssetsCodec,
  LocationCodec,
  VersionedAssetsCodec,
  VersionedLocationCodec,
  VersionedResponseCodec,
  VersionedXcmCodec,
  decodeVersionedXcm,
} from '../../src/xcm/index.ts';
import { decodeStateAtRest } from '../../src/xcm/limits.ts';
import { hex } from '../scale/helpers.ts';
import { versionedXcm } from './arbitraries.ts';

type Decode = (b: Uint8Array) => unknown;
const decoders: Array<[string, Decode, (v: any) => Uint8Array]> = [
  ['VersionedXcm (depth-limited)', decodeVersionedXcm, (v) => VersionedXcmCodec.encode(v)],
  ['VersionedXcm', (b) => VersionedXcmCodec.decode(b), (v) => VersionedXcmCodec.encode(v)],
  ['VersionedLocation', (b) => VersionedLocationCodec.decode(b), (v) => VersionedLocationCodec.encode(v)],
  ['VersionedAssets', (b) => VersionedAssetsCodec.decode(b), (v) => VersionedAssetsCodec.encode(v)],
  ['VersionedResponse', (b) => VersionedResponseCodec.decode(b), (v) => VersionedResponseCodec.encode(v)],
  ['Location', (b) => LocationCodec.decode(b), (v) => LocationCodec.encode(v)],
  ['Assets', (b) => AssetsCodec.decode(b), (v) => AssetsCodec.encode(v)],
];

function tryDecode(decode: Decode, encode: (v: any) => Uint8Array, bytes: Uint8Array): void {
  let value: unknown;
  try {
    value = decode(bytes);
  } catch (err) {
    if (!(err instanceof ScaleDecodeError)) throw err;
    expect(decodeStateAtRest()).toBe(true);
    return;
  }
  expect(decodeStateAtRest()).toBe(true);
  expect(hex(encode(value))).toBe(hex(bytes));
}

const versionPrefixed = fc
  .tuple(fc.constantFrom(3, 4, 5), fc.uint8Array({ maxLength: 300 }))
  .map(([v, rest]) => Uint8Array.from([v, ...rest]));

describe('random bytes', () => {
  test.each(decoders)('%s: only ScaleDecodeError, and what decodes is canonical', (_, decode, encode) => {
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 400 }), versionPrefixed), (bytes) =>
        tryDecode(decode, encode, bytes),
      ),
      { numRuns: 1500 },
    );
  });
});

describe('valid messages damaged', () => {
  const damaged = versionedXcm(3).chain((m) => {
    const bytes = VersionedXcmCodec.encode(m as never);
    return fc.oneof(
      fc.integer({ min: 0, max: Math.max(0, bytes.length - 1) }).map((n) => bytes.slice(0, n)),
      fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })).map(([i, x]) => {
        const b = bytes.slice();
        if (b.length > 0) b[i % b.length] ^= x;
        return b;
      }),
      fc.tuple(fc.nat(), fc.uint8Array({ minLength: 1, maxLength: 8 })).map(([i, ins]) => {
        const at = bytes.length === 0 ? 0 : i % bytes.length;
        return Uint8Array.from([...bytes.slice(0, at), ...ins, ...bytes.slice(at)]);
      }),
      fc.constant(Uint8Array.from([...bytes, 0])),
    );
  });
  test('cut, flipped, spliced or extended: a typed error or a canonical decode', () => {
    fc.assert(
      fc.property(damaged, (bytes) => {
        tryDecode(
          (b) => VersionedXcmCodec.decode(b),
          (v) => VersionedXcmCodec.encode(v),
          bytes,
        );
        tryDecode(decodeVersionedXcm, (v) => VersionedXcmCodec.encode(v), bytes);
      }),
      { numRuns: 1500 },
    );
  });

  test('a huge claimed length or an unknown variant is refused before any allocation', () => {
    expect(() => VersionedXcmCodec.decode(Uint8Array.of(5, 0xff, 0xff, 0xff, 0xff))).toThrow(
      ScaleDecodeError,
    );
    expect(() => VersionedXcmCodec.decode(Uint8Array.of(5, 0x04, 52))).toThrow(/unknown variant index 52/);
    expect(() => VersionedXcmCodec.decode(Uint8Array.of(6, 0x00))).toThrow(/unknown variant index 6/);
    expect(() => VersionedXcmCodec.decode(Uint8Array.of(2, 0x00))).toThrow(ScaleDecodeError);
    // V5 has no Westend (4): GlobalConsensus(Westend) inside a DescendOrigin.
    expect(() => VersionedXcmCodec.decode(Uint8Array.of(5, 0x04, 0x0b, 0x01, 0x09, 0x04))).toThrow(
      /unknown variant index 4/,
    );
    expect(VersionedXcmCodec.decode(Uint8Array.of(4, 0x04, 0x0b, 0x01, 0x09, 0x04))).toEqual({
      type: 'V4',
      value: [{ type: 'DescendOrigin', value: [{ type: 'GlobalConsensus', value: { type: 'Westend' } }] }],
    });
    // Junctions variant 9 does not exist; Fungible(0) does not decode.
    expect(() => LocationCodec.decode(Uint8Array.of(0, 9))).toThrow(ScaleDecodeError);
    expect(() => AssetsCodec.decode(Uint8Array.of(0x04, 0x00, 0x00, 0x00, 0x00))).toThrow(/zero amount/);
    expect(decodeStateAtRest()).toBe(true);
  });
});
