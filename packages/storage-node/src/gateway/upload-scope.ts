/**
 * What every write that stores blocks from a request body shares (`block/put`, `dag/import`; `add` has its
 * own): the blocks go through an upload session, so a failed request takes back the blocks it created
 * (`upload-ledger.ts`); when roots will be pinned, Helia's GC read lock is held from the first block to the
 * pins (`upload-gc.ts`) and the DAG stored is recorded so the pin is written from it (`upload-dag.ts`).
 */
import type { CID } from 'multiformats/cid';
import { walkDag } from './dag-walk.ts';
import type { RequestContext } from './http-util.ts';
import { type PinStore, pinUploadRoots } from './pin-roots.ts';
import type { GatewayNode, LocalBlocks } from './storage.ts';
import { UploadDag } from './upload-dag.ts';
import type { HoldUploadGuard, UploadGuard } from './upload-gc.ts';
import type { UploadLedger, UploadSession } from './upload-ledger.ts';

export interface UploadScopeDeps {
  node: GatewayNode;
  ledger: UploadLedger;
  pinStore?: PinStore;
  uploadGuard?: HoldUploadGuard;
}

export class UploadScope {
  readonly session: UploadSession;
  private readonly dag?: UploadDag;
  private readonly guard?: UploadGuard;
  private done = false;

  private constructor(
    private readonly deps: UploadScopeDeps,
    guard: UploadGuard | undefined,
    dag: UploadDag | undefined,
  ) {
    this.guard = guard;
    this.dag = dag;
    this.session = deps.ledger.begin(guard?.store ?? deps.node.blockstore, { dag });
  }

  /** Opens a scope; with `pinning`, GC waits until it ends. */
  static async open(deps: UploadScopeDeps, pinning: boolean, signal: AbortSignal): Promise<UploadScope> {
    const guard = pinning && deps.uploadGuard !== undefined ? await deps.uploadGuard(signal) : undefined;
    const dag = pinning && deps.pinStore !== undefined ? new UploadDag() : undefined;
    return new UploadScope(deps, guard, dag);
  }

  /** Stores one verified block. */
  async put(cid: CID, bytes: Uint8Array, signal: AbortSignal): Promise<void> {
    await this.session.store.put(cid, bytes, { signal });
  }

  /**
   * Pins `root` recursively: from the blocks stored here when they are its whole DAG, else by Helia's walk,
   * after checking that every block is here (Helia's walker leaks an unhandled rejection on a missing one).
   */
  async pin(root: CID, blocks: LocalBlocks, signal: AbortSignal): Promise<void> {
    if (this.dag?.blocksOf(root) === undefined) {
      for await (const _ of walkDag(root, blocks, { scope: 'all', dups: false, signal })) {
        // every block must be present
      }
    }
    await pinUploadRoots(this.deps.node, [root], this.dag, this.deps.pinStore, signal, () =>
      // Helia's walk takes the GC lock per block: ours must go first (see kubo-add.ts).
      this.guard?.release(),
    );
  }

  /** The request succeeded: its blocks stay. */
  commit(): void {
    if (this.done) return;
    this.done = true;
    this.session.commit();
    this.guard?.release();
  }

  /** The request failed: the blocks it created (and nobody else needs) are removed again. */
  async rollback(): Promise<void> {
    if (this.done) return;
    this.done = true;
    try {
      await this.session.rollback(this.deps.node.pins);
    } finally {
      this.guard?.release();
    }
  }
}

/** Runs `body` in a scope, committing on success and rolling back on any failure. */
export async function withUploadScope<T>(
  ctx: RequestContext,
  deps: UploadScopeDeps,
  pinning: boolean,
  body: (scope: UploadScope) => Promise<T>,
): Promise<T> {
  const scope = await UploadScope.open(deps, pinning, ctx.signal);
  try {
    const out = await body(scope);
    scope.commit();
    return out;
  } catch (err) {
    await scope.rollback();
    throw err;
  }
}
