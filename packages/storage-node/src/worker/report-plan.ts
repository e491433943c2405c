/**
 * Which files a work report carries, from the file records, as sworker picks them (src/enclave/report/Report.cpp
 * `gen_work_report`): a file valid now but not on chain is added; a file on chain but lost or deleted now is
 * deleted; at most 300 of each per report, the rest wait for the next slot. The files root is over what the chain
 * will hold once the report is accepted.
 */

import type { ReportedFile } from '@xstorage/runtime/pallets/swork';
import { FILES_COUNT_LIMIT } from '@xstorage/runtime/pallets/swork';
import type { FileRecord } from '../store/file-store.ts';

export interface ReportPlan {
  added: ReportedFile[];
  deleted: ReportedFile[];
  /** Every file held once the report is accepted (for `reported_files_root` and `reported_files_size`). */
  files: Array<{ cid: string; size: number }>;
}

const sizeOf = (r: FileRecord) => r.dagSize ?? r.size;

export function planReport(records: Iterable<FileRecord>, limit = FILES_COUNT_LIMIT): ReportPlan {
  const added: ReportedFile[] = [];
  const deleted: ReportedFile[] = [];
  const files: Array<{ cid: string; size: number }> = [];
  for (const r of records) {
    const entry = { cid: r.cid, size: sizeOf(r), validAt: r.validAt ?? 0 };
    if (r.onChain) {
      if ((r.state === 'lost' || r.state === 'deleted') && deleted.length < limit) deleted.push(entry);
      else files.push({ cid: r.cid, size: entry.size });
    } else if (r.state === 'valid' && added.length < limit) {
      added.push(entry);
      files.push({ cid: r.cid, size: entry.size });
    }
  }
  return { added, deleted, files };
}
