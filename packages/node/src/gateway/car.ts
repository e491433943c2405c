/**
 * CAR v1 encoding as a byte stream (https://ipld.io/specs/transport/car/carv1/): a varint-prefixed dag-cbor
 * header `{roots, version: 1}`, then for each block varint(len(cid) + len(data)) ‖ cid ‖ data. Blocks are
 * encoded as they arrive, never collected.
 */
import { createWriter, headerLength } from '@ipld/car/buffer-writer';
import { varint } from 'multiformats';
import type { CID } from 'multiformats/cid';
import type { WalkedBlock } from './dag-walk.ts';

export function carHeader(roots: CID[]): Uint8Array {
  const writer = createWriter(new ArrayBuffer(headerLength({ roots })), { roots });
  return writer.close();
}

export function carBlock({ cid, bytes }: WalkedBlock): Uint8Array {
  const cidBytes = cid.bytes;
  const len = cidBytes.length + bytes.length;
  const prefix = varint.encodingLength(len);
  const out = new Uint8Array(prefix + len);
  varint.encodeTo(len, out, 0);
  out.set(cidBytes, prefix);
  out.set(bytes, prefix + cidBytes.length);
  return out;
}

export async function* carStream(
  roots: CID[],
  blocks: AsyncIterable<WalkedBlock>,
): AsyncGenerator<Uint8Array> {
  yield carHeader(roots);
  for await (const block of blocks) yield carBlock(block);
}
