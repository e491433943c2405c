/**
 * Runtime API extrinsic arguments (executive/runtime-apis.ts `extrinsicArgument`): the wire value is the extrinsic's
 * full encoding (compact length ++ version byte ++ …, sp_runtime's UncheckedExtrinsic encoding); the same bytes
 * wrapped once more as a Vec<u8> — what clients build from the metadata's opaque description — read as the inner
 * extrinsic, and nothing else changes meaning.
 */

import { compactToU8a } from '@polkadot/util';
import { describe, expect, it } from 'vitest';
import { OpaqueExtrinsicCodec } from '../../src/block/block.ts';
import { extrinsicArgument } from '../../src/executive/runtime-apis.ts';

const arg = extrinsicArgument(OpaqueExtrinsicCodec);
const wrap = (b: Uint8Array) => Uint8Array.of(...compactToU8a(b.length), ...b);

describe('extrinsicArgument', () => {
  const bare = wrap(Uint8Array.of(0x04, 0x00, 0x07, 0x01)); // v4 bare: version 4, call bytes
  const signed = wrap(Uint8Array.of(0x84, ...new Uint8Array(140).fill(7)));

  it('reads a well-formed extrinsic as itself', () => {
    expect(arg.decode(bare)).toEqual(bare);
    expect(arg.decode(signed)).toEqual(signed);
  });

  it('reads an extrinsic wrapped once more (Vec<u8> of its encoding) as the extrinsic', () => {
    expect(arg.decode(wrap(bare))).toEqual(bare);
    expect(arg.decode(wrap(signed))).toEqual(signed);
  });

  it('keeps the plain reading when its first byte is an extrinsic version, and leaves other bytes alone', () => {
    // 0x84 is also compact(33): a 34-byte body starting with 0x84 stays a signed extrinsic.
    const ambiguous = wrap(Uint8Array.of(0x84, ...new Uint8Array(33).fill(1)));
    expect(arg.decode(ambiguous)).toEqual(ambiguous);
    // Inner bytes that are no v4 extrinsic, or more than one item: not unwrapped (the runtime refuses them).
    const notOne = wrap(Uint8Array.of(...compactToU8a(3), 0x05, 0x01, 0x02));
    expect(arg.decode(notOne)).toEqual(notOne);
    const trailing = wrap(Uint8Array.of(...bare, 0x00));
    expect(arg.decode(trailing)).toEqual(trailing);
    expect(() => arg.decode(Uint8Array.of(0x10, 0x84))).toThrow();
  });

  it('encodes as the full encoding and keeps the metadata type of the codec it wraps', () => {
    expect(arg.encode(signed)).toEqual(signed);
    expect(arg.info).toEqual(OpaqueExtrinsicCodec.info);
  });
});
