/**
 * What a work report carries, as sworker picks it: valid files not on chain are added, lost or deleted files on chain
 * are deleted, at most 300 of each, and the files root covers what the chain holds after the report.
 */
import { describe, expect, it } from 'vitest';
import type { FileRecord, FileState } from '../../src/store/file-store.ts';
import { planReport } from '../../src/worker/report-plan.ts';

const r = (cid: string, state: FileState, onChain: boolean, dagSize = 100): FileRecord => ({
  cid,
  size: dagSize + 1,
  dagSize,
  validAt: 7,
  source: 'chainEvent',
  state,
  replicas: 0,
  expiredAt: 0,
  attempts: 1,
  createdAt: 0,
  updatedAt: 0,
  onChain,
});

describe('work report plan', () => {
  it('adds valid files the chain lacks, deletes lost and deleted ones it has, keeps the rest', () => {
    const plan = planReport([
      r('a', 'valid', false),
      r('b', 'valid', true),
      r('c', 'lost', true),
      r('d', 'deleted', true),
      r('e', 'lost', false),
      r('f', 'pulling', false),
      r('g', 'failed', false),
    ]);
    expect(plan.added).toEqual([{ cid: 'a', size: 100, validAt: 7 }]);
    expect(plan.deleted.map((f) => f.cid)).toEqual(['c', 'd']);
    expect(plan.files.map((f) => f.cid).sort()).toEqual(['a', 'b']);
  });

  it('carries at most 300 added and 300 deleted files; the rest wait for the next slot', () => {
    const records = [
      ...Array.from({ length: 350 }, (_, i) => r(`add${i}`, 'valid', false)),
      ...Array.from({ length: 320 }, (_, i) => r(`del${i}`, 'lost', true)),
    ];
    const plan = planReport(records);
    expect(plan.added).toHaveLength(300);
    expect(plan.deleted).toHaveLength(300);
    // Deleted files beyond the limit are still held on chain; added ones beyond it are not yet.
    expect(plan.files).toHaveLength(300 + 20);
  });
});
