/**
 * What cumulus `assert!`s / `expect`s in parachain-system: a broken rule in the validation data makes the block
 * invalid (the inherent cannot be applied, so neither authoring nor import can complete the block). Thrown out of
 * the runtime as a typed error naming the rule, like `TimestampPanic`.
 */
export type ParachainSystemPanicReason =
  /** `set_validation_data` ran twice in a block. */
  | 'ValidationDataSetTwice'
  /** `set_validation_data` did not run in the block (checked in `on_finalize`). */
  | 'ValidationDataMissing'
  /** `CheckAssociatedRelayNumber`: the relay parent number went backwards (or did not increase, if strict). */
  | 'RelayParentNumber'
  /** The relay state proof does not prove the storage root, or an entry the pallet needs from it. */
  | 'InvalidRelayChainStateProof'
  /** The downward messages do not chain to the relay's DMQ MQC head. */
  | 'DmqMqcHeadMismatch'
  /** A downward message's `sent_at` goes backwards or is past the relay parent. */
  | 'DownwardMessageOrder'
  /** Horizontal messages from a para with no open channel to us at the relay parent. */
  | 'HrmpSenderWithoutChannel'
  /** A channel's messages do not chain to the relay's MQC head of that channel. */
  | 'HrmpMqcHeadMismatch'
  /** A horizontal message's `sent_at` goes backwards within its channel or is past the relay parent. */
  | 'HorizontalMessageOrder'
  /** The relay says GoAhead but no upgrade is pending. */
  | 'UnexpectedGoAhead'
  /** ExpectParentIncluded: the relay's head of this para is not our parent block. */
  | 'ParentNotIncluded';

export class ParachainSystemPanic extends Error {
  override name = 'ParachainSystemPanic';
  constructor(
    readonly reason: ParachainSystemPanicReason,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(`${reason}: ${detail}`, options);
  }
}
