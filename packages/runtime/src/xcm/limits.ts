/**
 * polkadot-sdk's XCM decode limits. Two run while bytes are decoded, each the way Rust does it:
 *
 * - Instructions: `MAX_INSTRUCTIONS_TO_DECODE` counts every instruction of a message, nested ones included, in one
 *   counter shared by all `Xcm`s inside the outermost one (xcm `utils::decode_xcm_instructions`, an
 *   `environmental!` u8). Rust adds `vec_len as u8` with `saturating_add`, so a length of 256 adds 0: a quirk we keep
 *   on purpose (a message Rust accepts must decode here too); the executor's `MaxInstructions` still bounds it.
 * - Nesting depth: parity-scale-codec's `decode_with_depth_limit` counts `descend_ref` calls, made by a `Vec`/
 *   `BoundedVec` of non-primitive items (even an empty one) and by `Box`/`Arc` (V4/V5 `Junctions::X1..X8` hold an
 *   `Arc<[Junction; N]>`). Enums, structs, options and arrays do not descend. `MAX_XCM_DECODE_DEPTH` = 8 is what
 *   xcmp-queue / message-queue processing and `VersionedXcm::validate_xcm_nesting` use.
 *
 * Decoding is synchronous, so the counters are module state, saved and restored around every entry (as Rust's
 * environmental is scoped), and never left dirty by an error.
 */
import type { Codec } from '../scale/codec.ts';
import { ScaleDecodeError } from '../scale/errors.ts';
import type { Reader } from '../scale/io.ts';

/** xcm `MAX_INSTRUCTIONS_TO_DECODE`. */
export const MAX_INSTRUCTIONS_TO_DECODE = 100;
/** xcm `MAX_XCM_DECODE_DEPTH`. */
export const MAX_XCM_DECODE_DEPTH = 8;
/** `MAX_ITEMS_IN_ASSETS` (V4/V5 `Assets`, V3 `MultiAssets`): more is rejected at decode. */
export const MAX_ITEMS_IN_ASSETS = 20;
/** `MaxPalletNameLen`: `PalletInfo.name` / `module_name` bound. */
export const MAX_PALLET_NAME_LEN = 48;
/** `MaxPalletsInfo`: `Response::PalletsInfo` bound. */
export const MAX_PALLETS_INFO = 64;
/** `MaxDispatchErrorLen`: `MaybeErrorCode::Error/TruncatedError` bound. */
export const MAX_DISPATCH_ERROR_LEN = 128;
/** V5 `MaxAssetTransferFilters`: `InitiateTransfer.assets` bound. */
export const MAX_ASSET_TRANSFER_FILTERS = 6;
/** V5 `HintNumVariants`: `SetHints.hints` bound (one per `Hint` variant). */
export const HINT_NUM_VARIANTS = 1;

let depth = 0;
let maxDepth = Number.POSITIVE_INFINITY;
/** The shared u8 instruction counter; undefined outside any `Xcm` decode (Rust's `using_once`). */
let instructions: number | undefined;

/** `descend_ref`/`ascend_ref` around `read`: one nesting level. */
export function descending<T>(r: Reader, read: () => T): T {
  if (depth + 1 > maxDepth) r.fail(`nesting deeper than the decode depth limit ${maxDepth}`);
  depth++;
  try {
    return read();
  } finally {
    depth--;
  }
}

/** `decode_xcm_instructions`: reads a length, counts it against the shared limit, then the items one level down. */
export function readInstructions<T>(r: Reader, len: number, readOne: (r: Reader) => T): T[] {
  const outermost = instructions === undefined;
  if (outermost) instructions = 0;
  try {
    // `count.saturating_add(vec_len as u8)`: the low byte only, saturating at 255.
    instructions = Math.min(255, instructions! + (len & 0xff));
    if (instructions > MAX_INSTRUCTIONS_TO_DECODE)
      r.fail(`Max instructions exceeded (${MAX_INSTRUCTIONS_TO_DECODE} per message, nested ones included)`);
    return descending(r, () => {
      const out = new Array<T>(len);
      for (let i = 0; i < len; i++) out[i] = readOne(r);
      return out;
    });
  } finally {
    if (outermost) instructions = undefined;
  }
}

/**
 * `DecodeLimit::decode_all_with_depth_limit(limit, bytes)`: the whole input, no more than `limit` levels of nesting.
 * Throws only `ScaleDecodeError`.
 */
export function decodeAllWithDepthLimit<T>(codec: Codec<T>, bytes: Uint8Array, limit: number): T {
  return withDepthLimit(limit, () => codec.decode(bytes));
}

/** `DecodeLimit::decode_with_depth_limit`: one value from the front of `bytes`; returns it and the bytes it took. */
export function decodeWithDepthLimit<T>(codec: Codec<T>, bytes: Uint8Array, limit: number): [T, number] {
  return withDepthLimit(limit, () => codec.decodeAt(bytes, 0));
}

function withDepthLimit<R>(limit: number, run: () => R): R {
  if (!(limit >= 0)) throw new ScaleDecodeError(`bad depth limit ${limit}`, 0);
  const saved = [depth, maxDepth, instructions] as const;
  depth = 0;
  maxDepth = limit;
  instructions = undefined;
  try {
    return run();
  } finally {
    [depth, maxDepth, instructions] = saved;
  }
}

/** For tests: the counters are back at rest. */
export function decodeStateAtRest(): boolean {
  return depth === 0 && maxDepth === Number.POSITIVE_INFINITY && instructions === undefined;
}
