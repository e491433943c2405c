/**
 * Crust's `benefits` against Crust's own tests (crustio/crust mainnet cstrml/benefits/src/tests.rs, run here in the
 * same mock: mock.ts): the expected records, eras of unlocking chunks, fee reductions and total issuance are Crust's
 * numbers. `Perbill::from_rational_approximation` against sp-arithmetic 3.0's own test vectors (per_things.rs
 * `per_thing_from_rationale_approx_works`).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { initCrypto } from '../../../src/crypto/index.ts';
import { noneOrigin } from '../../../src/frame/origin.ts';
import {
  dropCredit,
  freeBalance,
  reservedBalance,
  TotalIssuance,
  totalBalance,
} from '../../../src/pallets/balances/index.ts';
import {
  benefitInterface,
  CurrentBenefits,
  MAX_UNLOCKING_CHUNKS,
  MarketBenefits,
  maybeFreeCount,
  maybeReduceFee,
  perbillFromRationalApproximation,
  SworkBenefits,
  updateEraBenefit,
} from '../../../src/pallets/benefits/index.ts';
import { Events } from '../../../src/pallets/system/index.ts';
import { ScaleDecodeError } from '../../../src/scale/errors.ts';
import { ALICE, BenefitsExt, BOB, benefitsCall } from './mock.ts';

beforeAll(() => initCrypto());

const add = (value: bigint, type: 'SWORK' | 'MARKET') =>
  benefitsCall('add_benefit_funds', { value, funds_type: { type } });
const cut = (value: bigint, type: 'SWORK' | 'MARKET') =>
  benefitsCall('cut_benefit_funds', { value, funds_type: { type } });
const rebondCall = (value: bigint, type: 'SWORK' | 'MARKET') =>
  benefitsCall('rebond_benefit_funds', { value, funds_type: { type } });
const withdraw = () => benefitsCall('withdraw_benefit_funds', {});

const era = (quota: bigint, marketFunds: bigint, used: bigint, active: number) => ({
  total_fee_reduction_quota: quota,
  total_market_active_funds: marketFunds,
  used_fee_reduction_quota: used,
  active_era: active,
});
const chunk = (value: bigint, e: number) => ({ value, era: e });

function ok(outcome: { ok: boolean; error?: unknown }) {
  expect(
    outcome,
    JSON.stringify(outcome, (_k, v) => (typeof v === 'bigint' ? `${v}` : v)),
  ).toMatchObject({
    ok: true,
  });
}

function moduleError(outcome: any, index: number): void {
  expect(outcome.ok).toBe(false);
  expect(outcome.error.type).toBe('Module');
  expect(outcome.error.value.index).toBe(3);
  expect([...outcome.error.value.error]).toEqual([index, 0, 0, 0]);
}

describe('Perbill::from_rational_approximation (sp-arithmetic 3.0)', () => {
  it('gives sp-arithmetic per_things.rs test results', () => {
    const max = 1_000_000_000n;
    expect(perbillFromRationalApproximation(max - 1n, max + 1n)).toBe(1_000_000_000 - 2);
    expect(perbillFromRationalApproximation(1n, max - 1n)).toBe(1);
    expect(perbillFromRationalApproximation(1n, max)).toBe(1);
    expect(perbillFromRationalApproximation(2n, 2n * max - 1n)).toBe(1);
    expect(perbillFromRationalApproximation(1n, max + 1n)).toBe(0);
    expect(perbillFromRationalApproximation((3n * max) / 2n, 3n * max)).toBe(500_000_000);
    expect(perbillFromRationalApproximation(1n, 0n)).toBe(1_000_000_000);
    expect(perbillFromRationalApproximation(1n, 1n)).toBe(1_000_000_000);
    expect(perbillFromRationalApproximation(1n, 10n)).toBe(100_000_000);
    expect(perbillFromRationalApproximation(1n, 4n)).toBe(perbillFromRationalApproximation(2n, 8n));
    const u128Max = (1n << 128n) - 1n;
    expect(perbillFromRationalApproximation(1n, u128Max)).toBe(0);
    // (0, 0): q becomes 1, p stays 0 — no share, unlike (p > 0, 0).
    expect(perbillFromRationalApproximation(0n, 0n)).toBe(0);
    // BenefitsLimitRatio of Crust's runtime: from_rational_approximation(2, 1000).
    expect(perbillFromRationalApproximation(2n, 1000n)).toBe(2_000_000);
  });
});

describe('benefits (Crust tests.rs in its mock)', () => {
  it('update_overall_info_should_work', () => {
    const ext = new BenefitsExt([]);
    ext.run(() => {
      updateEraBenefit(10, 100n);
      expect(CurrentBenefits.get()).toEqual(era(1n, 0n, 0n, 10));
    });
  });

  it('add_benefit_funds_should_work: SWORK counts fee-free reports, MARKET adds collateral; both reserved', () => {
    const ext = new BenefitsExt([[ALICE, 200_000n]]);
    ext.run(() => updateEraBenefit(10, 100n));
    ok(ext.dispatch(ALICE, add(100n, 'SWORK')));
    ext.run(() => {
      expect(SworkBenefits.get(ALICE)).toEqual({
        total_funds: 100n,
        active_funds: 100n,
        total_fee_reduction_count: 2,
        used_fee_reduction_count: 0,
        refreshed_at: 0,
        unlocking_funds: [],
      });
      expect(MarketBenefits.contains(ALICE)).toBe(false);
      expect(CurrentBenefits.get()).toEqual(era(1n, 0n, 0n, 10));
    });
    ok(ext.dispatch(ALICE, add(100n, 'MARKET')));
    ext.run(() => {
      expect(MarketBenefits.get(ALICE)).toEqual({
        total_funds: 100n,
        active_funds: 100n,
        used_fee_reduction_quota: 0n,
        file_reward: 0n,
        refreshed_at: 0,
        unlocking_funds: [],
      });
      expect(CurrentBenefits.get()).toEqual(era(1n, 100n, 0n, 10));
      expect(reservedBalance(ALICE)).toBe(200n);
      expect(freeBalance(ALICE)).toBe(199_800n);
      const events = Events.get().map((r: any) => r.event);
      expect(events.at(-1)).toEqual({
        type: 'Benefits',
        value: { type: 'AddBenefitFundsSuccess', value: [ALICE, 100n, { type: 'MARKET' }] },
      });
    });
  });

  it('cut_benefit_funds_should_work: chunks unlock BondingDuration eras later', () => {
    const ext = new BenefitsExt([[ALICE, 200_000n]]);
    ext.run(() => updateEraBenefit(10, 100n));
    ok(ext.dispatch(ALICE, add(100n, 'SWORK')));
    ok(ext.dispatch(ALICE, cut(50n, 'SWORK')));
    ext.run(() =>
      expect(SworkBenefits.get(ALICE)).toEqual({
        total_funds: 100n,
        active_funds: 50n,
        total_fee_reduction_count: 1,
        used_fee_reduction_count: 0,
        refreshed_at: 0,
        unlocking_funds: [chunk(50n, 12)],
      }),
    );
    ok(ext.dispatch(ALICE, cut(50n, 'SWORK')));
    ext.run(() => {
      expect(SworkBenefits.get(ALICE).unlocking_funds).toEqual([chunk(50n, 12), chunk(50n, 12)]);
      expect(SworkBenefits.get(ALICE).total_fee_reduction_count).toBe(0);
    });
    ok(ext.dispatch(ALICE, add(100n, 'MARKET')));
    ok(ext.dispatch(ALICE, cut(50n, 'MARKET')));
    ext.run(() => {
      expect(MarketBenefits.get(ALICE)).toMatchObject({
        total_funds: 100n,
        active_funds: 50n,
        unlocking_funds: [chunk(50n, 12)],
      });
      expect(CurrentBenefits.get()).toEqual(era(1n, 50n, 0n, 10));
    });
    ok(ext.dispatch(ALICE, cut(50n, 'MARKET')));
    ext.run(() => expect(CurrentBenefits.get()).toEqual(era(1n, 0n, 0n, 10)));
  });

  it('maybe_free_count_should_work: as many fee-free reports per era as the funds cover', () => {
    const ext = new BenefitsExt([[ALICE, 200_000n]]);
    ext.run(() => {
      updateEraBenefit(10, 100n);
      expect(maybeFreeCount(ALICE)).toBe(false);
      expect(SworkBenefits.contains(ALICE)).toBe(false);
    });
    ok(ext.dispatch(ALICE, add(105n, 'SWORK')));
    ext.run(() => {
      expect(maybeFreeCount(ALICE)).toBe(true);
      expect(SworkBenefits.get(ALICE)).toMatchObject({
        total_fee_reduction_count: 2,
        used_fee_reduction_count: 1,
        refreshed_at: 10,
      });
      expect(benefitInterface.maybeFreeCount!(ALICE)).toBe(true);
      expect(maybeFreeCount(ALICE)).toBe(false);
      expect(SworkBenefits.get(ALICE).used_fee_reduction_count).toBe(2);
      updateEraBenefit(11, 100n);
      expect(maybeFreeCount(ALICE)).toBe(true);
      expect(SworkBenefits.get(ALICE)).toMatchObject({ used_fee_reduction_count: 1, refreshed_at: 11 });
    });
  });

  it('maybe_reduce_fee_should_work: issuance 200 → 180 → 179', () => {
    const ext = new BenefitsExt([[ALICE, 200n]]);
    ext.run(() => {
      expect(TotalIssuance.get()).toBe(200n);
      updateEraBenefit(10, 10_000n);
      expect(CurrentBenefits.get()).toEqual(era(100n, 0n, 0n, 10));
      // No market funds: no reduction, nothing recorded.
      const first = maybeReduceFee(ALICE, 20n);
      expect(first).toEqual({ credit: 20n, reduced: 0n });
      dropCredit(first.credit);
      expect(MarketBenefits.contains(ALICE)).toBe(false);
      expect(totalBalance(ALICE)).toBe(180n);
      expect(TotalIssuance.get()).toBe(180n);
    });
    ok(ext.dispatch(ALICE, add(105n, 'MARKET')));
    ext.run(() => {
      const second = maybeReduceFee(ALICE, 20n);
      expect(second).toEqual({ credit: 20n, reduced: 19n });
      dropCredit(second.credit);
      expect(MarketBenefits.get(ALICE)).toMatchObject({
        total_funds: 105n,
        active_funds: 105n,
        used_fee_reduction_quota: 19n,
        refreshed_at: 10,
      });
      expect(CurrentBenefits.get()).toEqual(era(100n, 105n, 19n, 10));
      expect(TotalIssuance.get()).toBe(179n);
      expect(totalBalance(ALICE)).toBe(179n);
      // update_overall_info_should_return_used_fee
      expect(updateEraBenefit(11, 10_000n)).toBe(19n);
      expect(CurrentBenefits.get()).toEqual(era(100n, 105n, 0n, 11));
    });
  });

  it('free_fee_limit_should_work: own share of the quota, then the era quota', () => {
    const ext = new BenefitsExt([
      [ALICE, 200n],
      [BOB, 300n],
    ]);
    ext.run(() => updateEraBenefit(10, 10_000n));
    ok(ext.dispatch(ALICE, add(100n, 'MARKET')));
    ok(ext.dispatch(BOB, add(100n, 'MARKET')));
    const reduce = (who: Uint8Array, fee: bigint) =>
      ext.run(() => {
        const r = maybeReduceFee(who, fee);
        dropCredit(r.credit);
        return r;
      });
    expect(reduce(ALICE, 40n)).toEqual({ credit: 40n, reduced: 38n });
    ext.run(() => {
      expect(CurrentBenefits.get()).toEqual(era(100n, 200n, 38n, 10));
      expect(TotalIssuance.get()).toBe(498n);
      expect(totalBalance(ALICE)).toBe(198n);
    });
    // Alice's half of the quota (50) does not cover another 38.
    expect(reduce(ALICE, 40n)).toEqual({ credit: 40n, reduced: 0n });
    ext.run(() => {
      expect(TotalIssuance.get()).toBe(458n);
      expect(totalBalance(ALICE)).toBe(158n);
    });
    ok(ext.dispatch(BOB, cut(100n, 'MARKET')));
    ext.run(() => expect(CurrentBenefits.get()).toEqual(era(100n, 100n, 38n, 10)));
    // Bob cut his collateral: Alice holds all of it now.
    expect(reduce(ALICE, 40n)).toEqual({ credit: 40n, reduced: 38n });
    ext.run(() => {
      expect(MarketBenefits.get(ALICE).used_fee_reduction_quota).toBe(76n);
      expect(TotalIssuance.get()).toBe(456n);
      expect(totalBalance(ALICE)).toBe(156n);
    });
    ok(ext.dispatch(BOB, add(100n, 'MARKET')));
    // Bob's own share (50) covers 38 but the era's quota (100 - 76) does not.
    expect(reduce(BOB, 40n)).toEqual({ credit: 40n, reduced: 0n });
    ext.run(() => {
      expect(MarketBenefits.get(BOB)).toMatchObject({
        total_funds: 200n,
        active_funds: 100n,
        used_fee_reduction_quota: 0n,
        refreshed_at: 0,
        unlocking_funds: [chunk(100n, 12)],
      });
      expect(TotalIssuance.get()).toBe(416n);
      expect(totalBalance(BOB)).toBe(260n);
    });
  });

  it('currency_is_insufficient: the reduction fails with the currency error and changes nothing', () => {
    const ext = new BenefitsExt([[ALICE, 30n]]);
    ext.run(() => updateEraBenefit(10, 10_000n));
    const before = ext.run(() => [TotalIssuance.get(), totalBalance(ALICE)]);
    expect(() => ext.run(() => maybeReduceFee(ALICE, 40n))).toThrow();
    ok(ext.dispatch(ALICE, add(25n, 'MARKET')));
    expect(() => ext.run(() => maybeReduceFee(ALICE, 200n))).toThrow();
    ext.run(() => {
      expect([TotalIssuance.get(), totalBalance(ALICE)]).toEqual(before);
      expect(MarketBenefits.get(ALICE).used_fee_reduction_quota).toBe(0n);
      expect(CurrentBenefits.get().used_fee_reduction_quota).toBe(0n);
    });
  });

  it('cut_benefits_funds_should_exceed_max_chunks_limit: NoMoreChunks (error 2) after 16 chunks', () => {
    const ext = new BenefitsExt([[ALICE, 200n]]);
    ext.run(() => updateEraBenefit(10, 100n));
    ok(ext.dispatch(ALICE, add(100n, 'MARKET')));
    for (let i = 0; i < MAX_UNLOCKING_CHUNKS; i++) {
      ok(ext.dispatch(ALICE, cut(5n, 'MARKET')));
      ext.run(() => {
        expect(MarketBenefits.get(ALICE).active_funds).toBe(95n - BigInt(i) * 5n);
        expect(MarketBenefits.get(ALICE).unlocking_funds.length).toBe(i + 1);
      });
    }
    moduleError(ext.dispatch(ALICE, cut(5n, 'MARKET')), 2);
  });

  it('withdraw_benefits_funds_should_work: unlocked chunks are unreserved; an empty record is removed', () => {
    const ext = new BenefitsExt([[ALICE, 200n]]);
    const nextEra = (n: number) => ext.run(() => updateEraBenefit(n, 100n));
    nextEra(10);
    ok(ext.dispatch(ALICE, add(100n, 'MARKET')));
    ok(ext.dispatch(ALICE, cut(15n, 'MARKET')));
    nextEra(11);
    ok(ext.dispatch(ALICE, cut(10n, 'MARKET')));
    nextEra(12);
    ok(ext.dispatch(ALICE, cut(5n, 'MARKET')));
    nextEra(13);
    ok(ext.dispatch(ALICE, withdraw()));
    ext.run(() => {
      expect(MarketBenefits.get(ALICE)).toMatchObject({
        total_funds: 75n,
        active_funds: 70n,
        unlocking_funds: [chunk(5n, 14)],
      });
      expect(reservedBalance(ALICE)).toBe(75n);
      const last = Events.get().at(-1) as any;
      expect(last.event.value).toEqual({ type: 'WithdrawBenefitFundsSuccess', value: [ALICE, 25n] });
    });
    ok(ext.dispatch(ALICE, cut(15n, 'MARKET')));
    nextEra(14);
    ok(ext.dispatch(ALICE, withdraw()));
    ext.run(() =>
      expect(MarketBenefits.get(ALICE)).toMatchObject({
        total_funds: 70n,
        active_funds: 55n,
        unlocking_funds: [chunk(15n, 15)],
      }),
    );
    nextEra(15);
    ok(ext.dispatch(ALICE, withdraw()));
    ok(ext.dispatch(ALICE, cut(55n, 'MARKET')));
    nextEra(17);
    ext.run(() => benefitInterface.updateReward(ALICE, 100n));
    ok(ext.dispatch(ALICE, withdraw()));
    ext.run(() => {
      expect(MarketBenefits.get(ALICE)).toEqual({
        total_funds: 0n,
        active_funds: 0n,
        used_fee_reduction_quota: 0n,
        file_reward: 100n,
        refreshed_at: 0,
        unlocking_funds: [],
      });
      expect(reservedBalance(ALICE)).toBe(0n);
      expect(freeBalance(ALICE)).toBe(200n);
      expect(benefitInterface.collateralAndReward(ALICE)).toEqual([0n, 100n]);
      benefitInterface.updateReward(ALICE, 0n);
      expect(MarketBenefits.contains(ALICE)).toBe(false);
    });
  });

  it('rebond_market_benefits_funds_should_work / rebond_swork_…: the latest chunks go back first', () => {
    for (const type of ['MARKET', 'SWORK'] as const) {
      const ext = new BenefitsExt([[ALICE, 200n]]);
      const nextEra = (n: number) => ext.run(() => updateEraBenefit(n, 100n));
      nextEra(10);
      ok(ext.dispatch(ALICE, add(100n, type)));
      ok(ext.dispatch(ALICE, cut(15n, type)));
      nextEra(11);
      ok(ext.dispatch(ALICE, cut(10n, type)));
      nextEra(12);
      ok(ext.dispatch(ALICE, cut(5n, type)));
      nextEra(13);
      ok(ext.dispatch(ALICE, cut(15n, type)));
      nextEra(14);
      const record = () => ext.run(() => (type === 'MARKET' ? MarketBenefits : SworkBenefits).get(ALICE));
      ok(ext.dispatch(ALICE, rebondCall(10n, type)));
      expect(record()).toMatchObject({
        total_funds: 100n,
        active_funds: 65n,
        unlocking_funds: [chunk(15n, 12), chunk(10n, 13), chunk(5n, 14), chunk(5n, 15)],
      });
      ok(ext.dispatch(ALICE, rebondCall(10n, type)));
      expect(record()).toMatchObject({
        active_funds: 75n,
        unlocking_funds: [chunk(15n, 12), chunk(10n, 13)],
      });
      ok(ext.dispatch(ALICE, rebondCall(100n, type)));
      expect(record()).toMatchObject({ total_funds: 100n, active_funds: 100n, unlocking_funds: [] });
      if (type === 'MARKET') ext.run(() => expect(CurrentBenefits.get()).toEqual(era(1n, 100n, 0n, 14)));
      else expect(record()).toMatchObject({ total_fee_reduction_count: 2 });
      // Nothing left to rebond.
      moduleError(ext.dispatch(ALICE, rebondCall(1n, type)), 3);
    }
  });
});

describe('the era clock (no staking here)', () => {
  it('starts era n / eraLength at block n with BenefitsLimitRatio × eraReward as its quota; chunks unlock with it', () => {
    const ext = new BenefitsExt([[ALICE, 1_000n]], { eraLength: 5, eraReward: (e) => 1_000n * BigInt(e) });
    ok(ext.dispatch(ALICE, add(100n, 'MARKET')));
    ok(ext.dispatch(ALICE, cut(40n, 'MARKET')));
    ext.run(() => expect(MarketBenefits.get(ALICE).unlocking_funds).toEqual([chunk(40n, 2)]));
    const header = (number: number) => ({
      parentHash: new Uint8Array(32),
      number,
      stateRoot: new Uint8Array(32),
      extrinsicsRoot: new Uint8Array(32),
      digest: { logs: [] },
    });
    for (let n = 2; n <= 10; n++) {
      ext.run(() => ext.chain.executive.initializeBlock(header(n)));
      const era = ext.run(() => CurrentBenefits.get());
      expect(era.active_era, `block ${n}`).toBe(Math.floor(n / 5));
      // 1% of the era's reward (1,000 × era).
      expect(era.total_fee_reduction_quota).toBe(10n * BigInt(Math.floor(n / 5)));
      if (n === 9) {
        ok(ext.dispatch(ALICE, withdraw()));
        ext.run(() => expect(reservedBalance(ALICE)).toBe(100n));
      }
    }
    ok(ext.dispatch(ALICE, withdraw()));
    ext.run(() => {
      expect(reservedBalance(ALICE)).toBe(60n);
      expect(MarketBenefits.get(ALICE).unlocking_funds).toEqual([]);
    });
  });
});

describe('benefits refusals change nothing', () => {
  it('reserving more than the free balance is InsuffientBalance (error 0)', () => {
    const ext = new BenefitsExt([[ALICE, 100n]]);
    const before = ext.run(() => [freeBalance(ALICE), reservedBalance(ALICE)]);
    moduleError(ext.dispatch(ALICE, add(101n, 'MARKET')), 0);
    ext.run(() => {
      expect([freeBalance(ALICE), reservedBalance(ALICE)]).toEqual(before);
      expect(MarketBenefits.contains(ALICE)).toBe(false);
      expect(CurrentBenefits.get().total_market_active_funds).toBe(0n);
    });
  });

  it('cut or rebond without a record is InvalidTarget (error 1); unsigned calls are BadOrigin', () => {
    const ext = new BenefitsExt([[ALICE, 100n]]);
    moduleError(ext.dispatch(BOB, cut(1n, 'MARKET')), 1);
    moduleError(ext.dispatch(BOB, rebondCall(1n, 'SWORK')), 1);
    const unsigned = ext.run(() => ext.chain.runtime.dispatch(add(1n, 'MARKET'), noneOrigin()));
    expect(unsigned).toMatchObject({ ok: false, error: { type: 'BadOrigin' } });
  });

  it('hostile call bytes: an unknown FundsType, truncated value, trailing bytes are decode errors', () => {
    const ext = new BenefitsExt([]);
    const codec = ext.chain.runtime.callCodec;
    const good = codec.encode(add(5n, 'MARKET'));
    expect([...good]).toEqual([3, 0, 5 << 2, 1]);
    expect(() => codec.decode(Uint8Array.of(3, 0, 5 << 2, 2))).toThrow(ScaleDecodeError);
    expect(() => codec.decode(Uint8Array.of(3, 0, 0x03))).toThrow(ScaleDecodeError);
    expect(() => codec.decode(Uint8Array.of(3, 0, 5 << 2, 1, 0))).toThrow(ScaleDecodeError);
    expect(() => codec.decode(Uint8Array.of(3, 9))).toThrow(ScaleDecodeError);
  });
});
