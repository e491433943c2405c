/**
 * xcm-builder's location → account converters (`location_conversion.rs`), as pure functions over V5 locations:
 * each returns the account bytes, or undefined where the Rust converter returns `None`. Compose them as a runtime's
 * `LocationToAccountId` tuple with `firstMatch(...)` (the first that answers wins, as a Rust tuple does).
 */
import { blake2_256 } from '../crypto/hashing.ts';
import { encodeCompact } from '../scale/compact.ts';
import { BodyIdCodec, BodyPartCodec } from './shared.ts';
import type { Junctions, Location, NetworkId } from './v5/index.ts';
import { NetworkIdCodec } from './v5/index.ts';

/** 32-byte accounts (Polkadot, Crust, Acala) or 20-byte ones (Moonbeam, Darwinia). */
export type AccountLength = 32 | 20;
export type LocationToAccount = (location: Location) => Uint8Array | undefined;
/** `DescribeLocation::describe_location`. */
export type DescribeLocation = (location: Location) => Uint8Array | undefined;

const ascii = (s: string) => new TextEncoder().encode(s);
const concat = (...parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
};
const u32le = (n: number) => {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, n, true);
  return b;
};
/** `Vec<u8>` encoding: compact length, then the bytes. */
const vecU8 = (b: Uint8Array) => concat(encodeCompact(b.length), b);
/** `AccountId::decode(&mut TrailingZeroInput::new(bytes))`: the bytes, zero-padded or truncated to the account. */
function trailingZero(bytes: Uint8Array, length: AccountLength): Uint8Array {
  const out = new Uint8Array(length);
  out.set(bytes.subarray(0, length));
  return out;
}
const only = (l: Location, parents: number) =>
  l.parents === parents && l.interior.length === 1 ? l.interior[0] : undefined;
const sameNetwork = (a: NetworkId | undefined, b: NetworkId | undefined) =>
  a === undefined || b === undefined ? a === b : NetworkIdCodec.compare(a, b) === 0;

/** `ParentIsPreset`: `(1, Here)` → `b"Parent"` zero-padded. */
export function parentIsPreset(location: Location, length: AccountLength = 32): Uint8Array | undefined {
  return location.parents === 1 && location.interior.length === 0
    ? trailingZero(ascii('Parent'), length)
    : undefined;
}

/** `ParaId::into_account_truncating`: `b"para"` (child, as the relay sees it) or `b"sibl"` (sibling) ++ u32 LE. */
export function paraSovereignAccount(
  paraId: number,
  kind: 'child' | 'sibling',
  length: AccountLength = 32,
): Uint8Array {
  return trailingZero(concat(ascii(kind === 'child' ? 'para' : 'sibl'), u32le(paraId)), length);
}
/** `ChildParachainConvertsVia`: `(0, [Parachain(id)])` → `"para" ++ id`. */
export function childParachainConvertsVia(
  location: Location,
  length: AccountLength = 32,
): Uint8Array | undefined {
  const j = only(location, 0);
  return j?.type === 'Parachain' ? paraSovereignAccount(j.value, 'child', length) : undefined;
}
/** `SiblingParachainConvertsVia`: `(1, [Parachain(id)])` → `"sibl" ++ id`. */
export function siblingParachainConvertsVia(
  location: Location,
  length: AccountLength = 32,
): Uint8Array | undefined {
  const j = only(location, 1);
  return j?.type === 'Parachain' ? paraSovereignAccount(j.value, 'sibling', length) : undefined;
}

/** `AccountId32Aliases<Network>`: `(0, [AccountId32 { network: None | Network, id }])` → id. */
export function accountId32Aliases(location: Location, network?: NetworkId): Uint8Array | undefined {
  const j = only(location, 0);
  if (j?.type !== 'AccountId32') return undefined;
  if (j.value.network !== undefined && !sameNetwork(j.value.network, network)) return undefined;
  return j.value.id.slice();
}
/** `AccountKey20Aliases<Network>`: `(0, [AccountKey20 { network: None | Network, key }])` → key. */
export function accountKey20Aliases(location: Location, network?: NetworkId): Uint8Array | undefined {
  const j = only(location, 0);
  if (j?.type !== 'AccountKey20') return undefined;
  if (j.value.network !== undefined && !sameNetwork(j.value.network, network)) return undefined;
  return j.value.key.slice();
}

// Describers (`DescribeLocation` impls).
export const describeTerminus: DescribeLocation = (l) =>
  l.parents === 0 && l.interior.length === 0 ? new Uint8Array() : undefined;
export const describePalletTerminal: DescribeLocation = (l) => {
  const j = only(l, 0);
  return j?.type === 'PalletInstance' ? concat(ascii('Pallet'), encodeCompact(j.value)) : undefined;
};
export const describeAccountId32Terminal: DescribeLocation = (l) => {
  const j = only(l, 0);
  return j?.type === 'AccountId32' ? concat(ascii('AccountId32'), j.value.id) : undefined;
};
export const describeAccountKey20Terminal: DescribeLocation = (l) => {
  const j = only(l, 0);
  return j?.type === 'AccountKey20' ? concat(ascii('AccountKey20'), j.value.key) : undefined;
};
/** `DescribeTreasuryVoiceTerminal`: `(0, [Plurality { Treasury, Voice }])` → `(b"Treasury", b"Voice")`. */
export const describeTreasuryVoiceTerminal: DescribeLocation = (l) => {
  const j = only(l, 0);
  return j?.type === 'Plurality' && j.value.id.type === 'Treasury' && j.value.part.type === 'Voice'
    ? concat(ascii('Treasury'), ascii('Voice'))
    : undefined;
};
export const describeBodyTerminal: DescribeLocation = (l) => {
  const j = only(l, 0);
  return j?.type === 'Plurality'
    ? concat(ascii('Body'), BodyIdCodec.encode(j.value.id), BodyPartCodec.encode(j.value.part))
    : undefined;
};
/** A tuple of describers: the first that describes the location. */
export function describeFirst(...describers: DescribeLocation[]): DescribeLocation {
  return (l) => {
    for (const d of describers) {
      const r = d(l);
      if (r !== undefined) return r;
    }
    return undefined;
  };
}
/** `DescribeAllTerminal` (polkadot-sdk's order: the treasury voice before any other body). */
export const describeAllTerminal: DescribeLocation = describeFirst(
  describeTerminus,
  describePalletTerminal,
  describeAccountId32Terminal,
  describeAccountKey20Terminal,
  describeTreasuryVoiceTerminal,
  describeBodyTerminal,
);
/**
 * `DescribeFamily<Suffix>`: `(0, [Parachain(i), ..rest])` → `(b"ChildChain", Compact(i), suffix(rest))`,
 * `(1, [Parachain(i), ..rest])` → `(b"SiblingChain", …)`, any other `(1, rest)` → `(b"ParentChain", suffix(rest))`;
 * the suffix's description is a `Vec<u8>` (length-prefixed).
 */
export function describeFamily(suffix: DescribeLocation): DescribeLocation {
  return (l) => {
    const first = l.interior[0];
    if ((l.parents === 0 || l.parents === 1) && first?.type === 'Parachain') {
      const inner = suffix({ parents: 0, interior: l.interior.slice(1) });
      if (inner === undefined) return undefined;
      return concat(
        ascii(l.parents === 0 ? 'ChildChain' : 'SiblingChain'),
        encodeCompact(first.value),
        vecU8(inner),
      );
    }
    if (l.parents === 1) {
      const inner = suffix({ parents: 0, interior: l.interior });
      return inner === undefined ? undefined : concat(ascii('ParentChain'), vecU8(inner));
    }
    return undefined;
  };
}
/** `LegacyDescribeForeignChainAccount` (the old `ForeignChainAliasAccount` preimages). */
export const legacyDescribeForeignChainAccount: DescribeLocation = (l) => {
  const [a, b] = l.interior;
  if (l.interior.length === 2 && (l.parents === 0 || l.parents === 1) && a.type === 'Parachain') {
    const parents = Uint8Array.of(l.parents);
    if (b.type === 'AccountId32')
      return concat(ascii('ForeignChainAliasAccountPrefix_Para32'), u32le(a.value), b.value.id, parents);
    if (b.type === 'AccountKey20')
      return concat(ascii('ForeignChainAliasAccountPrefix_Para20'), u32le(a.value), b.value.key, parents);
  }
  if (l.parents === 1 && l.interior.length === 1 && a.type === 'AccountId32')
    return concat(ascii('ForeignChainAliasAccountPrefix_Relay'), a.value.id, Uint8Array.of(1));
  return undefined;
};

/** `HashedDescription<AccountId, Describe>`: blake2_256 of the description (32-byte accounts). */
export function hashedDescription(
  location: Location,
  describe: DescribeLocation = describeFamily(describeAllTerminal),
): Uint8Array | undefined {
  const d = describe(location);
  return d === undefined ? undefined : blake2_256(d);
}
/** A ready `LocationToAccount` for `HashedDescription<AccountId, DescribeFamily<DescribeAllTerminal>>`. */
export const hashedFamilyDescription: LocationToAccount = (l) => hashedDescription(l);

/**
 * `ensure_is_remote(universal_local, dest)`: the remote network and the location inside it, when `dest` (seen from
 * `universalLocal`) lies in another global consensus.
 */
export function ensureIsRemote(
  universalLocal: Junctions,
  dest: Location,
): [NetworkId, Junctions] | undefined {
  const first = universalLocal[0];
  if (first?.type !== 'GlobalConsensus') return undefined;
  const localNet = first.value;
  // `universal_local.into_location().appended_with(dest)`, which must stay at parents 0.
  if (dest.parents > universalLocal.length) return undefined;
  const base = universalLocal.slice(0, universalLocal.length - dest.parents);
  if (base.length + dest.interior.length > 8) return undefined;
  const universalDestination = [...base, ...dest.interior];
  const head = universalDestination[0];
  if (head?.type !== 'GlobalConsensus' || NetworkIdCodec.compare(head.value, localNet) === 0)
    return undefined;
  return [head.value, universalDestination.slice(1)];
}
/** `GlobalConsensusConvertsFor<UniversalLocation>`: another consensus' root → blake2_256((b"glblcnsnss_", network)). */
export function globalConsensusConvertsFor(
  universalLocation: Junctions,
  location: Location,
): Uint8Array | undefined {
  const remote = ensureIsRemote(universalLocation, location);
  if (remote === undefined || remote[1].length !== 0) return undefined;
  return blake2_256(concat(ascii('glblcnsnss_'), NetworkIdCodec.encode(remote[0])));
}
/** `GlobalConsensusParachainConvertsFor`: a parachain of another consensus → blake2_256((b"glblcnsnss/prchn_", network, u32)). */
export function globalConsensusParachainConvertsFor(
  universalLocation: Junctions,
  location: Location,
): Uint8Array | undefined {
  const remote = ensureIsRemote(universalLocation, location);
  if (remote === undefined || remote[1].length !== 1 || remote[1][0].type !== 'Parachain') return undefined;
  return blake2_256(
    concat(ascii('glblcnsnss/prchn_'), NetworkIdCodec.encode(remote[0]), u32le(remote[1][0].value)),
  );
}

/** A Rust converter tuple: the first converter that returns an account. */
export function firstMatch(...converters: LocationToAccount[]): LocationToAccount {
  return (l) => {
    for (const c of converters) {
      const r = c(l);
      if (r !== undefined) return r;
    }
    return undefined;
  };
}

/**
 * The usual parachain `LocationToAccountId` (parachain template, Asset Hub): `ParentIsPreset`,
 * `SiblingParachainConvertsVia`, `AccountId32Aliases<RelayNetwork>`, `HashedDescription<DescribeFamily<DescribeAllTerminal>>`.
 */
export function parachainLocationToAccount(relayNetwork?: NetworkId): LocationToAccount {
  return firstMatch(
    (l) => parentIsPreset(l),
    (l) => siblingParachainConvertsVia(l),
    (l) => accountId32Aliases(l, relayNetwork),
    hashedFamilyDescription,
  );
}
