/**
 * Building one block on a parent state (sc-basic-authorship's proposer): initialize with the draft header, apply the
 * inherents the runtime makes from the inherent data (timestamp, parachain validation data, the relay's para
 * inherent), then ready pool transactions best-first, then finalize. Pure of I/O: the caller seals, imports and
 * writes. The state is read through `backend` (a plain `TrieBackend`, or a recording one when the block needs a
 * proof of validity).
 */
import type { Header } from '@xstorage/runtime/block';
import type { StateBackend } from '@xstorage/runtime/state';
import { Overlay } from '@xstorage/runtime/state';
import type { PoolTransaction, ReadyIterator } from '../txpool/index.ts';
import type { RuntimeHost } from './runtime-host.ts';

export class InherentFailedError extends Error {
  override name = 'InherentFailedError';
}

export interface BuildInput {
  runtime: RuntimeHost;
  draft: Header;
  backend: StateBackend;
  /** Inherent data by identifier (`timstap0`, `sysi1337`, `parachn0`). */
  inherentData: Map<Uint8Array, Uint8Array>;
  /** Ready pool transactions, best first; absent = inherents only. */
  ready?: ReadyIterator;
  /** Cap on extrinsics (inherents included). */
  maxExtrinsics: number;
}

export interface BuiltBlock {
  header: Header;
  extrinsics: Uint8Array[];
  changes: Array<[Uint8Array, Uint8Array | null]>;
  /** Pool transactions included. */
  poolTransactions: number;
  /** Pool transactions found invalid (to remove from the pool). */
  invalid: Uint8Array[];
}

export function buildBlock(input: BuildInput): BuiltBlock {
  const { executive, runtime } = input.runtime;
  const overlay = new Overlay(input.backend);
  const included: Uint8Array[] = [];
  const invalid: Uint8Array[] = [];
  let poolTransactions = 0;
  const header = runtime.execute(overlay, () => {
    executive.initializeBlock(input.draft);
    for (const inh of executive.inherentExtrinsics(input.inherentData)) {
      const r = executive.applyExtrinsic(inh);
      // A Mandatory dispatch that fails is `InvalidTransaction::BadMandatory` (FRAME's executive): an outer error.
      if ('err' in r) throw new InherentFailedError(`inherent failed: ${describe(r.err)}`);
      included.push(inh);
    }
    const it = input.ready;
    if (it) {
      let exhausted = 0;
      for (const tx of it) {
        if (included.length >= input.maxExtrinsics) break;
        let r: ReturnType<typeof executive.applyExtrinsic>;
        try {
          r = executive.applyExtrinsic(tx.data);
        } catch {
          reject(it, tx, invalid);
          continue;
        }
        if ('ok' in r) {
          included.push(tx.data);
          poolTransactions++;
          continue;
        }
        const e = r.err;
        it.reportInvalid(tx);
        if (e.type === 'Invalid' && e.value.type === 'ExhaustsResources') {
          // The block is full for this one; a few more tries, then stop (as Substrate's proposer).
          if (++exhausted >= 8) break;
          continue;
        }
        if (e.type === 'Invalid' && e.value.type === 'Future') continue;
        invalid.push(tx.hash);
      }
    }
    return executive.finalizeBlock();
  });
  return { header, extrinsics: included, changes: overlay.drainChanges(), poolTransactions, invalid };
}

function reject(it: ReadyIterator, tx: PoolTransaction, invalid: Uint8Array[]): void {
  it.reportInvalid(tx);
  invalid.push(tx.hash);
}

function describe(v: unknown): string {
  return JSON.stringify(v, (_k, x) =>
    typeof x === 'bigint' ? x.toString() : x instanceof Uint8Array ? Buffer.from(x).toString('hex') : x,
  );
}
