/**
 * The manager: learns orders from Crust (new-order events, a paged scan of `market.filesV2`), chooses files with
 * crust-smanager's rules (strategy.ts), and pulls them with the verifying fetcher from the gateway and the other
 * storage nodes, each pull bounded by smanager's timeout, retried after a delay, given up with its reason. A
 * completed pull is pinned and the file becomes `valid`; the worker reports it.
 */
import type { CrustClient } from '../chain/crust-client.ts';
import {
  dagSize,
  type Fetcher,
  type FetchOutcome,
  type HeliaNode,
  type Provider,
  parseCidString,
  type StorageNode,
} from '../ipfs-access.ts';
import type { FileRecord, FileStore } from '../store/file-store.ts';
import {
  filterFile,
  type GroupShare,
  isDiskEnoughForFile,
  type ManagerLimits,
  makeRandomSelection,
  maxPullTasks,
  type PullingStrategy,
  pullTimeoutMs,
  SOURCE_OF,
  type StrategyWeights,
} from './strategy.ts';

export type Log = (event: string, data?: Record<string, unknown>) => void;

export interface PullProgress {
  cid: string;
  size: number;
  bytes: number;
  blocks: number;
  reusedBlocks: number;
  wanted: number;
  startedAt: number;
  deadline: number;
  attempt: number;
}

export interface ManagerDeps {
  store: FileStore;
  client: CrustClient;
  helia: HeliaNode;
  /** Pulls and pins (`StorageNode.fetchAndPin`: the pin is written under the pull's GC read lock). */
  node: StorageNode;
  fetcher: Fetcher;
  limits: ManagerLimits;
  strategy: StrategyWeights;
  /** Where to pull from (the gateway, the other storage nodes), asked at each pull. */
  providers: () => Provider[];
  /** Free bytes for new files (capacity − used, bounded by the file system). */
  freeBytes: () => Promise<number>;
  /** The worker is ready for files (registered, in its group if it has one) and its group share. */
  readiness: () => { ready: boolean; why?: string; group: GroupShare; nodeCount: number };
  head: () => number;
  log: Log;
  random?: () => number;
  /** Scanned entries per page of `market.filesV2` and the pause after a full pass. */
  scanPageSize?: number;
  scanCooldownMs?: number;
}

interface RunningPull {
  controller: AbortController;
  progress: PullProgress;
  done: Promise<void>;
}

export class Manager {
  private readonly deps: ManagerDeps;
  private readonly pick: () => PullingStrategy;
  private readonly pulls = new Map<string, RunningPull>();
  private scheduling = false;
  private scanning = false;
  private nextScanAt = 0;
  private stopped = false;
  private notReady: string | undefined;

  /** Why new pulls are not started now (not ready, a file waiting for space), for the status page. */
  get pausedReason(): string | undefined {
    return (
      this.notReady ??
      this.deps.store.inState('waiting').find((r) => r.reason?.startsWith('insufficient space'))?.reason
    );
  }
  private fileDuration = 0;

  constructor(deps: ManagerDeps) {
    this.deps = deps;
    this.pick = makeRandomSelection(deps.strategy, deps.random);
  }

  async start(): Promise<void> {
    this.fileDuration = this.deps.client.fileDuration();
    // Pulls a kill interrupted resume first: their verified blocks are on disk, the walk skips them.
    for (const r of this.deps.store.inState('pulling')) this.startPull(r, true);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const p of this.pulls.values()) p.controller.abort();
    await Promise.allSettled([...this.pulls.values()].map((p) => p.done));
  }

  get inFlight(): PullProgress[] {
    return [...this.pulls.values()].map((p) => ({ ...p.progress }));
  }

  /** Orders seen in a block's events (`market.FileSuccess`, `xstorage.FileSuccess`). */
  async onNewOrders(cids: string[]): Promise<void> {
    for (const cid of new Set(cids)) {
      const known = this.deps.store.get(cid);
      if (known && known.state !== 'deleted') continue;
      const file = await this.deps.client.file(cid);
      if (!file) continue;
      const now = Date.now();
      await this.deps.store.put({
        cid,
        size: file.fileSize,
        source: 'chainEvent',
        state: 'new',
        replicas: file.reportedReplicaCount,
        expiredAt: file.expiredAt,
        attempts: 0,
        createdAt: now,
        updatedAt: now,
        onChain: known?.onChain ?? false,
      });
      this.deps.log('order', { cid, size: file.fileSize, replicas: file.reportedReplicaCount });
    }
  }

  /** Files closed on chain (`market.FileClosed`, `IllegalFileClosed`): a pull stops, the worker deletes it. */
  async onClosed(cids: string[], why: string): Promise<void> {
    for (const cid of cids) {
      const r = this.deps.store.get(cid);
      if (!r || r.state === 'deleted') continue;
      this.pulls.get(cid)?.controller.abort();
      await this.deps.store.update(cid, { state: 'deleted', reason: why });
      this.deps.log('closed', { cid, reason: why });
    }
  }

  /** One step: due retries, a page of the scan, and new pulls while there is room. */
  async tick(): Promise<void> {
    if (this.stopped) return;
    const now = Date.now();
    for (const r of this.deps.store.inState('waiting'))
      if ((r.retryAt ?? 0) <= now) await this.deps.store.update(r.cid, { state: 'new', retryAt: undefined });
    if (!this.scanning && now >= this.nextScanAt) void this.scanPage();
    if (!this.scheduling) {
      this.scheduling = true;
      try {
        await this.schedule();
      } finally {
        this.scheduling = false;
      }
    }
  }

  private async scanPage(): Promise<void> {
    this.scanning = true;
    try {
      const { files, next } = await this.deps.client.scanFiles(
        this.deps.store.lastScanKey,
        this.deps.scanPageSize ?? 50,
      );
      const now = Date.now();
      for (const f of files) {
        if (this.deps.store.get(f.cid)) continue;
        await this.deps.store.put({
          cid: f.cid,
          size: f.fileSize,
          source: 'dbScan',
          state: 'new',
          replicas: f.reportedReplicaCount,
          expiredAt: f.expiredAt,
          attempts: 0,
          createdAt: now,
          updatedAt: now,
          onChain: false,
        });
      }
      await this.deps.store.setScanKey(next);
      if (next === undefined) this.nextScanAt = Date.now() + (this.deps.scanCooldownMs ?? 10 * 60_000);
    } catch (err) {
      this.deps.log('scan-error', { message: (err as Error).message });
      this.nextScanAt = Date.now() + 5_000;
    } finally {
      this.scanning = false;
    }
  }

  /** smanager's `handlePulling`: strategies at random, a file of that source, its filters, the space check. */
  private async schedule(): Promise<void> {
    const { store, limits } = this.deps;
    const readiness = this.deps.readiness();
    if (!readiness.ready) {
      this.notReady = readiness.why;
      return;
    }
    this.notReady = undefined;
    const empty = new Set<PullingStrategy>();
    for (let i = 0; i < 100 && empty.size < 2 && !this.stopped; i++) {
      const [maxSmall, maxLarge] = maxPullTasks(limits.maxPendingPulls);
      const running = [...this.pulls.values()].map((p) => p.progress);
      const large = running.filter((p) => p.size >= limits.largeFileSize).length;
      const small = running.length - large;
      const roomSmall = small < maxSmall;
      const roomLarge = large < maxLarge;
      if (!roomSmall && !roomLarge) return;
      const strategy = this.pick();
      if (empty.has(strategy)) continue;
      const candidates = store
        .inState('new')
        .filter((r) => r.source === SOURCE_OF[strategy])
        .sort((a, b) => a.createdAt - b.createdAt);
      const record =
        (roomLarge ? candidates.find((r) => r.size >= limits.largeFileSize) : undefined) ??
        (roomSmall ? candidates.find((r) => r.size < limits.largeFileSize) : undefined);
      if (!record) {
        empty.add(strategy);
        continue;
      }
      // The chain's view now: a closed file goes, the replica count is fresh.
      const onChain = await this.deps.client.file(record.cid).catch(() => null);
      if (onChain === undefined) {
        await store.update(record.cid, { state: 'skipped', reason: 'closed: no longer in market.filesV2' });
        continue;
      }
      const fresh = onChain
        ? {
            ...record,
            replicas: onChain.reportedReplicaCount,
            expiredAt: onChain.expiredAt,
            size: onChain.fileSize,
          }
        : record;
      const verdict = filterFile(fresh, strategy, {
        group: readiness.group,
        nodeCount: readiness.nodeCount,
        limits,
        head: this.deps.head(),
        fileDuration: this.fileDuration,
        random: this.deps.random,
      });
      if (!verdict.ok) {
        await store.put({
          ...fresh,
          state: verdict.state,
          reason: verdict.reason,
          retryAt: verdict.state === 'waiting' ? Date.now() + limits.retryDelayMs : undefined,
        });
        this.deps.log(verdict.state === 'waiting' ? 'waiting' : 'skipped', {
          cid: record.cid,
          reason: verdict.reason,
        });
        continue;
      }
      const pending = running.reduce((s, p) => s + Math.max(0, p.size - p.bytes), 0);
      const free = await this.deps.freeBytes();
      if (!isDiskEnoughForFile(fresh.size, pending, free, limits.freeSpaceFactor)) {
        const reason = `insufficient space: ${limits.freeSpaceFactor} × (file ${fresh.size} B + pulls in flight ${pending} B) > free ${free} B`;
        await store.put({ ...fresh, state: 'waiting', reason, retryAt: Date.now() + limits.retryDelayMs });
        this.deps.log('waiting', { cid: record.cid, reason });
        continue;
      }
      // Marked before the pull starts, so the next round of this loop does not pick it again.
      this.startPull(
        await store.put({ ...fresh, state: 'pulling', reason: undefined, attempts: fresh.attempts + 1 }),
        false,
      );
    }
  }

  private startPull(record: FileRecord, resumed: boolean): void {
    if (this.pulls.has(record.cid) || this.stopped) return;
    const { limits, store, log } = this.deps;
    const controller = new AbortController();
    const startedAt = Date.now();
    const deadline = Math.ceil(startedAt + pullTimeoutMs(record.size, limits));
    const progress: PullProgress = {
      cid: record.cid,
      size: record.size,
      bytes: 0,
      blocks: 0,
      reusedBlocks: 0,
      wanted: 0,
      startedAt,
      deadline,
      attempt: Math.max(1, record.attempts),
    };
    // A DAG larger than the order says is not ours to store (and would not fit the space we checked).
    const byteCap = record.size + 1024 * 1024;
    const run = async () => {
      log('pull', { cid: record.cid, size: record.size, attempt: progress.attempt, resumed });
      let tooLarge = false;
      let outcome: FetchOutcome;
      try {
        outcome = await this.deps.node.fetchAndPin(
          record.cid,
          {
            providers: this.deps.providers(),
            signal: controller.signal,
            deadline,
            onProgress: (p) => {
              Object.assign(progress, p);
              if (p.bytes > byteCap && !tooLarge) {
                tooLarge = true;
                controller.abort();
              }
            },
          },
          this.deps.fetcher,
        );
      } catch (err) {
        if (tooLarge)
          return this.failed(
            record.cid,
            progress.attempt,
            `DAG larger than the order's ${record.size} bytes`,
            true,
          );
        if (controller.signal.aborted) return; // stopping or closed: a restart resumes, a close deletes
        return this.failed(record.cid, progress.attempt, `${(err as Error).name}: ${(err as Error).message}`);
      }
      if (outcome.status === 'complete') {
        const size =
          outcome.reusedBlocks === 0
            ? outcome.bytes
            : await dagSize(this.deps.helia, parseCidString(record.cid));
        const validAt = this.deps.head();
        await store.update(record.cid, {
          state: 'valid',
          reason: undefined,
          dagSize: size,
          validAt,
          retryAt: undefined,
        });
        log('valid', {
          cid: record.cid,
          dagSize: size,
          bytes: outcome.bytes,
          blocks: outcome.blocks,
          reusedBlocks: outcome.reusedBlocks,
          ignoredProviders: outcome.ignoredProviders,
          ms: Date.now() - startedAt,
        });
        return;
      }
      const ignored = outcome.ignoredProviders.map((p) => (p.kind === 'http' ? p.url : p.multiaddr));
      const why =
        outcome.status === 'not-found'
          ? `no provider served the file within ${Math.round((deadline - startedAt) / 1000)} s`
          : `timed out after ${Math.round((deadline - startedAt) / 1000)} s with ${outcome.blocks + outcome.reusedBlocks} blocks`;
      await this.failed(
        record.cid,
        progress.attempt,
        ignored.length ? `${why}; ignored corrupt providers: ${ignored.join(', ')}` : why,
      );
    };
    const done = run()
      .catch((err) => log('pull-error', { cid: record.cid, message: (err as Error).message }))
      .finally(() => {
        this.pulls.delete(record.cid);
      });
    this.pulls.set(record.cid, { controller, progress, done });
  }

  /** A failed attempt: retried after the delay while attempts are left, then given up with its reason. */
  private async failed(cid: string, attempt: number, reason: string, final = false): Promise<void> {
    const { store, limits, log } = this.deps;
    if (!final && attempt < limits.maxAttempts) {
      await store.update(cid, {
        state: 'waiting',
        reason: `attempt ${attempt} of ${limits.maxAttempts} failed: ${reason}`,
        retryAt: Date.now() + limits.retryDelayMs,
      });
      log('pull-failed', { cid, attempt, reason, retry: true });
    } else {
      await store.update(cid, {
        state: 'failed',
        reason: `gave up after ${attempt} attempt(s): ${reason}`,
        retryAt: undefined,
      });
      log('pull-failed', { cid, attempt, reason, retry: false });
    }
  }

  /** Stops a pull (the file was closed, or lost its place). */
  abort(cid: string): void {
    this.pulls.get(cid)?.controller.abort();
  }

  get pullsInFlight(): number {
    return this.pulls.size;
  }
}
