/** XCM payloads for the messaging tests: small valid `VersionedXcm`s with distinct bytes. */
import { VersionedXcmCodec } from '../../../src/xcm/index.ts';

/** A V5 message `[Trap(n)]` (a few bytes, distinct per n). */
export function trapXcm(n: number): Uint8Array {
  return VersionedXcmCodec.encode({ type: 'V5', value: [{ type: 'Trap', value: BigInt(n) }] } as never);
}

/** A V5 message `[SetTopic(topic)]` of 36 bytes. */
export function topicXcm(n: number): Uint8Array {
  const topic = new Uint8Array(32).fill(n & 0xff);
  return VersionedXcmCodec.encode({ type: 'V5', value: [{ type: 'SetTopic', value: topic }] } as never);
}

/** An HRMP page: format byte ConcatenatedVersionedXcm (0) then the messages back to back. */
export function xcmPage(...messages: Uint8Array[]): Uint8Array {
  return Uint8Array.from([0, ...messages.flatMap((m) => [...m])]);
}

export const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
