/**
 * Glue for the author RPC: pool errors become the author error codes, and a transaction's status stream feeds
 * an `author_extrinsicUpdate` subscription that ends after the final status, as in Substrate.
 */
import type { SubscriptionSink, Teardown } from '../rpc/registry.ts';
import { TxPoolError } from './errors.ts';
import type { TransactionStatus, TransactionWatcher } from './watcher.ts';

/** Re-throws pool errors as the RpcError a Substrate node answers with; other errors pass through. */
export function poolErrorToRpc(err: unknown): never {
  if (err instanceof TxPoolError) throw err.toRpcError();
  throw err;
}

export function isPoolError(err: unknown): err is TxPoolError {
  return err instanceof TxPoolError;
}

/** Streams `watcher` into `sink`; returns the teardown for the subscription handler. */
export function watcherToSink(
  watcher: TransactionWatcher,
  sink: SubscriptionSink<TransactionStatus>,
): Teardown {
  return watcher.subscribe(
    (s) => sink.send(s),
    () => sink.close(),
  );
}
