/**
 * Block-level helpers shared by the storage node and the fetcher: read a whole block from a streaming
 * blockstore, verify a block against its CID, list a block's links.
 */
import { createHash } from 'node:crypto';
import * as dagPb from '@ipld/dag-pb';
import type { CID } from 'multiformats/cid';
import * as raw from 'multiformats/codecs/raw';
import { identity } from 'multiformats/hashes/identity';
import { sha256, sha512 } from 'multiformats/hashes/sha2';

/** A block whose bytes do not hash to its CID's multihash. */
export class BlockHashMismatchError extends Error {
  override name = 'BlockHashMismatchError';
  readonly cid: CID;
  constructor(cid: CID) {
    super(`block ${cid} does not match its multihash`);
    this.cid = cid;
  }
}

/** A block whose codec or hash function we cannot verify or walk. */
export class UnsupportedBlockError extends Error {
  override name = 'UnsupportedBlockError';
}

type Chunks = Iterable<Uint8Array> | AsyncIterable<Uint8Array>;

/** Joins the chunks a v6 blockstore's `get` yields into one block. */
export async function readBlock(chunks: Chunks | Promise<Chunks>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let length = 0;
  for await (const part of await chunks) {
    parts.push(part);
    length += part.byteLength;
  }
  if (parts.length === 1) return parts[0];
  const out = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.byteLength;
  }
  return out;
}

/** Throws {@link BlockHashMismatchError} unless `bytes` hash to `cid`'s multihash. */
export async function verifyBlock(cid: CID, bytes: Uint8Array): Promise<void> {
  verifyBlockSync(cid, bytes);
}

/**
 * {@link verifyBlock} without a promise: node:crypto hashes synchronously, so a stream parser can verify a
 * block in the same turn that completed it.
 */
export function verifyBlockSync(cid: CID, bytes: Uint8Array): void {
  const code = cid.multihash.code;
  let digest: Uint8Array;
  if (code === sha256.code) digest = createHash('sha256').update(bytes).digest();
  else if (code === sha512.code) digest = createHash('sha512').update(bytes).digest();
  else if (code === identity.code) digest = bytes;
  else throw new UnsupportedBlockError(`hash function 0x${code.toString(16)} of ${cid} is not supported`);
  const expected = cid.multihash.digest;
  if (digest.byteLength !== expected.byteLength) throw new BlockHashMismatchError(cid);
  for (let i = 0; i < digest.byteLength; i++) {
    if (digest[i] !== expected[i]) throw new BlockHashMismatchError(cid);
  }
}

/**
 * True when a dag-pb block is nothing but its Data field (`0x0a varint(n) <n bytes>`) or empty: a leaf,
 * known without decoding it. dag-pb writes Links before Data, but decoders accept Data first, so a block
 * that merely starts with Data may still carry links after it; only an exact fit proves there are none.
 */
export function dagPbIsLeaf(bytes: Uint8Array): boolean {
  if (bytes.byteLength === 0) return true;
  if (bytes[0] !== 0x0a) return false;
  let length = 0;
  let at = 1;
  for (let shift = 0; at < bytes.byteLength && shift < 35; shift += 7) {
    const byte = bytes[at++]!;
    length += (byte & 0x7f) * 2 ** shift;
    if ((byte & 0x80) === 0) return at + length === bytes.byteLength;
  }
  return false;
}

/** The CIDs a UnixFS block links to (none for raw leaves). */
export function blockLinks(cid: CID, bytes: Uint8Array): CID[] {
  if (cid.code === raw.code) return [];
  if (cid.code === dagPb.code) return dagPb.decode(bytes).Links.map((l) => l.Hash);
  throw new UnsupportedBlockError(`codec 0x${cid.code.toString(16)} of ${cid} is not UnixFS (dag-pb or raw)`);
}

/**
 * The store at the bottom of Helia's wrappers (`unwrap()` on BlockStorage, then on NetworkedStorage): its
 * identity-hash layer over the disk. Reading and writing it directly skips, per block, a GC read lock (a
 * job with its own AbortController), an extra `has` (an `access` syscall) and the network fallback on a
 * miss; a store without `unwrap` is returned as is.
 */
export function innermostBlockstore<T extends object>(store: T): T {
  let current = store;
  for (let i = 0; i < 4; i++) {
    const inner = (current as { unwrap?: () => unknown }).unwrap?.() as T | undefined;
    if (inner === undefined || inner === current || typeof (inner as { get?: unknown }).get !== 'function')
      break;
    current = inner;
  }
  return current;
}

/**
 * Reusable block buffers by power-of-two size class: a stream of 256 KiB blocks cycles through the same few
 * buffers instead of allocating 100 MiB per 100 MiB moved. Fresh memory costs page faults, and fresh
 * external memory makes V8 run a full GC every few dozen megabytes (a third of the gateway's CPU while
 * serving a CAR, before this pool). Whoever takes a buffer gives it back only once nothing refers to it.
 */
export class BufferPool {
  private readonly free = new Map<number, Buffer[]>();
  private pooled = 0;
  private readonly maxPooledBytes: number;

  /** `maxPooledBytes`: released buffers kept for reuse, at most this many bytes in all (more go to the GC). */
  constructor(maxPooledBytes = 32 * 1024 * 1024) {
    this.maxPooledBytes = maxPooledBytes;
  }

  /** A buffer of at least `size` bytes (its length is the size class). */
  take(size: number): Buffer {
    const cls = sizeClass(size);
    const buffer = this.free.get(cls)?.pop();
    if (buffer) {
      this.pooled -= cls;
      return buffer;
    }
    return Buffer.allocUnsafeSlow(cls);
  }

  /** Hands back a buffer from {@link take}. */
  give(buffer: Buffer): void {
    const cls = buffer.byteLength;
    if (cls !== sizeClass(cls) || this.pooled + cls > this.maxPooledBytes) return;
    const list = this.free.get(cls);
    if (list) list.push(buffer);
    else this.free.set(cls, [buffer]);
    this.pooled += cls;
  }
}

function sizeClass(size: number): number {
  let cls = 64 * 1024;
  while (cls < size) cls *= 2;
  return cls;
}
