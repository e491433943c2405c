/**
 * pallet-xcm's transfer extrinsics, after polkadot-sdk's `pallet-xcm/src/tests/assets_transfer.rs`: for each
 * transfer type (local reserve, destination reserve, remote reserve, teleport, and fees taking another path than
 * the assets) the local effect to the unit, the message sent, the events, the delivery fee, and the refusals.
 */
import { describe, expect, it } from 'vitest';
import { signedOrigin } from '../../../src/frame/origin.ts';
import {
  type Asset,
  type Location,
  parachain,
  siblingParachain,
  type WeightLimit,
  type Xcm,
} from '../../../src/xcm/index.ts';
import {
  ALICE,
  Assets_,
  accountLocation,
  BOB,
  BalancesCurrency,
  CHECKING,
  native,
  siblingSovereign,
  siblingToken,
  UNIT,
} from '../../xcm/executor/mock.ts';
import { inBlock, PolkadotXcm, runtime, sent, setDeliveryPrice, xcmEvents } from './mock.ts';

const tx = PolkadotXcm.pallet.tx;
const v5 = <T>(value: T) => ({ type: 'V5' as const, value });
const free = (who: Uint8Array) => BalancesCurrency.free(who);
const tokens = (who: Uint8Array) => Assets_.storage.Account.get(1, who)?.balance ?? 0n;
const bob = accountLocation(BOB);
const unlimited: WeightLimit = { type: 'Unlimited' };
const ours = (amount: bigint): Asset => ({
  id: siblingParachain(2008),
  fun: { type: 'Fungible', value: amount },
});
const moduleError = (...bytes: number[]) => ({
  type: 'Module',
  value: { index: 31, error: Uint8Array.from([...bytes, 0, 0, 0, 0].slice(0, 4)) },
});
const allCounted = (n: number) => ({ type: 'Wild', value: { type: 'AllCounted', value: n } }) as const;

function transfer(
  kind: 'limited_reserve_transfer_assets' | 'limited_teleport_assets' | 'transfer_assets',
  dest: number,
  assets: Asset[],
  feeIndex = 0,
) {
  const call = tx[kind]({
    dest: v5(siblingParachain(dest)),
    beneficiary: v5(bob),
    assets: v5(assets),
    fee_asset_item: feeIndex,
    weight_limit: unlimited,
  });
  return runtime.dispatch(call, signedOrigin(ALICE));
}

describe('limited_reserve_transfer_assets', () => {
  it('local reserve: into the destination`s sovereign account; ReserveAssetDeposited + BuyExecution + DepositAsset sent', () => {
    inBlock(() => {
      setDeliveryPrice(siblingParachain(2000), [native(1_000n)]);
      expect(transfer('limited_reserve_transfer_assets', 2000, [native(5n * UNIT)])).toMatchObject({
        ok: true,
      });
      expect(free(ALICE)).toBe(95n * UNIT - 1_000n);
      expect(free(siblingSovereign(2000))).toBe(55n * UNIT);
      const expected: Xcm = [
        { type: 'ReserveAssetDeposited', value: [ours(5n * UNIT)] },
        { type: 'ClearOrigin' },
        { type: 'BuyExecution', value: { fees: ours(5n * UNIT), weight_limit: unlimited } },
        { type: 'DepositAsset', value: { assets: allCounted(1), beneficiary: bob } },
      ];
      expect(sent).toEqual([{ dest: siblingParachain(2000), message: expected }]);
      expect(xcmEvents().map(([e]) => e)).toEqual(['Attempted', 'FeesPaid', 'Sent']);
      expect(xcmEvents()[0][1]).toEqual({
        outcome: { type: 'Complete', value: { used: { refTime: 1_000_000_000n, proofSize: 65_536n } } },
      });
    });
  });

  it('destination reserve: the sibling token is burned here and withdrawn from our account there', () => {
    inBlock(() => {
      expect(transfer('limited_reserve_transfer_assets', 2000, [siblingToken(400_000n)])).toMatchObject({
        ok: true,
      });
      expect(tokens(ALICE)).toBe(1_000_000_000n - 400_000n);
      const home = { parents: 0, interior: [] };
      expect(sent[0].message).toEqual([
        { type: 'WithdrawAsset', value: [{ id: home, fun: { type: 'Fungible', value: 400_000n } }] },
        { type: 'ClearOrigin' },
        {
          type: 'BuyExecution',
          value: { fees: { id: home, fun: { type: 'Fungible', value: 400_000n } }, weight_limit: unlimited },
        },
        { type: 'DepositAsset', value: { assets: allCounted(1), beneficiary: bob } },
      ]);
    });
  });

  it('remote reserve: InitiateReserveWithdraw to the reserve, which deposits on to the destination', () => {
    inBlock(() => {
      expect(transfer('limited_reserve_transfer_assets', 3000, [siblingToken(400_000n)])).toMatchObject({
        ok: true,
      });
      expect(tokens(ALICE)).toBe(1_000_000_000n - 400_000n);
      const here = { parents: 0, interior: [] };
      const half = (v: bigint, id: Location = here): Asset => ({ id, fun: { type: 'Fungible', value: v } });
      expect(sent).toEqual([
        {
          dest: siblingParachain(2000),
          message: [
            { type: 'WithdrawAsset', value: [half(400_000n)] },
            { type: 'ClearOrigin' },
            { type: 'BuyExecution', value: { fees: half(200_000n), weight_limit: unlimited } },
            {
              type: 'DepositReserveAsset',
              value: {
                assets: allCounted(1),
                dest: siblingParachain(3000),
                xcm: [
                  {
                    type: 'BuyExecution',
                    value: { fees: half(200_000n, siblingParachain(2000)), weight_limit: unlimited },
                  },
                  { type: 'DepositAsset', value: { assets: allCounted(1), beneficiary: bob } },
                ],
              },
            },
          ],
        },
      ]);
    });
  });

  it('refusals: a teleportable asset (Filtered), no fee item (Empty), more than 2 assets, mixed reserves', () => {
    inBlock(() => {
      expect(transfer('limited_reserve_transfer_assets', 1000, [native(UNIT)])).toMatchObject({
        ok: false,
        error: moduleError(2),
      });
      expect(transfer('limited_reserve_transfer_assets', 2000, [native(UNIT)], 3)).toMatchObject({
        ok: false,
        error: moduleError(5),
      });
      const three = [
        native(UNIT),
        siblingToken(5n),
        { id: siblingParachain(4000), fun: { type: 'Fungible', value: 1n } } as Asset,
      ];
      expect(transfer('limited_reserve_transfer_assets', 2000, three)).toMatchObject({
        ok: false,
        error: moduleError(7),
      });
      expect(
        transfer('limited_reserve_transfer_assets', 2000, [native(UNIT), siblingToken(5_000n)]),
      ).toMatchObject({
        ok: false,
        error: moduleError(23), // TooManyReserves
      });
      // Para 4000's token: NativeAsset makes 4000 its reserve (a remote reserve), but no transactor here holds it:
      // the local WithdrawAsset fails with AssetNotFound (8) at instruction 0.
      const foreign = { id: siblingParachain(4000), fun: { type: 'Fungible', value: 2n } } as Asset;
      expect(transfer('limited_reserve_transfer_assets', 2000, [foreign])).toMatchObject({
        ok: false,
        error: moduleError(28, 0, 8),
      });
      expect(free(ALICE)).toBe(100n * UNIT);
      expect(sent).toEqual([]);
    });
  });

  it('a local execution that fails rolls the whole call back (LocalExecutionIncompleteWithError)', () => {
    inBlock(() => {
      // Alice would die: TransferAsset keeps her alive (Preserve), FailedToTransactAsset (9) at instruction 0.
      expect(transfer('limited_reserve_transfer_assets', 2000, [native(100n * UNIT)])).toMatchObject({
        ok: false,
        error: moduleError(28, 0, 9),
      });
      expect(free(ALICE)).toBe(100n * UNIT);
      expect(sent).toEqual([]);
    });
  });

  it('a delivery fee the origin cannot pay: FeesNotMet, nothing moved', () => {
    inBlock(() => {
      setDeliveryPrice(siblingParachain(2000), [native(96n * UNIT)]);
      expect(transfer('limited_reserve_transfer_assets', 2000, [native(5n * UNIT)])).toMatchObject({
        ok: false,
        error: moduleError(17),
      });
      expect(free(ALICE)).toBe(100n * UNIT);
      expect(free(siblingSovereign(2000))).toBe(50n * UNIT);
    });
  });
});

describe('limited_teleport_assets', () => {
  it('burns here, checks out to the checking account, sends ReceiveTeleportedAsset', () => {
    inBlock(() => {
      expect(transfer('limited_teleport_assets', 1000, [native(4n * UNIT)])).toMatchObject({ ok: true });
      expect(free(ALICE)).toBe(96n * UNIT);
      expect(free(CHECKING)).toBe(14n * UNIT);
      expect(sent[0].message).toEqual([
        { type: 'ReceiveTeleportedAsset', value: [ours(4n * UNIT)] },
        { type: 'ClearOrigin' },
        { type: 'BuyExecution', value: { fees: ours(4n * UNIT), weight_limit: unlimited } },
        { type: 'DepositAsset', value: { assets: allCounted(1), beneficiary: bob } },
      ]);
    });
  });

  it('to a chain we do not teleport with: Filtered', () => {
    inBlock(() => {
      expect(transfer('limited_teleport_assets', 2000, [native(UNIT)])).toMatchObject({
        ok: false,
        error: moduleError(2),
      });
    });
  });
});

describe('transfer_assets', () => {
  it('the same as the reserve transfer when fees and assets travel alike', () => {
    inBlock(() => {
      expect(transfer('transfer_assets', 2000, [native(5n * UNIT)])).toMatchObject({ ok: true });
      expect(free(siblingSovereign(2000))).toBe(55n * UNIT);
      expect(sent[0].message[0]).toEqual({ type: 'ReserveAssetDeposited', value: [ours(5n * UNIT)] });
    });
  });

  it('fees by local reserve, assets by destination reserve: fee instructions first on both sides', () => {
    inBlock(() => {
      // The Assets pallet sorts fungibles by id: [native (Here), sibling token]; the fee is item 0.
      expect(transfer('transfer_assets', 2000, [native(UNIT), siblingToken(300_000n)], 0)).toMatchObject({
        ok: true,
      });
      expect(free(siblingSovereign(2000))).toBe(51n * UNIT);
      expect(tokens(ALICE)).toBe(1_000_000_000n - 300_000n);
      const here = { parents: 0, interior: [] };
      expect(sent[0].message).toEqual([
        { type: 'ReserveAssetDeposited', value: [ours(UNIT)] },
        { type: 'BuyExecution', value: { fees: ours(UNIT), weight_limit: unlimited } },
        { type: 'WithdrawAsset', value: [{ id: here, fun: { type: 'Fungible', value: 300_000n } }] },
        { type: 'ClearOrigin' },
        { type: 'DepositAsset', value: { assets: allCounted(2), beneficiary: bob } },
      ]);
    });
  });

  it('assets by remote reserve with fees by another path: InvalidAssetUnsupportedReserve', () => {
    inBlock(() => {
      expect(transfer('transfer_assets', 1000, [native(UNIT), siblingToken(300_000n)], 0)).toMatchObject({
        ok: false,
        error: moduleError(22),
      });
      expect(parachain(1).type).toBe('Parachain');
    });
  });
});
