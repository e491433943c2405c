/**
 * The manager's choices, as crust-smanager makes them (src/tasks/pull-utils.ts, pull-scheduler-task.ts,
 * utils/weighted-selection.ts, config/load-config.ts): the group share by CID against smanager's own test vector,
 * weighted strategies, the filters with their reasons, the free-space guard and the pull timeout.
 */
import { describe, expect, it } from 'vitest';
import {
  cidToBigInt,
  DEFAULT_LIMITS,
  type FilterContext,
  filterFile,
  isDiskEnoughForFile,
  makeRandomSelection,
  maxPullTasks,
  parseStrategy,
  pullTimeoutMs,
  StrategyError,
} from '../../src/manager/strategy.ts';
import type { FileRecord } from '../../src/store/file-store.ts';

const CID = 'QmY3yV46Kj4kySVUky35jhZFCwsebHm9GD9oVD4UzrqmsV';

function record(over: Partial<FileRecord> = {}): FileRecord {
  return {
    cid: CID,
    size: 10 * 1024 * 1024,
    source: 'chainEvent',
    state: 'new',
    replicas: 0,
    expiredAt: 0,
    attempts: 0,
    createdAt: 0,
    updatedAt: 0,
    onChain: false,
    ...over,
  };
}

const ctx = (over: Partial<FilterContext> = {}): FilterContext => ({
  group: { members: 0, index: 0 },
  nodeCount: 4,
  limits: DEFAULT_LIMITS,
  head: 1000,
  fileDuration: 300,
  random: () => 0.5,
  ...over,
});

describe('group share', () => {
  it("reads a CID as smanager's cidToBigNumber does (its __tests__/pull-utils.test.ts vector)", () => {
    expect(cidToBigInt(CID).toString()).toBe(
      '7462641670019941206647870581808974408289101716104644620046486700662133202706398401268240',
    );
  });

  it('gives each file to exactly one member of a group', () => {
    const n = cidToBigInt(CID);
    for (const members of [1, 2, 3, 4, 7]) {
      const takers = Array.from({ length: members }, (_, index) =>
        filterFile(record(), 'newFilesWeight', ctx({ group: { members, index } })),
      );
      expect(takers.filter((t) => t.ok)).toHaveLength(1);
      expect(takers[Number(n % BigInt(members))].ok).toBe(true);
      for (const t of takers) if (!t.ok) expect(t.reason).toMatch(/^nodeSkipped: /);
    }
  });

  it('skips what is not a CID', () => {
    expect(filterFile(record({ cid: 'hello' }), 'newFilesWeight', ctx())).toMatchObject({
      ok: false,
      state: 'skipped',
      reason: expect.stringMatching(/^invalidCID/),
    });
  });
});

describe('strategies', () => {
  it("takes smanager's presets and explicit weights, and refuses anything else", () => {
    expect(parseStrategy('default')).toEqual({ dbFilesWeight: 50, newFilesWeight: 50 });
    expect(parseStrategy('srdFirst')).toEqual({ dbFilesWeight: 80, newFilesWeight: 10 });
    expect(parseStrategy('newFileFirst')).toEqual({ dbFilesWeight: 20, newFilesWeight: 80 });
    expect(parseStrategy('9:1')).toEqual({ newFilesWeight: 90, dbFilesWeight: 10 });
    for (const bad of ['', 'fast', '0:0', '-1:2', '1:2:3', '1e3:1'])
      expect(() => parseStrategy(bad)).toThrow(StrategyError);
  });

  it('picks each strategy in proportion to its weight', () => {
    let i = 0;
    const pick = makeRandomSelection({ newFilesWeight: 90, dbFilesWeight: 10 }, () => (i++ % 100) / 100);
    const counts = { newFilesWeight: 0, dbFilesWeight: 0 };
    for (let k = 0; k < 1000; k++) counts[pick()]++;
    expect(counts).toEqual({ newFilesWeight: 900, dbFilesWeight: 100 });
  });
});

describe('filters', () => {
  it('size limits, replica caps, scanned files’ replica floor and lifetime, with reasons', () => {
    const limits = {
      ...DEFAULT_LIMITS,
      minFileSize: 1024,
      maxFileSize: 1024 * 1024,
      minReplicas: 2,
      maxReplicas: 5,
    };
    const c = ctx({ limits });
    expect(filterFile(record({ size: 10 }), 'newFilesWeight', c)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/^sizeTooSmall/),
    });
    expect(filterFile(record({ size: 2 * 1024 * 1024 }), 'newFilesWeight', c)).toMatchObject({
      ok: false,
      state: 'skipped',
      reason: "sizeTooLarge: 2.0 MiB is above this node's limit of 1.0 MiB",
    });
    expect(filterFile(record({ size: 4096, replicas: 5 }), 'newFilesWeight', c)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/^tooManyReplicas: 5 replicas, the cap is 5/),
    });
    // New files need no replicas; scanned ones need minReplicas, a first replica, and enough life left.
    expect(filterFile(record({ size: 4096, replicas: 0 }), 'newFilesWeight', c)).toEqual({ ok: true });
    expect(
      filterFile(record({ size: 4096, replicas: 1, source: 'dbScan' }), 'dbFilesWeight', c),
    ).toMatchObject({ ok: false, reason: expect.stringMatching(/^replicasNotEnough/) });
    const scanned = (expiredAt: number) => record({ size: 4096, replicas: 3, source: 'dbScan', expiredAt });
    expect(filterFile(scanned(0), 'dbFilesWeight', c)).toMatchObject({
      ok: false,
      state: 'waiting',
      reason: expect.stringMatching(/^pendingForReplica/),
    });
    expect(filterFile(scanned(1000 + 150), 'dbFilesWeight', c)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/^lifeTimeTooShort: expires in 150 blocks/),
    });
    expect(filterFile(scanned(1000 + 250), 'dbFilesWeight', c)).toEqual({ ok: true });
  });

  it('spreads files over the network with the probability filter (max replicas / nodes × members)', () => {
    // 300 / 1000 nodes = 0.3 for new files, 160 / 1000 for scanned ones.
    const c = (r: number) => ctx({ nodeCount: 1000, random: () => r });
    expect(filterFile(record(), 'newFilesWeight', c(0.29)).ok).toBe(true);
    expect(filterFile(record(), 'newFilesWeight', c(0.31))).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/^pfSkipped/),
    });
    expect(
      filterFile(record({ source: 'dbScan', replicas: 1, expiredAt: 2000 }), 'dbFilesWeight', c(0.17)).ok,
    ).toBe(false);
  });

  it('keeps free space above 2.2 × (file + pulls in flight); 60 min + size / 200 KB/s per pull; 40% of pulls for large files', () => {
    expect(isDiskEnoughForFile(1000, 0, 2201, 2.2)).toBe(true);
    expect(isDiskEnoughForFile(1000, 1, 2201, 2.2)).toBe(false);
    expect(pullTimeoutMs(0, DEFAULT_LIMITS)).toBe(3_600_000);
    expect(pullTimeoutMs(200 * 1024 * 60, DEFAULT_LIMITS)).toBe(3_660_000);
    expect(maxPullTasks(32)).toEqual([20, 12]);
    expect(maxPullTasks(1)).toEqual([1, 1]);
  });
});
