/**
 * Runtime upgrades coordinated with the relay (cumulus parachain-system `schedule_code_upgrade`, the go-ahead
 * handling in `set_validation_data`): a scheduled code goes to the relay through the candidate's
 * `new_validation_code` (`NewValidationCode`) and waits in `PendingValidationCode` until the relay says GoAhead
 * (then it becomes `:code`) or Abort.
 */
import { state } from '../../frame/env.ts';
import { CODE_KEY } from '../../frame/well-known-keys.ts';
import type { UpgradeGoAhead } from '../../parachains/host-config.ts';
import {
  DidSetValidationCode,
  HostConfiguration,
  NewValidationCode,
  p,
  ParachainSystemError,
  ParachainSystemEvent,
  PendingValidationCode,
  UpgradeRestrictionSignal,
  ValidationData,
} from './items.ts';
import { ParachainSystemPanic } from './panic.ts';

/** `schedule_code_upgrade` (what `System::set_code` does on a parachain, `ParachainSetCode`). */
export function scheduleCodeUpgrade(code: Uint8Array): void {
  if (!ValidationData.exists()) throw ParachainSystemError.fail('ValidationDataNotAvailable');
  if (UpgradeRestrictionSignal.get() !== 'None') throw ParachainSystemError.fail('ProhibitedByPolkadot');
  if (PendingValidationCode.exists()) throw ParachainSystemError.fail('OverlappingUpgrades');
  const host = HostConfiguration.get();
  if (!host) throw ParachainSystemError.fail('HostConfigurationNotAvailable');
  if (code.length > host.max_code_size) throw ParachainSystemError.fail('TooBig');
  NewValidationCode.set(code);
  DidSetValidationCode.set(true);
  PendingValidationCode.set(code);
  ParachainSystemEvent.deposit({ type: 'ValidationFunctionStored' });
}

/** The relay's judgement on a pending upgrade, read from the relay state of this block's relay parent. */
export function applyGoAhead(signal: UpgradeGoAhead | undefined, relayParentNumber: number): void {
  if (signal === 'GoAhead') {
    if (!PendingValidationCode.exists())
      throw new ParachainSystemPanic(
        'UnexpectedGoAhead',
        'No new validation function found in storage, GoAhead signal is not expected',
      );
    state().set(CODE_KEY, PendingValidationCode.take());
    p.config().onValidationCodeApplied?.();
    ParachainSystemEvent.deposit({
      type: 'ValidationFunctionApplied',
      value: { relay_chain_block_num: relayParentNumber },
    });
  } else if (signal === 'Abort') {
    PendingValidationCode.kill();
    ParachainSystemEvent.deposit({ type: 'ValidationFunctionDiscarded' });
  }
}
