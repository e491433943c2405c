/**
 * One record of a pack segment: a stored block or the deletion of one.
 *
 *   u32 crc32   over everything from `kind` to the end of the key (and, for a deletion, its 8-byte target)
 *   u8  kind    1 = block, 2 = deletion
 *   u8  keyLen  length of the key: the block's multihash bytes
 *   u16 0       reserved
 *   u32 dataLen the block's length (8 for a deletion)
 *   key         keyLen bytes
 *   data        dataLen bytes: the block, or for a deletion the u32 segment and u32 offset of the record it deletes
 *
 * All little-endian. The header CRC finds a torn or foreign header when a segment is scanned after a crash;
 * a block's bytes are checked against its multihash instead (see `scan.ts`), so writing a block costs no
 * extra pass over its bytes.
 */
import { crc32 } from 'node:zlib';

export const RECORD_HEADER_BYTES = 12;
export const DELETION_DATA_BYTES = 8;

export const RecordKind = { block: 1, deletion: 2 } as const;
export type RecordKind = (typeof RecordKind)[keyof typeof RecordKind];

/** Multihashes are short; anything longer than this is not a key we wrote. */
export const MAX_KEY_BYTES = 255;
/** A block larger than this is refused (bitswap's limit is 2 MiB; this only guards the u32 fields). */
export const MAX_BLOCK_BYTES = 1024 * 1024 * 1024;

/** Where a deletion points: the record it deletes. */
export interface RecordTarget {
  segment: number;
  offset: number;
}

export interface RecordHead {
  kind: RecordKind;
  key: Uint8Array;
  dataLength: number;
  /** Bytes of the whole record (header, key, data). */
  length: number;
}

export function recordLength(keyLength: number, dataLength: number): number {
  return RECORD_HEADER_BYTES + keyLength + dataLength;
}

/** Header and key of a record, in one buffer (the data follows as separate parts). */
export function encodeRecordHead(kind: RecordKind, key: Uint8Array, dataLength: number): Buffer {
  const out = Buffer.allocUnsafe(RECORD_HEADER_BYTES + key.byteLength);
  out.writeUInt8(kind, 4);
  out.writeUInt8(key.byteLength, 5);
  out.writeUInt16LE(0, 6);
  out.writeUInt32LE(dataLength, 8);
  out.set(key, RECORD_HEADER_BYTES);
  out.writeUInt32LE(crc32(out.subarray(4)), 0);
  return out;
}

/** A whole deletion record; its target is covered by the CRC too. */
export function encodeDeletion(key: Uint8Array, target: RecordTarget): Buffer {
  const head = encodeRecordHead(RecordKind.deletion, key, DELETION_DATA_BYTES);
  const out = Buffer.allocUnsafe(head.byteLength + DELETION_DATA_BYTES);
  out.set(head, 0);
  out.writeUInt32LE(target.segment, head.byteLength);
  out.writeUInt32LE(target.offset, head.byteLength + 4);
  out.writeUInt32LE(crc32(out.subarray(4)), 0);
  return out;
}

export function decodeDeletionTarget(data: Uint8Array): RecordTarget {
  const view = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return { segment: view.readUInt32LE(0), offset: view.readUInt32LE(4) };
}

/**
 * The record starting at `bytes[0]`, when its header and key are all there and check out; `undefined` when
 * they are cut short, foreign or torn. `bytes` must hold the deletion's target too for a deletion.
 */
export function decodeRecordHead(bytes: Uint8Array): RecordHead | undefined {
  if (bytes.byteLength < RECORD_HEADER_BYTES) return undefined;
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const kind = view.readUInt8(4);
  const keyLength = view.readUInt8(5);
  const dataLength = view.readUInt32LE(8);
  if (kind !== RecordKind.block && kind !== RecordKind.deletion) return undefined;
  if (keyLength === 0 || view.readUInt16LE(6) !== 0) return undefined;
  if (kind === RecordKind.deletion && dataLength !== DELETION_DATA_BYTES) return undefined;
  if (dataLength > MAX_BLOCK_BYTES) return undefined;
  const covered = RECORD_HEADER_BYTES + keyLength + (kind === RecordKind.deletion ? DELETION_DATA_BYTES : 0);
  if (bytes.byteLength < covered) return undefined;
  if (crc32(view.subarray(4, covered)) !== view.readUInt32LE(0)) return undefined;
  return {
    kind,
    key: bytes.subarray(RECORD_HEADER_BYTES, RECORD_HEADER_BYTES + keyLength),
    dataLength,
    length: recordLength(keyLength, dataLength),
  };
}
