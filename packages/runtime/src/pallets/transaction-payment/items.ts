/**
 * pallet_transaction_payment's declarations (polkadot-sdk substrate/frame/transaction-payment/src/lib.rs): the
 * fee multiplier, the storage version, the TransactionFeePaid event, and the config.
 */
import { AccountId } from '../../frame/account.ts';
import type { OnChargeTransaction } from '../../extrinsic/extensions/extension.ts';
import { newtype } from '../../extrinsic/newtype.ts';
import { pallet } from '../../frame/pallet.ts';
import type { Codec } from '../../scale/codec.ts';
import { enumeration, struct } from '../../scale/composite.ts';
import { u128 } from '../../scale/primitives.ts';
import type { WeightToFeeCoefficient } from './weight-to-fee.ts';

/** FixedU128's accuracy: 1.0 is 10^18. */
export const FIXED_ONE = 10n ** 18n;

/** `sp_arithmetic::fixed_point::FixedU128` (the fee `Multiplier`), as its inner u128. */
export const FixedU128Codec: Codec<bigint> = newtype(
  u128,
  ['sp_arithmetic', 'fixed_point', 'FixedU128'],
  'u128',
);

/** `pallet_transaction_payment::Releases` */
export type Releases = 'V1Ancient' | 'V2';
export const ReleasesCodec: Codec<Releases> = enumeration({ V1Ancient: [0], V2: [1] })
  .named(['pallet_transaction_payment', 'Releases'])
  .map(
    (v) => v.type,
    (type) => ({ type }),
  );

export interface TransactionPaymentConfig {
  /** `WeightToFee` polynomial, applied to ref time. */
  weightToFee: readonly WeightToFeeCoefficient[];
  /** `LengthToFee = ConstantMultiplier<Balance, TransactionByteFee>`: fee per encoded byte. */
  transactionByteFee: bigint;
  /** `OperationalFeeMultiplier` (5 on Polkadot). */
  operationalFeeMultiplier: number;
  /** `FeeMultiplierUpdate`, run at the end of every block; default: constant (ConstFeeMultiplier). */
  feeMultiplierUpdate?: (previous: bigint) => bigint;
  /** `OnChargeTransaction`: how fees are withdrawn, refunded and dealt with (see `fungibleFeeAdapter`). */
  onChargeTransaction?: OnChargeTransaction;
}

export const p = pallet<TransactionPaymentConfig>('TransactionPayment', {
  module: 'pallet_transaction_payment',
});

export const NextFeeMultiplier = p.value('NextFeeMultiplier', FixedU128Codec, { default: FIXED_ONE });
export const StorageVersion = p.value('StorageVersion', ReleasesCodec, { default: 'V1Ancient' as Releases });

export const Event = p.events({
  TransactionFeePaid: [
    0,
    struct(
      { who: AccountId, actual_fee: u128, tip: u128 },
      { who: 'T::AccountId', actual_fee: 'BalanceOf<T>', tip: 'BalanceOf<T>' },
    ),
    [
      ' A transaction fee `actual_fee`, of which `tip` was added to the minimum inclusion fee,',
      ' has been paid by `who`.',
    ],
  ],
});
