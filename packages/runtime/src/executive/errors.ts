/** Why a block failed to execute (where Substrate's executive panics, we throw this with a reason). */
export type BlockExecutionFailure =
  | 'InvalidParentHash'
  | 'InherentPosition'
  | 'InvalidExtrinsic'
  | 'DigestMismatch'
  | 'StateRootMismatch'
  | 'ExtrinsicsRootMismatch';

export class BlockExecutionError extends Error {
  override name = 'BlockExecutionError';
  constructor(
    readonly reason: BlockExecutionFailure,
    message: string,
    /** Index of the offending extrinsic, when there is one. */
    readonly extrinsicIndex?: number,
  ) {
    super(`${reason}: ${message}`);
  }
}
