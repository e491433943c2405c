/**
 * Splitting a `ConcatenatedVersionedXcm` page into its XCMs (cumulus xcmp-queue `take_first_concatenated_xcm`): each
 * item is a `VersionedXcm` decoded from the front with `MAX_XCM_DECODE_DEPTH` (and the instruction limit), then
 * re-encoded, which is what the inbound queue stores. A page whose stream breaks loses the rest of that page, as
 * upstream; the items before the break are kept.
 */
import { decodeWithDepthLimit, MAX_XCM_DECODE_DEPTH, VersionedXcmCodec } from '../../xcm/index.ts';

/** The first XCM of `data` (re-encoded) and how many bytes it took; undefined when it does not decode. */
export function takeFirstConcatenatedXcm(data: Uint8Array): [Uint8Array, number] | undefined {
  if (data.length === 0) return undefined;
  try {
    const [xcm, used] = decodeWithDepthLimit(VersionedXcmCodec, data, MAX_XCM_DECODE_DEPTH);
    return [VersionedXcmCodec.encode(xcm), used];
  } catch {
    return undefined;
  }
}
