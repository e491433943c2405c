/**
 * The SDK's typed errors. Each carries a stable `code` a program can switch on (the CLI maps codes to exit codes)
 * and a message that says what is wrong and how to fix it.
 */
export type XstorageErrorCode =
  | 'BAD_INPUT'
  | 'UNKNOWN_CHAIN'
  | 'FILE_NOT_FOUND'
  | 'INSUFFICIENT_BALANCE'
  | 'FEE_ABOVE_MAX'
  | 'NODE_UNREACHABLE'
  | 'ORDER_FAILED'
  | 'TIMEOUT';

export class XstorageError extends Error {
  override name = 'XstorageError';
  readonly code: XstorageErrorCode;
  constructor(code: XstorageErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** An argument is malformed (a CID, an amount, a key). */
export class BadInputError extends XstorageError {
  override name = 'BadInputError';
  constructor(message: string) {
    super('BAD_INPUT', message);
  }
}

/** A chain name the network description or the endpoints do not know. */
export class UnknownChainError extends XstorageError {
  override name = 'UnknownChainError';
  constructor(
    readonly chain: string,
    known: readonly string[],
  ) {
    super('UNKNOWN_CHAIN', `unknown chain '${chain}': use one of ${known.join(', ')}`);
  }
}

/** A local file, or a CID on the gateway, that is not there. */
export class FileNotFoundError extends XstorageError {
  override name = 'FileNotFoundError';
  constructor(message: string) {
    super('FILE_NOT_FOUND', message);
  }
}

/** The account cannot pay the fee (and the transaction fee). */
export class InsufficientBalanceError extends XstorageError {
  override name = 'InsufficientBalanceError';
  constructor(
    message: string,
    readonly needed?: bigint,
    readonly available?: bigint,
  ) {
    super('INSUFFICIENT_BALANCE', message);
  }
}

/** The quoted fee is above the caller's `maxFee`. */
export class FeeAboveMaxError extends XstorageError {
  override name = 'FeeAboveMaxError';
  constructor(
    message: string,
    readonly fee: bigint,
    readonly maxFee: bigint,
  ) {
    super('FEE_ABOVE_MAX', message);
  }
}

/** A chain's RPC or the gateway did not answer. */
export class NodeUnreachableError extends XstorageError {
  override name = 'NodeUnreachableError';
  constructor(
    readonly url: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super('NODE_UNREACHABLE', message, options);
  }
}

/** Crust (or the user's chain) refused the order; `reason` is what came back (a dispatch or XCM error name). */
export class OrderFailedError extends XstorageError {
  override name = 'OrderFailedError';
  constructor(
    readonly reason: string,
    message: string,
  ) {
    super('ORDER_FAILED', message);
  }
}

/** Something did not happen in time (replicas, a block). */
export class TimeoutError extends XstorageError {
  override name = 'TimeoutError';
  constructor(message: string) {
    super('TIMEOUT', message);
  }
}
