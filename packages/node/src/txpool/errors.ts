/**
 * Transaction pool errors and their author-RPC codes, as polkadot-sdk `client/rpc-api/src/author/error.rs`
 * (base 1000): the RPC layer answers with `err.toRpcError()`.
 */
import { RpcError } from '../rpc/errors.ts';
import {
  debugFormat,
  type InvalidTransaction,
  invalidTransactionMessage,
  type UnknownTransaction,
} from './validity.ts';

export const AuthorErrorCode = {
  BadFormat: 1001,
  Verification: 1002,
  InvalidTransaction: 1010,
  UnknownValidity: 1011,
  TemporarilyBanned: 1012,
  AlreadyImported: 1013,
  TooLowPriority: 1014,
  CycleDetected: 1015,
  ImmediatelyDropped: 1016,
  // 1017 is unused upstream.
  Unactionable: 1018,
  NoTagsProvided: 1019,
  InvalidBlockId: 1020,
  RejectedFutureTransaction: 1021,
} as const;

export type PoolErrorKind =
  | { kind: 'InvalidTransaction'; reason: InvalidTransaction }
  | { kind: 'UnknownTransaction'; reason: UnknownTransaction }
  | { kind: 'TemporarilyBanned' }
  | { kind: 'AlreadyImported'; hash: string }
  | { kind: 'TooLowPriority'; old: bigint; new: bigint }
  | { kind: 'CycleDetected' }
  | { kind: 'ImmediatelyDropped' }
  | { kind: 'NoTagsProvided' }
  | { kind: 'RejectedFutureTransaction' };

export class TxPoolError extends Error {
  override readonly name = 'TxPoolError';
  constructor(readonly detail: PoolErrorKind) {
    super(describe(detail));
  }

  get kind(): PoolErrorKind['kind'] {
    return this.detail.kind;
  }

  /** The exact JSON-RPC error a Substrate node answers for this pool error. */
  toRpcError(): RpcError {
    const d = this.detail;
    switch (d.kind) {
      case 'InvalidTransaction':
        return new RpcError(
          AuthorErrorCode.InvalidTransaction,
          'Invalid Transaction',
          typeof d.reason === 'object'
            ? `Custom error: ${d.reason.Custom}`
            : invalidTransactionMessage(d.reason),
        );
      case 'UnknownTransaction':
        return new RpcError(
          AuthorErrorCode.UnknownValidity,
          'Unknown Transaction Validity',
          debugFormat(d.reason),
        );
      case 'TemporarilyBanned':
        return new RpcError(AuthorErrorCode.TemporarilyBanned, 'Transaction is temporarily banned');
      case 'AlreadyImported':
        return new RpcError(AuthorErrorCode.AlreadyImported, 'Transaction Already Imported', d.hash);
      case 'TooLowPriority':
        return new RpcError(
          AuthorErrorCode.TooLowPriority,
          `Priority is too low: (${d.old} vs ${d.new})`,
          'The transaction has too low priority to replace another transaction already in the pool.',
        );
      case 'CycleDetected':
        return new RpcError(AuthorErrorCode.CycleDetected, 'Cycle Detected');
      case 'ImmediatelyDropped':
        return new RpcError(
          AuthorErrorCode.ImmediatelyDropped,
          'Immediately Dropped',
          "The transaction couldn't enter the pool because of the limit",
        );
      case 'NoTagsProvided':
        return new RpcError(
          AuthorErrorCode.NoTagsProvided,
          'No tags provided',
          "Transaction does not provide any tags, so the pool can't identify it",
        );
      case 'RejectedFutureTransaction':
        return new RpcError(
          AuthorErrorCode.RejectedFutureTransaction,
          'The pool is not accepting future transactions',
        );
    }
  }
}

function describe(d: PoolErrorKind): string {
  switch (d.kind) {
    case 'InvalidTransaction':
      return `Invalid transaction validity: ${debugFormat(d.reason)}`;
    case 'UnknownTransaction':
      return `Unknown transaction validity: ${debugFormat(d.reason)}`;
    case 'TemporarilyBanned':
      return 'Temporarily Banned';
    case 'AlreadyImported':
      return `[${d.hash}] Already imported`;
    case 'TooLowPriority':
      return `Too low priority (${d.old} > ${d.new})`;
    case 'CycleDetected':
      return 'Transaction with cyclic dependency';
    case 'ImmediatelyDropped':
      return "Transaction couldn't enter the pool because of the limit";
    case 'NoTagsProvided':
      return "Transaction does not provide any tags, so the pool can't identify it";
    case 'RejectedFutureTransaction':
      return 'The pool is not accepting future transactions';
  }
}
