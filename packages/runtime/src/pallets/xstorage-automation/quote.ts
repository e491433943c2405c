/**
 * What a scheduled renewal costs when it fires (pure), from the parachain-side Xstorage's mirror of Crust's fees and
 * in the shape of an order's quote (pallets/xstorage/quote.ts), with `market.add_prepaid` as the Transacted call:
 *
 *   weight W   = instructions × UnitWeightCost + add_prepaid's weight                      (FixedWeightBounds)
 *   execution  = ⌈cru_per_second × W.ref_time / 10^12⌉                                       (UsingComponents)
 *   deposit    = amount + CRU's existential deposit (the user's account on Crust keeps its ED after paying)
 *   refund     = deposit + ⌊cru_per_second × UnitWeightCost.ref_time / 10^12⌋, the deposit raised until the refund
 *                pays its trip home (`refundFee`)
 *   total      = execution + deposit                                                         (burnt from the user's CRU)
 */
import type { Weight } from '../../frame/weights.ts';
import { messageWeight, perSecondFee, perSecondRefund } from '../xstorage/quote.ts';
import type { FeeParameters } from '../xstorage/types.ts';

const U128_MAX = (1n << 128n) - 1n;

export interface PrepaidQuote {
  total: bigint;
  execution: bigint;
  deposit: bigint;
  refund: bigint;
  weight: Weight;
}

export class PrepaidQuoteOverflow extends Error {
  override name = 'PrepaidQuoteOverflow';
  constructor() {
    super('the prepaid quote overflows u128');
  }
}

export function quotePrepaid(
  p: FeeParameters,
  amount: bigint,
  callWeight: Weight,
  instructions: number,
  refundFee = 0n,
): PrepaidQuote {
  const weight = messageWeight(p, instructions, callWeight);
  const execution = perSecondFee(p.cru_per_second, weight);
  const refunded = perSecondRefund(p.cru_per_second, p.instruction_weight);
  let deposit = amount + p.cru_existential_deposit;
  if (deposit + refunded < refundFee) deposit = refundFee - refunded;
  const q = { total: execution + deposit, execution, deposit, refund: deposit + refunded, weight };
  if (q.total > U128_MAX || q.refund > U128_MAX) throw new PrepaidQuoteOverflow();
  return q;
}
