/** `Assets` construction and order, against polkadot-sdk's v3/multiasset.rs and v5/asset.rs tests. */
import { describe, expect, test } from 'vitest';
import { ScaleDecodeError, ScaleEncodeError } from '../../src/scale/index.ts';
import {
  type Asset,
  AssetsCodec,
  assetsContain,
  assetsFrom,
  assetsFromSortedAndDeduplicated,
  assetsPush,
  v3,
} from '../../src/xcm/index.ts';

const HERE = { parents: 0, interior: [] };
const PARENT = { parents: 1, interior: [] };
const f = (id: any, n: bigint): Asset => ({ id, fun: { type: 'Fungible', value: n } });
const nft = (id: any, instance: any): Asset => ({ id, fun: { type: 'NonFungible', value: instance } });
const A4 = (s: string) => ({ type: 'Array4' as const, value: new TextEncoder().encode(s) });
const A8 = (s: string) => ({ type: 'Array8' as const, value: new TextEncoder().encode(s) });
const UNDEF = { type: 'Undefined' as const };

describe('from_sorted_and_deduplicated_works (v5/asset.rs; v3/multiasset.rs for abstract ids)', () => {
  test.each([
    ['empty', [], true],
    ['dup_fun', [f(HERE, 100n), f(HERE, 10n)], false],
    ['dup_nft', [nft(HERE, A8('notgood!')), nft(HERE, A8('notgood!'))], false],
    ['good_fun', [f(HERE, 10n), f(PARENT, 10n)], true],
    ['bad_fun', [f(PARENT, 10n), f(HERE, 10n)], false],
    ['good_nft', [nft(HERE, UNDEF), nft(HERE, A4('good'))], true],
    ['bad_nft', [nft(HERE, A4('bad!')), nft(HERE, UNDEF)], false],
    ['mixed_good', [f(HERE, 10n), nft(HERE, A4('good'))], true],
    ['mixed_bad', [nft(HERE, A4('bad!')), f(HERE, 10n)], false],
  ] as const)('%s', (_, list, ok) => {
    expect(assetsFromSortedAndDeduplicated([...list]) !== undefined).toBe(ok);
    const bytes = AssetsCodec.encode(assetsFrom([...list]));
    if (ok) expect(AssetsCodec.decode(bytes)).toEqual(list);
    else expect(() => AssetsCodec.encode([...list])).toThrow(ScaleEncodeError);
  });

  test('decoding refuses what the check refuses ("Out of order")', () => {
    // [Parent, Here] hand-encoded: 08 | 01 00 00 28 | 00 00 00 28
    const bad = Uint8Array.of(0x08, 0x01, 0x00, 0x00, 0x28, 0x00, 0x00, 0x00, 0x28);
    expect(() => AssetsCodec.decode(bad)).toThrow(ScaleDecodeError);
    expect(() => AssetsCodec.decode(bad)).toThrow(/Out of order/);
  });

  test('V3: concrete ids before abstract ones', () => {
    const concrete = { type: 'Concrete', value: HERE };
    const abs = { type: 'Abstract', value: new Uint8Array(32) };
    const m = (id: any, n: bigint) => ({ id, fun: { type: 'Fungible', value: n } });
    expect(assetsFromSortedAndDeduplicated([m(concrete, 100n), m(abs, 10n)], 3)).toBeDefined();
    expect(assetsFromSortedAndDeduplicated([m(abs, 10n), m(concrete, 10n)], 3)).toBeUndefined();
    expect(assetsFromSortedAndDeduplicated([nft(concrete, UNDEF), nft(abs, UNDEF)], 3)).toBeDefined();
    expect(assetsFromSortedAndDeduplicated([nft(abs, UNDEF), nft(concrete, UNDEF)], 3)).toBeUndefined();
    expect(
      v3.MultiAssetsCodec.decode(v3.MultiAssetsCodec.encode([m(concrete, 100n), m(abs, 10n)] as never)),
    ).toHaveLength(2);
  });
});

describe('From<Vec<Asset>>', () => {
  test('sorts fungibles first, merges equal fungibles (saturating), drops repeated instances', () => {
    const max = (1n << 128n) - 1n;
    const out = assetsFrom([
      nft(HERE, A4('good')),
      f(PARENT, 5n),
      f(HERE, 1n),
      f(PARENT, 7n),
      nft(HERE, A4('good')),
      f(HERE, max),
    ]);
    expect(out).toEqual([f(HERE, max), f(PARENT, 12n), nft(HERE, A4('good'))]);
    expect(assetsFromSortedAndDeduplicated(out)).toBe(out);
  });
  test('decoding_respects_limit: 21 copies of one asset merge into one and decode', () => {
    const gi = { parents: 0, interior: [{ type: 'GeneralIndex' as const, value: 1n }] };
    const list = assetsFrom(new Array(21).fill(f(gi, 1n)));
    expect(list).toEqual([f(gi, 21n)]);
    expect(AssetsCodec.decode(AssetsCodec.encode(list))).toEqual(list);
  });
  test('push and contains', () => {
    const list = assetsPush(assetsPush([], f(PARENT, 3n)), f(PARENT, 4n));
    expect(list).toEqual([f(PARENT, 7n)]);
    expect(assetsContain(list, f(PARENT, 7n))).toBe(true);
    expect(assetsContain(list, f(PARENT, 8n))).toBe(false);
    expect(assetsContain(list, f(HERE, 1n))).toBe(false);
  });
});
