/**
 * Location helpers (polkadot-sdk `Location` / `Junctions` methods), pure functions over plain values: nothing is
 * mutated; where Rust returns `Err`, these return `undefined`. They work on V4 and V5 locations alike (same shape).
 */
import type { Asset, AssetFilter, Junction, Junctions, Location, NetworkId, WildAsset } from './v5/index.ts';
import { AssetCodec, JunctionCodec, LocationCodec } from './v5/index.ts';

/** `MAX_JUNCTIONS`. */
export const MAX_JUNCTIONS = 8;

export function location(parents: number, interior: Junctions = []): Location {
  return { parents, interior };
}
/** `Location::here()`. */
export const here = (): Location => ({ parents: 0, interior: [] });
/** `Location::parent()`. */
export const parent = (): Location => ({ parents: 1, interior: [] });
/** `ParentThen(interior)`. */
export const parentThen = (...interior: Junction[]): Location => ({ parents: 1, interior });
/** `(1, [Parachain(id)])`: a sibling parachain seen from a parachain. */
export const siblingParachain = (id: number): Location => ({ parents: 1, interior: [parachain(id)] });
/** `(0, [Parachain(id)])`: a child parachain seen from the relay chain. */
export const childParachain = (id: number): Location => ({ parents: 0, interior: [parachain(id)] });

// Junction constructors.
export const parachain = (id: number): Junction => ({ type: 'Parachain', value: id });
export const accountId32 = (id: Uint8Array, network?: NetworkId): Junction => ({
  type: 'AccountId32',
  value: { network, id },
});
export const accountKey20 = (key: Uint8Array, network?: NetworkId): Junction => ({
  type: 'AccountKey20',
  value: { network, key },
});
export const accountIndex64 = (index: bigint, network?: NetworkId): Junction => ({
  type: 'AccountIndex64',
  value: { network, index },
});
export const palletInstance = (index: number): Junction => ({ type: 'PalletInstance', value: index });
export const generalIndex = (index: bigint): Junction => ({ type: 'GeneralIndex', value: index });
/** `GeneralKey` from up to 32 bytes (`From<BoundedSlice<u8, 32>>`: zero-padded, `length` = the byte count). */
export function generalKey(key: Uint8Array): Junction {
  if (key.length > 32) throw new RangeError(`GeneralKey: ${key.length} bytes, at most 32`);
  const data = new Uint8Array(32);
  data.set(key);
  return { type: 'GeneralKey', value: { length: key.length, data } };
}
export const globalConsensus = (network: NetworkId): Junction => ({
  type: 'GlobalConsensus',
  value: network,
});
export const onlyChild = (): Junction => ({ type: 'OnlyChild' });

/** Equality of any two XCM values of one codec type (by their encoding: exact, as Rust's derived `Eq`). */
export function junctionEquals(a: Junction, b: Junction): boolean {
  return JunctionCodec.compare(a, b) === 0;
}
export function locationEquals(a: Location, b: Location): boolean {
  return compareLocations(a, b) === 0;
}
/** Rust's derived `Ord` for `Location`: parents, then fewer junctions first, then junction by junction. */
export function compareLocations(a: Location, b: Location): number {
  return LocationCodec.compare(a, b);
}
/** `impl Ord for Asset`: fungibles first, then (id, fun). */
export function compareAssets(a: Asset, b: Asset): number {
  return AssetCodec.compare(a, b);
}

export const isHere = (l: Location): boolean => l.parents === 0 && l.interior.length === 0;
/** `contains_parents_only(n)`. */
export const containsParentsOnly = (l: Location, n: number): boolean =>
  l.interior.length === 0 && l.parents === n;
export const firstInterior = (l: Location): Junction | undefined => l.interior[0];
export const lastInterior = (l: Location): Junction | undefined => l.interior[l.interior.length - 1];

/** `Location::starts_with(prefix)`: same parents and `prefix`'s interior a prefix of this one's. */
export function startsWith(l: Location, prefix: Location): boolean {
  return l.parents === prefix.parents && junctionsStartWith(l.interior, prefix.interior);
}
export function junctionsStartWith(j: Junctions, prefix: Junctions): boolean {
  if (prefix.length > j.length) return false;
  for (let i = 0; i < prefix.length; i++) if (!junctionEquals(j[i], prefix[i])) return false;
  return true;
}
/** `match_and_split(prefix)`: the one junction this location has after `prefix`, if that is all it has. */
export function matchAndSplit(l: Location, prefix: Location): Junction | undefined {
  if (l.parents !== prefix.parents || l.interior.length !== prefix.interior.length + 1) return undefined;
  return junctionsStartWith(l.interior, prefix.interior) ? l.interior[prefix.interior.length] : undefined;
}

/** `push_interior`: one more junction at the end, or undefined when already 8. */
export function pushInterior(l: Location, j: Junction): Location | undefined {
  if (l.interior.length >= MAX_JUNCTIONS) return undefined;
  return { parents: l.parents, interior: [...l.interior, j] };
}
/** `push_front_interior`. */
export function pushFrontInterior(l: Location, j: Junction): Location | undefined {
  if (l.interior.length >= MAX_JUNCTIONS) return undefined;
  return { parents: l.parents, interior: [j, ...l.interior] };
}
/** `split_last_interior`: the location without its last junction, and that junction. */
export function splitLastInterior(l: Location): [Location, Junction | undefined] {
  if (l.interior.length === 0) return [l, undefined];
  return [{ parents: l.parents, interior: l.interior.slice(0, -1) }, l.interior[l.interior.length - 1]];
}
/** `split_first_interior`. */
export function splitFirstInterior(l: Location): [Location, Junction | undefined] {
  if (l.interior.length === 0) return [l, undefined];
  return [{ parents: l.parents, interior: l.interior.slice(1) }, l.interior[0]];
}
/** `pop` of the interior's last junction (`take_last`); undefined when there is none. */
export function popInterior(l: Location): Location | undefined {
  return l.interior.length === 0 ? undefined : splitLastInterior(l)[0];
}

/**
 * `prepend_with(prefix)`: `prefix` followed by `l` (the suffix's parents cancel the prefix's last junctions).
 * Undefined when the result would need more than 8 junctions or 255 parents.
 */
export function prependWith(l: Location, prefix: Location): Location | undefined {
  const prependInterior = Math.max(0, prefix.interior.length - l.parents);
  if (l.interior.length + prependInterior > MAX_JUNCTIONS) return undefined;
  const suffixParents = Math.max(0, l.parents - prefix.interior.length);
  if (prefix.parents + suffixParents > 255) return undefined;
  let parents = l.parents;
  const prefixInterior = [...prefix.interior];
  while (parents > 0 && prefixInterior.length > 0) {
    prefixInterior.pop();
    parents--;
  }
  return { parents: parents + prefix.parents, interior: [...prefixInterior, ...l.interior] };
}
/** `append_with(suffix)`: `suffix` seen from `l`. */
export function appendWith(l: Location, suffix: Location): Location | undefined {
  return prependWith(suffix, l);
}
/** `Junctions::append_with`: undefined above 8 junctions. */
export function appendJunctions(j: Junctions, suffix: Junctions): Junctions | undefined {
  return j.length + suffix.length > MAX_JUNCTIONS ? undefined : [...j, ...suffix];
}

/**
 * `Junctions::invert_target(target)`: how `target` addresses the location whose universal interior is `context`.
 * Missing context junctions become `OnlyChild`.
 */
export function invertTarget(context: Junctions, target: Location): Location | undefined {
  const itself = [...context];
  const junctions: Junction[] = [];
  for (let i = 0; i < target.parents; i++) {
    if (junctions.length >= MAX_JUNCTIONS) return undefined;
    junctions.unshift(itself.pop() ?? onlyChild());
  }
  return { parents: target.interior.length, interior: junctions };
}

/** `simplify(context)`: drops parents that only lead back into `context`. */
export function simplify(l: Location, context: Junctions): Location {
  if (context.length < l.parents) return l;
  let { parents } = l;
  const interior = [...l.interior];
  while (parents > 0) {
    const j = context[context.length - parents];
    if (interior.length > 0 && j !== undefined && junctionEquals(interior[0], j)) {
      interior.shift();
      parents--;
    } else break;
  }
  return { parents, interior };
}

/**
 * `reanchor(target, context)`: `l` (seen from the chain whose universal location is `context`) as `target` sees
 * it. Undefined where polkadot-sdk fails (`invert_target` or `prepend_with` out of room).
 */
export function reanchor(l: Location, target: Location, context: Junctions): Location | undefined {
  const inverted = invertTarget(context, target);
  if (!inverted) return undefined;
  const prepended = prependWith(l, inverted);
  if (!prepended) return undefined;
  return simplify(prepended, target.interior);
}

/** `Asset::reanchored`. */
export function reanchorAsset(a: Asset, target: Location, context: Junctions): Asset | undefined {
  const id = reanchor(a.id, target, context);
  return id ? { id, fun: a.fun } : undefined;
}
/** `Assets::reanchored`: every id reanchored, then sorted again (not merged), as polkadot-sdk does. */
export function reanchorAssets(list: Asset[], target: Location, context: Junctions): Asset[] | undefined {
  const out: Asset[] = [];
  for (const a of list) {
    const r = reanchorAsset(a, target, context);
    if (!r) return undefined;
    out.push(r);
  }
  return out.sort(compareAssets);
}
/** `WildAsset::reanchor`. */
export function reanchorWild(w: WildAsset, target: Location, context: Junctions): WildAsset | undefined {
  if (w.type === 'AllOf' || w.type === 'AllOfCounted') {
    const id = reanchor(w.value.id, target, context);
    return id ? ({ type: w.type, value: { ...w.value, id } } as WildAsset) : undefined;
  }
  return w;
}
/** `AssetFilter::reanchor`. */
export function reanchorFilter(
  f: AssetFilter,
  target: Location,
  context: Junctions,
): AssetFilter | undefined {
  if (f.type === 'Definite') {
    const value = reanchorAssets(f.value, target, context);
    return value ? { type: 'Definite', value } : undefined;
  }
  const value = reanchorWild(f.value, target, context);
  return value ? { type: 'Wild', value } : undefined;
}

/** `Junctions::global_consensus`: the network of a universal location's first junction. */
export function globalConsensusOf(universal: Junctions): NetworkId | undefined {
  const first = universal[0];
  return first?.type === 'GlobalConsensus' ? first.value : undefined;
}
