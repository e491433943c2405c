/**
 * `transactionWatch_v1_submitAndWatch` / `_unwatch` and `transaction_v1_broadcast` / `_stop` of the new JSON-RPC
 * spec over the node's transaction pool. The pool's status stream becomes the spec's events as polkadot-sdk's
 * rpc-spec-v2 maps them: ready / future → `validated`; in a best block → `bestChainBlockIncluded` with the block and
 * the transaction's index in it; retracted → `bestChainBlockIncluded: null`; `finalized` (with index), and the final
 * `invalid` / `dropped`. A transaction the pool refuses is an `invalid` event, not a JSON-RPC error (only a
 * parameter that is not hex is). Broadcasts are per connection (at most `MAX_BROADCASTS_PER_CONNECTION` at once,
 * beyond that `null`); this node has no peers, so broadcasting is being in its pool, where an invalid transaction
 * silently is not, and still holds its slot until `transaction_v1_stop`.
 */
import { randomBytes } from 'node:crypto';
import { type MethodRegistry, p, params, type SubscriptionSink } from '../rpc/index.ts';
import { type TransactionStatus, type TransactionWatcher, TxPoolError } from '../txpool/index.ts';
import type { RpcContext } from './context.ts';
import { toHex } from './json.ts';
import { specV2Errors } from './spec-v2-errors.ts';

const MAX_TRANSACTION_BYTES = 5 * 1024 * 1024;
/** The spec asks for at least 4; polkadot-sdk allows 16. */
export const MAX_BROADCASTS_PER_CONNECTION = 16;

const ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

function operationId(): string {
  let s = '';
  for (const b of randomBytes(16)) s += ID_ALPHABET[b % ID_ALPHABET.length];
  return s;
}

type WatchEvent = Record<string, unknown> & { event: string };

interface Broadcast {
  connectionId: number;
  stop: () => void;
}

export function registerTransactionV1(reg: MethodRegistry, ctx: RpcContext): void {
  const { chain, pool, sealing } = ctx;
  const broadcasts = new Map<string, Broadcast>();
  const perConnection = new Map<number, Set<string>>();

  /** The index of transaction `txHex` in block `blockHex`, as the spec's `block.index`. */
  const indexIn = async (blockHex: string, txHex: string): Promise<number | undefined> => {
    const body = await chain.db.getBody(Buffer.from(blockHex.slice(2), 'hex'));
    const i = body?.findIndex((x) => toHex(pool.hashOf(x)) === txHex) ?? -1;
    return i >= 0 ? i : undefined;
  };

  /**
   * The spec's event for a pool status (undefined: nothing to say), and whether it is the last one. Index lookups
   * are async: the caller chains them so events keep their order.
   */
  const toEvent = async (
    s: TransactionStatus,
    txHex: string,
  ): Promise<{ event?: WatchEvent; last: boolean }> => {
    if (s === 'ready' || s === 'future') return { event: { event: 'validated' }, last: false };
    if (s === 'invalid')
      return { event: { event: 'invalid', error: 'Extrinsic marked as invalid' }, last: true };
    if (s === 'dropped')
      return {
        event: { event: 'dropped', error: 'Extrinsic dropped from the pool due to exceeding limits' },
        last: true,
      };
    if ('broadcast' in s) return { last: false };
    if ('inBlock' in s) {
      const index = await indexIn(s.inBlock, txHex);
      return {
        event: {
          event: 'bestChainBlockIncluded',
          block: index === undefined ? null : { hash: s.inBlock, index },
        },
        last: false,
      };
    }
    if ('retracted' in s) return { event: { event: 'bestChainBlockIncluded', block: null }, last: false };
    if ('finalized' in s) {
      const index = await indexIn(s.finalized, txHex);
      return { event: { event: 'finalized', block: { hash: s.finalized, index: index ?? 0 } }, last: true };
    }
    if ('usurped' in s)
      return {
        event: { event: 'invalid', error: 'Extrinsic was rendered invalid by another extrinsic' },
        last: true,
      };
    return {
      event: { event: 'dropped', error: 'Maximum number of finality watchers has been reached' },
      last: true,
    };
  };

  /**
   * Submits `xt` and follows it: `onEvent` gets the spec's events in order, the last one final. Resolves to the
   * function that stops following (the transaction stays in the pool).
   */
  const submitAndFollow = async (
    xt: Uint8Array,
    onEvent: (e: WatchEvent, last: boolean) => void,
  ): Promise<() => void> => {
    let watcher: TransactionWatcher | undefined;
    try {
      ({ watcher } = await pool.submitAndWatch(xt, 'External'));
      sealing.transactionArrived();
    } catch (err) {
      if (err instanceof TxPoolError && err.detail.kind === 'AlreadyImported')
        watcher = pool.watch(err.detail.hash);
      if (!watcher) {
        onEvent({ event: 'invalid', error: refusal(err) }, true);
        return () => {};
      }
    }
    const txHex = watcher.hash;
    let chainOfEvents: Promise<void> = Promise.resolve();
    let done = false;
    const off = watcher.subscribe((s) => {
      chainOfEvents = chainOfEvents.then(async () => {
        if (done) return;
        const { event, last } = await toEvent(s, txHex);
        if (done) return;
        if (last) done = true;
        if (event) onEvent(event, last);
      });
    });
    return () => {
      done = true;
      off();
    };
  };

  reg
    .subscription({
      subscribe: 'transactionWatch_v1_submitAndWatch',
      unsubscribe: 'transactionWatch_v1_unwatch',
      notification: 'transactionWatch_v1_watchEvent',
      params: params(['transaction', p.hex({ maxBytes: MAX_TRANSACTION_BYTES })]),
      handler: async ([xt], sink: SubscriptionSink<WatchEvent>) => {
        // Dropped for not reading (the transaction stays in the pool): the spec's `dropped`, as its last event.
        sink.onDropped(() =>
          sink.send({ event: 'dropped', error: 'The client does not read its notifications fast enough' }),
        );
        const stop = await submitAndFollow(xt, (e, last) => {
          sink.send(e);
          if (last) sink.close();
        });
        return stop;
      },
    })
    .method({
      name: 'transaction_v1_broadcast',
      params: params(['transaction', p.hex({ maxBytes: MAX_TRANSACTION_BYTES })]),
      handler: ([xt], call) => {
        let mine = perConnection.get(call.connectionId);
        if (!mine) {
          const set = new Set<string>();
          mine = set;
          perConnection.set(call.connectionId, set);
          // The connection's broadcasts end with it (their transactions stay in the pool).
          call.signal.addEventListener(
            'abort',
            () => {
              for (const id of [...set]) broadcasts.get(id)?.stop();
              perConnection.delete(call.connectionId);
            },
            { once: true },
          );
        }
        if (mine.size >= MAX_BROADCASTS_PER_CONNECTION) return null;
        let id = operationId();
        while (broadcasts.has(id)) id = operationId();
        let unfollow: (() => void) | undefined;
        let stopped = false;
        const set = mine;
        const stop = () => {
          stopped = true;
          unfollow?.();
          broadcasts.delete(id);
          set.delete(id);
        };
        broadcasts.set(id, { connectionId: call.connectionId, stop });
        set.add(id);
        void submitAndFollow(xt, () => {}).then((off) => {
          if (stopped) off();
          else unfollow = off;
        });
        return id;
      },
    })
    .method({
      name: 'transaction_v1_stop',
      params: params(['operationId', p.string()]),
      handler: ([id]) => {
        const b = broadcasts.get(id);
        if (!b) throw specV2Errors.invalidOperationId(id);
        b.stop();
        return null;
      },
    });
}

/** Why the pool refused a transaction, in the words of polkadot-sdk rpc-spec-v2 (`transaction/error.rs`). */
function refusal(err: unknown): string {
  if (err instanceof TxPoolError) {
    const d = err.detail;
    switch (d.kind) {
      case 'InvalidTransaction':
        return typeof d.reason === 'object'
          ? `Invalid transaction with custom error: ${d.reason.Custom}`
          : `Invalid transaction: ${err.message}`;
      case 'UnknownTransaction':
        return `Unknown transaction validity: ${err.message}`;
      case 'TemporarilyBanned':
        return 'Transaction is temporarily banned';
      case 'AlreadyImported':
        return 'Transaction is already imported';
      case 'TooLowPriority':
        return `The priority of the transaction is too low (pool ${d.old} > current ${d.new})`;
      case 'CycleDetected':
        return 'The transaction contains a cyclic dependency';
      case 'ImmediatelyDropped':
        return 'The transaction could not enter the pool because of the limit';
      case 'NoTagsProvided':
        return 'Transaction does not provide any tags, so the pool cannot identify it';
      case 'RejectedFutureTransaction':
        return 'The pool is not accepting future transactions';
    }
  }
  return `Verification error: ${(err as Error).message}`;
}
