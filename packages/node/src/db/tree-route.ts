/** Path between two blocks through their common ancestor, as Substrate's `tree_route`. */
import type { BlockMeta } from './codec.ts';
import { UnknownBlockError } from './errors.ts';
import { hex } from './keys.ts';

export interface TreeRoute {
  /** Blocks left behind, from `from` down to (excluding) the common ancestor. */
  retracted: Uint8Array[];
  common: Uint8Array;
  /** Blocks entered, from just above the ancestor up to `to`. */
  enacted: Uint8Array[];
}

export async function treeRoute(
  getMeta: (hash: Uint8Array) => Promise<BlockMeta | undefined>,
  from: Uint8Array,
  to: Uint8Array,
): Promise<TreeRoute> {
  const meta = async (h: Uint8Array) => {
    const m = await getMeta(h);
    if (!m) throw new UnknownBlockError(h);
    return m;
  };
  let a = from;
  let b = to;
  let ma = await meta(a);
  let mb = await meta(b);
  const retracted: Uint8Array[] = [];
  const enacted: Uint8Array[] = [];
  while (ma.number > mb.number) {
    retracted.push(a);
    a = ma.parentHash;
    ma = await meta(a);
  }
  while (mb.number > ma.number) {
    enacted.push(b);
    b = mb.parentHash;
    mb = await meta(b);
  }
  while (hex(a) !== hex(b)) {
    retracted.push(a);
    enacted.push(b);
    a = ma.parentHash;
    b = mb.parentHash;
    ma = await meta(a);
    mb = await meta(b);
  }
  return { retracted, common: a, enacted: enacted.reverse() };
}
