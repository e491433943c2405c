/**
 * The ordered seek shared by every trie walk: the in-memory trie's `entries()` (sync, over live nodes) and the
 * walks over encoded nodes in node-reader.ts (proofs and the node database, which fetch nodes as they go). Both
 * visit a node, then its children 0..15 in order; this decides, from the node's full path alone, which part of
 * that visit lies under `prefix` and at or after `start`, so the two traversals only differ in how they reach a
 * node's parts. (One generic traversal over an abstract node source was tried on paper: the in-memory walk would
 * pay a generator delegation and an adapter object per node on nextKey, the runtime's storage iteration.)
 *
 * The answer is packed in one integer (no allocation per node): OUTSIDE, or
 *   bit 0       the node's own value is in range (if it has one)
 *   bits 1-4    the first child index to visit
 *   bits 5-8    the last child index to visit
 *   bits 9-13   the child whose subtree still straddles `start` (its keys must be compared again), 16 for none
 */

/** The node's subtree holds no key in range. */
export const OUTSIDE = -1;
const NO_CHILD = 16;

export function valueInRange(window: number): boolean {
  return (window & 1) !== 0;
}

export function firstChild(window: number): number {
  return (window >> 1) & 0xf;
}

export function lastChild(window: number): number {
  return (window >> 5) & 0xf;
}

/** Whether child `index` must be walked with its keys still compared against `start`. */
export function childBounded(window: number, index: number): boolean {
  return window >> 9 === index;
}

/**
 * The range window of a node whose full path (every nibble from the root, its partial key included) is
 * `path[0..len)`. `prefix` and `start` are nibbles; `bounded` is false once the walk knows the node's subtree is
 * entirely at or after `start`. With `exclusive`, the key equal to `start` itself is out of range.
 */
export function keyWindow(
  path: ArrayLike<number>,
  len: number,
  prefix: Uint8Array,
  start: Uint8Array | undefined,
  bounded: boolean,
  exclusive: boolean,
): number {
  // Prefix: the node's path and the prefix must agree on their common length.
  const m = Math.min(len, prefix.length);
  for (let i = 0; i < m; i++) if (path[i] !== prefix[i]) return OUTSIDE;
  let value = len >= prefix.length && (len & 1) === 0;
  let childFrom = 0;
  let boundedChild = NO_CHILD;
  if (bounded) {
    const s = start!;
    const m2 = Math.min(len, s.length);
    let cmp = 0;
    for (let i = 0; i < m2 && cmp === 0; i++) cmp = path[i] - s[i];
    if (cmp < 0) return OUTSIDE;
    if (cmp === 0 && len < s.length) {
      // `start` lies below this node: its own key sorts before, and so do the children before start's next nibble.
      value = false;
      childFrom = s[len];
      boundedChild = s[len];
    } else if (cmp === 0 && len === s.length && exclusive) {
      value = false;
    }
  }
  let from = childFrom;
  let to = 15;
  if (len < prefix.length) {
    // Still above the prefix (so no value here): only the child on the prefix's path, unless it sorts before start.
    if (prefix[len] < childFrom) return OUTSIDE;
    from = prefix[len];
    to = prefix[len];
  }
  return (value ? 1 : 0) | (from << 1) | (to << 5) | (boundedChild << 9);
}
