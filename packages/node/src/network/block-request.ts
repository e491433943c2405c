/**
 * The block request protocol's messages (`/<genesis>/sync/2`), byte-for-byte as Substrate's: protobuf
 * `api.v1.BlockRequest` / `BlockResponse` (polkadot-sdk `substrate/client/network/sync/src/schema/api.v1.proto`),
 * with the block number as SCALE `u32`, hashes as 32 bytes, the requested attributes as `BlockAttributes` in the top
 * byte of the `fields` u32 (`to_be_u32`), headers SCALE-encoded and each body extrinsic as its full encoding
 * (compact length included). Limits as `block_request_handler.rs`: at most 128 blocks per response, 8 MiB of bodies
 * (at least one block), requests of at most 1 MiB, responses of at most 16 MiB.
 *
 * Decoding checks what a node relies on before it imports anything: a header decodes and hashes to the hash the
 * response claims; each extrinsic's length prefix covers exactly its bytes.
 */
import { type Header, HeaderCodec, headerHash } from '@xstorage/runtime/block';
import { readCompactNumber } from '@xstorage/runtime/scale';
import { NetworkMessageError } from './errors.ts';
import { ProtoWriter, readFields, WireType } from './protobuf.ts';

/** `sc_network_common::sync::message::BlockAttributes`. */
export const BlockAttribute = {
  Header: 0b1,
  Body: 0b10,
  Receipt: 0b100,
  MessageQueue: 0b1000,
  Justification: 0b1_0000,
  IndexedBody: 0b10_0000,
} as const;
const ALL_ATTRIBUTES = 0b11_1111;

export const MAX_BLOCKS_IN_RESPONSE = 128;
export const MAX_BODY_BYTES = 8 * 1024 * 1024;
export const MAX_BLOCK_REQUEST_BYTES = 1024 * 1024;
export const MAX_BLOCK_RESPONSE_BYTES = 16 * 1024 * 1024;

export type BlockDirection = 'Ascending' | 'Descending';

export interface BlockRequest {
  /** BlockAttribute bits. */
  attributes: number;
  from: { hash: Uint8Array } | { number: number };
  /** Ascending: by increasing number on the responder's best chain; Descending: parent by parent. */
  direction: BlockDirection;
  /** 0 = the responder's maximum. */
  maxBlocks: number;
  supportMultipleJustifications?: boolean;
}

/** One block of a response as it travels. */
export interface WireBlockData {
  hash: Uint8Array;
  /** SCALE header, empty if not requested. */
  header: Uint8Array;
  /** Extrinsics (each with its compact length), empty if not requested. */
  body: Uint8Array[];
  justification?: Uint8Array;
  isEmptyJustification?: boolean;
  justifications?: Uint8Array;
}

/** A block of a response after the checks: the header decoded and matching the hash. */
export interface ReceivedBlock {
  hash: Uint8Array;
  header: Header | undefined;
  body: Uint8Array[];
}

const REQ = 'BlockRequest';
const RESP = 'BlockResponse';

const u32le = (n: number) => {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, n, true);
  return b;
};

export function encodeBlockRequest(r: BlockRequest): Uint8Array {
  const w = new ProtoWriter();
  // `to_be_u32`: the attribute byte is the most significant one.
  w.uint(1, (r.attributes & 0xff) * 0x100_0000);
  if ('hash' in r.from) w.bytes(2, r.from.hash, true);
  else w.bytes(3, u32le(r.from.number), true);
  w.uint(5, r.direction === 'Descending' ? 1 : 0);
  w.uint(6, r.maxBlocks);
  w.bool(7, r.supportMultipleJustifications ?? false);
  return w.finish();
}

/** Throws NetworkMessageError on anything Substrate's handler refuses (and on oversized input). */
export function decodeBlockRequest(bytes: Uint8Array): BlockRequest {
  if (bytes.length > MAX_BLOCK_REQUEST_BYTES)
    throw new NetworkMessageError(REQ, `${bytes.length} bytes is above ${MAX_BLOCK_REQUEST_BYTES}`);
  let fields = 0;
  let from: BlockRequest['from'] | undefined;
  let direction = 0;
  let maxBlocks = 0;
  let multi = false;
  for (const f of readFields(bytes, REQ)) {
    if (f.field === 1 && f.wire === WireType.Varint) fields = f.int;
    else if (f.field === 2 && f.wire === WireType.LengthDelimited) {
      // `H256::decode` reads 32 bytes (more are ignored by `Decode`, fewer fail).
      if (f.bytes.length < 32) throw new NetworkMessageError(REQ, `hash of ${f.bytes.length} bytes`);
      from = { hash: f.bytes.slice(0, 32) };
    } else if (f.field === 3 && f.wire === WireType.LengthDelimited) {
      if (f.bytes.length < 4) throw new NetworkMessageError(REQ, `number of ${f.bytes.length} bytes`);
      from = { number: new DataView(f.bytes.buffer, f.bytes.byteOffset, 4).getUint32(0, true) };
    } else if (f.field === 5 && f.wire === WireType.Varint) direction = f.int;
    else if (f.field === 6 && f.wire === WireType.Varint) maxBlocks = f.int;
    else if (f.field === 7 && f.wire === WireType.Varint) multi = f.int !== 0;
    else if (f.field <= 7 && f.field !== 4)
      throw new NetworkMessageError(REQ, `field ${f.field} has wire type ${f.wire}`);
  }
  if (!from) throw new NetworkMessageError(REQ, 'missing `from_block`');
  if (direction !== 0 && direction !== 1) throw new NetworkMessageError(REQ, `direction ${direction}`);
  if (fields > 0xffff_ffff) throw new NetworkMessageError(REQ, 'fields above u32');
  const attributes = Math.floor(fields / 0x100_0000);
  if ((attributes & ~ALL_ATTRIBUTES) !== 0)
    throw new NetworkMessageError(REQ, `invalid BlockAttributes 0x${attributes.toString(16)}`);
  return {
    attributes,
    from,
    direction: direction === 1 ? 'Descending' : 'Ascending',
    maxBlocks: Math.min(maxBlocks, 0xffff_ffff),
    supportMultipleJustifications: multi,
  };
}

export function encodeBlockResponse(blocks: readonly WireBlockData[]): Uint8Array {
  const w = new ProtoWriter();
  for (const b of blocks) {
    const d = new ProtoWriter();
    d.bytes(1, b.hash);
    d.bytes(2, b.header);
    for (const x of b.body) d.bytes(3, x, true);
    if (b.justification) d.bytes(6, b.justification);
    d.bool(7, b.isEmptyJustification ?? false);
    if (b.justifications) d.bytes(8, b.justifications);
    w.bytes(1, d.finish(), true);
  }
  return w.finish();
}

/**
 * Decodes and checks a response: at most `maxBlocks` blocks, every hash 32 bytes, a header present when `needHeader`
 * that decodes and hashes to its block's hash, every extrinsic a well-formed opaque extrinsic.
 */
export function decodeBlockResponse(
  bytes: Uint8Array,
  opts: { maxBlocks?: number; needHeader?: boolean } = {},
): ReceivedBlock[] {
  if (bytes.length > MAX_BLOCK_RESPONSE_BYTES)
    throw new NetworkMessageError(RESP, `${bytes.length} bytes is above ${MAX_BLOCK_RESPONSE_BYTES}`);
  const max = opts.maxBlocks ?? MAX_BLOCKS_IN_RESPONSE;
  const out: ReceivedBlock[] = [];
  for (const f of readFields(bytes, RESP)) {
    if (f.field !== 1) continue;
    if (f.wire !== WireType.LengthDelimited) throw new NetworkMessageError(RESP, 'blocks is not a message');
    if (out.length >= max) throw new NetworkMessageError(RESP, `more than ${max} blocks`);
    out.push(decodeBlockData(f.bytes, opts.needHeader ?? false));
  }
  return out;
}

function decodeBlockData(bytes: Uint8Array, needHeader: boolean): ReceivedBlock {
  let hash: Uint8Array | undefined;
  let headerBytes: Uint8Array | undefined;
  const body: Uint8Array[] = [];
  for (const f of readFields(bytes, 'BlockData')) {
    if (f.field === 1 && f.wire === WireType.LengthDelimited) hash = f.bytes.slice();
    else if (f.field === 2 && f.wire === WireType.LengthDelimited) headerBytes = f.bytes;
    else if (f.field === 3 && f.wire === WireType.LengthDelimited) body.push(checkedExtrinsic(f.bytes));
    else if ((f.field === 1 || f.field === 2 || f.field === 3) && f.wire !== WireType.LengthDelimited)
      throw new NetworkMessageError('BlockData', `field ${f.field} has wire type ${f.wire}`);
  }
  if (hash?.length !== 32) throw new NetworkMessageError('BlockData', `hash of ${hash?.length ?? 0} bytes`);
  let header: Header | undefined;
  if (headerBytes && headerBytes.length > 0) {
    try {
      header = HeaderCodec.decode(headerBytes);
    } catch (err) {
      throw new NetworkMessageError('BlockData', `header: ${(err as Error).message}`);
    }
    if (Buffer.compare(headerHash(header), hash) !== 0)
      throw new NetworkMessageError('BlockData', 'the header does not hash to the block hash');
  } else if (needHeader) {
    throw new NetworkMessageError('BlockData', 'header missing');
  }
  return { hash, header, body };
}

/** An `OpaqueExtrinsic` encoding: a compact length that covers exactly the rest. */
function checkedExtrinsic(x: Uint8Array): Uint8Array {
  let len: number;
  let after: number;
  try {
    [len, after] = readCompactNumber(x, 0);
  } catch (err) {
    throw new NetworkMessageError('BlockData', `extrinsic length: ${(err as Error).message}`);
  }
  if (after + len !== x.length)
    throw new NetworkMessageError('BlockData', 'an extrinsic does not match its length prefix');
  return x.slice();
}
