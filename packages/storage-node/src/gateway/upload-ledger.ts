/**
 * Keeps a failed upload from leaving blocks behind. Every block an upload writes is recorded; blocks that
 * were new when it wrote them are deleted again if the upload fails (too large, malformed, client gone),
 * unless another in-flight upload also wrote them or they are pinned by now.
 */
import type { CID } from 'multiformats/cid';
import { deleteLocalBlock, type GatewayBlockstore, type GatewayPins } from './storage.ts';
import type { UploadDag } from './upload-dag.ts';
import type { PartsWriter } from './upload-parts.ts';

export interface UploadStats {
  uploadsFailed: number;
  blocksRolledBack: number;
}

export interface UploadOptions {
  /** Where blocks given as parts are written (see `upload-parts.ts`); without it they are joined and `put`. */
  parts?: PartsWriter;
  /** Records every block the upload stores, with its links (for pinning from it). */
  dag?: UploadDag;
}

/** How the importer hands blocks over (the balanced-file importer's `BlockPut`). */
export interface UploadStore {
  put(cid: CID, bytes: Uint8Array, options?: { signal?: AbortSignal }): Promise<CID>;
  putParts?(cid: CID, parts: readonly Uint8Array[], options?: { signal?: AbortSignal }): Promise<CID>;
}

export class UploadLedger {
  /** Block key → number of in-flight uploads that wrote it. */
  private readonly inflight = new Map<string, number>();
  readonly stats: UploadStats = { uploadsFailed: 0, blocksRolledBack: 0 };

  begin(blockstore: GatewayBlockstore, options: UploadOptions = {}): UploadSession {
    return new UploadSession(this.inflight, blockstore, this.stats, options);
  }
}

export class UploadSession {
  private readonly touched = new Map<string, CID>();
  private readonly created = new Set<string>();
  private closed = false;

  constructor(
    private readonly inflight: Map<string, number>,
    private readonly blockstore: GatewayBlockstore,
    private readonly stats: UploadStats,
    private readonly options: UploadOptions = {},
  ) {
    const parts = options.parts;
    if (parts !== undefined) this.store.putParts = (cid, blocks, o) => this.putParts(parts, cid, blocks, o);
  }

  /** The blockstore the importer writes through; `putParts` only when a parts writer was given. */
  readonly store: UploadStore = {
    put: async (cid, bytes, options) => {
      await this.touch(cid, options);
      await this.blockstore.put(cid, bytes, options);
      this.options.dag?.add(cid, bytes);
      return cid;
    },
  };

  private async putParts(
    writer: PartsWriter,
    cid: CID,
    parts: readonly Uint8Array[],
    options?: { signal?: AbortSignal },
  ): Promise<CID> {
    if (!writer.accepts(cid)) return this.store.put(cid, Buffer.concat(parts), options);
    // As Helia's put: a block already here is not written again (nor announced). A repeat within this upload
    // (a file repeating a chunk) is stored by the first write of it, which the importer also waits for.
    const state = await this.touch(cid, options);
    if (state === 'repeat') return cid;
    if (state === 'new') await writer.putParts(cid, parts, options);
    this.options.dag?.addParts(cid, parts);
    return cid;
  }

  /** Notes that this upload writes `cid`: the first time, whether it is new (then a rollback removes it). */
  private async touch(cid: CID, options?: { signal?: AbortSignal }): Promise<'new' | 'present' | 'repeat'> {
    const key = cid.toString();
    if (this.touched.has(key)) return 'repeat';
    this.touched.set(key, cid);
    this.inflight.set(key, (this.inflight.get(key) ?? 0) + 1);
    if (await this.blockstore.has(cid, options)) return 'present';
    this.created.add(key);
    return 'new';
  }

  /** The upload succeeded: its blocks stay. */
  commit(): void {
    this.release();
  }

  /** The upload failed: delete what it created that nobody else needs. */
  async rollback(pins: GatewayPins): Promise<number> {
    const mine = [...this.created].map((k) => this.touched.get(k)!);
    const othersWrote = new Set(
      mine.filter((cid) => (this.inflight.get(cid.toString()) ?? 0) > 1).map(String),
    );
    this.release();
    let deleted = 0;
    for (const cid of mine) {
      if (othersWrote.has(cid.toString())) continue;
      try {
        if (await pins.isPinned(cid)) continue;
        await deleteLocalBlock(this.blockstore, cid);
        deleted++;
      } catch {
        // Best effort: a block we cannot delete is garbage for a later GC, never an error for the client.
      }
    }
    this.stats.uploadsFailed++;
    this.stats.blocksRolledBack += deleted;
    return deleted;
  }

  private release(): void {
    if (this.closed) return;
    this.closed = true;
    for (const key of this.touched.keys()) {
      const n = (this.inflight.get(key) ?? 1) - 1;
      if (n <= 0) this.inflight.delete(key);
      else this.inflight.set(key, n);
    }
  }
}
