/**
 * The storage node's blockstore: blocks appended to large segment files (`pack-<n>.blk`), found through an
 * in-memory map from multihash to place, in the manner of Bitcask and of the log-structured stores under
 * Kubo's badger/pebble datastores.
 *
 * Why not one file per block (blockstore-fs, Kubo's flatfs): creating a 256 KiB file costs more than hashing
 * it. On this project's ext4, writing an import's blocks as files ran at 450–640 MB/s, against ~2 GB/s for
 * appending the same bytes to one file, while sha256 runs at ~1.5 GB/s; every pull paid the same.
 *
 * How it stays correct:
 * - One writer appends records in order, many at a time with one `writev` (group commit). A block is
 *   visible (`has`, `get`) only once its write has completed, so a completed `put` is readable and a child
 *   block (written after its parent's `put` resolved) always lies after its parent.
 * - A deletion is a small record naming the exact record it deletes; the map forgets the block once that is
 *   written. Space comes back by compaction: a sealed segment less than half alive has its live blocks
 *   appended again and is then removed. The open segment is sealed early once it is less than half alive
 *   with at least 8 MiB dead, so a GC on a small node gives space back too.
 * - A segment is sealed at `segmentBytes`: fsync, then its index file (`pack-<n>.idx`: keys and places, no
 *   block bytes) is written, so opening the store reads indexes, not blocks. A clean `close` writes the open
 *   segment's index too. After a crash, the segment without a valid index is scanned and cut at the first
 *   record that fails its header CRC or its multihash (see `segment-index.ts`).
 * - Like blockstore-fs there is no fsync per block: a kill -9 loses nothing the kernel accepted; a power cut
 *   can lose the most recent blocks, which a pull then fetches again.
 * - A `LOCK` file holding the owner's pid keeps a second process (or a second store in this one) out.
 *
 * Memory: the map holds one entry (~150 bytes) per block: about 600 MB for 1 TB of 256 KiB blocks.
 */
import { close, fstat, fsync, ftruncate, open, read, writev } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { NotFoundError, PutFailedError } from 'interface-store';
import { CID } from 'multiformats/cid';
import * as raw from 'multiformats/codecs/raw';
import * as Digest from 'multiformats/hashes/digest';
import {
  encodeDeletion,
  encodeRecordHead,
  MAX_BLOCK_BYTES,
  MAX_KEY_BYTES,
  RECORD_HEADER_BYTES,
  RecordKind,
  type RecordTarget,
  recordLength,
} from './record.ts';
import { decodeSegmentIndex, encodeSegmentIndex, type SegmentEntry, scanSegment } from './segment-index.ts';

export interface PackBlockstoreOptions {
  /** A segment is sealed once it reaches this many bytes. Default 256 MiB. */
  segmentBytes?: number;
  /** A sealed segment whose live bytes fall below this share of it is compacted. Default 0.5. */
  compactBelow?: number;
  /** Read file descriptors kept open at most (segments are reopened on demand). Default 128. */
  maxOpenSegments?: number;
}

/** Another store (in this process or another) has the directory open. */
export class PackStoreLockedError extends Error {
  override name = 'PackStoreLockedError';
}

/** The store is not open (never opened, or closed). */
export class PackStoreClosedError extends Error {
  override name = 'PackStoreClosedError';
}

const DEFAULT_SEGMENT_BYTES = 256 * 1024 * 1024;
/**
 * A batch is at most this many records and bytes: one `writev` (IOV_MAX is 1024 on Linux). Small enough
 * that a writer waiting on its puts gets them back a few at a time: with 32 MiB batches an import stalled
 * on one big write, then the writer idled while it hashed (measured: 0.29–0.5 of sha256; 0.57–0.75 now).
 */
const MAX_BATCH_IOVECS = 1000;
const MAX_BATCH_BYTES = 2 * 1024 * 1024;
/** Live blocks a compaction moves between two waits (bounds the memory it holds). */
const COMPACTION_STEP = 32;

const SEGMENT_FILE = /^pack-(\d{6,})\.blk$/;
const segmentName = (id: number) => `pack-${String(id).padStart(6, '0')}.blk`;
const indexName = (id: number) => `pack-${String(id).padStart(6, '0')}.idx`;

/** Directories opened by a store of this process (a pid in LOCK cannot tell two stores of one process apart). */
const openInThisProcess = new Set<string>();

interface Segment {
  id: number;
  path: string;
  /** Bytes written and acknowledged. */
  length: number;
  /** Bytes of records the map still points to. */
  liveBytes: number;
  sealed: boolean;
  /** Entries written to this segment, kept while it is the one being written (for its index). */
  entries?: SegmentEntry[];
  fd?: number;
  /** Reads in progress on `fd`; a removed segment's fd is closed when they are done. */
  readers: number;
  removed: boolean;
}

interface Location {
  segment: Segment;
  /** Where the record starts. */
  offset: number;
  /** Where the block's bytes start, and how many there are. */
  dataOffset: number;
  dataLength: number;
  /** The whole record's bytes (what its segment gets back when it dies). */
  recordBytes: number;
}

interface PendingRecord {
  kind: RecordKind;
  key: Uint8Array;
  keyString: string;
  /** A block's bytes, as parts written in order. */
  parts: readonly Uint8Array[];
  dataLength: number;
  /** A compaction move: applies only if the map still points here. */
  movedFrom?: RecordTarget;
  /** A deletion carried over by compaction: written as is, the map is not touched. */
  carriedTarget?: RecordTarget;
  /** A deletion's target, fixed when its batch is formed. */
  target?: RecordTarget;
  resolve(): void;
  reject(err: Error): void;
}

/** The key back as plain Uint8Array bytes (multiformats wants a Uint8Array, not a pooled Buffer view). */
const keyBytesOf = (keyString: string) => new Uint8Array(Buffer.from(keyString, 'latin1'));
/** A block as `getAll`/`getMany` yield it (interface-blockstore's Pair, with this package's CID). */
export interface StoredPair {
  cid: CID;
  bytes: AsyncGenerator<Uint8Array>;
}

const keyStringOf = (key: Uint8Array) =>
  Buffer.from(key.buffer, key.byteOffset, key.byteLength).toString('latin1');

export class PackBlockstore {
  readonly path: string;
  private readonly segmentBytes: number;
  private readonly compactBelow: number;
  private readonly maxOpenSegments: number;
  private readonly segments = new Map<number, Segment>();
  private readonly map = new Map<string, Location>();
  private active?: Segment;
  private queue: PendingRecord[] = [];
  private writing = false;
  private readonly pendingPuts = new Map<string, Promise<CID>>();
  /** Segments with an open read fd, least recently used first. */
  private readonly openReads = new Map<number, Segment>();
  private readonly toCompact = new Set<number>();
  private compacting?: Promise<void>;
  private isOpen = false;
  private closing = false;
  /** Seal the open segment at the writer's next turn (see `considerCompaction`). */
  private rollWanted = false;
  private readonly rollAfterDeadBytes: number;
  private drained?: () => void;

  constructor(path: string, options: PackBlockstoreOptions = {}) {
    this.path = path;
    this.segmentBytes = options.segmentBytes ?? DEFAULT_SEGMENT_BYTES;
    this.compactBelow = options.compactBelow ?? 0.5;
    this.maxOpenSegments = options.maxOpenSegments ?? 128;
    this.rollAfterDeadBytes = Math.min(8 * 1024 * 1024, Math.floor(this.segmentBytes / 4));
  }

  /** Blocks held. */
  get size(): number {
    return this.map.size;
  }

  /** Segment files and their bytes, live and total (compaction brings total back toward live). */
  stats(): { segments: number; blocks: number; liveBytes: number; totalBytes: number } {
    let liveBytes = 0;
    let totalBytes = 0;
    for (const s of this.segments.values()) {
      liveBytes += s.liveBytes;
      totalBytes += s.length;
    }
    return { segments: this.segments.size, blocks: this.map.size, liveBytes, totalBytes };
  }

  async open(): Promise<void> {
    if (this.isOpen) return;
    await mkdir(this.path, { recursive: true });
    await this.lock();
    try {
      const ids = (await readdir(this.path))
        .map((name) => SEGMENT_FILE.exec(name)?.[1])
        .filter((id): id is string => id !== undefined)
        .map(Number)
        .sort((a, b) => a - b);
      let lastEntries: SegmentEntry[] = [];
      for (const id of ids) lastEntries = await this.load(id, id === ids[ids.length - 1]);
      const last = ids.length > 0 ? this.segments.get(ids[ids.length - 1]!) : undefined;
      if (last !== undefined && last.length < this.segmentBytes)
        await this.reopenForAppend(last, lastEntries);
      else await this.startSegment((last?.id ?? 0) + 1);
      this.isOpen = true;
      this.closing = false;
      for (const s of this.segments.values()) this.considerCompaction(s);
    } catch (err) {
      await this.closeFiles();
      await this.unlock();
      throw err;
    }
  }

  /** Waits for queued writes and a running compaction step, then writes the open segment's index. */
  async close(): Promise<void> {
    if (!this.isOpen) return;
    this.closing = true;
    this.toCompact.clear();
    await this.compacting;
    await this.idle();
    this.isOpen = false;
    const active = this.active;
    if (active !== undefined) {
      await fsyncFd(active.fd!);
      await this.writeIndex(active);
    }
    await this.closeFiles();
    await this.unlock();
  }

  has(key: CID): boolean {
    return this.map.has(keyStringOf(key.multihash.bytes));
  }

  put(
    key: CID,
    val: Uint8Array | Iterable<Uint8Array> | AsyncIterable<Uint8Array>,
    options?: { signal?: AbortSignal },
  ): Promise<CID> {
    if (val instanceof Uint8Array) return this.putParts(key, [val], options);
    return (async () => {
      const parts: Uint8Array[] = [];
      for await (const part of val) parts.push(part);
      return this.putParts(key, parts, options);
    })();
  }

  /** Stores the block made of `parts` (in order) without joining them: they are written as they are. */
  putParts(key: CID, parts: readonly Uint8Array[], options?: { signal?: AbortSignal }): Promise<CID> {
    try {
      options?.signal?.throwIfAborted();
      this.assertOpen();
    } catch (err) {
      return Promise.reject(err);
    }
    const keyString = keyStringOf(key.multihash.bytes);
    if (this.map.has(keyString)) return Promise.resolve(key);
    const pending = this.pendingPuts.get(keyString);
    if (pending !== undefined) return pending.then(() => key);
    let dataLength = 0;
    for (const p of parts) dataLength += p.byteLength;
    // A copy: the CID may be a view into a buffer its owner reuses once this put resolves (the fetcher does).
    const mh = new Uint8Array(key.multihash.bytes);
    if (dataLength > MAX_BLOCK_BYTES || mh.byteLength > MAX_KEY_BYTES) {
      return Promise.reject(new PutFailedError(`block ${key} is too large (${dataLength} bytes) to store`));
    }
    const written = new Promise<void>((resolve, reject) =>
      this.enqueue({ kind: RecordKind.block, key: mh, keyString, parts, dataLength, resolve, reject }),
    ).then(
      () => key,
      (err: Error) => {
        throw new PutFailedError(`could not store block ${key}: ${err.message}`);
      },
    );
    this.pendingPuts.set(keyString, written);
    const forget = () => {
      if (this.pendingPuts.get(keyString) === written) this.pendingPuts.delete(keyString);
    };
    written.then(forget, forget);
    return written;
  }

  async *putMany(
    source: Iterable<{ cid: CID; bytes: Uint8Array }> | AsyncIterable<{ cid: CID; bytes: Uint8Array }>,
    options?: { signal?: AbortSignal },
  ): AsyncGenerator<CID> {
    for await (const { cid, bytes } of source) yield await this.put(cid, bytes, options);
  }

  async *get(key: CID, options?: { signal?: AbortSignal }): AsyncGenerator<Uint8Array> {
    yield await this.read(key, (size) => Buffer.allocUnsafe(size), 0, options?.signal).then((r) => r.bytes);
  }

  async *getMany(
    source: Iterable<CID> | AsyncIterable<CID>,
    options?: { signal?: AbortSignal },
  ): AsyncGenerator<StoredPair> {
    for await (const cid of source) yield { cid, bytes: this.get(cid, options) };
  }

  /**
   * The block read into a buffer from `allocate(room + length)`, at `room` bytes in (room for a prefix the
   * caller writes before it). NotFoundError when it is not held.
   */
  async read(
    key: CID,
    allocate: (size: number) => Buffer,
    room: number,
    signal?: AbortSignal,
  ): Promise<{ buffer: Buffer; bytes: Buffer }> {
    signal?.throwIfAborted();
    this.assertOpen();
    const keyString = keyStringOf(key.multihash.bytes);
    for (let attempt = 0; ; attempt++) {
      const location = this.map.get(keyString);
      if (location === undefined) throw new NotFoundError(`block ${key} is not in the store`);
      const { segment, dataOffset, dataLength } = location;
      const buffer = allocate(room + dataLength);
      segment.readers++;
      try {
        const fd = await this.readFd(segment);
        await readFully(fd, buffer, room, dataLength, dataOffset);
        return { buffer, bytes: buffer.subarray(room, room + dataLength) };
      } catch (err) {
        // Compaction removed the segment between the lookup and the open: the block has moved; look again.
        if (!segment.removed || attempt > 0) throw err;
      } finally {
        segment.readers--;
        if (segment.removed && segment.readers === 0) this.dropFd(segment);
      }
    }
  }

  async delete(key: CID, options?: { signal?: AbortSignal }): Promise<void> {
    options?.signal?.throwIfAborted();
    this.assertOpen();
    const mh = new Uint8Array(key.multihash.bytes);
    const keyString = keyStringOf(mh);
    this.pendingPuts.delete(keyString);
    await new Promise<void>((resolve, reject) =>
      this.enqueue({
        kind: RecordKind.deletion,
        key: mh,
        keyString,
        parts: [],
        dataLength: 8,
        resolve,
        reject,
      }),
    );
  }

  async *deleteMany(
    source: Iterable<CID> | AsyncIterable<CID>,
    options?: { signal?: AbortSignal },
  ): AsyncGenerator<CID> {
    for await (const cid of source) {
      await this.delete(cid, options);
      yield cid;
    }
  }

  /** Every block held, as a raw-codec CIDv1 of its multihash (the store keeps multihashes, as blockstore-fs does). */
  async *getAll(options?: { signal?: AbortSignal }): AsyncGenerator<StoredPair> {
    for (const keyString of [...this.map.keys()]) {
      options?.signal?.throwIfAborted();
      if (!this.map.has(keyString)) continue;
      const cid = CID.createV1(raw.code, Digest.decode(keyBytesOf(keyString)));
      yield { cid, bytes: this.get(cid, options) };
    }
  }

  // ---- writing

  private enqueue(record: PendingRecord): void {
    this.queue.push(record);
    this.pump();
  }

  /** Resolves once nothing is queued or being written. */
  private idle(): Promise<void> {
    if (!this.writing && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const previous = this.drained;
      this.drained = () => {
        previous?.();
        resolve();
      };
    });
  }

  private pump(): void {
    if (this.writing) return;
    if (this.queue.length === 0 && !this.rollWanted) {
      const drained = this.drained;
      this.drained = undefined;
      drained?.();
      return;
    }
    this.writing = true;
    this.writeNextBatch().then(
      () => {
        this.writing = false;
        this.pump();
      },
      (err: Error) => {
        // Only a failure to roll to a new segment gets here; the records it concerns are already rejected.
        this.writing = false;
        for (const r of this.queue.splice(0)) r.reject(err);
        this.pump();
      },
    );
  }

  private async writeNextBatch(): Promise<void> {
    let segment = this.active!;
    if (this.rollWanted) {
      // The open segment is mostly deleted blocks: seal it so compaction can give the space back.
      this.rollWanted = false;
      if (segment.length > 0 && !this.closing) {
        await this.seal(segment);
        segment = await this.startSegment(segment.id + 1);
      }
      if (this.queue.length === 0) return;
    }
    const first = this.queue[0]!;
    if (
      segment.length > 0 &&
      segment.length + recordLength(first.key.byteLength, first.dataLength) > this.segmentBytes
    ) {
      await this.seal(segment);
      segment = await this.startSegment(segment.id + 1);
    }
    // Take records while they fit; a record whose key is already in the batch waits for the next one, so
    // a deletion's target is always read from a map that includes every earlier record.
    const batch: Array<{ record: PendingRecord; offset: number; head: Buffer }> = [];
    const keys = new Set<string>();
    const iovecs: Uint8Array[] = [];
    let at = segment.length;
    while (this.queue.length > 0) {
      const record = this.queue[0]!;
      const length = recordLength(record.key.byteLength, record.dataLength);
      if (batch.length > 0) {
        if (keys.has(record.keyString)) break;
        if (at + length > this.segmentBytes || at - segment.length + length > MAX_BATCH_BYTES) break;
        if (iovecs.length + 1 + record.parts.length > MAX_BATCH_IOVECS) break;
      }
      this.queue.shift();
      let head: Buffer;
      if (record.kind === RecordKind.deletion) {
        const target = record.carriedTarget ?? this.targetOf(record.keyString);
        if (target === undefined) {
          record.resolve(); // nothing to delete
          continue;
        }
        head = encodeDeletion(record.key, target);
        record.target = target;
      } else {
        head = encodeRecordHead(RecordKind.block, record.key, record.dataLength);
      }
      keys.add(record.keyString);
      batch.push({ record, offset: at, head });
      iovecs.push(head, ...record.parts);
      at += length;
    }
    if (batch.length === 0) return;
    try {
      await writevFully(segment.fd!, iovecs, segment.length);
    } catch (err) {
      // Whatever part of the batch reached the file is cut off again; the next batch writes over it anyway.
      await new Promise<void>((resolve) => ftruncate(segment.fd!, segment.length, () => resolve()));
      for (const { record } of batch) record.reject(err as Error);
      return;
    }
    segment.length = at;
    for (const { record, offset } of batch) {
      this.apply(segment, record, offset);
      record.resolve();
    }
  }

  private targetOf(keyString: string): RecordTarget | undefined {
    const location = this.map.get(keyString);
    return location && { segment: location.segment.id, offset: location.offset };
  }

  /** Updates the map and the live counts for a record just written at `offset` of `segment`. */
  private apply(segment: Segment, record: PendingRecord, offset: number): void {
    const entry: SegmentEntry = { kind: record.kind, key: record.key, offset, dataLength: record.dataLength };
    const length = recordLength(record.key.byteLength, record.dataLength);
    if (record.kind === RecordKind.block) {
      const current = this.map.get(record.keyString);
      const moved = record.movedFrom;
      if (moved !== undefined && (current?.segment.id !== moved.segment || current.offset !== moved.offset)) {
        // Deleted or moved again while this copy was written: the copy is dead on arrival.
      } else {
        if (current !== undefined) this.forget(current);
        this.map.set(record.keyString, this.locate(segment, entry));
        segment.liveBytes += length;
      }
    } else {
      const target = record.target!;
      entry.target = target;
      if (record.carriedTarget === undefined) {
        const current = this.map.get(record.keyString);
        if (
          current !== undefined &&
          current.segment.id === target.segment &&
          current.offset === target.offset
        ) {
          this.map.delete(record.keyString);
          this.forget(current);
        }
      }
    }
    segment.entries?.push(entry);
  }

  /** A record the map no longer points to: its bytes are dead; its segment may now be worth compacting. */
  private forget(location: Location): void {
    location.segment.liveBytes -= location.recordBytes;
    this.considerCompaction(location.segment);
  }

  private locate(segment: Segment, entry: SegmentEntry): Location {
    const { offset, dataLength } = entry;
    const headBytes = RECORD_HEADER_BYTES + entry.key.byteLength;
    return {
      segment,
      offset,
      dataOffset: offset + headBytes,
      dataLength,
      recordBytes: headBytes + dataLength,
    };
  }

  // ---- segments

  private async startSegment(id: number): Promise<Segment> {
    const path = join(this.path, segmentName(id));
    const fd = await openFd(path, 'wx+');
    const segment: Segment = {
      id,
      path,
      length: 0,
      liveBytes: 0,
      sealed: false,
      entries: [],
      fd,
      readers: 0,
      removed: false,
    };
    this.segments.set(id, segment);
    this.active = segment;
    return segment;
  }

  /** The last segment, not full: appended to again. Its index goes, so a crash from here on rescans it. */
  private async reopenForAppend(segment: Segment, entries: SegmentEntry[]): Promise<void> {
    segment.entries = entries;
    await unlink(join(this.path, indexName(segment.id))).catch(() => {});
    this.dropFd(segment);
    segment.fd = await openFd(segment.path, 'r+');
    segment.sealed = false;
    this.active = segment;
  }

  private async seal(segment: Segment): Promise<void> {
    await fsyncFd(segment.fd!);
    await this.writeIndex(segment);
    segment.sealed = true;
    segment.entries = undefined;
    // The write fd stays as this segment's read fd (until the least-recently-used cap closes it).
    this.openReads.set(segment.id, segment);
    this.trimOpenReads();
    this.considerCompaction(segment);
  }

  private async writeIndex(segment: Segment): Promise<void> {
    const target = join(this.path, indexName(segment.id));
    const temp = `${target}.tmp`;
    await writeFile(temp, encodeSegmentIndex(segment.length, segment.entries ?? []));
    await rename(temp, target);
  }

  /** Reads a segment's index (or scans it) and replays its records into the map; returns its entries. */
  private async load(id: number, last: boolean): Promise<SegmentEntry[]> {
    const path = join(this.path, segmentName(id));
    const fd = await openFd(path, 'r');
    const length = await new Promise<number>((resolve, reject) =>
      fstat(fd, (err, stat) => (err ? reject(err) : resolve(stat.size))),
    );
    const segment: Segment = { id, path, length, liveBytes: 0, sealed: true, fd, readers: 0, removed: false };
    this.segments.set(id, segment);
    this.openReads.set(id, segment);
    const { entries, validLength } = await this.entriesOf(segment);
    if (validLength < length && last) {
      // The tail of an interrupted write: cut it so the next append starts at a record boundary.
      const writable = await openFd(path, 'r+');
      await new Promise<void>((resolve, reject) =>
        ftruncate(writable, validLength, (err) => (err ? reject(err) : resolve())),
      ).finally(() => close(writable, () => {}));
    }
    // A sealed segment that fails its scan part-way (damage, not a crash: crashes only hit the last one) keeps
    // its bytes on disk; only what checked out is served.
    segment.length = validLength;
    for (const entry of entries) this.replay(segment, entry);
    this.trimOpenReads();
    return entries;
  }

  private async entriesOf(segment: Segment): Promise<{ entries: SegmentEntry[]; validLength: number }> {
    const index = await readFile(join(this.path, indexName(segment.id))).catch(() => undefined);
    const fromIndex = index && decodeSegmentIndex(index, segment.length);
    if (fromIndex !== undefined) return { entries: fromIndex, validLength: segment.length };
    return scanSegment(segment.path, segment.length);
  }

  private replay(segment: Segment, entry: SegmentEntry): void {
    const keyString = keyStringOf(entry.key);
    const length = recordLength(entry.key.byteLength, entry.dataLength);
    const current = this.map.get(keyString);
    if (entry.kind === RecordKind.block) {
      if (current !== undefined) current.segment.liveBytes -= current.recordBytes;
      this.map.set(keyString, this.locate(segment, entry));
      segment.liveBytes += length;
    } else if (
      current !== undefined &&
      current.segment.id === entry.target!.segment &&
      current.offset === entry.target!.offset
    ) {
      this.map.delete(keyString);
      current.segment.liveBytes -= current.recordBytes;
    }
  }

  // ---- compaction

  private considerCompaction(segment: Segment): void {
    if (segment.removed || this.closing) return;
    if (segment.liveBytes >= segment.length * this.compactBelow) return;
    if (!segment.sealed) {
      // The open segment is compacted only once sealed; seal it early when enough of it is dead that a
      // `repo gc` should show the space coming back (else a small node would wait for 256 MiB of writes).
      if (segment === this.active && segment.length - segment.liveBytes >= this.rollAfterDeadBytes) {
        this.rollWanted = true;
        queueMicrotask(() => this.pump());
      }
      return;
    }
    this.toCompact.add(segment.id);
    this.compacting ??= this.compactAll().finally(() => {
      this.compacting = undefined;
    });
  }

  private async compactAll(): Promise<void> {
    while (!this.closing) {
      const next = this.toCompact.values().next();
      if (next.done) return;
      this.toCompact.delete(next.value);
      const segment = this.segments.get(next.value);
      if (segment === undefined || segment.removed) continue;
      try {
        await this.compact(segment);
      } catch {
        // The segment stays as it is (still readable, still counted); a later deletion tries again.
      }
    }
  }

  /** Appends the segment's live blocks (and deletions still needed) again, then removes it. */
  private async compact(segment: Segment): Promise<void> {
    const { entries } = await this.entriesOf(segment);
    let step: Promise<void>[] = [];
    for (const entry of entries) {
      if (this.closing) return;
      const keyString = keyStringOf(entry.key);
      if (entry.kind === RecordKind.block) {
        const current = this.map.get(keyString);
        if (current?.segment !== segment || current.offset !== entry.offset) continue;
        const cid = CID.createV1(raw.code, Digest.decode(entry.key));
        const { bytes } = await this.read(cid, (size) => Buffer.allocUnsafe(size), 0);
        const movedFrom = { segment: segment.id, offset: entry.offset };
        step.push(
          new Promise<void>((resolve, reject) =>
            this.enqueue({
              kind: RecordKind.block,
              key: entry.key,
              keyString,
              parts: [bytes],
              dataLength: bytes.byteLength,
              movedFrom,
              resolve,
              reject,
            }),
          ),
        );
      } else if (entry.target!.segment !== segment.id && this.segments.has(entry.target!.segment)) {
        // It still deletes a record in an older segment; without it a restart would bring that block back.
        step.push(
          new Promise<void>((resolve, reject) =>
            this.enqueue({
              kind: RecordKind.deletion,
              key: entry.key,
              keyString,
              parts: [],
              dataLength: 8,
              carriedTarget: entry.target,
              resolve,
              reject,
            }),
          ),
        );
      }
      if (step.length >= COMPACTION_STEP) {
        await Promise.all(step);
        step = [];
      }
    }
    await Promise.all(step);
    if (this.closing) return;
    // The copies must be on disk before the originals go.
    await fsyncFd(this.active!.fd!);
    segment.removed = true;
    this.segments.delete(segment.id);
    await unlink(join(this.path, indexName(segment.id))).catch(() => {});
    await unlink(segment.path);
    if (segment.readers === 0) this.dropFd(segment);
  }

  // ---- files

  private async readFd(segment: Segment): Promise<number> {
    if (segment.fd !== undefined) {
      if (segment.sealed) {
        // Most recently used goes last.
        this.openReads.delete(segment.id);
        this.openReads.set(segment.id, segment);
      }
      return segment.fd;
    }
    const fd = await openFd(segment.path, 'r');
    if (segment.fd !== undefined) {
      close(fd, () => {});
      return segment.fd;
    }
    segment.fd = fd;
    this.openReads.set(segment.id, segment);
    this.trimOpenReads();
    return fd;
  }

  private trimOpenReads(): void {
    for (const segment of this.openReads.values()) {
      if (this.openReads.size <= this.maxOpenSegments) return;
      if (segment.readers > 0 || !segment.sealed) continue;
      this.dropFd(segment);
    }
  }

  private dropFd(segment: Segment): void {
    this.openReads.delete(segment.id);
    const fd = segment.fd;
    segment.fd = undefined;
    if (fd !== undefined) close(fd, () => {});
  }

  private async closeFiles(): Promise<void> {
    for (const segment of this.segments.values()) {
      const fd = segment.fd;
      segment.fd = undefined;
      if (fd !== undefined) await new Promise<void>((resolve) => close(fd, () => resolve()));
    }
    this.segments.clear();
    this.openReads.clear();
    this.map.clear();
    this.active = undefined;
  }

  private assertOpen(): void {
    if (!this.isOpen || this.closing) throw new PackStoreClosedError(`block store ${this.path} is not open`);
  }

  private async lock(): Promise<void> {
    const lockPath = join(this.path, 'LOCK');
    if (openInThisProcess.has(this.path)) {
      throw new PackStoreLockedError(`block store ${this.path} is already open in this process`);
    }
    const owner = Number((await readFile(lockPath, 'utf8').catch(() => '')).trim());
    if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && processAlive(owner)) {
      throw new PackStoreLockedError(
        `block store ${this.path} is in use by process ${owner}; stop it first (or delete ${lockPath} if that process is not a storage node)`,
      );
    }
    await writeFile(lockPath, `${process.pid}\n`);
    openInThisProcess.add(this.path);
  }

  private async unlock(): Promise<void> {
    if (!openInThisProcess.delete(this.path)) return;
    await rm(join(this.path, 'LOCK'), { force: true });
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function openFd(path: string, flags: string): Promise<number> {
  return new Promise((resolve, reject) => open(path, flags, (err, fd) => (err ? reject(err) : resolve(fd))));
}

function fsyncFd(fd: number): Promise<void> {
  return new Promise((resolve, reject) => fsync(fd, (err) => (err ? reject(err) : resolve())));
}

function readFully(fd: number, buffer: Buffer, at: number, length: number, position: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let got = 0;
    const step = () =>
      read(fd, buffer, at + got, length - got, position + got, (err, n) => {
        if (err) return reject(err);
        got += n;
        if (got === length) return resolve();
        if (n === 0) return reject(new Error(`segment ended inside a block (${got} of ${length} bytes)`));
        step();
      });
    step();
  });
}

/** `writev` at `position` until every byte is written (a short write continues where it stopped). */
function writevFully(fd: number, parts: readonly Uint8Array[], position: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const step = (rest: readonly Uint8Array[], at: number) =>
      writev(fd, rest as Uint8Array[], at, (err, written) => {
        if (err) return reject(err);
        const left = skipBytes(rest, written);
        if (left.length === 0) return resolve();
        step(left, at + written);
      });
    step(parts, position);
  });
}

/** What is left of `parts` after the first `n` bytes. */
function skipBytes(parts: readonly Uint8Array[], n: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const p of parts) {
    if (n >= p.byteLength) {
      n -= p.byteLength;
      continue;
    }
    out.push(n > 0 ? p.subarray(n) : p);
    n = 0;
  }
  return out.filter((p) => p.byteLength > 0);
}
