/**
 * What a segment holds, without its block bytes: from its index file when that is valid and covers the
 * whole segment, else by scanning the segment itself.
 *
 * An index file (`pack-<n>.idx`) is written when a segment is sealed and when the store closes cleanly, so a
 * restart reads a few bytes per block instead of the blocks. After a crash the segment that was being
 * written has none (or one that no longer covers it), and is scanned: every header's CRC and every block's
 * multihash is checked, and the segment is cut at the first record that does not check out. Appends are
 * sequential, so what follows a bad record was never acknowledged as written, and a child block never sits
 * before its parent (a pull writes a child only once its parent's write completed).
 *
 * Index file: "XSPKIDX1", u32 covered segment length, u32 entry count, entries (u8 kind, u8 key length,
 * u32 record offset, u32 data length, key, and for a deletion its u32 segment + u32 offset target), then a
 * u32 crc32 of everything before it. Little-endian.
 */
import { createHash } from 'node:crypto';
import { close, open, read } from 'node:fs';
import { crc32 } from 'node:zlib';
import {
  DELETION_DATA_BYTES,
  decodeDeletionTarget,
  decodeRecordHead,
  MAX_KEY_BYTES,
  RECORD_HEADER_BYTES,
  RecordKind,
  type RecordTarget,
} from './record.ts';

export interface SegmentEntry {
  kind: RecordKind;
  /** The block's multihash bytes. */
  key: Uint8Array;
  /** Where the record starts in its segment. */
  offset: number;
  dataLength: number;
  /** For a deletion: the record it deletes. */
  target?: RecordTarget;
}

const INDEX_MAGIC = Buffer.from('XSPKIDX1', 'latin1');
const ENTRY_FIXED_BYTES = 10;

export function encodeSegmentIndex(coveredLength: number, entries: readonly SegmentEntry[]): Buffer {
  let size = INDEX_MAGIC.byteLength + 8 + 4;
  for (const e of entries)
    size += ENTRY_FIXED_BYTES + e.key.byteLength + (e.kind === RecordKind.deletion ? DELETION_DATA_BYTES : 0);
  const out = Buffer.allocUnsafe(size);
  let at = out.copy(INDEX_MAGIC, 0);
  at = out.writeUInt32LE(coveredLength, at);
  at = out.writeUInt32LE(entries.length, at);
  for (const e of entries) {
    at = out.writeUInt8(e.kind, at);
    at = out.writeUInt8(e.key.byteLength, at);
    at = out.writeUInt32LE(e.offset, at);
    at = out.writeUInt32LE(e.dataLength, at);
    out.set(e.key, at);
    at += e.key.byteLength;
    if (e.kind === RecordKind.deletion) {
      at = out.writeUInt32LE(e.target!.segment, at);
      at = out.writeUInt32LE(e.target!.offset, at);
    }
  }
  out.writeUInt32LE(crc32(out.subarray(0, at)), at);
  return out;
}

/** The entries of an index file, or `undefined` when it is damaged or covers a different length. */
export function decodeSegmentIndex(bytes: Buffer, segmentLength: number): SegmentEntry[] | undefined {
  const head = INDEX_MAGIC.byteLength + 8;
  if (bytes.byteLength < head + 4 || !bytes.subarray(0, INDEX_MAGIC.byteLength).equals(INDEX_MAGIC))
    return undefined;
  const end = bytes.byteLength - 4;
  if (crc32(bytes.subarray(0, end)) !== bytes.readUInt32LE(end)) return undefined;
  if (bytes.readUInt32LE(INDEX_MAGIC.byteLength) !== segmentLength) return undefined;
  const count = bytes.readUInt32LE(INDEX_MAGIC.byteLength + 4);
  const entries: SegmentEntry[] = [];
  let at = head;
  for (let i = 0; i < count; i++) {
    if (at + ENTRY_FIXED_BYTES > end) return undefined;
    const kind = bytes.readUInt8(at) as RecordKind;
    const keyLength = bytes.readUInt8(at + 1);
    const offset = bytes.readUInt32LE(at + 2);
    const dataLength = bytes.readUInt32LE(at + 6);
    at += ENTRY_FIXED_BYTES;
    const extra = kind === RecordKind.deletion ? DELETION_DATA_BYTES : 0;
    if ((kind !== RecordKind.block && kind !== RecordKind.deletion) || keyLength === 0) return undefined;
    if (at + keyLength + extra > end) return undefined;
    if (offset + RECORD_HEADER_BYTES + keyLength + dataLength > segmentLength) return undefined;
    const key = Uint8Array.prototype.slice.call(bytes, at, at + keyLength);
    at += keyLength;
    const entry: SegmentEntry = { kind, key, offset, dataLength };
    if (extra > 0) {
      entry.target = decodeDeletionTarget(bytes.subarray(at, at + extra));
      at += extra;
    }
    entries.push(entry);
  }
  return at === end ? entries : undefined;
}

export interface ScanResult {
  entries: SegmentEntry[];
  /** Bytes up to the end of the last good record: the segment is cut here. */
  validLength: number;
}

const SCAN_CHUNK = 8 * 1024 * 1024;

/**
 * Reads a segment record by record, checking each; stops at the first record that is cut short, has a bad
 * header, or whose block does not hash to its key (blocks hashed with something other than sha2-256/512 are
 * trusted on their header CRC).
 */
export async function scanSegment(path: string, length: number): Promise<ScanResult> {
  const fd = await new Promise<number>((resolve, reject) =>
    open(path, 'r', (err, fd) => (err ? reject(err) : resolve(fd))),
  );
  try {
    const entries: SegmentEntry[] = [];
    let buffer = Buffer.allocUnsafe(SCAN_CHUNK);
    let bufferStart = 0;
    let bufferEnd = 0;
    /** Bytes [at, at + n) of the file, read into `buffer` if they are not all there yet. */
    const ensure = async (at: number, n: number): Promise<Buffer | undefined> => {
      if (at + n > length) return undefined;
      if (at >= bufferStart && at + n <= bufferEnd)
        return buffer.subarray(at - bufferStart, at - bufferStart + n);
      if (n > buffer.byteLength) buffer = Buffer.allocUnsafe(n);
      const want = Math.min(buffer.byteLength, length - at);
      let got = 0;
      while (got < want) {
        const r = await new Promise<number>((resolve, reject) =>
          read(fd, buffer, got, want - got, at + got, (err, bytesRead) =>
            err ? reject(err) : resolve(bytesRead),
          ),
        );
        if (r === 0) break;
        got += r;
      }
      bufferStart = at;
      bufferEnd = at + got;
      return got >= n ? buffer.subarray(0, n) : undefined;
    };
    let at = 0;
    while (at < length) {
      const fixed = await ensure(
        at,
        Math.min(RECORD_HEADER_BYTES + MAX_KEY_BYTES + DELETION_DATA_BYTES, length - at),
      );
      if (fixed === undefined) break;
      const head = decodeRecordHead(fixed);
      if (head === undefined) break;
      // Copied before the next read: that may refill the buffer `head.key` points into.
      const key = Uint8Array.prototype.slice.call(head.key) as Uint8Array;
      const whole = await ensure(at, head.length);
      if (whole === undefined) break;
      const data = whole.subarray(head.length - head.dataLength);
      const entry: SegmentEntry = { kind: head.kind, key, offset: at, dataLength: head.dataLength };
      if (head.kind === RecordKind.deletion) entry.target = decodeDeletionTarget(data);
      else if (!blockMatchesKey(key, data)) break;
      entries.push(entry);
      at += head.length;
    }
    return { entries, validLength: at };
  } finally {
    await new Promise<void>((resolve) => close(fd, () => resolve()));
  }
}

const SHA2_256 = 0x12;
const SHA2_512 = 0x13;

/** False when the key is a sha2-256/512 multihash the bytes do not hash to; other hashes are not checked. */
export function blockMatchesKey(key: Uint8Array, data: Uint8Array): boolean {
  const code = key[0];
  const algorithm = code === SHA2_256 ? 'sha256' : code === SHA2_512 ? 'sha512' : undefined;
  if (algorithm === undefined) return true;
  const digestLength = key[1];
  if (key.byteLength !== 2 + digestLength!) return false;
  const digest = createHash(algorithm).update(data).digest();
  return digest.byteLength === digestLength && digest.equals(key.subarray(2));
}
