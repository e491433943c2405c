/**
 * `pallet_transaction_payment::ChargeTransactionPayment`: the extrinsic carries a `Compact<Balance>` tip; the
 * fee (inclusion fee + tip) is checked in validate, withdrawn in prepare via the runtime's `OnChargeTransaction`
 * adapter, and corrected after dispatch to the actual weight (refunding the unused part).
 */
import { compact, u128, unit } from '../../scale/index.ts';
import { defaultValidity, invalid } from '../transaction-validity.ts';
import type { TransactionExtension } from './extension.ts';
import { wrapperExtensionType } from './extension-type.ts';
import { computeFee, computeFeeRaw, finalFee, transactionPriority } from './fees.ts';
import { actualPaysFee, actualWeight } from './weights.ts';

interface Val {
  who: Uint8Array;
  fee: bigint;
}
interface Pre {
  who: Uint8Array;
  withdrawn: bigint;
  tip: bigint;
}

export const ChargeTransactionPayment: TransactionExtension<bigint, undefined, Val, Pre> = {
  identifier: 'ChargeTransactionPayment',
  extra: wrapperExtensionType(
    ['pallet_transaction_payment', 'ChargeTransactionPayment'],
    compact(u128),
    'BalanceOf<T>',
  ),
  implicit: unit,
  computeImplicit: () => undefined,
  validate({ env, who, extra: tip, info, len }) {
    if (!who) throw invalid('BadSigner');
    const fee = computeFee(env, len, info, tip);
    env.fees.onCharge?.canWithdrawFee(who, fee, tip);
    const validity = defaultValidity();
    validity.priority = transactionPriority(env, info, len, tip, fee);
    return { validity, val: { who, fee } };
  },
  prepare({ env, extra: tip }, { who, fee }) {
    const withdrawn = env.fees.onCharge ? env.fees.onCharge.withdrawFee(who, fee, tip) : 0n;
    return { who, withdrawn, tip };
  },
  postDispatch({ env, pre, info, post, len }) {
    const { tip } = pre;
    const actual = finalFee(
      computeFeeRaw(
        env.fees,
        env.blockWeights,
        len,
        actualWeight(info, post),
        tip,
        actualPaysFee(info, post),
        info.class,
      ),
    );
    env.fees.onCharge?.correctAndDepositFee(pre.who, actual, tip, pre.withdrawn);
    env.fees.onFeePaid?.(pre.who, actual, tip);
  },
};
