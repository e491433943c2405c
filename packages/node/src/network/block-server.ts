/**
 * The answering side of the block request protocol, as Substrate's `block_request_handler.rs`: start at a hash or at
 * a number of the best chain, walk by increasing number (Ascending) or parent by parent (Descending), include the
 * parts asked for, stop at the block limit, at 8 MiB of bodies (but always one block), or where the chain ends. An
 * unknown start block is an empty response, not an error.
 */
import { HeaderCodec } from '@xstorage/runtime/block';
import type { Chain } from '../chain/chain.ts';
import {
  BlockAttribute,
  type BlockRequest,
  MAX_BLOCKS_IN_RESPONSE,
  MAX_BODY_BYTES,
  type WireBlockData,
} from './block-request.ts';

export async function answerBlockRequest(chain: Chain, req: BlockRequest): Promise<WireBlockData[]> {
  const max = req.maxBlocks === 0 ? MAX_BLOCKS_IN_RESPONSE : Math.min(req.maxBlocks, MAX_BLOCKS_IN_RESPONSE);
  const wantHeader = (req.attributes & BlockAttribute.Header) !== 0;
  const wantBody = (req.attributes & BlockAttribute.Body) !== 0;
  const blocks: WireBlockData[] = [];
  let bodyBytes = 0;
  let hash: Uint8Array | undefined =
    'hash' in req.from ? req.from.hash : await chain.getHash(req.from.number);
  while (hash) {
    const raw = await chain.db.getHeader(hash);
    if (!raw) break;
    const header = HeaderCodec.decode(raw);
    let body: Uint8Array[] = [];
    if (wantBody) {
      const b = await chain.db.getBody(hash);
      if (!b) break;
      body = b;
    }
    const size = body.reduce((n, x) => n + x.length, 0);
    if (blocks.length > 0 && bodyBytes + size > MAX_BODY_BYTES) break;
    bodyBytes += size;
    blocks.push({ hash, header: wantHeader ? raw : new Uint8Array(0), body });
    if (blocks.length >= max) break;
    if (req.direction === 'Ascending') {
      hash = header.number >= 0xffff_ffff ? undefined : await chain.getHash(header.number + 1);
    } else {
      if (header.number === 0) break;
      hash = header.parentHash;
    }
  }
  return blocks;
}
