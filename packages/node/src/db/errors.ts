/** Typed errors of the chain database. */
import { hex } from './keys.ts';

export class ChainDbError extends Error {
  override readonly name: string = 'ChainDbError';
}

/** The database content contradicts itself (should never happen after an atomic commit). */
export class ChainDbCorruptionError extends ChainDbError {
  override readonly name = 'ChainDbCorruptionError';
}

/** A block referenced by an operation is not in the database. */
export class UnknownBlockError extends ChainDbError {
  override readonly name = 'UnknownBlockError';
  constructor(
    readonly hash: Uint8Array,
    what = 'block',
  ) {
    super(`unknown ${what} 0x${hex(hash)}`);
  }
}

/** An operation that the chain's rules forbid (e.g. reverting below the finalized block). */
export class InvalidChainOperationError extends ChainDbError {
  override readonly name = 'InvalidChainOperationError';
}

/** The state rebuilt from the flat copy does not hash to the best header's state root. */
export class StateRootMismatchError extends ChainDbError {
  override readonly name = 'StateRootMismatchError';
  constructor(
    readonly expected: Uint8Array,
    readonly actual: Uint8Array,
  ) {
    super(`state root mismatch: best header says 0x${hex(expected)}, rebuilt state gives 0x${hex(actual)}`);
  }
}

/** Malformed bytes where the database expected its own encoding. */
export class DbDecodeError extends ChainDbCorruptionError {}
