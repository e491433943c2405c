/**
 * Message ids. pallet-xcm's `send` returns `XcmHash` = blake2_256 of the encoded `VersionedXcm` it sent (with a
 * `WithUniqueTopic` router the id is instead the message's trailing `SetTopic`, appended when missing), and the
 * executor's `XcmContext.message_id` starts as the hash of the message as it arrived.
 */
import { blake2_256 } from '../crypto/hashing.ts';
import type { Instruction as InstructionV5, Location, Xcm as XcmV5 } from './v5/index.ts';
import { XcmCodec as XcmCodecV5 } from './v5/index.ts';
import { type VersionedXcm, VersionedXcmCodec } from './versioned.ts';

export type XcmHash = Uint8Array;

/** blake2_256(VersionedXcm::encode()). */
export function xcmHash(message: VersionedXcm): XcmHash {
  return blake2_256(VersionedXcmCodec.encode(message));
}

/** blake2_256 of already encoded message bytes (what a queue hands the executor). */
export function xcmHashOfEncoded(encoded: Uint8Array): XcmHash {
  return blake2_256(encoded);
}

/** The topic of a message ending in `SetTopic(id)`, as `WithUniqueTopic` / `TrailingSetTopicAsId` read it. */
export function trailingTopic(xcm: ReadonlyArray<{ type: string; value?: unknown }>): Uint8Array | undefined {
  const last = xcm[xcm.length - 1];
  return last?.type === 'SetTopic' ? (last.value as Uint8Array) : undefined;
}

/**
 * `WithUniqueTopic`'s rule: a message already ending in `SetTopic` keeps it; otherwise `SetTopic(topic)` is appended,
 * `topic` defaulting to `unique(&message)`: blake2_256 of the (unversioned) `Xcm` encoding.
 */
export function withTrailingTopic(xcm: XcmV5, topic?: Uint8Array): [XcmV5, Uint8Array] {
  const existing = trailingTopic(xcm);
  if (existing) return [xcm, existing];
  const id = topic ?? blake2_256(XcmCodecV5.encode(xcm));
  if (id.length !== 32) throw new RangeError(`topic: ${id.length} bytes, must be 32`);
  const set: InstructionV5 = { type: 'SetTopic', value: id };
  return [[...xcm, set], id];
}

/** `XcmContext`: what an executor knows about the message it runs (not encoded on chain). */
export interface XcmContext {
  origin?: Location;
  messageId: XcmHash;
  topic?: Uint8Array;
}
/** `XcmContext::with_message_id`. */
export function xcmContextWithMessageId(messageId: XcmHash): XcmContext {
  return { origin: undefined, messageId, topic: undefined };
}
