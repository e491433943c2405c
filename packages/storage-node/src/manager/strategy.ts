/**
 * How the manager chooses files, as crust-smanager does (src/tasks/pull-scheduler-task.ts, pull-utils.ts,
 * utils/weighted-selection.ts, config/load-config.ts), rewritten for this node:
 *
 * - Two sources, picked at random by weight: files learnt from new-order events (`newFilesWeight`) and files
 *   found by scanning `market.filesV2` (`dbFilesWeight`); presets `default` 50/50, `srdFirst` 10/80,
 *   `newFileFirst` 80/20, or explicit weights.
 * - A group's members share its files by CID: a member takes a file only when
 *   `int(CIDv1 as base16 multibase) mod members == its index among the members sorted by address`.
 * - A probability filter spreads files over the network: take with p = maxReplicas(strategy) / nodes × members.
 * - Size limits (min/max), replica caps (max for all; min only for scanned files), a scanned file must still live
 *   at least `minLifeFraction` of a file's duration (smanager: 4 of 6 months) and have a first replica.
 * - Free space must stay above 2.2 × (the file + the pulls in flight).
 * - A pull may take 60 min + size / 200 KB/s.
 */
import { base16 } from 'multiformats/bases/base16';
import { CID } from 'multiformats/cid';
import type { FileRecord, FileSource } from '../store/file-store.ts';

export type PullingStrategy = 'newFilesWeight' | 'dbFilesWeight';
export type StrategyWeights = Record<PullingStrategy, number>;

export const STRATEGY_PRESETS: Record<string, StrategyWeights> = {
  default: { dbFilesWeight: 50, newFilesWeight: 50 },
  srdFirst: { dbFilesWeight: 80, newFilesWeight: 10 },
  newFileFirst: { dbFilesWeight: 20, newFilesWeight: 80 },
};

export class StrategyError extends Error {
  override name = 'StrategyError';
}

/** `default` | `srdFirst` | `newFileFirst` | `<new>:<scanned>` weights (e.g. `90:10`). */
export function parseStrategy(text: string): StrategyWeights {
  const preset = STRATEGY_PRESETS[text];
  if (preset) return preset;
  const m = /^(\d+(?:\.\d+)?):(\d+(?:\.\d+)?)$/.exec(text);
  if (!m)
    throw new StrategyError(
      `strategy must be default, srdFirst, newFileFirst or <new>:<scanned>, got '${text}'`,
    );
  const [n, d] = [Number(m[1]), Number(m[2])];
  if (n + d <= 0) throw new StrategyError('strategy weights must not both be 0');
  return { newFilesWeight: (n / (n + d)) * 100, dbFilesWeight: (d / (n + d)) * 100 };
}

export const SOURCE_OF: Record<PullingStrategy, FileSource> = {
  newFilesWeight: 'chainEvent',
  dbFilesWeight: 'dbScan',
};

/** A picker returning each strategy with probability proportional to its weight. */
export function makeRandomSelection(
  weights: StrategyWeights,
  random: () => number = Math.random,
): () => PullingStrategy {
  const items = Object.entries(weights) as Array<[PullingStrategy, number]>;
  const total = items.reduce((s, [, w]) => s + w, 0);
  return () => {
    let r = random() * total;
    for (const [value, weight] of items) {
      if (r < weight) return value;
      r -= weight;
    }
    return items[0][0];
  };
}

export interface ManagerLimits {
  /** Bytes; 0 = no limit. */
  minFileSize: number;
  maxFileSize: number;
  /** Scanned files need at least this many replicas (smanager's `minReplicas`; 0 = none). */
  minReplicas: number;
  /** No file with this many replicas or more (0 = none). */
  maxReplicas: number;
  /** Pulls at once; 40% of them (at least one) are kept for large files. */
  maxPendingPulls: number;
  /** Files of at least this size are "large" (smanager: 5 GiB). */
  largeFileSize: number;
  /** A pull gives up after `pullTimeoutBaseMs + size / pullBytesPerSecond`. */
  pullTimeoutBaseMs: number;
  pullBytesPerSecond: number;
  /** Pull attempts before a file is given up (failed). */
  maxAttempts: number;
  /** Wait before a failed pull or a waiting file is tried again. */
  retryDelayMs: number;
  /** Free space must be at least this × (file + pulls in flight). */
  freeSpaceFactor: number;
  /** A scanned file must still live this fraction of the file duration. */
  minLifeFraction: number;
}

export const DEFAULT_LIMITS: ManagerLimits = {
  minFileSize: 0,
  maxFileSize: 0,
  // smanager's default is 40: on a small network a scanned file would never be taken.
  minReplicas: 0,
  maxReplicas: 100,
  // smanager's 32 is for sworker sealing; pulls here verify and write at disk speed, a few at once fill a link.
  maxPendingPulls: 8,
  largeFileSize: 5 * 1024 ** 3,
  pullTimeoutBaseMs: 60 * 60 * 1000,
  pullBytesPerSecond: 200 * 1024,
  maxAttempts: 3,
  retryDelayMs: 30 * 60 * 1000,
  freeSpaceFactor: 2.2,
  minLifeFraction: 4 / 6,
};

/** smanager's `estimateIpfsPinTimeout`: 60 min + size / 200 KB/s (configurable for tests). */
export function pullTimeoutMs(
  size: number,
  limits: Pick<ManagerLimits, 'pullTimeoutBaseMs' | 'pullBytesPerSecond'>,
): number {
  return limits.pullTimeoutBaseMs + (size / limits.pullBytesPerSecond) * 1000;
}

/** smanager's `isDiskEnoughForFile`: free ≥ factor × (file + pending). */
export function isDiskEnoughForFile(
  fileSize: number,
  pendingSize: number,
  free: number,
  factor: number,
): boolean {
  return free >= (fileSize + pendingSize) * factor;
}

/** smanager's `cidToBigNumber`: the CIDv1's base16 multibase string ("f…") read as one hexadecimal number. */
export function cidToBigInt(cid: string): bigint {
  const v1 = CID.parse(cid).toV1();
  // "0x" + "f0170…": the multibase prefix 'f' is a hex digit too, and smanager keeps it.
  return BigInt(`0x${v1.toString(base16)}`);
}

export interface GroupShare {
  /** Members of the node's group (0 = not in a group). */
  members: number;
  /** This node's index among the members sorted by address. */
  index: number;
}

export interface FilterContext {
  group: GroupShare;
  /** Workers registered on chain. */
  nodeCount: number;
  limits: ManagerLimits;
  head: number;
  fileDuration: number;
  random?: () => number;
}

export type FilterResult =
  | { ok: true }
  | { ok: false; state: 'skipped' | 'waiting' | 'failed'; reason: string };

const mib = (n: number) => `${(n / 1024 ** 2).toFixed(n < 1024 ** 2 ? 3 : 1)} MiB`;

/** smanager's `filterFile`, with the reason kept for the status page. */
export function filterFile(record: FileRecord, strategy: PullingStrategy, ctx: FilterContext): FilterResult {
  const { limits, group } = ctx;
  let share: bigint;
  try {
    share = cidToBigInt(record.cid);
  } catch {
    return { ok: false, state: 'skipped', reason: 'invalidCID: not a CID' };
  }
  if (group.members > 0 && share % BigInt(group.members) !== BigInt(group.index))
    return {
      ok: false,
      state: 'skipped',
      reason: `nodeSkipped: another member of the group takes it (CID mod ${group.members} ≠ ${group.index})`,
    };
  const maxForStrategy = strategy === 'newFilesWeight' ? 300 : 160;
  const pTake = ctx.nodeCount === 0 ? 1 : (maxForStrategy / ctx.nodeCount) * Math.max(1, group.members);
  if (!(pTake > (ctx.random ?? Math.random)()))
    return { ok: false, state: 'skipped', reason: `pfSkipped: probability filter (p = ${pTake.toFixed(3)})` };
  if (limits.minFileSize > 0 && record.size < limits.minFileSize)
    return {
      ok: false,
      state: 'skipped',
      reason: `sizeTooSmall: ${mib(record.size)} is below the minimum ${mib(limits.minFileSize)}`,
    };
  if (limits.maxFileSize > 0 && record.size > limits.maxFileSize)
    return {
      ok: false,
      state: 'skipped',
      reason: `sizeTooLarge: ${mib(record.size)} is above this node's limit of ${mib(limits.maxFileSize)}`,
    };
  if (strategy === 'dbFilesWeight' && limits.minReplicas > 0 && record.replicas < limits.minReplicas)
    return {
      ok: false,
      state: 'skipped',
      reason: `replicasNotEnough: ${record.replicas} replicas, scanned files need ${limits.minReplicas}`,
    };
  if (limits.maxReplicas > 0 && record.replicas >= limits.maxReplicas)
    return {
      ok: false,
      state: 'skipped',
      reason: `tooManyReplicas: ${record.replicas} replicas, the cap is ${limits.maxReplicas}`,
    };
  if (record.source === 'dbScan') {
    if (record.expiredAt === 0)
      return {
        ok: false,
        state: 'waiting',
        reason: 'pendingForReplica: a scanned file waits for its first replica',
      };
    const life = record.expiredAt - ctx.head;
    if (life < limits.minLifeFraction * ctx.fileDuration)
      return {
        ok: false,
        state: 'skipped',
        reason: `lifeTimeTooShort: expires in ${life} blocks, under ${limits.minLifeFraction.toFixed(2)} of a file's duration`,
      };
  }
  return { ok: true };
}

/** smanager's `getMaxSealTasks`: [small, large] pull slots, large 40% (at least one each). */
export function maxPullTasks(maxPending: number): [small: number, large: number] {
  const large = Math.max(1, Math.floor(maxPending * 0.4));
  return [Math.max(1, maxPending - large), large];
}
