/**
 * Call filters carried by an origin (FRAME's `OriginTrait::add_filter` / `set_caller_from`): Proxy restricts what a
 * delegate may do as the real account, `batch_all` forbids nesting itself, and every call dispatched with that
 * origin later (the inner calls of a batch, a derivative's call) must pass them, on top of the runtime's
 * BaseCallFilter. Root passes every filter, as in FRAME. The filters live beside the origin value (its identity),
 * so `Origin` stays the plain union the rest of the runtime uses.
 */
import { currentEnv } from '../../frame/env.ts';
import type { Origin } from '../../frame/origin.ts';
import type { RuntimeCallValue } from '../../frame/pallet.ts';
import type { DispatchOutcome, Runtime } from '../../frame/runtime.ts';
import { SystemError } from '../system/pallet.ts';

export type CallFilter = (call: RuntimeCallValue) => boolean;

const carried = new WeakMap<Origin, readonly CallFilter[]>();

/** The filters `origin` carries (none for a fresh origin). */
export function originFilters(origin: Origin): readonly CallFilter[] {
  return carried.get(origin) ?? [];
}

/** `origin.add_filter(f)`: a copy of `origin` whose calls must also pass `f`. */
export function addFilter(origin: Origin, filter: CallFilter): Origin {
  const copy = { ...origin } as Origin;
  carried.set(copy, [...originFilters(origin), filter]);
  return copy;
}

/** `origin.set_caller_from(caller)`: `caller`, keeping the filters `from` carries. */
export function withCallerFrom(from: Origin, caller: Origin): Origin {
  const filters = originFilters(from);
  if (filters.length === 0) return caller;
  const copy = { ...caller } as Origin;
  carried.set(copy, filters);
  return copy;
}

/** `origin.filter_call(call)`: Root passes; otherwise every carried filter must accept the call. */
export function originAllows(origin: Origin, call: RuntimeCallValue): boolean {
  if (origin.type === 'Root') return true;
  return originFilters(origin).every((f) => f(call));
}

function runtime(): Runtime {
  return currentEnv('dispatching a call').runtime as unknown as Runtime;
}

/**
 * `call.dispatch(origin)`: fails with System's `CallFiltered` when a filter the origin carries refuses the call,
 * otherwise dispatches it in its own storage layer (the runtime applies BaseCallFilter to non-Root origins).
 */
export function dispatchFiltered(call: RuntimeCallValue, origin: Origin): DispatchOutcome {
  if (!originAllows(origin, call)) {
    return { ok: false, error: SystemError.error('CallFiltered'), postInfo: {} };
  }
  return runtime().dispatch(call, origin);
}
