/**
 * The dispatch origins XCM adds to `Origins` (declaration merging, so `Origin` stays one union):
 * - pallet-xcm's `Xcm(Location)` (what `Transact` with `OriginKind::Xcm` dispatches as) and `Response(Location)`
 *   (what a query's notify call is dispatched as);
 * - cumulus_pallet_xcm's `Relay` and `SiblingParachain(ParaId)` (`Transact` with `OriginKind::Native` from the relay
 *   or a sibling, on a parachain).
 * The relay's `Parachain(ParaId)` is declared by the relay pallets (pallets/relay/origin.ts).
 */
import { badOrigin } from '../../frame/dispatch-error.ts';
import type { Origin } from '../../frame/origin.ts';
import type { ParaId } from '../../parachains/ids.ts';
import type { Location } from '../index.ts';

declare module '../../frame/origin.ts' {
  interface Origins {
    Xcm: { location: Location };
    Response: { location: Location };
    Relay: {};
    SiblingParachain: { paraId: ParaId };
  }
}

export const xcmOrigin = (location: Location): Origin => ({ type: 'Xcm', location });
export const responseOrigin = (location: Location): Origin => ({ type: 'Response', location });
export const relayOrigin = (): Origin => ({ type: 'Relay' });
export const siblingParachainOrigin = (paraId: ParaId): Origin => ({ type: 'SiblingParachain', paraId });

/** pallet-xcm `ensure_xcm`: the XCM location behind an `Xcm` origin, else `BadOrigin`. */
export function ensureXcm(origin: Origin): Location {
  if (origin.type !== 'Xcm') throw badOrigin();
  return origin.location;
}

/** pallet-xcm `ensure_response`: the responder behind a `Response` origin, else `BadOrigin`. */
export function ensureResponse(origin: Origin): Location {
  if (origin.type !== 'Response') throw badOrigin();
  return origin.location;
}

/** cumulus_pallet_xcm `ensure_sibling_para`: the sibling behind a `SiblingParachain` origin, else `BadOrigin`. */
export function ensureSiblingParachain(origin: Origin): ParaId {
  if (origin.type !== 'SiblingParachain') throw badOrigin();
  return origin.paraId;
}

/** cumulus_pallet_xcm `ensure_relay`. */
export function ensureRelay(origin: Origin): void {
  if (origin.type !== 'Relay') throw badOrigin();
}
