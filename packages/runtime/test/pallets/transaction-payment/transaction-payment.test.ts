/**
 * pallet_transaction_payment: the WeightToFee polynomial against polkadot-sdk's own vectors
 * (substrate/primitives/weights/src/weight_meter... `polynomial_works`, sp-weights lib.rs tests), the fee adapter's
 * withdraw / refund / sink split, the multiplier hook and genesis, and the fee details the RPC reports.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { TransactionValidityError } from '../../../src/extrinsic/transaction-validity.ts';
import { BalancesCurrency } from '../../../src/pallets/balances/index.ts';
import { Balances } from '../../../src/pallets/balances/index.ts';
import {
  burnFees,
  evalPolynomial,
  FIXED_ONE,
  fungibleFeeAdapter,
  IDENTITY_FEE,
  linearWeightToFee,
  NextFeeMultiplier,
  perbillFromRational,
  StorageVersion,
  type WeightToFeeCoefficient,
} from '../../../src/pallets/transaction-payment/index.ts';
import { Account as SystemAccount } from '../../../src/pallets/system/pallet.ts';
import { TotalIssuance } from '../../../src/pallets/balances/index.ts';
import { UNIT } from '../../../src/runtimes/index.ts';
import { buildBlock, newDevChain, read, signTx } from '../../runtimes/dev-chain.ts';
import { acc, id, inBlock, ready } from '../balances/helpers.ts';

beforeAll(() => ready);

const ED = 1_000_000_000n;

describe('WeightToFee polynomial (sp-weights `Poly`: 0.5x^3 + 2.333x^2 + 7x - 10_000)', () => {
  const poly: WeightToFeeCoefficient[] = [
    { coeffInteger: 0n, coeffFrac: 500_000_000n, negative: false, degree: 3 }, // Perbill::from_float(0.5)
    { coeffInteger: 2n, coeffFrac: perbillFromRational(1n, 3n), negative: false, degree: 2 },
    { coeffInteger: 7n, coeffFrac: 0n, negative: false, degree: 1 },
    { coeffInteger: 10_000n, coeffFrac: 0n, negative: true, degree: 0 },
  ];
  const at = (refTime: number) => evalPolynomial(poly, { refTime, proofSize: 0 });

  it('polynomial_works', () => {
    expect(at(100)).toBe(514_033n);
    expect(at(10_123)).toBe(518_917_034_928n);
  });
  it('polynomial_does_not_underflow', () => {
    expect(at(0)).toBe(0n);
    expect(at(10)).toBe(0n);
  });
  it('identity_fee_works, and the dev linear fee maps ExtrinsicBaseWeight to 1 mUNIT', () => {
    expect(evalPolynomial(IDENTITY_FEE, { refTime: 0, proofSize: 0 })).toBe(0n);
    expect(evalPolynomial(IDENTITY_FEE, { refTime: 50, proofSize: 0 })).toBe(50n);
    const base = { refTime: 125_000_000, proofSize: 0 };
    expect(evalPolynomial(linearWeightToFee(ED, base), base)).toBe(ED);
    // A fee that does not divide evenly keeps the fraction in Perbill (p % q / q).
    const odd = linearWeightToFee(10n ** 9n, { refTime: 3, proofSize: 0 });
    expect(odd).toEqual([
      { degree: 1, negative: false, coeffInteger: 333_333_333n, coeffFrac: 333_333_333n },
    ]);
  });
});

describe('FungibleAdapter', () => {
  it('withdraws keeping the payer alive, refunds the unused part, and hands fee and tip to the sink', () => {
    inBlock((b) => {
      b.dispatch(Balances.tx.force_set_balance({ who: id(acc(1)), new_free: 100n * ED }));
      const sunk: Array<[bigint, bigint]> = [];
      const adapter = fungibleFeeAdapter(BalancesCurrency, (fee, tip) => sunk.push([fee, tip]));
      // Would leave less than ED: refused, as can_withdraw must be Success (not ReducedToZero).
      expect(() => adapter.canWithdrawFee(acc(1), 100n * ED - 1n, 0n)).toThrow(TransactionValidityError);
      expect(() => adapter.canWithdrawFee(acc(2), 1n, 0n)).toThrow(TransactionValidityError);
      adapter.canWithdrawFee(acc(1), 99n * ED, 0n);
      b.clearEvents();
      const withdrawn = adapter.withdrawFee(acc(1), 10n * ED, 2n * ED);
      expect(withdrawn).toBe(10n * ED);
      adapter.correctAndDepositFee(acc(1), 6n * ED, 2n * ED, withdrawn);
      expect(SystemAccount.get(acc(1)).data.free).toBe(94n * ED);
      expect(sunk).toEqual([[4n * ED, 2n * ED]]);
      expect(b.events()).toEqual([
        ['Balances', 'Withdraw', { who: acc(1), amount: 10n * ED }],
        ['Balances', 'Deposit', { who: acc(1), amount: 4n * ED }],
      ]);
      // Nothing withdrawn (zero fee): nothing to correct.
      expect(adapter.withdrawFee(acc(1), 0n, 0n)).toBe(0n);
      adapter.correctAndDepositFee(acc(1), 0n, 0n, 0n);
      expect(sunk).toHaveLength(1);
    });
  });

  it('burnFees drops the credit: total issuance falls by fee + tip', () => {
    inBlock((b) => {
      b.dispatch(Balances.tx.force_set_balance({ who: id(acc(1)), new_free: 100n * ED }));
      const adapter = fungibleFeeAdapter(BalancesCurrency, burnFees(BalancesCurrency));
      const before = TotalIssuance.get();
      const w = adapter.withdrawFee(acc(1), 3n * ED, ED);
      adapter.correctAndDepositFee(acc(1), 3n * ED, ED, w);
      expect(TotalIssuance.get()).toBe(before - 3n * ED);
    });
  });
});

describe('pallet storage and the fee a block charges', () => {
  it('genesis sets StorageVersion V2 and the multiplier 1.0; the fee of a block equals query_fee_details', () => {
    const chain = newDevChain();
    expect(read(chain, () => [StorageVersion.get(), NextFeeMultiplier.get()])).toEqual(['V2', FIXED_ONE]);
    const { alice, bob } = chain.pairs;
    const xt = signTx(chain, alice, 'Balances', 'transfer_keep_alive', [{ Id: bob.publicKey }, UNIT], {
      nonce: 0,
    });
    const details = read(chain, () => chain.dev.executive.queryFeeDetails(xt, xt.length));
    const info = read(chain, () => chain.dev.executive.queryInfo(xt, xt.length));
    const i = details.inclusionFee!;
    expect(i.baseFee).toBe(ED); // ExtrinsicBaseWeight → 1 mUNIT
    expect(i.lenFee).toBe(BigInt(xt.length) * 10_000_000n);
    expect(info.partial_fee).toBe(i.baseFee + i.lenFee + i.adjustedWeightFee);
    const r = buildBlock(chain, [xt]);
    const paid = r.events.find((e) => e.name === 'TransactionFeePaid')!;
    expect(paid.fields.actual_fee).toBe(info.partial_fee);
  });
});
