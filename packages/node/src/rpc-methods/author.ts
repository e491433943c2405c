/**
 * `author_*`: submit, submit-and-watch (status stream `ready` → `inBlock` → `finalized`, or `invalid` /
 * `dropped` …), pending extrinsics. Error codes as polkadot-sdk `rpc-api/src/author/error.rs`: bad length prefix
 * 1001, runtime failing to decode the extrinsic 1002, pool verdicts 1010+.
 */
import { readCompactNumber } from '@xstorage/runtime/scale';
import { type MethodRegistry, p, params, RpcError } from '../rpc/index.ts';
import { AuthorErrorCode, poolErrorToRpc, TxPoolError, watcherToSink } from '../txpool/index.ts';
import type { RpcContext } from './context.ts';
import { toHex } from './json.ts';

const MAX_EXTRINSIC_BYTES = 5 * 1024 * 1024;

/** The node-side decode of an `OpaqueExtrinsic`: a compact length that covers exactly the rest. */
function checkOpaque(xt: Uint8Array): void {
  let len: number;
  let after: number;
  try {
    [len, after] = readCompactNumber(xt, 0);
  } catch {
    throw new RpcError(
      AuthorErrorCode.BadFormat,
      'Extrinsic has invalid format: Not enough data to fill buffer',
    );
  }
  if (after + len > xt.length)
    throw new RpcError(
      AuthorErrorCode.BadFormat,
      'Extrinsic has invalid format: Not enough data to fill buffer',
    );
  if (after + len < xt.length)
    throw new RpcError(
      AuthorErrorCode.BadFormat,
      'Extrinsic has invalid format: Input buffer has still data left after decoding!',
    );
}

/** Pool errors → author codes; anything the runtime threw while validating → 1002 Verification Error. */
function toRpc(err: unknown): never {
  if (err instanceof TxPoolError) poolErrorToRpc(err);
  if (err instanceof RpcError) throw err;
  const msg = `Runtime error: Execution failed: Runtime panicked: Bad input data provided to validate_transaction: ${(err as Error).message}`;
  throw new RpcError(AuthorErrorCode.Verification, `Verification Error: ${msg}`, msg);
}

export function registerAuthor(reg: MethodRegistry, ctx: RpcContext): void {
  const { pool, sealing } = ctx;
  const xtParam = () => p.hex({ maxBytes: MAX_EXTRINSIC_BYTES });
  reg
    .method({
      name: 'author_submitExtrinsic',
      params: params(['extrinsic', xtParam()]),
      handler: async ([xt]) => {
        checkOpaque(xt);
        const hash = await pool.submit(xt, 'External').catch(toRpc);
        sealing.transactionArrived();
        return toHex(hash);
      },
    })
    .method({
      name: 'author_pendingExtrinsics',
      params: [],
      handler: () => pool.pending().map((t) => toHex(t.data)),
    })
    .subscription({
      subscribe: 'author_submitAndWatchExtrinsic',
      unsubscribe: 'author_unwatchExtrinsic',
      notification: 'author_extrinsicUpdate',
      params: params(['extrinsic', xtParam()]),
      handler: async ([xt], sink) => {
        checkOpaque(xt);
        const { watcher } = await pool.submitAndWatch(xt, 'External').catch(toRpc);
        const off = watcherToSink(watcher, sink);
        sealing.transactionArrived();
        return off;
      },
    });
}
