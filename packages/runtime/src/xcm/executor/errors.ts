/**
 * How the executor and its adapters fail. polkadot-sdk returns `Err(XcmError)`; here an adapter or an instruction
 * throws an `XcmFailure` carrying the `XcmError` value (the wire enum) and, for people, a reason: Rust's
 * `FailedToTransactAsset(&'static str)` and `Transport(&'static str)` carry a text that is `#[codec(skip)]`, so it
 * lives in `reason`, never on the wire.
 */
import type { XcmError } from '../index.ts';

export type XcmErrorName = XcmError['type'];

/**
 * Failures are ordinary control flow here (a tuple tries the next adapter after `AssetNotFound`, a trader after
 * `TooExpensive`), so no stack trace is captured: that capture was a tenth of a reserve transfer's execution time.
 * Set `XcmFailure.captureStacks = true` while debugging to get them back.
 */
export class XcmFailure extends Error {
  static captureStacks = false;
  readonly error: XcmError;
  readonly reason?: string;
  constructor(error: XcmError, reason?: string) {
    const limit = Error.stackTraceLimit;
    if (!XcmFailure.captureStacks) Error.stackTraceLimit = 0;
    super(reason ? `${describeXcmError(error)}: ${reason}` : describeXcmError(error));
    Error.stackTraceLimit = limit;
    this.name = 'XcmFailure';
    this.error = error;
    if (reason !== undefined) this.reason = reason;
  }
}

/** An `XcmError` without payload (`{ type: 'BadOrigin' }`). */
export function xcmError(type: Exclude<XcmErrorName, 'Trap' | 'WeightLimitReached'>): XcmError {
  return { type } as XcmError;
}

/** The exception for `Err(XcmError::<type>)`. */
export function xcmFail(
  type: Exclude<XcmErrorName, 'Trap' | 'WeightLimitReached'>,
  reason?: string,
): XcmFailure {
  return new XcmFailure({ type } as XcmError, reason);
}

export function describeXcmError(e: XcmError): string {
  if (e.type === 'Trap') return `Trap(${e.value})`;
  if (e.type === 'WeightLimitReached') return `WeightLimitReached(${e.value.refTime}, ${e.value.proofSize})`;
  return e.type;
}

/** Whether `err` is an `XcmFailure` with error `type`. */
export function isXcmFailure(err: unknown, ...types: XcmErrorName[]): err is XcmFailure {
  return err instanceof XcmFailure && (types.length === 0 || types.includes(err.error.type));
}

/** Two XCM errors are equal (Rust's derived `PartialEq`, payloads included; skipped texts ignored). */
export function xcmErrorEquals(a: XcmError, b: XcmError): boolean {
  if (a.type !== b.type) return false;
  if (a.type === 'Trap') return a.value === (b as typeof a).value;
  if (a.type === 'WeightLimitReached') {
    const w = (b as typeof a).value;
    return a.value.refTime === w.refTime && a.value.proofSize === w.proofSize;
  }
  return true;
}
