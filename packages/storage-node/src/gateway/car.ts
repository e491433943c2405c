/**
 * CAR v1 encoding as a byte stream (https://ipld.io/specs/transport/car/carv1/): a varint-prefixed dag-cbor
 * header `{roots, version: 1}`, then for each block varint(len(cid) + len(data)) ‖ cid ‖ data. Blocks are
 * encoded as they arrive, never collected, and never copied: each section is its small prefix and the
 * block's own bytes, written together (one `writev`).
 */
import type { ServerResponse } from 'node:http';
import { createWriter, headerLength } from '@ipld/car/buffer-writer';
import { varint } from 'multiformats';
import type { CID } from 'multiformats/cid';
import type { WalkedBlock } from './dag-walk.ts';
import { RequestAbortedError } from './errors.ts';
import { drained } from './http-util.ts';

export function carHeader(roots: CID[]): Uint8Array {
  const writer = createWriter(new ArrayBuffer(headerLength({ roots })), { roots });
  return writer.close();
}

/** A block's CAR section as two parts: `varint(len) ‖ cid`, then the block's bytes as they are. */
export function carBlock({ cid, bytes }: WalkedBlock): [Uint8Array, Uint8Array] {
  const cidBytes = cid.bytes;
  const len = cidBytes.length + bytes.length;
  const prefix = varint.encodingLength(len);
  const head = new Uint8Array(prefix + cidBytes.length);
  varint.encodeTo(len, head, 0);
  head.set(cidBytes, prefix);
  return [head, bytes];
}

/**
 * Writes a CAR body of `blocks` to `res` with backpressure, then ends it. A lent block gets its section
 * prefix written into the free room before it and goes out as one write straight from the pooled buffer,
 * released when that write completed; other blocks go out as prefix and bytes, corked together. Lent
 * blocks this loop does not write are released here too. A failing source propagates (the router then
 * cuts the connection, so a client never sees a truncated CAR as complete).
 */
export async function writeCarBody(
  res: ServerResponse,
  roots: CID[],
  blocks: AsyncIterable<WalkedBlock>,
): Promise<void> {
  res.write(carHeader(roots));
  for await (const block of blocks) {
    if (res.destroyed) {
      block.lent?.release();
      throw new RequestAbortedError('client closed the connection');
    }
    const lent = block.lent;
    const cidBytes = block.cid.bytes;
    const length = cidBytes.byteLength + block.bytes.byteLength;
    const prefixLength = varint.encodingLength(length);
    const start = lent ? lent.offset - cidBytes.byteLength - prefixLength : -1;
    if (lent && start >= 0) {
      varint.encodeTo(length, lent.buffer, start);
      lent.buffer.set(cidBytes, start + prefixLength);
      res.write(lent.buffer.subarray(start, lent.offset + block.bytes.byteLength), () => lent.release());
    } else {
      const [head, bytes] = carBlock(block);
      res.cork();
      res.write(head);
      if (lent) res.write(bytes, () => lent.release());
      else res.write(bytes);
      res.uncork();
    }
    // uncork() and write() may flush and emit 'drain' at once, so ask the stream, not write()'s result.
    if (res.writableNeedDrain) await drained(res);
  }
  res.end();
}
