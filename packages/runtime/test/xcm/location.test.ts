/** Location helpers, against polkadot-sdk's tests (v5/location.rs, v5/asset.rs, xcm-builder location_conversion.rs). */
import { describe, expect, test } from 'vitest';
import {
  type Junction,
  type Location,
  appendWith,
  assetsFrom,
  compareLocations,
  firstInterior,
  generalKey,
  globalConsensusOf,
  here,
  invertTarget,
  location,
  locationEquals,
  matchAndSplit,
  parachain,
  parent,
  popInterior,
  prependWith,
  pushInterior,
  reanchor,
  reanchorAssets,
  siblingParachain,
  simplify,
  startsWith,
} from '../../src/xcm/index.ts';

const P = (id: number): Junction => ({ type: 'Parachain', value: id });
const PI = (i: number): Junction => ({ type: 'PalletInstance', value: i });
const GI = (i: bigint): Junction => ({ type: 'GeneralIndex', value: i });
const OC: Junction = { type: 'OnlyChild' };
const acc64 = (index: bigint): Junction => ({ type: 'AccountIndex64', value: { network: undefined, index } });
const account20: Junction = { type: 'AccountKey20', value: { network: undefined, key: new Uint8Array(20) } };
const account32: Junction = { type: 'AccountId32', value: { network: undefined, id: new Uint8Array(32) } };

describe('construction', () => {
  test('{ parents: 1, interior: [Parachain(2008)] } and the helpers that build it', () => {
    const crust: Location = { parents: 1, interior: [{ type: 'Parachain', value: 2008 }] };
    expect(siblingParachain(2008)).toEqual(crust);
    expect(location(1, [parachain(2008)])).toEqual(crust);
    expect(parent()).toEqual({ parents: 1, interior: [] });
    expect(here()).toEqual({ parents: 0, interior: [] });
    expect(firstInterior(crust)).toEqual(parachain(2008));
    expect(generalKey(Uint8Array.of(1, 2, 3, 4))).toEqual({
      type: 'GeneralKey',
      value: { length: 4, data: Uint8Array.from([1, 2, 3, 4, ...new Array(28).fill(0)]) },
    });
  });
});

describe('v5/location.rs', () => {
  test('simplify_basic_works', () => {
    expect(simplify(location(2, [P(1000), PI(42), GI(69n)]), [P(1000), PI(42)])).toEqual(
      location(0, [GI(69n)]),
    );
    expect(simplify(location(1, [PI(42), GI(69n)]), [PI(42)])).toEqual(location(0, [GI(69n)]));
    expect(simplify(location(1, [PI(42), GI(69n)]), [P(1000), PI(42)])).toEqual(location(0, [GI(69n)]));
    expect(simplify(location(2, [P(1000), PI(42), GI(69n)]), [OC, P(1000), PI(42)])).toEqual(
      location(0, [GI(69n)]),
    );
  });
  test('simplify_incompatible_location_fails', () => {
    const l = location(2, [P(1000), PI(42), GI(69n)]);
    expect(simplify(l, [P(1000), PI(42), GI(42n)])).toEqual(l);
    expect(simplify(l, [P(1000)])).toEqual(l);
  });
  test('reanchor_works', () => {
    expect(reanchor(location(1, [P(1000), GI(42n)]), location(1, [P(1000)]), [P(2000)])).toEqual(
      location(0, [GI(42n)]),
    );
  });
  test('match_and_split_works', () => {
    const m = location(1, [P(42), acc64(23n)]);
    expect(matchAndSplit(m, location(1, []))).toBeUndefined();
    expect(matchAndSplit(m, location(1, [P(42)]))).toEqual(acc64(23n));
    expect(matchAndSplit(m, m)).toBeUndefined();
  });
  test('append_with_works', () => {
    expect(appendWith(location(1, [P(42)]), location(0, [PI(3), acc64(23n)]))).toEqual(
      location(1, [P(42), PI(3), acc64(23n)]),
    );
    expect(
      appendWith(location(254, [P(42), OC, OC, OC, OC]), location(0, [PI(3), acc64(23n), OC, OC])),
    ).toBeUndefined();
  });
  test('prepend_with_works', () => {
    const m = location(1, [P(42), acc64(23n)]);
    expect(prependWith(m, location(1, [OC]))).toEqual(m);
    expect(prependWith(location(254, [P(42)]), location(2, []))).toBeUndefined();
    expect(prependWith(location(254, [P(42)]), location(1, []))).toEqual(location(255, [P(42)]));
  });
});

describe('xcm-builder location_conversion.rs: invert_target', () => {
  test('inverter_works_in_tree', () => {
    expect(invertTarget([P(1), account20, account20], location(3, [P(2), account32]))).toEqual(
      location(2, [P(1), account20, account20]),
    );
  });
  test('inverter_uses_context_as_inverted_location', () => {
    expect(invertTarget([account20, account20], location(2, []))).toEqual(
      location(0, [account20, account20]),
    );
  });
  test('inverter_uses_only_child_on_missing_context', () => {
    expect(invertTarget([PI(5)], location(2, []))).toEqual(location(0, [OC, PI(5)]));
  });
  test('inverter_errors_when_location_is_too_large', () => {
    expect(invertTarget([], location(99, [P(88)]))).toBeUndefined();
  });
});

describe('v5/asset.rs', () => {
  const fungible = (l: Location) => ({ id: l, fun: { type: 'Fungible' as const, value: 10n } });
  test('reanchor_preserves_sorting', () => {
    const dest = location(1, []);
    const context = [P(2000)];
    const a1 = fungible(location(0, [PI(50), GI(1n)]));
    const a2 = fungible(location(1, []));
    const a3 = fungible(location(1, [P(1000)]));
    const r1 = fungible(location(0, [P(2000), PI(50), GI(1n)]));
    const r2 = fungible(location(0, []));
    const r3 = fungible(location(0, [P(1000)]));
    expect(reanchor(a1.id, dest, context)).toEqual(r1.id);
    expect(reanchor(a2.id, dest, context)).toEqual(r2.id);
    expect(reanchor(a3.id, dest, context)).toEqual(r3.id);
    const assets = assetsFrom([a1, a2, a3]);
    expect(reanchorAssets(assets, dest, context)).toEqual([r2, r3, r1]);
  });
  test('prepend_preserves_sorting (per location)', () => {
    const prefix = location(0, [P(1000)]);
    expect(prependWith(location(0, [PI(50), GI(1n)]), prefix)).toEqual(
      location(0, [P(1000), PI(50), GI(1n)]),
    );
    expect(prependWith(location(1, [PI(50), GI(1n)]), prefix)).toEqual(location(0, [PI(50), GI(1n)]));
    expect(prependWith(location(2, [PI(50), GI(1n)]), prefix)).toEqual(location(1, [PI(50), GI(1n)]));
  });
});

describe('ordering and equality (Rust derived Ord)', () => {
  test('parents first, then fewer junctions, then junction by junction (variant index, then fields)', () => {
    const sorted = [
      location(0, []),
      location(0, [P(5000)]),
      location(0, [account32]),
      location(0, [P(1), P(1)]),
      location(1, []),
      location(1, [P(1000)]),
      location(1, [P(2000)]),
      location(1, [PI(0)]),
      location(1, [P(1000), GI(1n)]),
      location(2, []),
    ];
    const shuffled = [...sorted].reverse();
    expect(shuffled.sort(compareLocations)).toEqual(sorted);
    expect(locationEquals(location(1, [P(2008)]), siblingParachain(2008))).toBe(true);
    expect(locationEquals(location(1, [P(2008)]), location(1, [P(2009)]))).toBe(false);
  });
  test('startsWith, push, pop, global consensus', () => {
    const l = location(1, [P(1000), PI(50)]);
    expect(startsWith(l, location(1, [P(1000)]))).toBe(true);
    expect(startsWith(l, location(0, [P(1000)]))).toBe(false);
    expect(pushInterior(l, GI(1n))).toEqual(location(1, [P(1000), PI(50), GI(1n)]));
    expect(pushInterior(location(0, new Array(8).fill(OC)), OC)).toBeUndefined();
    expect(popInterior(l)).toEqual(location(1, [P(1000)]));
    expect(popInterior(here())).toBeUndefined();
    expect(globalConsensusOf([{ type: 'GlobalConsensus', value: { type: 'Polkadot' } }, P(2008)])).toEqual({
      type: 'Polkadot',
    });
    expect(globalConsensusOf([P(2008)])).toBeUndefined();
  });
});
