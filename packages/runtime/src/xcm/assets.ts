/**
 * Building `Assets` the way polkadot-sdk does: `From<Vec<Asset>>` sorts (fungibles first, then by id) and merges
 * (fungibles of one id add up, saturating at u128::MAX; repeated non-fungible instances collapse), and
 * `from_sorted_and_deduplicated` only checks. Encoding an `Assets` list that fails the check throws, since every
 * receiver would refuse it; decoding one fails the same way ("Out of order").
 */
import { U128_MAX } from '../scale/limits.ts';
import type { VersionCodecs } from './define-version.ts';
import type * as v3 from './v3/index.ts';
import { codecs as v3Codecs } from './v3/index.ts';
import { codecs as v4Codecs } from './v4/index.ts';
import type { Asset } from './v5/index.ts';
import { codecs as v5Codecs } from './v5/index.ts';

const byVersion: Record<3 | 4 | 5, VersionCodecs> = { 3: v3Codecs, 4: v4Codecs, 5: v5Codecs };

/** `Assets::from(Vec<Asset>)` (V4/V5 shape; pass 3 and V3 `MultiAsset`s for V3). */
export function assetsFrom(list: readonly Asset[]): Asset[];
export function assetsFrom(list: readonly v3.MultiAsset[], version: 3): v3.MultiAsset[];
export function assetsFrom(list: readonly any[], version: 3 | 4 | 5 = 5): any[] {
  const { Asset, AssetId } = byVersion[version];
  const sorted = [...list].sort(Asset.compare);
  const out: any[] = [];
  for (const b of sorted) {
    const a = out[out.length - 1];
    if (a && AssetId.compare(a.id, b.id) === 0) {
      if (a.fun.type === 'Fungible' && b.fun.type === 'Fungible') {
        let sum: bigint = a.fun.value + b.fun.value;
        if (sum > U128_MAX) sum = U128_MAX;
        out[out.length - 1] = { id: a.id, fun: { type: 'Fungible', value: sum } };
        continue;
      }
      if (a.fun.type === 'NonFungible' && b.fun.type === 'NonFungible' && Asset.compare(a, b) === 0) continue;
    }
    out.push(b);
  }
  return out;
}

/** `Assets::from_sorted_and_deduplicated`: the list itself if it is in order without duplicates, else undefined. */
export function assetsFromSortedAndDeduplicated<T>(list: T[], version: 3 | 4 | 5 = 5): T[] | undefined {
  const { inOrder } = byVersion[version];
  for (let i = 1; i < list.length; i++) if (!inOrder(list[i - 1], list[i])) return undefined;
  return list;
}

/** `Assets::push`: adds `asset`, merging into an equal id (saturating), keeping the order. */
export function assetsPush(list: readonly Asset[], asset: Asset): Asset[] {
  return assetsFrom([...list, asset]);
}

/** `Assets::contains` / `Asset::contains`: `inner` is covered by one item (same id, enough or the same instance). */
export function assetsContain(list: readonly Asset[], inner: Asset): boolean {
  const { Asset: A, AssetId } = v5Codecs;
  return list.some((a) => {
    if (AssetId.compare(a.id, inner.id) !== 0) return false;
    if (a.fun.type === 'Fungible' && inner.fun.type === 'Fungible') return a.fun.value >= inner.fun.value;
    return a.fun.type === 'NonFungible' && inner.fun.type === 'NonFungible' && A.compare(a, inner) === 0;
  });
}
