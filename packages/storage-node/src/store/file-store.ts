/**
 * What the storage node knows about each file it has seen on Crust, kept in LevelDB under `<base>/worker-db` and
 * mirrored in memory (the status page and the scheduler read it many times a second). Every change is written
 * before it is acted on, so a kill -9 at any point restarts from a state the node really was in: a pull in flight
 * is resumed (its verified blocks are in the blockstore), a file reported on chain stays reported.
 *
 * States, as crust-smanager's file records and sworker's file statuses combined:
 *   new      — learnt from chain events or a scan of `market.filesV2`, not looked at yet
 *   waiting  — picked but held back for now (not enough free space, waiting for a first replica); `retryAt`
 *   pulling  — being pulled
 *   valid    — every block verified and pinned; reported as added at the next slot unless `onChain` already
 *   lost     — a block went missing or corrupt; reported as deleted while `onChain`
 *   deleted  — closed or expired on chain; reported as deleted while `onChain`, then its blocks go
 *   skipped  — not for this node (size limits, replica caps, another group member's share, …): `reason`
 *   failed   — given up after its retries: `reason`
 */
import { ClassicLevel } from 'classic-level';

export type FileState = 'new' | 'waiting' | 'pulling' | 'valid' | 'lost' | 'deleted' | 'skipped' | 'failed';
export type FileSource = 'chainEvent' | 'dbScan';

export interface FileRecord {
  cid: string;
  /** The order's size (`market.filesV2(cid).file_size` when learnt). */
  size: number;
  source: FileSource;
  state: FileState;
  /** Why the file is skipped, waiting, failed or lost. */
  reason?: string;
  /** Replicas on chain when last looked at. */
  replicas: number;
  /** `expired_at` on chain (0 while the file has no replica). */
  expiredAt: number;
  /** Pull attempts so far. */
  attempts: number;
  /** When a waiting or failed-for-now file is looked at again (ms since the epoch). */
  retryAt?: number;
  createdAt: number;
  updatedAt: number;
  /** Bytes of every block of the DAG, what the work report lists (set once valid). */
  dagSize?: number;
  /** The block the file became valid at (`c_block_num` in the report). */
  validAt?: number;
  /** The chain holds this file in the worker's reported set (added in an accepted report, not deleted since). */
  onChain: boolean;
}

/** A report sent but not yet seen accepted: applied to the records once the chain shows it. */
export interface PendingReport {
  slot: number;
  added: Array<{ cid: string; size: number }>;
  deleted: string[];
  /** `reported_files_root` it carried (hex). */
  filesRoot: string;
}

const FILE_PREFIX = 'file:';
const PENDING_KEY = 'meta:pending-report';
const SCAN_KEY = 'meta:scan-key';

export class FileStore {
  private readonly db: ClassicLevel<string, string>;
  private readonly records = new Map<string, FileRecord>();
  private pending?: PendingReport;
  private scanKey?: string;

  constructor(path: string) {
    this.db = new ClassicLevel<string, string>(path, { valueEncoding: 'utf8' });
  }

  async open(): Promise<void> {
    await this.db.open();
    for await (const [, value] of this.db.iterator({ gte: FILE_PREFIX, lt: `${FILE_PREFIX}\xff` })) {
      const record = JSON.parse(value) as FileRecord;
      this.records.set(record.cid, record);
    }
    const pending = await this.db.get(PENDING_KEY);
    this.pending = pending === undefined ? undefined : (JSON.parse(pending) as PendingReport);
    this.scanKey = (await this.db.get(SCAN_KEY)) ?? undefined;
  }

  async close(): Promise<void> {
    await this.db.close();
  }

  get(cid: string): FileRecord | undefined {
    return this.records.get(cid);
  }

  all(): IterableIterator<FileRecord> {
    return this.records.values();
  }

  inState(...states: FileState[]): FileRecord[] {
    return [...this.records.values()].filter((r) => states.includes(r.state));
  }

  /** Writes a record (created or changed); the in-memory copy changes only once it is on disk. */
  async put(record: FileRecord): Promise<FileRecord> {
    const next = { ...record, updatedAt: Date.now() };
    await this.db.put(FILE_PREFIX + next.cid, JSON.stringify(next));
    this.records.set(next.cid, next);
    return next;
  }

  async update(cid: string, change: Partial<FileRecord>): Promise<FileRecord | undefined> {
    const record = this.records.get(cid);
    if (!record) return undefined;
    return this.put({ ...record, ...change });
  }

  async remove(cid: string): Promise<void> {
    await this.db.del(FILE_PREFIX + cid);
    this.records.delete(cid);
  }

  get pendingReport(): PendingReport | undefined {
    return this.pending;
  }

  async setPendingReport(report: PendingReport | undefined): Promise<void> {
    if (report === undefined) await this.db.del(PENDING_KEY);
    else await this.db.put(PENDING_KEY, JSON.stringify(report));
    this.pending = report;
  }

  /** A small named value (last processed block, …). */
  async getMeta(name: string): Promise<string | undefined> {
    return (await this.db.get(`meta:${name}`)) ?? undefined;
  }

  async setMeta(name: string, value: string): Promise<void> {
    await this.db.put(`meta:${name}`, value);
  }

  get lastScanKey(): string | undefined {
    return this.scanKey;
  }

  async setScanKey(key: string | undefined): Promise<void> {
    if (key === undefined) await this.db.del(SCAN_KEY);
    else await this.db.put(SCAN_KEY, key);
    this.scanKey = key;
  }
}
