/**
 * The part of a dag-pb node (IPLD dag-pb spec, protobuf `PBNode { repeated PBLink Links = 2; optional bytes Data = 1;
 * }`, `PBLink { optional bytes Hash = 1; optional string Name = 2; optional uint64 Tsize = 3; }`) a challenge needs:
 * the links' CIDs, in order. As strict as @ipld/dag-pb's decoder: only those fields, Data at most once and either
 * after all Links or before all of them (importers may write data-first nodes), link fields once each and ascending,
 * lengths within the node; anything else is an error, never a partial result.
 */
import { CidError, readVarint } from './cid.ts';

export class DagPbError extends Error {
  override name = 'DagPbError';
}

export interface PbLink {
  /** The binary CID of the linked block. */
  hash: Uint8Array;
}

function field(b: Uint8Array, offset: number): { num: number; wire: number; next: number } {
  const [key, next] = varint(b, offset);
  return { num: Math.floor(key / 8), wire: key % 8, next };
}

function varint(b: Uint8Array, offset: number): [number, number] {
  try {
    return readVarint(b, offset);
  } catch (e) {
    throw new DagPbError(e instanceof CidError ? e.message : String(e));
  }
}

function lengthDelimited(b: Uint8Array, offset: number): { bytes: Uint8Array; next: number } {
  const [length, start] = varint(b, offset);
  if (start + length > b.length) throw new DagPbError('a field runs past the end of the node');
  return { bytes: b.subarray(start, start + length), next: start + length };
}

function parseLink(b: Uint8Array): PbLink {
  let offset = 0;
  let last = 0;
  let hash: Uint8Array | undefined;
  while (offset < b.length) {
    const { num, wire, next } = field(b, offset);
    if (num <= last) throw new DagPbError('PBLink fields out of order or repeated');
    last = num;
    if (num === 1 && wire === 2) {
      const f = lengthDelimited(b, next);
      hash = f.bytes;
      offset = f.next;
    } else if (num === 2 && wire === 2) {
      offset = lengthDelimited(b, next).next;
    } else if (num === 3 && wire === 0) {
      offset = varint(b, next)[1];
    } else {
      throw new DagPbError(`unexpected PBLink field ${num} (wire type ${wire})`);
    }
  }
  if (!hash) throw new DagPbError('a PBLink without Hash');
  return { hash };
}

/** The links of a dag-pb node, in order. */
export function parseDagPbLinks(node: Uint8Array): PbLink[] {
  const links: PbLink[] = [];
  let offset = 0;
  let sawData = false;
  let linksBeforeData = false;
  while (offset < node.length) {
    const { num, wire, next } = field(node, offset);
    if (wire !== 2) throw new DagPbError(`unexpected PBNode wire type ${wire}`);
    const f = lengthDelimited(node, next);
    if (num === 2) {
      if (linksBeforeData) throw new DagPbError('PBNode Links on both sides of Data');
      links.push(parseLink(f.bytes));
    } else if (num === 1) {
      if (sawData) throw new DagPbError('PBNode Data twice');
      sawData = true;
      linksBeforeData = links.length > 0;
    } else {
      throw new DagPbError(`unexpected PBNode field ${num}`);
    }
    offset = f.next;
  }
  return links;
}
