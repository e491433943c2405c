/**
 * `Transact`'s `DoubleEncoded` call, decoded as the current runtime's `RuntimeCall` the way polkadot-sdk's
 * `ensure_decoded` does (whole input, `MAX_XCM_DECODE_DEPTH`), once per message: the weigher needs its weight
 * before execution and the executor dispatches it after, so the decoded value is remembered per call object and
 * runtime.
 */
import { currentEnv } from '../../frame/env.ts';
import type { RuntimeCallValue } from '../../frame/pallet.ts';
import type { DispatchInfo } from '../../frame/weights.ts';
import { type DoubleEncoded, MAX_XCM_DECODE_DEPTH, decodeAllWithDepthLimit } from '../index.ts';
import { xcmFail } from './errors.ts';

const decoded = new WeakMap<DoubleEncoded, { runtime: unknown; call: RuntimeCallValue | undefined }>();

/** The call, or `XcmFailure(FailedToDecode)`. */
export function decodeTransactCall(call: DoubleEncoded): RuntimeCallValue {
  const runtime = currentEnv('decoding a Transact call').runtime;
  let entry = decoded.get(call);
  if (!entry || entry.runtime !== runtime) {
    let value: RuntimeCallValue | undefined;
    try {
      value = decodeAllWithDepthLimit(runtime.callCodec, call.encoded, MAX_XCM_DECODE_DEPTH);
    } catch {
      value = undefined;
    }
    entry = { runtime, call: value };
    decoded.set(call, entry);
  }
  if (!entry.call) throw xcmFail('FailedToDecode', 'the call does not decode as this runtime RuntimeCall');
  return entry.call;
}

/** The call's declared dispatch info (`get_dispatch_info`), or `XcmFailure(FailedToDecode)`. */
export function transactCallInfo(call: DoubleEncoded): DispatchInfo {
  const value = decodeTransactCall(call);
  try {
    return currentEnv('a call weight').runtime.callInfo(value) as DispatchInfo;
  } catch {
    // A call value the runtime cannot weigh (no such call): as good as undecodable.
    throw xcmFail('FailedToDecode', 'the call is unknown to this runtime');
  }
}
