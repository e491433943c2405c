/**
 * Dispatching a call from inside pallet code (Sudo's `sudo(call)`, Utility's batches, XCM `Transact`): pallets do
 * not know the runtime they are part of, so they reach it through the env. The inner call gets its own storage
 * layer like any dispatch.
 */
import { currentEnv } from './env.ts';
import type { Origin } from './origin.ts';
import type { RuntimeCallValue } from './pallet.ts';
import type { DispatchOutcome } from './runtime.ts';
import type { DispatchInfo } from './weights.ts';

export function dispatchCall(call: RuntimeCallValue, origin: Origin): DispatchOutcome {
  return currentEnv('dispatching a call').runtime.dispatch(call, origin) as DispatchOutcome;
}

export function callInfoOf(call: RuntimeCallValue): DispatchInfo {
  return currentEnv('a call weight').runtime.callInfo(call) as DispatchInfo;
}
