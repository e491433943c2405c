/**
 * `FungibleAdapter<Balances, OnUnbalanced>` (pallet_transaction_payment::payment): the `OnChargeTransaction` the
 * ChargeTransactionPayment extension calls. The fee is withdrawn before dispatch (keeping the payer alive), the
 * unused part refunded after it, and the rest handed to a sink, the fee and the tip separately.
 */
import type { OnChargeTransaction } from '../../extrinsic/extensions/extension.ts';
import { invalid } from '../../extrinsic/transaction-validity.ts';
import { DispatchFailure } from '../../frame/dispatch-error.ts';
import type { NativeCurrency } from '../balances/adapter.ts';

/** `OnUnbalanced` for the fee and tip credits of one transaction. */
export type FeeSink = (fee: bigint, tip: bigint) => void;

/** `()`: the credits are dropped, so total issuance goes down by the fee (the node template's choice). */
export function burnFees(currency: NativeCurrency): FeeSink {
  return (fee, tip) => currency.burnCredit(fee + tip);
}

/**
 * `ResolveTo<account, Balances>` (what Polkadot-style runtimes do with a treasury or author share): the merged
 * credit goes into `account()` (Deposit event); if it cannot (a new account below ED) it is dropped.
 */
export function resolveFeesTo(currency: NativeCurrency, account: () => Uint8Array): FeeSink {
  return (fee, tip) => {
    const credit = fee + tip;
    if (credit === 0n) return;
    if (!currency.resolve(account(), credit)) currency.burnCredit(credit);
  };
}

export function fungibleFeeAdapter(currency: NativeCurrency, sink: FeeSink): OnChargeTransaction {
  return {
    canWithdrawFee(who, fee) {
      if (fee === 0n) return;
      if (currency.canWithdraw(who, fee).type !== 'Success') throw invalid('Payment');
    },
    withdrawFee(who, fee) {
      if (fee === 0n) return 0n;
      try {
        return currency.withdraw(who, fee, { precision: 'Exact', preservation: 'Preserve', force: 'Polite' });
      } catch (err) {
        if (err instanceof DispatchFailure) throw invalid('Payment');
        throw err;
      }
    },
    correctAndDepositFee(who, actualFee, tip, withdrawn) {
      if (withdrawn === 0n) return;
      const refund = withdrawn > actualFee ? withdrawn - actualFee : 0n;
      let refunded = 0n;
      if (refund > 0n && currency.total(who) > 0n) {
        try {
          refunded = currency.deposit(who, refund, 'BestEffort');
        } catch (err) {
          if (!(err instanceof DispatchFailure)) throw err;
        }
      }
      const paid = withdrawn - refunded;
      const tipPart = tip < paid ? tip : paid;
      sink(paid - tipPart, tipPart);
    },
  };
}
