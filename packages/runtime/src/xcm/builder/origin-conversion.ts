/**
 * xcm-builder `origin_conversion.rs` (and pallet-xcm's `XcmPassthrough`): `ConvertOrigin`s that turn the XCM origin
 * of a `Transact` into a local dispatch origin according to its `OriginKind`, and the reverse converters pallet-xcm
 * uses to find the XCM location of a local caller (`SignedToAccountId32`, `EnsureXcmOrigin`). A converter that does
 * not apply returns undefined; compose them with `originConverters(...)` (first match wins).
 *
 * Note on trust: only `parentAsSuperuser` (for a parachain's relay) and the system-parachain converters ever yield
 * Root; a sibling's `Superuser` Transact finds no converter and fails with `BadOrigin`.
 */
import type { Origin } from '../../frame/origin.ts';
import { rootOrigin, signedOrigin } from '../../frame/origin.ts';
import { parachainOrigin } from '../../pallets/relay/origin.ts';
import { type Location, type NetworkId, NetworkIdCodec } from '../index.ts';
import type { ConvertLocation, ConvertOrigin } from '../executor/traits.ts';
import { relayOrigin, siblingParachainOrigin, xcmOrigin } from './origins.ts';

const only = (l: Location, parents: number) =>
  l.parents === parents && l.interior.length === 1 ? l.interior[0] : undefined;
const networkMatches = (junction: NetworkId | undefined, ours: NetworkId | undefined) =>
  junction === undefined || (ours !== undefined && NetworkIdCodec.compare(junction, ours) === 0);

/** `SovereignSignedViaLocation<LocationConverter>`: `SovereignAccount` → `Signed(convert(origin))`. */
export function sovereignSignedViaLocation(convert: ConvertLocation): ConvertOrigin {
  return {
    name: 'SovereignSignedViaLocation',
    convertOrigin(origin, kind) {
      if (kind.type !== 'SovereignAccount') return undefined;
      const who = convert(origin);
      return who ? signedOrigin(who) : undefined;
    },
  };
}

/** `ParentAsSuperuser`: `Superuser` from `(1, Here)` → Root. For a parachain whose relay may govern it, only. */
export const parentAsSuperuser: ConvertOrigin = {
  name: 'ParentAsSuperuser',
  convertOrigin: (origin, kind) =>
    kind.type === 'Superuser' && origin.parents === 1 && origin.interior.length === 0
      ? rootOrigin()
      : undefined,
};

/** `ChildSystemParachainAsSuperuser`: `Superuser` from `(0, [Parachain(id < 2000)])` → Root (relay chain). */
export const childSystemParachainAsSuperuser: ConvertOrigin = {
  name: 'ChildSystemParachainAsSuperuser',
  convertOrigin(origin, kind) {
    const j = only(origin, 0);
    return kind.type === 'Superuser' && j?.type === 'Parachain' && j.value < 2000 ? rootOrigin() : undefined;
  },
};

/** `SiblingSystemParachainAsSuperuser`: `Superuser` from `(1, [Parachain(id < 2000)])` → Root. */
export const siblingSystemParachainAsSuperuser: ConvertOrigin = {
  name: 'SiblingSystemParachainAsSuperuser',
  convertOrigin(origin, kind) {
    const j = only(origin, 1);
    return kind.type === 'Superuser' && j?.type === 'Parachain' && j.value < 2000 ? rootOrigin() : undefined;
  },
};

/** `ChildParachainAsNative`: `Native` from `(0, [Parachain(id)])` → the relay's `Parachain(id)` origin. */
export const childParachainAsNative: ConvertOrigin = {
  name: 'ChildParachainAsNative',
  convertOrigin(origin, kind) {
    const j = only(origin, 0);
    return kind.type === 'Native' && j?.type === 'Parachain' ? parachainOrigin(j.value) : undefined;
  },
};

/** `SiblingParachainAsNative`: `Native` from `(1, [Parachain(id)])` → `SiblingParachain(id)`. */
export const siblingParachainAsNative: ConvertOrigin = {
  name: 'SiblingParachainAsNative',
  convertOrigin(origin, kind) {
    const j = only(origin, 1);
    return kind.type === 'Native' && j?.type === 'Parachain' ? siblingParachainOrigin(j.value) : undefined;
  },
};

/** `RelayChainAsNative<RelayOrigin>`: `Native` from `(1, Here)` → the relay origin (cumulus `Relay`). */
export function relayChainAsNative(relay: () => Origin = relayOrigin): ConvertOrigin {
  return {
    name: 'RelayChainAsNative',
    convertOrigin: (origin, kind) =>
      kind.type === 'Native' && origin.parents === 1 && origin.interior.length === 0 ? relay() : undefined,
  };
}

/** `SignedAccountId32AsNative<Network>`: `Native` from `(0, [AccountId32 { network: None | Network, id }])`. */
export function signedAccountId32AsNative(network?: NetworkId): ConvertOrigin {
  return {
    name: 'SignedAccountId32AsNative',
    convertOrigin(origin, kind) {
      const j = only(origin, 0);
      return kind.type === 'Native' && j?.type === 'AccountId32' && networkMatches(j.value.network, network)
        ? signedOrigin(j.value.id.slice())
        : undefined;
    },
  };
}

/** `SignedAccountKey20AsNative<Network>`: `Native` from `(0, [AccountKey20 { network: None | Network, key }])`. */
export function signedAccountKey20AsNative(network?: NetworkId): ConvertOrigin {
  return {
    name: 'SignedAccountKey20AsNative',
    convertOrigin(origin, kind) {
      const j = only(origin, 0);
      return kind.type === 'Native' && j?.type === 'AccountKey20' && networkMatches(j.value.network, network)
        ? signedOrigin(j.value.key.slice())
        : undefined;
    },
  };
}

/** pallet-xcm `XcmPassthrough`: `Xcm` from any location → `Xcm(location)` (pallets that check `ensure_xcm`). */
export const xcmPassthrough: ConvertOrigin = {
  name: 'XcmPassthrough',
  convertOrigin: (origin, kind) => (kind.type === 'Xcm' ? xcmOrigin(origin) : undefined),
};

/** A local origin → the XCM location it speaks as (`TryConvert<RuntimeOrigin, Location>`). */
export type OriginToLocation = (origin: Origin) => Location | undefined;

/** `SignedToAccountId32<_, _, Network>`: `Signed(who)` → `(0, [AccountId32 { network, id: who }])`. */
export function signedToAccountId32(network?: NetworkId): OriginToLocation {
  return (o) =>
    o.type === 'Signed' && o.who.length === 32
      ? { parents: 0, interior: [{ type: 'AccountId32', value: { network, id: o.who } }] }
      : undefined;
}

/** `SignedToAccountKey20`-style: `Signed(who)` → `(0, [AccountKey20 { network, key: who }])` (20-byte accounts). */
export function signedToAccountKey20(network?: NetworkId): OriginToLocation {
  return (o) =>
    o.type === 'Signed' && o.who.length === 20
      ? { parents: 0, interior: [{ type: 'AccountKey20', value: { network, key: o.who } }] }
      : undefined;
}

/** `EnsureXcmOrigin<_, Conversion>`: the conversion, with Root standing for `Here` (the chain itself). */
export function ensureXcmOrigin(...conversions: OriginToLocation[]): OriginToLocation {
  return (o) => {
    for (const c of conversions) {
      const l = c(o);
      if (l) return l;
    }
    return o.type === 'Root' ? { parents: 0, interior: [] } : undefined;
  };
}
