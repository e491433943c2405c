/**
 * Message ids and topics: `XcmHash` = blake2_256 of the encoded `VersionedXcm` (checked with @polkadot/util-crypto over
 * polkadot-js's own encoding), and `WithUniqueTopic`'s trailing `SetTopic` (xcm-builder routing.rs: kept if present,
 * else `unique(&message)` = blake2_256 of the `Xcm` encoding is appended).
 */
import { blake2AsU8a } from '@polkadot/util-crypto';
import { describe, expect, test } from 'vitest';
import {
  VersionedXcmCodec,
  type Xcm,
  XcmCodec,
  toFrameWeight,
  fromFrameWeight,
  trailingTopic,
  withTrailingTopic,
  xcmContextWithMessageId,
  xcmHash,
  XCM_WEIGHT_MAX,
} from '../../src/xcm/index.ts';
import { hex } from '../scale/helpers.ts';
import { instructions } from './corpus.ts';
import { pjsRegistry, toPjs } from './pjs-xcm.ts';

const registry = pjsRegistry();
const message: Xcm = instructions(5).slice(0, 20);

describe('XcmHash', () => {
  test('blake2_256 of the VersionedXcm bytes polkadot-js produces', () => {
    for (const v of [3, 4, 5] as const) {
      const m = { type: `V${v}`, value: instructions(v).slice(0, 30) } as never;
      const theirs = blake2AsU8a(
        registry.createType('XcmVersionedXcm', toPjs(VersionedXcmCodec, m)).toU8a(),
        256,
      );
      expect(hex(xcmHash(m))).toBe(hex(theirs));
    }
  });
});

describe('trailing SetTopic', () => {
  test('a message without one gets SetTopic(blake2_256(Xcm encoding)) appended', () => {
    const plain = message.filter((i) => i.type !== 'SetTopic');
    const [withTopic, id] = withTrailingTopic(plain);
    const expected = blake2AsU8a(registry.createType('StagingXcmV5Xcm', toPjs(XcmCodec, plain)).toU8a(), 256);
    expect(hex(id)).toBe(hex(expected));
    expect(withTopic).toHaveLength(plain.length + 1);
    expect(trailingTopic(withTopic)).toEqual(id);
    // Idempotent: the topic it carries is kept.
    expect(withTrailingTopic(withTopic)).toEqual([withTopic, id]);
    const mine = new Uint8Array(32).fill(9);
    expect(withTrailingTopic(plain, mine)[1]).toEqual(mine);
    expect(() => withTrailingTopic(plain, new Uint8Array(31))).toThrow(RangeError);
    expect(trailingTopic([])).toBeUndefined();
  });
  test('XcmContext::with_message_id', () => {
    const id = new Uint8Array(32).fill(1);
    expect(xcmContextWithMessageId(id)).toEqual({ origin: undefined, messageId: id, topic: undefined });
  });
});

describe('weights at the frame boundary', () => {
  test('u64::MAX saturates to the largest safe number; small weights convert exactly', () => {
    expect(toFrameWeight(XCM_WEIGHT_MAX)).toEqual({
      refTime: Number.MAX_SAFE_INTEGER,
      proofSize: Number.MAX_SAFE_INTEGER,
    });
    expect(toFrameWeight({ refTime: 1_000_000_000n, proofSize: 65536n })).toEqual({
      refTime: 1_000_000_000,
      proofSize: 65536,
    });
    expect(fromFrameWeight({ refTime: 5, proofSize: 6 })).toEqual({ refTime: 5n, proofSize: 6n });
  });
});
