/** Typed errors of the chain service. */

export type BlockImportFailure =
  | 'UnknownParent'
  | 'MissingSeal'
  | 'MissingSlot'
  | 'BadSeal'
  | 'SlotNotIncreasing'
  | 'InherentsInvalid'
  | 'ExecutionFailed'
  | 'StateRootMismatch'
  | 'ExtrinsicsRootMismatch'
  | 'AlreadyKnown';

/** A block was refused at import; `reason` names the check that failed. */
export class BlockImportError extends Error {
  override readonly name = 'BlockImportError';
  constructor(
    readonly reason: BlockImportFailure,
    message: string,
  ) {
    super(`${reason}: ${message}`);
  }
}

/** A block or state the caller asked for is not (or no longer) available. */
export class UnknownBlockHashError extends Error {
  override readonly name = 'UnknownBlockHashError';
  constructor(readonly hash: Uint8Array) {
    super(`Header was not found in the database: 0x${Buffer.from(hash).toString('hex')}`);
  }
}

/** The state of a known block was pruned. */
export class StatePrunedError extends Error {
  override readonly name = 'StatePrunedError';
  constructor(readonly hash: Uint8Array) {
    super(`State already discarded for 0x${Buffer.from(hash).toString('hex')}`);
  }
}

/** The chain database belongs to another chain spec. */
export class ChainSpecMismatchError extends Error {
  override readonly name = 'ChainSpecMismatchError';
}

/** Start-up or use in the wrong state (not started, stopped). */
export class ChainStateError extends Error {
  override readonly name = 'ChainStateError';
}
