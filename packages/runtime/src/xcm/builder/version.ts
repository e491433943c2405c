/**
 * `WrapVersion` / `GetVersion` (xcm `wrap_version`): routers wrap a V5 message in the newest version its
 * destination is known to speak (pallet-xcm keeps what it learns in `SupportedVersion`, falling back to
 * `SafeXcmVersion`), converting it down as polkadot-sdk's `into_version` does.
 */
import {
  type Location,
  type VersionedXcm,
  type Xcm,
  type XcmVersion,
  intoVersion,
  LATEST_VERSION,
} from '../index.ts';

export interface WrapVersion {
  /** The message as `dest` should receive it, or undefined when no version is known (or it does not convert). */
  wrapVersion(dest: Location, message: Xcm): VersionedXcm | undefined;
}

/** `GetVersion`: the version `dest` is known to speak. */
export interface GetVersion {
  getVersionFor(dest: Location): number | undefined;
}

/** `AlwaysLatest` / `AlwaysV4` / `AlwaysV3`-style wrappers: a fixed version for every destination. */
export function alwaysVersion(version: XcmVersion = LATEST_VERSION): WrapVersion {
  return { wrapVersion: (_dest, message) => wrapInVersion(message, version) };
}

/** `VersionedXcm::from(message).into_version(v)`, or undefined where the conversion fails. */
export function wrapInVersion(message: Xcm, version: number): VersionedXcm | undefined {
  try {
    return intoVersion({ type: 'V5', value: message }, Math.min(version, LATEST_VERSION));
  } catch {
    return undefined;
  }
}
