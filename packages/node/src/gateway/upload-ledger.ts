/**
 * Keeps a failed upload from leaving blocks behind. Every block an upload writes is recorded; blocks that
 * were new when it wrote them are deleted again if the upload fails (too large, malformed, client gone),
 * unless another in-flight upload also wrote them or they are pinned by now.
 */
import type { CID } from 'multiformats/cid';
import { deleteLocalBlock, type GatewayBlockstore, type GatewayPins } from './storage.ts';

export interface UploadStats {
  uploadsFailed: number;
  blocksRolledBack: number;
}

export class UploadLedger {
  /** Block key → number of in-flight uploads that wrote it. */
  private readonly inflight = new Map<string, number>();
  readonly stats: UploadStats = { uploadsFailed: 0, blocksRolledBack: 0 };

  begin(blockstore: GatewayBlockstore): UploadSession {
    return new UploadSession(this.inflight, blockstore, this.stats);
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
  ) {}

  /** The blockstore the importer writes through. */
  readonly store = {
    put: async (cid: CID, bytes: Uint8Array, options?: { signal?: AbortSignal }): Promise<CID> => {
      const key = cid.toString();
      if (!this.touched.has(key)) {
        this.touched.set(key, cid);
        this.inflight.set(key, (this.inflight.get(key) ?? 0) + 1);
        if (!(await this.blockstore.has(cid, options))) this.created.add(key);
      }
      await this.blockstore.put(cid, bytes, options);
      return cid;
    },
  };

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
