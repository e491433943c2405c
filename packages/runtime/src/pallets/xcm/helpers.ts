/** Small conversions pallet-xcm uses in several places. */
import { type Location, toLatestLocation, type VersionedLocation, type XcmError } from '../../xcm/index.ts';
import { executionErrorIndex } from './types.ts';

/** `Location::try_from(versioned)`, or undefined where it does not convert. */
export function tryLatest(v: VersionedLocation): Location | undefined {
  try {
    return toLatestLocation(v);
  } catch {
    return undefined;
  }
}

/** The `ExecutionError` byte of an XCM error (`LocalExecutionIncompleteWithError`'s second field). */
export function executionErrorBytes(e: XcmError): number {
  return executionErrorIndex(e);
}
