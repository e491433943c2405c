/**
 * A storage challenge's answer and its check. The chain names a replica and a 32-byte seed; the holder answers with
 * the blocks on one path of the file's IPFS DAG from its root down to a leaf, the child at depth d being link number
 * `u64_le(blake2_256(seed ‖ u32_le(d))[0..8]) mod (number of links)` of the node at depth d. Each block must hash
 * (sha2-256) to the CID that names it: the file's CID for the root, the chosen link's CID below. So the path is
 * fixed by the seed, and only someone holding those blocks (or able to fetch them within the deadline) can answer.
 * A path ends at a raw block, a dag-pb node without links, or a node whose chosen link is not a sha2-256 dag-pb/raw
 * CID (which the chain cannot check).
 */
import { blake2_256, sha256 } from '../../crypto/hashing.ts';
import { equalBytes } from '../market/primitives.ts';
import { type Cid, CidError, CODEC_RAW, isCheckable, parseBinaryCid, parseCidString } from './cid.ts';
import { DagPbError, parseDagPbLinks } from './dag-pb.ts';

export interface ProofLimits {
  /** Blocks on the path (the DAG's depth + 1). */
  maxDepth: number;
  /** Bytes of one block (Kubo's chunks are 256 KiB; bitswap refuses blocks over 2 MiB). */
  maxBlockSize: number;
}

export const DEFAULT_PROOF_LIMITS: ProofLimits = { maxDepth: 32, maxBlockSize: 1 << 20 };

/** Which link the path takes at `depth` below a node with `linkCount` links. */
export function childIndex(seed: Uint8Array, depth: number, linkCount: number): number {
  const input = new Uint8Array(seed.length + 4);
  input.set(seed);
  new DataView(input.buffer).setUint32(seed.length, depth, true);
  const h = blake2_256(input);
  let x = 0n;
  for (let i = 7; i >= 0; i--) x = (x << 8n) | BigInt(h[i]);
  return Number(x % BigInt(linkCount));
}

export type ProofCheck = { ok: true; blocks: number } | { ok: false; reason: string };

/** Checks an answer for the file `root` (its CID) and `seed`. Never throws on hostile input. */
export function verifyChallengeProof(
  root: Cid,
  seed: Uint8Array,
  blocks: readonly Uint8Array[],
  limits: ProofLimits = DEFAULT_PROOF_LIMITS,
): ProofCheck {
  if (!isCheckable(root)) return { ok: false, reason: 'the file CID cannot be checked on chain' };
  if (blocks.length === 0) return { ok: false, reason: 'no blocks' };
  if (blocks.length > limits.maxDepth) return { ok: false, reason: `more than ${limits.maxDepth} blocks` };
  let expected = root;
  for (let depth = 0; depth < blocks.length; depth++) {
    const block = blocks[depth];
    const last = depth === blocks.length - 1;
    if (block.length > limits.maxBlockSize) return { ok: false, reason: `block ${depth} is too large` };
    const digest = sha256(block);
    if (!equalBytes(digest, expected.digest))
      return { ok: false, reason: `block ${depth} does not hash to its CID` };
    if (expected.codec === CODEC_RAW) return last ? { ok: true, blocks: depth + 1 } : extra(depth);
    let links: ReturnType<typeof parseDagPbLinks>;
    try {
      links = parseDagPbLinks(block);
    } catch (e) {
      return { ok: false, reason: `block ${depth}: ${(e as DagPbError).message}` };
    }
    if (links.length === 0) return last ? { ok: true, blocks: depth + 1 } : extra(depth);
    let child: Cid | undefined;
    try {
      child = parseBinaryCid(links[childIndex(seed, depth, links.length)].hash);
    } catch (e) {
      if (!(e instanceof CidError)) throw e;
    }
    if (!child || !isCheckable(child)) return last ? { ok: true, blocks: depth + 1 } : extra(depth);
    if (last) return { ok: false, reason: `the path ends at block ${depth}, above a leaf` };
    expected = child;
  }
  return { ok: false, reason: 'unreachable' };
}

const extra = (depth: number): ProofCheck => ({
  ok: false,
  reason: `blocks after the leaf at depth ${depth}`,
});

/** The binary form of a CID (what blockstores and dag-pb links use). */
export function cidToBinary(cid: Cid): Uint8Array {
  const mh = [cid.hashCode, cid.digest.length, ...cid.digest];
  if (cid.version === 0) return new Uint8Array(mh);
  const varint = (n: number) => {
    const out: number[] = [];
    do {
      let b = n & 0x7f;
      n = Math.floor(n / 128);
      if (n > 0) b |= 0x80;
      out.push(b);
    } while (n > 0);
    return out;
  };
  return new Uint8Array([
    1,
    ...varint(cid.codec),
    ...varint(cid.hashCode),
    ...varint(cid.digest.length),
    ...cid.digest,
  ]);
}

/**
 * What a replica holder sends: the blocks on the challenged path of `fileCid` (its string or string bytes), read
 * with `getBlock(binaryCid)` from the holder's blockstore.
 */
export async function buildChallengeProof(
  fileCid: string | Uint8Array,
  seed: Uint8Array,
  getBlock: (binaryCid: Uint8Array) => Uint8Array | Promise<Uint8Array>,
  limits: ProofLimits = DEFAULT_PROOF_LIMITS,
): Promise<Uint8Array[]> {
  let cid = parseCidString(typeof fileCid === 'string' ? new TextEncoder().encode(fileCid) : fileCid);
  const blocks: Uint8Array[] = [];
  for (let depth = 0; depth < limits.maxDepth; depth++) {
    const block = await getBlock(cidToBinary(cid));
    blocks.push(block);
    if (cid.codec === CODEC_RAW) return blocks;
    const links = parseDagPbLinks(block);
    if (links.length === 0) return blocks;
    let child: Cid | undefined;
    try {
      child = parseBinaryCid(links[childIndex(seed, depth, links.length)].hash);
    } catch (e) {
      if (!(e instanceof CidError)) throw e;
    }
    if (!child || !isCheckable(child)) return blocks;
    cid = child;
  }
  throw new DagPbError(`the DAG is deeper than ${limits.maxDepth} blocks`);
}
