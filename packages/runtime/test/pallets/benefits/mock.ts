/**
 * Crust's benefits mock (cstrml/benefits/src/mock.rs) as a runtime: System, Balances (ED 1), TransactionPayment and
 * Benefits with the mock's constants (BenefitReportWorkCost 50, BenefitsLimitRatio 1%, BenefitMarketCostRatio 95%,
 * BondingDuration 2), so Crust's own test expectations apply unchanged. Eras are driven by `updateEraBenefit`, as
 * Crust's tests do (the era clock is off).
 */

import { substrateScheme } from '../../../src/extrinsic/signature-scheme.ts';
import { signedOrigin } from '../../../src/frame/origin.ts';
import type { RuntimeCallValue } from '../../../src/frame/pallet.ts';
import type { DispatchOutcome } from '../../../src/frame/runtime.ts';
import { Balances, BalancesCurrency, issue } from '../../../src/pallets/balances/index.ts';
import { Benefits, type BenefitsConfig } from '../../../src/pallets/benefits/index.ts';
import { perbillFromPercent } from '../../../src/pallets/market/primitives.ts';
import { Number as BlockNumber, defaultSystemConfig, System } from '../../../src/pallets/system/index.ts';
import { TransactionPayment } from '../../../src/pallets/transaction-payment/index.ts';
import { defineChainRuntime } from '../../../src/runtimes/chain-runtime.ts';
import { devExtensions, devTransactionPaymentConfig } from '../../../src/runtimes/dev/config.ts';
import { MemoryBackend } from '../../../src/state/memory-backend.ts';
import { Overlay } from '../../../src/state/overlay.ts';

export const ALICE = new Uint8Array(32).fill(1);
export const BOB = new Uint8Array(32).fill(2);

export const MOCK_BENEFITS: BenefitsConfig = {
  currency: BalancesCurrency,
  issue,
  benefitReportWorkCost: 50n,
  benefitsLimitRatio: perbillFromPercent(1),
  benefitMarketCostRatio: perbillFromPercent(95),
  bondingDuration: 2,
  eraLength: 0,
};

export function makeBenefitsRuntime(config: Partial<BenefitsConfig> = {}) {
  return defineChainRuntime({
    pallets: [
      [0, System, defaultSystemConfig()],
      [1, Balances, { existentialDeposit: 1n, maxLocks: 50, maxReserves: 50, maxFreezes: 0 }],
      [2, TransactionPayment, devTransactionPaymentConfig],
      [3, Benefits, { ...MOCK_BENEFITS, ...config }],
    ],
    version: {
      spec_name: 'benefits-mock',
      impl_name: 'benefits-mock',
      authoring_version: 1,
      spec_version: 1,
      impl_version: 1,
      transaction_version: 1,
      system_version: 1,
    },
    scheme: substrateScheme,
    extensions: devExtensions,
  });
}

/** A state to run Crust's test bodies in: `run(fn)` keeps writes; `dispatch` as a signed account. */
export class BenefitsExt {
  readonly chain: ReturnType<typeof makeBenefitsRuntime>;
  readonly backend: MemoryBackend;

  constructor(balances: Array<[Uint8Array, bigint]>, config: Partial<BenefitsConfig> = {}) {
    this.chain = makeBenefitsRuntime(config);
    const overlay = this.chain.runtime.buildGenesis({ Balances: { balances } });
    this.backend = new MemoryBackend();
    this.backend.apply(overlay.drainChanges());
    // Block 1, as Crust's mock sets it: events are recorded past genesis.
    this.run(() => BlockNumber.set(1));
  }

  run<T>(fn: () => T): T {
    const overlay = new Overlay(this.backend);
    const out = this.chain.runtime.execute(overlay, fn);
    this.backend.apply(overlay.drainChanges());
    return out;
  }

  dispatch(who: Uint8Array, call: RuntimeCallValue): DispatchOutcome {
    return this.run(() => this.chain.runtime.dispatch(call, signedOrigin(who)));
  }
}

export const benefitsCall = (type: string, value: Record<string, unknown>): RuntimeCallValue => ({
  type: 'Benefits',
  value: { type, value },
});
