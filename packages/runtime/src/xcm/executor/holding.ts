/**
 * The holding register (xcm-executor `AssetsInHolding`): definite fungible amounts by asset id and non-fungible
 * instances, kept in Rust's `BTreeMap`/`BTreeSet` order (ids by `Location`'s derived `Ord`), so iterating it gives a
 * valid sorted `Assets` list. Holdings are small (the executor bounds them at 2 × MaxAssetsIntoHolding), so sorted
 * arrays with binary search beat any map keyed by encodings.
 */
import { U128_MAX } from '../../scale/limits.ts';
import {
  type Asset,
  type AssetFilter,
  type AssetId,
  AssetIdCodec,
  type AssetInstance,
  AssetInstanceCodec,
  type Assets,
  type Junctions,
  type Location,
  reanchor,
} from '../index.ts';

interface FungibleEntry {
  id: AssetId;
  amount: bigint;
}
interface NonFungibleEntry {
  id: AssetId;
  instance: AssetInstance;
}

const cmpId = AssetIdCodec.compare;
const cmpInstance = AssetInstanceCodec.compare;
const cmpNonFungible = (a: NonFungibleEntry, b: NonFungibleEntry): number =>
  cmpId(a.id, b.id) || cmpInstance(a.instance, b.instance);

/** Index of `key` in `list` (sorted by `cmp`), or `-(insertion point) - 1`. */
function search<T, K>(list: readonly T[], key: K, cmp: (item: T, key: K) => number): number {
  let lo = 0;
  let hi = list.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const c = cmp(list[mid], key);
    if (c < 0) lo = mid + 1;
    else if (c > 0) hi = mid - 1;
    else return mid;
  }
  return -lo - 1;
}
const byId = (e: FungibleEntry, id: AssetId) => cmpId(e.id, id);
/** The smaller of two amounts (Math.min is for numbers). */
function minAmount(a: bigint, b: bigint): bigint {
  if (a < b) return a;
  return b;
}

/** `TakeError::AssetUnderflow`: the holding lacks (enough of) `asset`. */
export class HoldingUnderflow extends Error {
  override name = 'HoldingUnderflow';
  constructor(readonly asset: Asset) {
    super('holding does not contain the asset');
  }
}

/** `AssetFilter::limit`: how many distinct assets the filter may match at most. */
export function filterLimit(filter: AssetFilter): number | undefined {
  if (filter.type === 'Definite') return filter.value.length;
  const w = filter.value;
  if (w.type === 'AllCounted') return w.value;
  if (w.type === 'AllOfCounted') return w.value.count;
  return undefined;
}

export class AssetsInHolding {
  fungible: FungibleEntry[] = [];
  nonFungible: NonFungibleEntry[] = [];

  static from(assets: readonly Asset[]): AssetsInHolding {
    const h = new AssetsInHolding();
    for (const a of assets) h.subsume(a);
    return h;
  }

  clone(): AssetsInHolding {
    const h = new AssetsInHolding();
    h.fungible = this.fungible.map((e) => ({ id: e.id, amount: e.amount }));
    h.nonFungible = [...this.nonFungible];
    return h;
  }

  /** Number of distinct assets. */
  get length(): number {
    return this.fungible.length + this.nonFungible.length;
  }

  isEmpty(): boolean {
    return this.fungible.length === 0 && this.nonFungible.length === 0;
  }

  /** The fungible amount of `id` held (0 if none). */
  amountOf(id: AssetId): bigint {
    const i = search(this.fungible, id, byId);
    return i >= 0 ? this.fungible[i].amount : 0n;
  }

  fungibleAssets(): Asset[] {
    return this.fungible.map((e) => ({ id: e.id, fun: { type: 'Fungible', value: e.amount } }));
  }

  nonFungibleAssets(): Asset[] {
    return this.nonFungible.map((e) => ({ id: e.id, fun: { type: 'NonFungible', value: e.instance } }));
  }

  /** All assets, fungibles first: a sorted, deduplicated `Assets`. */
  assets(): Assets {
    return [...this.fungibleAssets(), ...this.nonFungibleAssets()];
  }

  /** `subsume`: adds one asset (fungible amounts saturate at u128::MAX). */
  subsume(asset: Asset): void {
    if (asset.fun.type === 'Fungible') this.#addFungible(asset.id, asset.fun.value);
    else this.#addNonFungible({ id: asset.id, instance: asset.fun.value });
  }

  /** `subsume_assets`: adds everything `other` holds. */
  subsumeAssets(other: AssetsInHolding): void {
    for (const e of other.fungible) this.#addFungible(e.id, e.amount);
    for (const e of other.nonFungible) this.#addNonFungible(e);
  }

  #addFungible(id: AssetId, amount: bigint): void {
    // A zero amount is no asset (and `Fungible(0)` has no encoding anyone accepts).
    if (amount === 0n) return;
    const i = search(this.fungible, id, byId);
    if (i >= 0) {
      const sum = this.fungible[i].amount + amount;
      this.fungible[i] = { id: this.fungible[i].id, amount: minAmount(sum, U128_MAX) };
    } else this.fungible.splice(-i - 1, 0, { id, amount });
  }

  #addNonFungible(e: NonFungibleEntry): void {
    const i = search(this.nonFungible, e, cmpNonFungible);
    if (i < 0) this.nonFungible.splice(-i - 1, 0, e);
  }

  /** `contains_asset`. */
  containsAsset(asset: Asset): boolean {
    if (asset.fun.type === 'Fungible') {
      const i = search(this.fungible, asset.id, byId);
      return i >= 0 && this.fungible[i].amount >= asset.fun.value;
    }
    return search(this.nonFungible, { id: asset.id, instance: asset.fun.value }, cmpNonFungible) >= 0;
  }

  /** `ensure_contains`: the first asset of `assets` not wholly held, or undefined when all are. */
  firstMissing(assets: readonly Asset[]): Asset | undefined {
    for (const a of assets) if (!this.containsAsset(a)) return a;
    return undefined;
  }

  /** `saturating_take`: removes and returns what `filter` matches, as much of each definite asset as there is. */
  saturatingTake(filter: AssetFilter): AssetsInHolding {
    return this.#take(filter, true);
  }

  /** `try_take`: as saturatingTake, but throws `HoldingUnderflow` (changing nothing) if a definite asset is short. */
  tryTake(filter: AssetFilter): AssetsInHolding {
    return this.#take(filter, false);
  }

  #take(filter: AssetFilter, saturate: boolean): AssetsInHolding {
    const taken = new AssetsInHolding();
    const limit = filterLimit(filter);
    if (filter.type === 'Definite') {
      if (!saturate) {
        const missing = this.firstMissing(filter.value);
        if (missing) throw new HoldingUnderflow(missing);
      }
      for (const asset of filter.value) {
        if (asset.fun.type === 'Fungible') {
          const i = search(this.fungible, asset.id, byId);
          if (i < 0) continue;
          const have = this.fungible[i].amount;
          const amount = minAmount(asset.fun.value, have);
          if (have === amount) this.fungible.splice(i, 1);
          else this.fungible[i] = { id: this.fungible[i].id, amount: have - amount };
          if (amount > 0n) taken.#addFungible(asset.id, amount);
        } else {
          const e = { id: asset.id, instance: asset.fun.value };
          const i = search(this.nonFungible, e, cmpNonFungible);
          if (i >= 0) {
            this.nonFungible.splice(i, 1);
            taken.#addNonFungible(e);
          }
        }
      }
      return taken;
    }
    const w = filter.value;
    if (w.type === 'All' || w.type === 'AllCounted') {
      if (limit === undefined || this.length <= limit) {
        taken.fungible = this.fungible;
        taken.nonFungible = this.nonFungible;
        this.fungible = [];
        this.nonFungible = [];
        return taken;
      }
      const f = Math.min(limit, this.fungible.length);
      taken.fungible = this.fungible.slice(0, f);
      this.fungible = this.fungible.slice(f);
      const n = Math.min(limit - f, this.nonFungible.length);
      taken.nonFungible = this.nonFungible.slice(0, n);
      this.nonFungible = this.nonFungible.slice(n);
      return taken;
    }
    if (w.value.fun.type === 'Fungible') {
      if (limit === undefined || limit >= 1) {
        const i = search(this.fungible, w.value.id, byId);
        if (i >= 0) taken.fungible.push(...this.fungible.splice(i, 1));
      }
      return taken;
    }
    const keep: NonFungibleEntry[] = [];
    for (const e of this.nonFungible) {
      if (cmpId(e.id, w.value.id) === 0 && (limit === undefined || taken.length < limit))
        taken.nonFungible.push(e);
      else keep.push(e);
    }
    this.nonFungible = keep;
    return taken;
  }

  /** `checked_sub`: this holding without `asset`, or undefined (this unchanged) if it does not hold all of it. */
  checkedSub(asset: Asset): AssetsInHolding | undefined {
    if (!this.containsAsset(asset)) return undefined;
    const rest = this.clone();
    rest.#take({ type: 'Definite', value: [asset] }, true);
    return rest;
  }

  /** `min`: what this holds, asset by asset no more than `filter` asks for (the holding is unchanged). */
  min(filter: AssetFilter): AssetsInHolding {
    const masked = new AssetsInHolding();
    const limit = filterLimit(filter);
    if (limit === 0) return masked;
    if (filter.type === 'Definite') {
      for (const asset of filter.value) {
        if (asset.fun.type === 'Fungible') {
          const have = this.amountOf(asset.id);
          if (have > 0n) masked.#addFungible(asset.id, minAmount(asset.fun.value, have));
        } else if (this.containsAsset(asset)) masked.subsume(asset);
      }
      return masked;
    }
    const w = filter.value;
    if (w.type === 'All' || w.type === 'AllCounted') {
      if (limit === undefined || this.length <= limit) return this.clone();
      const f = Math.min(limit, this.fungible.length);
      masked.fungible = this.fungible.slice(0, f).map((e) => ({ ...e }));
      masked.nonFungible = this.nonFungible.slice(0, limit - f);
      return masked;
    }
    if (w.value.fun.type === 'Fungible') {
      const have = this.amountOf(w.value.id);
      if (have > 0n) masked.fungible.push({ id: w.value.id, amount: have });
      return masked;
    }
    for (const e of this.nonFungible) {
      if (cmpId(e.id, w.value.id) !== 0) continue;
      masked.nonFungible.push(e);
      if (limit !== undefined && masked.length >= limit) break;
    }
    return masked;
  }

  /**
   * The executor's `reanchored(assets, dest, failed_bin)`: every asset as `target` sees it (`context` is this chain's
   * universal location), as a sorted `Assets`; those that cannot be reanchored go to `failedBin` (or are dropped).
   */
  reanchored(target: Location, context: Junctions, failedBin?: AssetsInHolding): Assets {
    const moved = new AssetsInHolding();
    for (const e of this.fungible) {
      const id = reanchor(e.id, target, context);
      if (id) moved.#addFungible(id, e.amount);
      else if (failedBin) failedBin.#addFungible(e.id, e.amount);
    }
    for (const e of this.nonFungible) {
      const id = reanchor(e.id, target, context);
      if (id) moved.#addNonFungible({ id, instance: e.instance });
      else if (failedBin) failedBin.#addNonFungible(e);
    }
    return moved.assets();
  }
}
