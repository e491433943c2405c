/**
 * The work behind `chainHead_v1_body`, `_call` and `_storage`: each runs as an operation of its follow subscription
 * on a pinned block (holding a reference to it, so an unpin meanwhile does not cut it short) and reports through the
 * subscription's events. The method answers `started` first: operations begin once the answer carrying their
 * `operationId` has been written.
 */

import type { Chain } from '../chain/chain.ts';
import { StatePrunedError } from '../chain/errors.ts';
import { MemoryStateView } from '../chain/state-view.ts';
import type { FollowSubscription, Operation } from './chain-head-follow.ts';
import type { PinnedBlock, PinnedBlocks } from './chain-head-pins.ts';
import { toHex } from './json.ts';
import { type StorageQuery, storagePages } from './storage-queries.ts';

export interface OperationContext {
  chain: Chain;
  pins: PinnedBlocks;
  sub: FollowSubscription;
  op: Operation;
  block: PinnedBlock;
}

/**
 * Runs `work` once the answer carrying the operation's id is written (`afterAnswer`: right after it, in the same
 * socket write for a single call; after the whole answer of a batch); always frees the operation and its block
 * reference.
 */
export function runOperation(
  ctx: OperationContext,
  afterAnswer: (fn: () => void) => void,
  work: () => Promise<void>,
): void {
  const { sub, op, pins, block } = ctx;
  pins.retain(block.hex);
  afterAnswer(() => {
    const done = () => {
      sub.closeOperation(op);
      pins.release(block.hex);
    };
    if (op.stopped) return done();
    work().then(done, (err) => {
      if (!op.stopped) {
        sub.send(
          err instanceof StatePrunedError
            ? { event: 'operationInaccessible', operationId: op.id }
            : { event: 'operationError', operationId: op.id, error: (err as Error).message },
        );
      }
      done();
    });
  });
}

export async function bodyOperation({ chain, sub, op, block }: OperationContext): Promise<void> {
  const body = await chain.db.getBody(block.hash);
  if (op.stopped) return;
  // Only a pruned fork loses its body while pinned; the next try will not find it either, but that is the spec's
  // event for data the node could not get.
  if (body === undefined) sub.send({ event: 'operationInaccessible', operationId: op.id });
  else sub.send({ event: 'operationBodyDone', operationId: op.id, value: body.map((x) => toHex(x)) });
}

export async function callOperation(
  { chain, sub, op, block }: OperationContext,
  fn: string,
  input: Uint8Array,
): Promise<void> {
  let state = block.state;
  if (!(state instanceof MemoryStateView)) {
    // A state read from the database: build it in memory once, and keep it for as long as the block is pinned.
    const trie = await state.trie();
    trie.commit();
    state = new MemoryStateView(block.hash, trie);
    block.state = state;
  }
  const trie = (state as MemoryStateView).memTrie;
  if (op.stopped) return;
  let output: Uint8Array;
  try {
    output = chain.runtime.call(trie, fn, input);
  } catch (err) {
    const msg = chain.runtime.runtime.hasApi(fn)
      ? `Execution failed: ${(err as Error).message}`
      : `Execution failed: Other: Exported method ${fn} is not found`;
    sub.send({ event: 'operationError', operationId: op.id, error: msg });
    return;
  }
  sub.send({ event: 'operationCallDone', operationId: op.id, output: toHex(output) });
}

export async function storageOperation(
  { sub, op, block }: OperationContext,
  queries: readonly StorageQuery[],
  pageItems: number,
  childTrie: Uint8Array | undefined,
): Promise<void> {
  for await (const page of storagePages(block.state, queries, pageItems, childTrie)) {
    if (op.stopped) return;
    if (page.items.length > 0)
      sub.send({ event: 'operationStorageItems', operationId: op.id, items: page.items });
    if (page.more) {
      // Head-of-line blocking: a large descendants query goes on only when the client asks for more.
      sub.send({ event: 'operationWaitingForContinue', operationId: op.id });
      await new Promise<void>((resolve) => {
        op.resume = resolve;
      });
      op.resume = undefined;
      if (op.stopped) return;
    }
  }
  if (!op.stopped) sub.send({ event: 'operationStorageDone', operationId: op.id });
}
