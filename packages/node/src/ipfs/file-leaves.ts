/**
 * The importer's leaf step for dag-pb UnixFS `file` leaves (Kubo's default, CIDv0), with one copy of the
 * chunk instead of two: ipfs-unixfs marshals `Data` (copy 1) and @ipld/dag-pb wraps it in a PBNode (copy 2).
 * A leaf has no links, so its bytes are fixed by the protobuf encoding and are written here directly:
 *
 *   PBNode  { 1: Data (bytes) }                                   -> 0x0a len(U) U
 *   U = Data { 1: Type = File (2), 2: Data = chunk, 3: filesize } -> 0x08 0x02 0x12 len(n) chunk 0x18 n
 *
 * (ipfs-unixfs `marshal` and dag-pb `encode` emit exactly these fields in this order for a non-empty file
 * chunk with no mode or mtime; the test checks byte equality with both libraries.) Raw leaves keep the
 * importer's own code path, which copies nothing.
 */
import * as dagPb from '@ipld/dag-pb';
import { UnixFS } from 'ipfs-unixfs';
import type { BufferImporter, BufferImporterResult, WritableStorage } from 'ipfs-unixfs-importer';
import { CID } from 'multiformats/cid';
import { sha256 } from 'multiformats/hashes/sha2';

function varintLength(n: number): number {
  let len = 1;
  while (n >= 0x80) {
    n = Math.floor(n / 128);
    len++;
  }
  return len;
}

function writeVarint(out: Uint8Array, offset: number, n: number): number {
  while (n >= 0x80) {
    out[offset++] = (n & 0x7f) | 0x80;
    n = Math.floor(n / 128);
  }
  out[offset++] = n;
  return offset;
}

/** The dag-pb block of a UnixFS `file` leaf holding `chunk`, as ipfs-unixfs + dag-pb encode it. */
export function encodeFileLeaf(chunk: Uint8Array): Uint8Array {
  const n = chunk.byteLength;
  // An empty chunk omits Data; rare enough to leave to the libraries.
  if (n === 0) return dagPb.encode({ Data: new UnixFS({ type: 'file', data: chunk }).marshal(), Links: [] });
  const nLen = varintLength(n);
  const inner = 2 + 1 + nLen + n + 1 + nLen;
  const out = new Uint8Array(1 + varintLength(inner) + inner);
  let o = 0;
  out[o++] = 0x0a;
  o = writeVarint(out, o, inner);
  out[o++] = 0x08;
  out[o++] = 0x02;
  out[o++] = 0x12;
  o = writeVarint(out, o, n);
  out.set(chunk, o);
  o += n;
  out[o++] = 0x18;
  writeVarint(out, o, n);
  return out;
}

/**
 * A `bufferImporter` producing the same blocks and CIDs as the importer's default for dag-pb `file` leaves
 * (use the default for raw leaves).
 */
export function fileLeafImporter(options: { cidVersion: 0 | 1; signal?: AbortSignal }): BufferImporter {
  return async function* (file, blockstore: WritableStorage) {
    for await (const chunk of file.content) {
      yield async (): Promise<BufferImporterResult> => {
        const block = encodeFileLeaf(chunk);
        const cid = CID.create(options.cidVersion, dagPb.code, await sha256.digest(block));
        await blockstore.put(cid, block, { signal: options.signal });
        return {
          cid,
          unixfs: new UnixFS({ type: 'file', data: chunk }),
          size: BigInt(block.byteLength),
          block,
        };
      };
    }
  };
}
