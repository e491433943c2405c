/** `AccountIdLookup` (no pallet-indices): how calls' `MultiAddress` arguments name accounts. */
import { DispatchFailure } from '../../frame/dispatch-error.ts';
import type { MultiAddress } from '../../extrinsic/multi-address.ts';

/** `T::Lookup::lookup`: only `MultiAddress::Id` resolves; anything else fails the call with `CannotLookup`. */
export function lookupAccount(address: MultiAddress): Uint8Array {
  if (address?.type === 'Id') return address.value;
  throw new DispatchFailure({ type: 'CannotLookup' });
}

export const idAddress = (account: Uint8Array): MultiAddress => ({ type: 'Id', value: account });
