/** How a failure on a substream is judged: the peer broke the protocol (drop it), or the substream just ended. */
import { NetworkMessageError } from './errors.ts';

/** Length-prefix and buffer errors of `@libp2p/utils`' lpStream: what an oversized or malformed frame raises. */
const FRAMING_ERRORS = new Set([
  'InvalidMessageLengthError',
  'InvalidDataLengthError',
  'InvalidDataLengthLengthError',
  'StreamBufferError',
]);

/** The peer sent something no honest peer sends: a message that does not decode, or a frame over the limit. */
export function isProtocolViolation(err: unknown): boolean {
  return err instanceof NetworkMessageError || FRAMING_ERRORS.has((err as Error)?.name);
}

export function describe(err: unknown): string {
  const e = err as Error;
  return `${e?.name ?? 'Error'}: ${e?.message ?? String(err)}`;
}
