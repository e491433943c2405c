/**
 * The worker, in sworker's place: registers its key on Crust (`swork.register`, code identity
 * `XSTORAGE_STORAGE_NODE_CODE`), joins its group, sends one `swork.report_works` per report slot after a random
 * delay (sworker waits 10..400 blocks of a 600-block slot: the same fractions of the slot here), re-checks stored
 * files at random (a missing or corrupt block makes a file lost, reported as deleted), answers storage challenges
 * with the blocks on the challenged path, and removes closed or expired files once the chain knows they are gone.
 *
 * A report's outcome is recorded before it is sent (`PendingReport`): if the node dies before it sees the block,
 * the next report compares the chain's `reported_files_root` with it and applies it or not.
 */
import type { KeyringPair } from '@polkadot/keyring/types';
import { u8aToHex } from '@polkadot/util';
import { decodeAddress, encodeAddress } from '@polkadot/util-crypto';
import { sha256 } from '@xstorage/runtime/crypto';
import { buildChallengeProof } from '@xstorage/runtime/pallets/storage-challenge';
import { buildWorkReport, registerPayload, signWorkReport, srdRoot } from '@xstorage/runtime/pallets/swork';
import { XSTORAGE_STORAGE_NODE_CODE } from '@xstorage/runtime/runtimes/crust';
import { CID } from 'multiformats/cid';
import { bytesToString, ChainDispatchError, type CrustClient } from '../chain/crust-client.ts';
import type { WorkerKey } from '../chain/keys.ts';
import {
  BlockMissingError,
  checkRandomPaths,
  getBlock,
  type HeliaNode,
  parseCidString,
  type StorageNode,
} from '../ipfs-access.ts';
import type { Log } from '../manager/manager.ts';
import type { GroupShare } from '../manager/strategy.ts';
import type { FileStore } from '../store/file-store.ts';
import { planReport } from './report-plan.ts';

const GIB = 1024 ** 3;

export interface WorkerOptions {
  /** A group owner (SS58) to join once the first report made an identity; its allowlist must name us. */
  group?: string;
  /** Random re-checks: files per round and the time between rounds. */
  checkIntervalMs: number;
  checkFilesPerRound: number;
  /** Random root-to-leaf paths read per checked file. */
  checkPaths: number;
  /** Blocks after `expired_at` before an expired file's blocks go (a renewal may still come). */
  expiredGraceBlocks?: number;
}

export const DEFAULT_WORKER_OPTIONS: WorkerOptions = {
  checkIntervalMs: 10 * 60_000,
  checkFilesPerRound: 8,
  checkPaths: 4,
};

export interface LastReport {
  slot: number;
  at?: number;
  added: number;
  deleted: number;
  filesSize: number;
  filesRoot: string;
  ok: boolean;
  error?: string;
}

export interface WorkerDeps {
  client: CrustClient;
  account: KeyringPair;
  key: WorkerKey;
  store: FileStore;
  node: StorageNode;
  log: Log;
  /** Free bytes reported as SRD (sworker's free-space workload). */
  freeBytes: () => Promise<number>;
  /** Pulls are running: a GC would wait for them (and hold back new ones), so it is put off. */
  pullsInFlight: () => number;
  abortPull: (cid: string) => void;
  random?: () => number;
}

export class Worker {
  private readonly deps: WorkerDeps;
  private readonly options: WorkerOptions;
  readonly reportSlot: number;
  registered = false;
  identity?: { anchor: string; group?: string };
  groupShare: GroupShare = { members: 0, index: 0 };
  nodeCount = 0;
  lastReport?: LastReport;
  /** The slot the next report is for, and the block it goes out at. */
  nextReport?: { slot: number; at: number };
  challenges = { answered: 0, unanswered: 0, last: undefined as undefined | Record<string, unknown> };
  private reporting = false;
  private lastReportedSlot = -1;
  private nextCheckAt = 0;
  private checking = false;
  private gcWanted = false;
  private stopped = false;

  constructor(deps: WorkerDeps, options: WorkerOptions) {
    this.deps = deps;
    this.options = { ...options };
    this.reportSlot = deps.client.reportSlot();
  }

  get helia(): HeliaNode {
    return this.deps.node.helia;
  }

  get accountAddress(): string {
    return this.deps.account.address;
  }

  /** Registers the worker key if the chain does not know it; reads identity and group. */
  async start(): Promise<void> {
    const { client, key, account, log } = this.deps;
    this.nextCheckAt = Date.now() + this.options.checkIntervalMs;
    // Addresses compare as the chain writes them (its SS58 prefix).
    if (this.options.group)
      this.options.group = encodeAddress(decodeAddress(this.options.group), client.ss58Prefix);
    if (!(await client.isRegistered(key.publicKey))) {
      const applier = account.publicKey;
      const sig = key.sign(registerPayload(XSTORAGE_STORAGE_NODE_CODE, applier, key.publicKey));
      await this.retrying(() =>
        client.submit(
          client.api.tx.swork.register(
            account.address,
            u8aToHex(XSTORAGE_STORAGE_NODE_CODE),
            u8aToHex(key.publicKey),
            u8aToHex(sig),
          ),
          account,
          { finalized: true },
        ),
      );
      log('registered', { account: account.address, workerKey: u8aToHex(key.publicKey) });
    }
    this.registered = true;
    await this.refreshIdentity();
  }

  /** A transaction the pool refused (funds not there yet, a stale nonce) is tried again a few times. */
  private async retrying<T>(send: () => Promise<T>, attempts = 20): Promise<T> {
    for (let i = 1; ; i++) {
      try {
        return await send();
      } catch (err) {
        if (err instanceof ChainDispatchError || i >= attempts || this.stopped) throw err;
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  }

  stop(): void {
    this.stopped = true;
  }

  /** Identity, group membership (joining when allowlisted), the group share and the node count. */
  async refreshIdentity(): Promise<void> {
    const { client, account, log } = this.deps;
    this.identity = await client.identity(account.address);
    const wanted = this.options.group;
    if (this.identity && wanted && this.identity.group === undefined) {
      const group = await client.group(wanted);
      if (group?.allowlist.includes(account.address)) {
        try {
          await client.submit(client.api.tx.swork.joinGroup(wanted), account, { finalized: true });
          log('joined-group', { owner: wanted });
          this.identity = await client.identity(account.address);
        } catch (err) {
          log('join-group-failed', { owner: wanted, message: (err as Error).message });
        }
      }
    }
    const owner = this.identity?.group;
    if (owner) {
      const members = ((await client.group(owner))?.members ?? []).slice().sort();
      this.groupShare = { members: members.length, index: Math.max(0, members.indexOf(account.address)) };
    } else this.groupShare = { members: 0, index: 0 };
    this.nodeCount = await client.workerCount();
  }

  /** Ready for files: registered, and in the group it was told to join. */
  readiness(): { ready: boolean; why?: string } {
    if (!this.registered) return { ready: false, why: 'the worker key is not registered yet' };
    if (this.options.group && this.identity?.group !== this.options.group)
      return {
        ready: false,
        why: `waiting to join group ${this.options.group} (after the first work report)`,
      };
    return { ready: true };
  }

  /** Called on every new best block. */
  async onHead(n: number): Promise<void> {
    if (this.stopped || !this.registered) return;
    const slot = Math.floor(n / this.reportSlot) * this.reportSlot;
    if (slot > this.lastReportedSlot && this.nextReport?.slot !== slot) {
      // sworker: a random wait of 10..400 blocks into a 600-block slot, here the same share of the slot.
      const lo = Math.max(1, Math.round((this.reportSlot * 10) / 600));
      const hi = Math.max(lo, Math.floor((this.reportSlot * 400) / 600));
      const delay = lo + Math.floor((this.deps.random ?? Math.random)() * (hi - lo + 1));
      this.nextReport = { slot, at: slot + delay };
    }
    if (
      this.nextReport &&
      n >= this.nextReport.at &&
      !this.reporting &&
      this.nextReport.slot === slot &&
      slot > this.lastReportedSlot
    ) {
      this.reporting = true;
      void this.report(slot)
        .catch((err) => this.deps.log('report-error', { slot, message: (err as Error).message }))
        .finally(() => {
          this.reporting = false;
        });
    }
    if (Date.now() >= this.nextCheckAt && !this.checking) {
      this.checking = true;
      this.nextCheckAt = Date.now() + this.options.checkIntervalMs;
      void this.recheck()
        .catch((err) => this.deps.log('check-error', { message: (err as Error).message }))
        .finally(() => {
          this.checking = false;
        });
    }
  }

  /** Applies a report the chain accepted: added files are on chain, deleted ones are not. */
  private async applyReport(added: string[], deleted: string[]): Promise<void> {
    const { store } = this.deps;
    for (const cid of added) await store.update(cid, { onChain: true });
    for (const cid of deleted) await store.update(cid, { onChain: false });
    await store.setPendingReport(undefined);
  }

  /** A report sent before a restart (or whose block we did not see): applied if the chain shows its root. */
  private async reconcile(): Promise<void> {
    const pending = this.deps.store.pendingReport;
    if (!pending || !this.identity) return;
    const wr = await this.deps.client.workReport(this.identity.anchor);
    if (wr && wr.slot >= pending.slot && wr.filesRoot === pending.filesRoot)
      await this.applyReport(
        pending.added.map((f) => f.cid),
        pending.deleted,
      );
    else await this.deps.store.setPendingReport(undefined);
  }

  async report(slot: number): Promise<void> {
    const { client, store, key, account, log } = this.deps;
    await this.reconcile();
    const plan = planReport(store.all());
    const free = Math.max(0, await this.deps.freeBytes());
    const srdUnits = Math.floor(free / GIB);
    // No sealed free space here: SRD is the free capacity in whole GiB, its root over one hash per GiB.
    const srdHashes = Array.from({ length: Math.min(srdUnits, 1 << 16) }, (_, i) =>
      sha256(new Uint8Array([...key.publicKey, ...new TextEncoder().encode(String(i))])),
    );
    const slotHash = await client.blockHash(slot);
    const built = buildWorkReport({
      currPk: key.publicKey,
      slot,
      slotHash,
      files: plan.files,
      added: plan.added,
      deleted: plan.deleted,
      srd: { size: BigInt(srdUnits) * BigInt(GIB), root: srdRoot(srdHashes) },
    });
    const args = signWorkReport(built, key.sign);
    const filesRoot = u8aToHex(args.reported_files_root);
    await store.setPendingReport({
      slot,
      added: plan.added.map((f) => ({ cid: String(f.cid), size: Number(f.size) })),
      deleted: plan.deleted.map((f) => String(f.cid)),
      filesRoot,
    });
    const summary: LastReport = {
      slot,
      added: plan.added.length,
      deleted: plan.deleted.length,
      filesSize: Number(args.reported_files_size),
      filesRoot,
      ok: false,
    };
    try {
      const inBlock = await client.submit(
        client.api.tx.swork.reportWorks(
          u8aToHex(args.curr_pk),
          u8aToHex(args.ab_upgrade_pk),
          args.slot,
          u8aToHex(args.slot_hash),
          args.reported_srd_size,
          args.reported_files_size,
          args.added_files.map(([c, s, v]) => [u8aToHex(c), s, v]),
          args.deleted_files.map(([c, s, v]) => [u8aToHex(c), s, v]),
          u8aToHex(args.reported_srd_root),
          filesRoot,
          u8aToHex(args.sig),
        ),
        account,
        // Applied here only once final: a report in a block that loses its place would leave this node believing
        // the chain holds files it does not, and every later report would fail the files-root transition.
        { finalized: true },
      );
      await this.applyReport(
        plan.added.map((f) => String(f.cid)),
        plan.deleted.map((f) => String(f.cid)),
      );
      this.lastReportedSlot = slot;
      this.lastReport = { ...summary, ok: true, at: inBlock.blockNumber };
      log('reported', {
        ...this.lastReport,
        added: plan.added.map((f) => f.cid),
        deleted: plan.deleted.map((f) => f.cid),
      });
      await this.afterReport();
    } catch (err) {
      const error = err instanceof ChainDispatchError ? err.error : (err as Error).message;
      if (err instanceof ChainDispatchError && err.error === 'swork.AlreadyReported')
        this.lastReportedSlot = slot;
      // The key is not known (its registration was in a block that lost its place): register again.
      if (err instanceof ChainDispatchError && err.error === 'swork.IllegalReporter')
        await this.start().catch((e) => log('register-error', { message: (e as Error).message }));
      this.lastReport = { ...summary, ok: false, error };
      log('report-failed', { slot, error });
    }
  }

  /** After a report: identity and group (a first report makes the identity), cleanup of files the chain let go. */
  private async afterReport(): Promise<void> {
    await this.refreshIdentity().catch((err) =>
      this.deps.log('identity-error', { message: (err as Error).message }),
    );
    await this.cleanup();
  }

  /** Looks at held files on chain: closed or long expired ones are deleted (reported, then removed). */
  async checkChainFiles(head: number): Promise<void> {
    const { store, client, log } = this.deps;
    const grace = this.options.expiredGraceBlocks ?? this.reportSlot * 6;
    for (const r of store.inState('valid')) {
      const file = await client.file(r.cid);
      if (!file) {
        await store.update(r.cid, { state: 'deleted', reason: 'closed: no longer in market.filesV2' });
        log('closed', { cid: r.cid });
      } else if (file.expiredAt > 0 && head > file.expiredAt + grace) {
        await store.update(r.cid, { state: 'deleted', reason: `expired at block ${file.expiredAt}` });
        log('expired', { cid: r.cid, expiredAt: file.expiredAt });
      } else if (file.reportedReplicaCount !== r.replicas || file.expiredAt !== r.expiredAt)
        await store.update(r.cid, { replicas: file.reportedReplicaCount, expiredAt: file.expiredAt });
    }
  }

  /** Removes deleted files the chain no longer counts for us: unpin, and a GC when no pull holds the lock. */
  async cleanup(): Promise<void> {
    const { store, log } = this.deps;
    // A report in flight that adds a file may already be on chain (the same block can close the file): its record
    // stays until the report's outcome is applied, or the chain would hold a file this node no longer reports and
    // every later report would fail the files-root transition (swork.IllegalFilesTransition).
    const inFlight = new Set(store.pendingReport?.added.map((f) => f.cid) ?? []);
    for (const r of store.inState('deleted')) {
      if (r.onChain || inFlight.has(r.cid)) continue;
      this.deps.abortPull(r.cid);
      const cid = parseCidString(r.cid);
      if (await this.helia.pins.isPinned(cid)) {
        // pins.rm is a generator: the pin goes as it is drained.
        for await (const _ of this.helia.pins.rm(cid)) {
          // each unpinned block
        }
        this.gcWanted = true;
      }
      await store.remove(r.cid);
      log('removed', { cid: r.cid, reason: r.reason });
    }
    if (this.gcWanted && this.deps.pullsInFlight() === 0) {
      this.gcWanted = false;
      await this.helia.gc();
      log('gc', {});
    }
  }

  /** One round of random checks (sworker's validation): a few valid files, a few random paths each. */
  async recheck(): Promise<void> {
    const { store, log } = this.deps;
    const random = this.deps.random ?? Math.random;
    const valid = store.inState('valid');
    for (let i = 0; i < this.options.checkFilesPerRound && valid.length > 0; i++) {
      const [r] = valid.splice(Math.floor(random() * valid.length), 1);
      const problem = await checkRandomPaths(
        this.helia,
        parseCidString(r.cid),
        this.options.checkPaths,
        random,
      );
      if (problem) {
        await store.update(r.cid, { state: 'lost', reason: `lost: ${problem}` });
        log('lost', { cid: r.cid, reason: problem });
      }
    }
  }

  /** `storageChallenge.ChallengeIssued` for this account: answer with the path's blocks before the deadline. */
  async onChallenge(e: { id: bigint; cid: string; seed: Uint8Array; deadline: number }): Promise<void> {
    const { client, account, store, log } = this.deps;
    const record = store.get(e.cid);
    let blocks: Uint8Array[];
    try {
      blocks = await buildChallengeProof(e.cid, e.seed, (binary) => getBlock(this.helia, CID.decode(binary)));
    } catch (err) {
      const reason =
        err instanceof BlockMissingError ? err.message : `${(err as Error).name}: ${(err as Error).message}`;
      this.challenges.unanswered++;
      this.challenges.last = { id: String(e.id), cid: e.cid, answered: false, reason };
      if (record && (record.state === 'valid' || record.state === 'pulling'))
        await store.update(e.cid, { state: 'lost', reason: `lost: challenge ${e.id}: ${reason}` });
      log('challenge-unanswerable', { id: String(e.id), cid: e.cid, reason });
      return;
    }
    try {
      const inBlock = await client.submit(
        client.api.tx.storageChallenge.respond(
          e.id,
          blocks.map((b) => u8aToHex(b)),
        ),
        account,
      );
      const passed = inBlock.events.some(
        (ev) => ev.section === 'storageChallenge' && ev.method === 'ChallengePassed',
      );
      this.challenges.answered++;
      this.challenges.last = {
        id: String(e.id),
        cid: e.cid,
        answered: true,
        passed,
        block: inBlock.blockNumber,
      };
      log('challenge-answered', { id: String(e.id), cid: e.cid, passed, blocks: blocks.length });
    } catch (err) {
      this.challenges.unanswered++;
      this.challenges.last = {
        id: String(e.id),
        cid: e.cid,
        answered: false,
        reason: (err as Error).message,
      };
      log('challenge-error', { id: String(e.id), cid: e.cid, message: (err as Error).message });
    }
  }
}

export { bytesToString };
