/** OAK and Crust in memory (xstorage's test network) and the automation's calls, for its runtime tests. */
import { signedOrigin } from '../../../src/frame/origin.ts';
import type { DispatchOutcome } from '../../../src/frame/runtime.ts';
import { XstorageAutomation } from '../../../src/pallets/xstorage-automation/index.ts';
import { crustProfile } from '../../../src/runtimes/crust/index.ts';
import { oakProfile } from '../../../src/runtimes/oak/index.ts';
import { u128 } from '../../../src/scale/index.ts';
import { Overlay } from '../../../src/state/overlay.ts';
import { type TestChain, TestNetwork } from '../xstorage/network.ts';

export const OAK = 2090;

export function makeOakNetwork(): TestNetwork {
  return new TestNetwork([crustProfile, oakProfile]);
}

export function schedule(
  chain: TestChain,
  who: Uint8Array,
  cid: Uint8Array,
  amount: bigint,
  at_block: number,
): DispatchOutcome {
  return chain.dispatch(XstorageAutomation.tx.schedule_prepaid({ cid, amount, at_block }), signedOrigin(who));
}

export function cancel(chain: TestChain, who: Uint8Array, task_id: Uint8Array): DispatchOutcome {
  return chain.dispatch(XstorageAutomation.tx.cancel_prepaid({ task_id }), signedOrigin(who));
}

/** `XstorageAutomationApi.estimate_prepaid_fee`, as a client calls it. */
export function estimatePrepaidFee(chain: TestChain, amount: bigint): bigint {
  return u128.decode(
    chain.runtime.callApi(
      new Overlay(chain.backend),
      'XstorageAutomationApi_estimate_prepaid_fee',
      u128.encode(amount),
    ),
  );
}

/** Opens blocks on `chain` alone until it is at `n`. */
export function advanceTo(chain: TestChain, n: number): void {
  while (chain.number < n) chain.nextBlock();
}
