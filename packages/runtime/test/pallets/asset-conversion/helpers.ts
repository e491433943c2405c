/** The mock's test helpers (tests.rs `balance`, `pool_balance`, `create_tokens`, `assert_ok!`, `assert_noop!`). */
import { expect } from 'vitest';
import type { DispatchError } from '../../../src/frame/dispatch-error.ts';
import type { RuntimeCallValue } from '../../../src/frame/pallet.ts';
import type { DispatchOutcome } from '../../../src/frame/runtime.ts';
import { NextPoolAssetId, poolAddress, Pools } from '../../../src/pallets/asset-conversion/index.ts';
import type { Location } from '../../../src/xcm/index.ts';
import {
  type ConversionExt,
  ForeignAssetsInstance,
  forceCreate,
  MOCK_CONFIG,
  PoolAssetsInstance,
} from './mock.ts';

const json = (v: unknown) => JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? `${x}` : x));

/** `DispatchError` as text: `AssetConversion.PoolExists`, `Token.NotExpendable`, `Arithmetic.Overflow`. */
export function errorName(ext: ConversionExt, e: DispatchError | undefined): string {
  if (!e) return 'none';
  if (e.type === 'Module') {
    const entry = ext.chain.runtime.pallets.find((p) => p.index === e.value.index);
    const spec = entry?.pallet.errors?.spec ?? {};
    const name = Object.entries(spec).find(([, [i]]) => i === e.value.error[0])?.[0];
    return `${entry?.pallet.name}.${name}`;
  }
  if (e.value && typeof e.value === 'object' && 'type' in e.value)
    return `${e.type}.${(e.value as any).type}`;
  return e.type;
}

export function assertOk(ext: ConversionExt, outcome: DispatchOutcome): void {
  expect(outcome.ok, outcome.ok ? '' : errorName(ext, outcome.error)).toBe(true);
}

/** `assert_noop!`: the call fails with `error` and no storage entry changes. */
export function assertNoop(
  ext: ConversionExt,
  who: Uint8Array | 'root',
  call: RuntimeCallValue,
  error: string,
): void {
  const before = ext.snapshot();
  const outcome = ext.dispatch(who, call);
  expect(outcome.ok, json(outcome)).toBe(false);
  expect(errorName(ext, outcome.ok ? undefined : outcome.error)).toBe(error);
  expect(ext.snapshot()).toEqual(before);
}

/** `<T as Config>::Assets::balance(token, owner)`. */
export const balance = (ext: ConversionExt, owner: Uint8Array, asset: Location): bigint =>
  ext.run(() => MOCK_CONFIG.assets.balance(asset, owner));
/** `<T as Config>::PoolAssets::balance(lp, owner)`. */
export const poolBalance = (ext: ConversionExt, owner: Uint8Array, lp: number): bigint =>
  ext.run(() => PoolAssetsInstance.fungibles.balance(lp, owner));
/** `PoolLocator::pool_address`. */
export const poolAccount = (ext: ConversionExt, a: Location, b: Location): Uint8Array =>
  ext.run(() => poolAddress(a, b)!);
/** `get_next_pool_asset_id()`. */
export const nextPoolAssetId = (ext: ConversionExt): number => ext.run(() => NextPoolAssetId.get() ?? 0);
/** `create_tokens_with_ed`: ForeignAssets `force_create(root, id, owner, false, ed)`. */
export function createTokens(ext: ConversionExt, owner: Uint8Array, tokens: Location[], ed = 1n): void {
  for (const t of tokens) assertOk(ext, ext.dispatch('root', forceCreate(t, owner, ed)));
}
export const pools = (ext: ConversionExt) => ext.run(() => [...Pools.iterKeys()]);
export const foreignAssetIds = (ext: ConversionExt) =>
  ext.run(() => [...ForeignAssetsInstance.storage.Asset.iterKeys()]);
export const poolAssetIds = (ext: ConversionExt) =>
  ext.run(() => [...PoolAssetsInstance.storage.Asset.iterKeys()]);
