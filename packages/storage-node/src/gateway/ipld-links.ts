/**
 * The links of a block of any codec the gateway walks: dag-pb (named links, in block order), dag-cbor and
 * dag-json (every CID in the node, named by its path inside it, as go-ipld-legacy's `Links()` lists them),
 * and codecs that cannot link (raw, json, cbor, libp2p-key, identity). A block that does not decode as its
 * CID says is an {@link UndecodableBlockError}: such blocks can be stored (`block/put` does not validate, as in
 * Kubo), and must not crash a walk.
 */
import * as dagCbor from '@ipld/dag-cbor';
import * as dagJson from '@ipld/dag-json';
import * as dagPb from '@ipld/dag-pb';
import { CID } from 'multiformats/cid';
import { GatewayError, UnsupportedCodecError } from './errors.ts';

export interface IpldLink {
  /** dag-pb link name, or the link's path inside a dag-cbor/dag-json node. */
  name: string;
  cid: CID;
  /** dag-pb `Tsize` (cumulative size of the linked DAG) when given. */
  size?: number;
}

/** A stored block does not decode as its CID's codec says. */
export class UndecodableBlockError extends GatewayError {
  override name = 'UndecodableBlockError';
  override readonly status = 422;
}

export const RAW_CODE = 0x55;
export const DAG_PB_CODE = 0x70;
export const DAG_CBOR_CODE = 0x71;
export const DAG_JSON_CODE = 0x0129;
/** Codecs whose blocks never link: raw, json, cbor, libp2p-key, identity. */
const LEAF_CODECS = new Set([RAW_CODE, 0x0200, 0x51, 0x72, 0x00]);

/** Nodes deeper than this inside one block are refused (a hostile block nests millions deep). */
const MAX_NODE_DEPTH = 256;

/** Codecs whose links are read here (a walk treats any other block as a leaf). */
export function canLink(code: number): boolean {
  return code === DAG_PB_CODE || code === DAG_CBOR_CODE || code === DAG_JSON_CODE;
}

/** The links of `bytes`, the block of `cid`. */
export function ipldLinks(cid: CID, bytes: Uint8Array): IpldLink[] {
  if (LEAF_CODECS.has(cid.code)) return [];
  if (cid.code === DAG_PB_CODE) {
    let node: dagPb.PBNode;
    try {
      node = dagPb.decode(bytes);
    } catch (err) {
      throw undecodable(cid, err);
    }
    return node.Links.map((l) => ({ name: l.Name ?? '', cid: l.Hash, size: l.Tsize }));
  }
  if (cid.code === DAG_CBOR_CODE || cid.code === DAG_JSON_CODE) {
    let value: unknown;
    try {
      value = cid.code === DAG_CBOR_CODE ? dagCbor.decode(bytes) : dagJson.decode(bytes);
    } catch (err) {
      throw undecodable(cid, err);
    }
    return linksIn(cid, value);
  }
  throw new UnsupportedCodecError(`cannot read the links of ${cid}: codec 0x${cid.code.toString(16)}`);
}

function undecodable(cid: CID, err: unknown): UndecodableBlockError {
  const why = err instanceof RangeError ? 'nested too deeply' : (err as Error)?.message;
  return new UndecodableBlockError(`block ${cid} does not decode as its codec: ${String(why).slice(0, 200)}`);
}

/** Every CID inside a decoded node, depth first in key order, named by its path. */
function linksIn(cid: CID, value: unknown): IpldLink[] {
  const out: IpldLink[] = [];
  const stack: Array<{ value: unknown; path: string; depth: number }> = [{ value, path: '', depth: 0 }];
  while (stack.length > 0) {
    const { value: v, path, depth } = stack.pop()!;
    if (depth > MAX_NODE_DEPTH)
      throw new UndecodableBlockError(`block ${cid} nests deeper than ${MAX_NODE_DEPTH}`);
    if (v === null || typeof v !== 'object' || v instanceof Uint8Array) continue;
    const link = CID.asCID(v);
    if (link) {
      out.push({ name: path, cid: link });
      continue;
    }
    const entries: Array<[string, unknown]> = Array.isArray(v)
      ? v.map((x, i) => [String(i), x])
      : Object.keys(v)
          .sort()
          .map((k) => [k, (v as Record<string, unknown>)[k]]);
    for (let i = entries.length - 1; i >= 0; i--) {
      const [key, child] = entries[i]!;
      stack.push({ value: child, path: path === '' ? key : `${path}/${key}`, depth: depth + 1 });
    }
  }
  return out;
}
