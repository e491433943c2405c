/**
 * pallet_transaction_payment: storage, event, the OperationalFeeMultiplier constant, the end-of-block multiplier
 * update, genesis, and the `FeeConfig` the executive hands the ChargeTransactionPayment extension. The fee itself is
 * `base_fee + len_fee + multiplier × weight_fee + tip` (extrinsic/extensions/fees.ts computes it from this config).
 */
import type { FeeConfig } from '../../extrinsic/extensions/extension.ts';
import { constant } from '../../frame/pallet.ts';
import type { Weight } from '../../frame/weights.ts';
import { u8 } from '../../scale/primitives.ts';
import {
  Event,
  FIXED_ONE,
  NextFeeMultiplier,
  p,
  StorageVersion,
  type TransactionPaymentConfig,
} from './items.ts';
import { evalPolynomial } from './weight-to-fee.ts';

export interface TransactionPaymentGenesis {
  /** FixedU128 inner value (10^18 = 1.0). */
  multiplier: bigint;
}

export const TransactionPayment = p.build({
  docs: [],
  constants: {
    OperationalFeeMultiplier: constant(u8, (c: TransactionPaymentConfig) => c.operationalFeeMultiplier, [
      ' A fee multiplier for `Operational` extrinsics to compute "virtual tip" to boost their',
      ' `priority`',
      '',
      ' This value is multiplied by the `final_fee` to obtain a "virtual tip" that is later',
      ' added to a tip component in regular `priority` calculations.',
      ' It means that a `Normal` transaction can front-run a similarly-sized `Operational`',
      ' extrinsic (with no tip), by including a tip value greater than the virtual tip.',
      '',
      ' ```rust,ignore',
      ' // For `Normal`',
      ' let priority = priority_calc(tip);',
      '',
      ' // For `Operational`',
      ' let virtual_tip = (inclusion_fee + tip) * OperationalFeeMultiplier;',
      ' let priority = priority_calc(tip + virtual_tip);',
      ' ```',
      '',
      ' Note that since we use `final_fee` the multiplier applies also to the regular `tip`',
      ' sent with the transaction. So, not only does the transaction get a priority bump based',
      ' on the `inclusion_fee`, but we also amplify the impact of tips applied to `Operational`',
      ' transactions.',
    ]),
  },
  hooks: {
    onFinalize() {
      const update = p.config().feeMultiplierUpdate;
      if (update) NextFeeMultiplier.set(update(NextFeeMultiplier.get()));
    },
  },
  genesis: {
    default: (): TransactionPaymentGenesis => ({ multiplier: FIXED_ONE }),
    build({ multiplier }: TransactionPaymentGenesis) {
      StorageVersion.set('V2');
      NextFeeMultiplier.set(multiplier);
    },
  },
});

/** `Pallet::weight_to_fee` without the block cap (the extension caps at max_block first). */
export const weightToFee = (cfg: TransactionPaymentConfig, w: Weight): bigint =>
  evalPolynomial(cfg.weightToFee, w);
export const lengthToFee = (cfg: TransactionPaymentConfig, len: number): bigint =>
  cfg.transactionByteFee * BigInt(len);

/** The fee rules of a runtime whose TransactionPayment config is `cfg`, for `new Executive({ fees })`. */
export function transactionPaymentFees(cfg: TransactionPaymentConfig): FeeConfig {
  return {
    weightToFee: (w) => weightToFee(cfg, w),
    lengthToFee: (len) => lengthToFee(cfg, len),
    nextFeeMultiplier: () => NextFeeMultiplier.get(),
    operationalFeeMultiplier: cfg.operationalFeeMultiplier,
    onCharge: cfg.onChargeTransaction,
    onFeePaid: (who, actualFee, tip) =>
      Event.deposit({ type: 'TransactionFeePaid', value: { who, actual_fee: actualFee, tip } }),
  };
}
