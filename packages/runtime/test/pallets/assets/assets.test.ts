/**
 * pallet_assets scenarios from polkadot-sdk's substrate/frame/assets/src/tests.rs (basic_minting_should_work,
 * min_balance_should_work, non_providing_should_work, transferring_frozen_user_should_not_work, set_metadata_*...):
 * min_balance reaping, consumer/sufficient references, team permissions, deposits, exact errors, and the fungibles
 * adapter XCM will use.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { Assets, AssetsFungibles, AssetsStorage } from '../../../src/pallets/assets/index.ts';
import { Balances, BalancesCurrency } from '../../../src/pallets/balances/index.ts';
import { Account as SystemAccount } from '../../../src/pallets/system/pallet.ts';
import { UNIT } from '../../../src/runtimes/index.ts';
import { acc, id, inBlock, moduleError, ready, token } from '../balances/helpers.ts';

beforeAll(() => ready);

const ED = 1_000_000_000n;
const ASSETS = 5; // pallet index in the dev runtime
const ok = { ok: true, postInfo: {} };
type B = Parameters<Parameters<typeof inBlock>[0]>[0];

function fund(b: B, who: Uint8Array, amount = 100n * UNIT) {
  expect(b.dispatch(Balances.tx.force_set_balance({ who: id(who), new_free: amount }))).toMatchObject({
    ok: true,
  });
}
const balance = (asset: number, who: Uint8Array) => AssetsStorage.Account.get(asset, who)?.balance;

describe('assets', () => {
  it('force_create + mint + transfer: below min_balance the sender is reaped and the dust goes with the transfer', () => {
    inBlock((b) => {
      fund(b, acc(1));
      fund(b, acc(2));
      expect(
        b.dispatch(
          Assets.tx.force_create({ id: 0, owner: id(acc(1)), is_sufficient: false, min_balance: 10n }),
          acc(1),
        ),
      ).toMatchObject({
        ok: false,
        error: { type: 'BadOrigin' },
      });
      expect(
        b.dispatch(
          Assets.tx.force_create({ id: 0, owner: id(acc(1)), is_sufficient: false, min_balance: 10n }),
        ),
      ).toEqual(ok);
      expect(b.dispatch(Assets.tx.mint({ id: 0, beneficiary: id(acc(1)), amount: 9n }), acc(1))).toEqual(
        token('BelowMinimum'),
      );
      expect(b.dispatch(Assets.tx.mint({ id: 0, beneficiary: id(acc(1)), amount: 100n }), acc(1))).toEqual(
        ok,
      );
      expect(b.dispatch(Assets.tx.mint({ id: 0, beneficiary: id(acc(2)), amount: 100n }), acc(2))).toEqual(
        moduleError(ASSETS, 2), // NoPermission: only the issuer mints
      );
      expect(AssetsStorage.Asset.get(0)).toMatchObject({ supply: 100n, accounts: 1 });
      // A non-sufficient asset account holds a consumer reference on the System account.
      expect(SystemAccount.get(acc(1)).consumers).toBe(1);
      expect(b.dispatch(Assets.tx.transfer({ id: 0, target: id(acc(2)), amount: 9n }), acc(1))).toEqual(
        token('BelowMinimum'),
      );
      expect(
        b.dispatch(Assets.tx.transfer_keep_alive({ id: 0, target: id(acc(2)), amount: 91n }), acc(1)),
      ).toEqual(
        moduleError(ASSETS, 0), // BalanceLow: keep-alive may only send balance - min_balance
      );
      b.clearEvents();
      expect(b.dispatch(Assets.tx.transfer({ id: 0, target: id(acc(2)), amount: 91n }), acc(1))).toEqual(ok);
      expect(balance(0, acc(1))).toBeUndefined();
      expect(balance(0, acc(2))).toBe(100n);
      expect(SystemAccount.get(acc(1)).consumers).toBe(0);
      expect(AssetsStorage.Asset.get(0)).toMatchObject({ supply: 100n, accounts: 1 });
      expect(b.events()).toEqual([
        ['Assets', 'Transferred', { asset_id: 0, from: acc(1), to: acc(2), amount: 100n }],
      ]);
    });
  });

  it('non-sufficient assets need a providing account (Token(CannotCreate)); sufficient ones create it', () => {
    inBlock((b) => {
      fund(b, acc(1));
      b.dispatch(Assets.tx.force_create({ id: 1, owner: id(acc(1)), is_sufficient: false, min_balance: 1n }));
      b.dispatch(Assets.tx.force_create({ id: 2, owner: id(acc(1)), is_sufficient: true, min_balance: 1n }));
      expect(b.dispatch(Assets.tx.mint({ id: 1, beneficiary: id(acc(3)), amount: 100n }), acc(1))).toEqual(
        token('CannotCreate'),
      );
      expect(SystemAccount.contains(acc(3))).toBe(false);
      expect(b.dispatch(Assets.tx.mint({ id: 2, beneficiary: id(acc(3)), amount: 100n }), acc(1))).toEqual(
        ok,
      );
      expect(SystemAccount.get(acc(3))).toMatchObject({ sufficients: 1, providers: 0 });
      expect(AssetsStorage.Asset.get(2)).toMatchObject({ sufficients: 1, accounts: 1 });
      // Burning it all (admin, best effort) removes the account and the System account with it.
      b.clearEvents();
      expect(b.dispatch(Assets.tx.burn({ id: 2, who: id(acc(3)), amount: 1_000n }), acc(1))).toEqual(ok);
      expect(SystemAccount.contains(acc(3))).toBe(false);
      expect(b.events()).toEqual([
        ['System', 'KilledAccount', { account: acc(3) }],
        ['Assets', 'Burned', { asset_id: 2, owner: acc(3), balance: 100n }],
      ]);
      expect(AssetsStorage.Asset.get(2)).toMatchObject({ supply: 0n, sufficients: 0, accounts: 0 });
    });
  });

  it('create reserves AssetDeposit; set_metadata reserves base + per byte; bad metadata and non-owners are refused', () => {
    inBlock((b) => {
      fund(b, acc(1));
      fund(b, acc(2));
      expect(b.dispatch(Assets.tx.create({ id: 7, admin: id(acc(2)), min_balance: 0n }), acc(1))).toEqual(
        moduleError(ASSETS, 7),
      );
      b.clearEvents();
      expect(b.dispatch(Assets.tx.create({ id: 7, admin: id(acc(2)), min_balance: 1n }), acc(1))).toEqual(ok);
      expect(b.events()).toContainEqual([
        'Assets',
        'Created',
        { asset_id: 7, creator: acc(1), owner: acc(2) },
      ]);
      expect(BalancesCurrency.reserved(acc(1))).toBe(10n * UNIT);
      expect(AssetsStorage.Asset.get(7)).toMatchObject({
        owner: acc(1),
        issuer: acc(2),
        admin: acc(2),
        freezer: acc(2),
      });
      expect(b.dispatch(Assets.tx.create({ id: 7, admin: id(acc(2)), min_balance: 1n }), acc(1))).toEqual(
        moduleError(ASSETS, 5),
      );
      const name = new TextEncoder().encode('Crust');
      const symbol = new TextEncoder().encode('CRU');
      const md = Assets.tx.set_metadata({ id: 7, name, symbol, decimals: 12 });
      expect(b.dispatch(md, acc(2))).toEqual(moduleError(ASSETS, 2));
      expect(
        b.dispatch(Assets.tx.set_metadata({ id: 7, name: new Uint8Array(51), symbol, decimals: 12 }), acc(1)),
      ).toEqual(moduleError(ASSETS, 9));
      expect(b.dispatch(md, acc(1))).toEqual(ok);
      // MetadataDepositBase 1 UNIT + 8 bytes × 10 mUNIT
      expect(BalancesCurrency.reserved(acc(1))).toBe(10n * UNIT + UNIT + 8n * 10n * 10n ** 9n);
      expect(AssetsStorage.Metadata.get(7)).toEqual({
        deposit: UNIT + 80n * 10n ** 9n,
        name,
        symbol,
        decimals: 12,
        is_frozen: false,
      });
      expect(b.dispatch(Assets.tx.clear_metadata({ id: 7 }), acc(1))).toEqual(ok);
      expect(BalancesCurrency.reserved(acc(1))).toBe(10n * UNIT);
    });
  });

  it('a frozen account cannot send (Assets.Frozen) until thawed; only the freezer/admin may freeze/thaw', () => {
    inBlock((b) => {
      fund(b, acc(1));
      fund(b, acc(2));
      b.dispatch(Assets.tx.force_create({ id: 0, owner: id(acc(1)), is_sufficient: false, min_balance: 1n }));
      b.dispatch(Assets.tx.mint({ id: 0, beneficiary: id(acc(1)), amount: 100n }), acc(1));
      expect(b.dispatch(Assets.tx.freeze({ id: 0, who: id(acc(1)) }), acc(2))).toEqual(
        moduleError(ASSETS, 2),
      );
      expect(b.dispatch(Assets.tx.freeze({ id: 0, who: id(acc(1)) }), acc(1))).toEqual(ok);
      expect(b.dispatch(Assets.tx.transfer({ id: 0, target: id(acc(2)), amount: 50n }), acc(1))).toEqual(
        moduleError(ASSETS, 4),
      );
      expect(b.dispatch(Assets.tx.thaw({ id: 0, who: id(acc(1)) }), acc(1))).toEqual(ok);
      expect(b.dispatch(Assets.tx.transfer({ id: 0, target: id(acc(2)), amount: 50n }), acc(1))).toEqual(ok);
      expect(b.dispatch(Assets.tx.transfer({ id: 9, target: id(acc(2)), amount: 50n }), acc(1))).toEqual(
        moduleError(ASSETS, 3),
      );
    });
  });

  it('the fungibles adapter mints, burns and transfers with the same rules', () => {
    inBlock((b) => {
      fund(b, acc(1));
      b.dispatch(Assets.tx.force_create({ id: 3, owner: id(acc(1)), is_sufficient: true, min_balance: 5n }));
      expect(AssetsFungibles.assetExists(3)).toBe(true);
      expect(AssetsFungibles.canDeposit(3, acc(4), 4n)).toBe('BelowMinimum');
      expect(AssetsFungibles.canDeposit(9, acc(4), 4n)).toBe('UnknownAsset');
      AssetsFungibles.mintInto(3, acc(4), 50n);
      expect(AssetsFungibles.balance(3, acc(4))).toBe(50n);
      expect(AssetsFungibles.reducibleBalance(3, acc(4), true)).toBe(45n);
      expect(() => AssetsFungibles.burnFrom(3, acc(4), 51n)).toThrow(
        expect.objectContaining({ error: moduleError(ASSETS, 0).error }),
      );
      expect(AssetsFungibles.canWithdraw(3, acc(4), 46n)).toEqual({ type: 'ReducedToZero', value: 4n });
      AssetsFungibles.transfer(3, acc(4), acc(5), 20n, true);
      expect(AssetsFungibles.burnFrom(3, acc(5), 20n)).toBe(20n);
      expect(AssetsFungibles.totalIssuance(3)).toBe(30n);
    });
  });
});
