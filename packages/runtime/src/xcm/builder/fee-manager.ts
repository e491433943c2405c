/**
 * xcm-builder `fee_handling.rs`: `XcmFeeManagerFromComponents<WaivedLocations, HandleFee>`, and `XcmFeeToAccount`
 * (fees deposited into one account through the asset transactor; a fee that cannot be deposited is burned).
 */
import type { Assets, Location, XcmContext } from '../index.ts';
import { XcmFailure } from '../executor/errors.ts';
import type { Contains, FeeManager, FeeReason, TransactAsset } from '../executor/traits.ts';
import { depositAsset } from '../executor/tuples.ts';

export type HandleFee = (fee: Assets, context: XcmContext | undefined, reason: FeeReason) => void;

export function xcmFeeManagerFromComponents(waived: Contains<Location>, handleFee: HandleFee): FeeManager {
  return {
    isWaived: (origin) => origin !== undefined && waived(origin),
    handleFee,
  };
}

/** `XcmFeeToAccount<AssetTransactor, AccountId, ReceiverAccount>`. */
export function xcmFeeToAccount(transactor: TransactAsset, receiver: Location): HandleFee {
  return (fee, context) => {
    for (const asset of fee) {
      try {
        depositAsset(transactor, asset, receiver, context);
      } catch (err) {
        if (!(err instanceof XcmFailure)) throw err;
      }
    }
  };
}
