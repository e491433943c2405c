/**
 * The DAG an upload stored, kept as it is written: each block's links (none for leaves), so that once the
 * import is done the blocks under any root it produced are known without reading a block back. That list
 * is what the pin is recorded from (see `upload-pin.ts`), instead of Helia walking the DAG on disk again.
 */
import * as dagPb from '@ipld/dag-pb';
import type { CID } from 'multiformats/cid';
import * as raw from 'multiformats/codecs/raw';
import { blockLinks, dagPbIsLeaf } from '../ipfs/blocks.ts';

/** A dag-pb leaf is `0x0a varint(n) <n bytes>`: a varint of a block length fits in this many bytes. */
const LEAF_PREFIX_BYTES = 11;

export class UploadDag {
  /** Block (by multihash) → the CID it was stored under and its links; `undefined` links = not walkable. */
  private readonly nodes = new Map<string, { cid: CID; links: readonly CID[] | undefined }>();

  /** Records a stored block given whole. */
  add(cid: CID, bytes: Uint8Array): void {
    const key = keyOf(cid);
    if (this.nodes.has(key)) return;
    this.nodes.set(key, { cid, links: linksOf(cid, () => bytes, dagPbIsLeaf(bytes)) });
  }

  /** Records a stored block given as consecutive parts (joined only if it is not a leaf). */
  addParts(cid: CID, parts: readonly Uint8Array[]): void {
    const key = keyOf(cid);
    if (this.nodes.has(key)) return;
    this.nodes.set(key, { cid, links: linksOf(cid, () => Buffer.concat(parts), partsAreLeaf(parts)) });
  }

  /**
   * Every block of the DAG under `root`, each once, or undefined when some block under it was not stored
   * through this upload (or is of a codec whose links we cannot read): then only a walk can tell.
   */
  blocksOf(root: CID): CID[] | undefined {
    const out: CID[] = [];
    const seen = new Set<string>();
    const stack: CID[] = [root];
    while (stack.length > 0) {
      const cid = stack.pop()!;
      const key = keyOf(cid);
      if (seen.has(key)) continue;
      seen.add(key);
      const node = this.nodes.get(key);
      if (node?.links === undefined) return undefined;
      out.push(cid);
      for (let i = node.links.length - 1; i >= 0; i--) stack.push(node.links[i]!);
    }
    return out;
  }
}

/** Blocks are stored, and pins counted, per multihash. */
function keyOf(cid: CID): string {
  return Buffer.from(cid.multihash.bytes).toString('latin1');
}

function linksOf(cid: CID, bytes: () => Uint8Array, leaf: boolean): readonly CID[] | undefined {
  if (cid.code === raw.code) return [];
  if (cid.code !== dagPb.code) return undefined;
  if (leaf) return [];
  try {
    return blockLinks(cid, bytes());
  } catch {
    // Not decodable: the pin then comes from a walk, which reports the block properly.
    return undefined;
  }
}

/** {@link dagPbIsLeaf} for a block in parts, looking only at its first bytes and its length. */
function partsAreLeaf(parts: readonly Uint8Array[]): boolean {
  let length = 0;
  for (const p of parts) length += p.byteLength;
  if (length === 0) return true;
  const head = new Uint8Array(Math.min(LEAF_PREFIX_BYTES, length));
  let filled = 0;
  for (const p of parts) {
    if (filled === head.byteLength) break;
    const n = Math.min(p.byteLength, head.byteLength - filled);
    head.set(p.subarray(0, n), filled);
    filled += n;
  }
  if (head[0] !== 0x0a) return false;
  let dataLength = 0;
  for (let at = 1, shift = 0; at < head.byteLength && shift < 35; shift += 7) {
    const byte = head[at++]!;
    dataLength += (byte & 0x7f) * 2 ** shift;
    if ((byte & 0x80) === 0) return at + dataLength === length;
  }
  return false;
}
