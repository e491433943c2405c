/**
 * The asset instructions, each checked to the unit against Balances / Assets: WithdrawAsset, BuyExecution,
 * DepositAsset, ReserveAssetDeposited, ReceiveTeleportedAsset (and the checking account), TransferAsset,
 * TransferReserveAsset, DepositReserveAsset, InitiateReserveWithdraw, InitiateTeleport, InitiateTransfer, BurnAsset,
 * ExchangeAsset, RefundSurplus, PayFees. Scenarios after polkadot-sdk's xcm-executor and xcm-builder tests
 * (`tests/mock.rs`, `tests/assets.rs`, `tests/transacting.rs`).
 */
import { describe, expect, it } from 'vitest';
import { TotalIssuance } from '../../../src/pallets/balances/index.ts';
import { AssetsInHolding, xcmFail } from '../../../src/xcm/executor/index.ts';
import { type Asset, type Instruction, parachain, siblingParachain } from '../../../src/xcm/index.ts';
import {
  all,
  buy,
  clearOrigin,
  complete,
  definite,
  deposit,
  incomplete,
  refundSurplus,
  reserveDeposited,
  run,
  runPaid,
  teleported,
  transact,
  withdraw,
} from './helpers.ts';
import {
  ALICE,
  accountLocation,
  Assets_,
  BOB,
  BalancesCurrency,
  CHECKING,
  config,
  feeOf,
  feesCollected,
  inBlock,
  LastOrigin,
  native,
  sent,
  setDeliveryPrice,
  SIBLING_TOKEN,
  siblingFeesCollected,
  siblingSovereign,
  siblingToken,
  trapEvents,
  UNIT,
  xcmConfig,
  XcmTest,
  runtime,
} from './mock.ts';

const free = (who: Uint8Array) => BalancesCurrency.free(who);
const assetBalance = (who: Uint8Array) => Assets_.storage.Account.get(1, who)?.balance ?? 0n;
const sibling2000 = siblingParachain(2000);

describe('paid execution from a sibling', () => {
  it('WithdrawAsset + BuyExecution + DepositAsset: the sovereign account pays, Bob gets the rest to the unit', () => {
    inBlock(() => {
      const issuance = TotalIssuance.get();
      const r = run(sibling2000, [
        withdraw(native(10n * UNIT)),
        buy(native(UNIT)),
        deposit(accountLocation(BOB)),
      ]);
      expect(r.outcome).toEqual(complete(3));
      expect(free(siblingSovereign(2000))).toBe(40n * UNIT);
      expect(free(BOB)).toBe(10n * UNIT - feeOf(3));
      // The fee was withdrawn (burned) and not minted back: issuance fell by exactly the fee.
      expect(TotalIssuance.get()).toBe(issuance - feeOf(3));
      expect(feesCollected).toEqual([feeOf(3)]);
      expect(trapEvents).toEqual([]);
    });
  });

  it('Transact + RefundSurplus: the unused call weight is refunded exactly', () => {
    inBlock(() => {
      // record declares (10e6, 1000) and reports (4e6, 1000) used.
      const call = XcmTest.tx.record({ value: 7 });
      const message = [
        withdraw(native(10n * UNIT)),
        buy(native(UNIT)),
        transact(call, 'SovereignAccount'),
        refundSurplus,
        deposit(accountLocation(BOB)),
      ];
      const r = run(sibling2000, message);
      const callWeight = { refTime: 10_000_000, proofSize: 1_000 };
      const bought = feeOf(5) + 10_000n; // 5 instructions + the call's 10e6 ref time at 1 unit/ns
      const refund = 6_000n; // the 6e6 ref time the call did not use
      expect(r.outcome).toEqual(complete(5, { refTime: callWeight.refTime - 6_000_000, proofSize: 1_000 }));
      expect(free(BOB)).toBe(10n * UNIT - bought + refund);
      expect(feesCollected).toEqual([bought - refund]);
      expect(new TextDecoder().decode(LastOrigin.get())).toBe(
        `Signed(${Buffer.from(siblingSovereign(2000)).toString('hex')})`,
      );
    });
  });

  it('ReserveAssetDeposited of the sibling token pays at the fixed rate (UsingComponents does not take it)', () => {
    inBlock(() => {
      const r = run(sibling2000, [
        reserveDeposited(siblingToken(1_000_000n)),
        clearOrigin,
        buy(siblingToken(10_000n)),
        deposit(accountLocation(BOB), all()),
      ]);
      expect(r.outcome).toEqual(complete(4));
      // 2_000_000 units per second × 4e9 ps = 8000 units.
      expect(assetBalance(BOB)).toBe(1_000_000n - 8_000n);
      expect(siblingFeesCollected).toEqual([siblingToken(8_000n)]);
      expect(Assets_.storage.Asset.get(1)?.supply).toBe(1_000_000_000n + 992_000n);
    });
  });

  it('ReserveAssetDeposited from an origin that is not the reserve: UntrustedReserveLocation, nothing minted', () => {
    inBlock(() => {
      const r = run(siblingParachain(3000), [
        reserveDeposited(siblingToken(1_000_000n)),
        buy(siblingToken(10_000n)),
        deposit(accountLocation(BOB)),
      ]);
      expect(r.outcome).toEqual(incomplete(1, 0, { type: 'UntrustedReserveLocation' }));
      expect(assetBalance(BOB)).toBe(0n);
      expect(trapEvents).toEqual([]);
    });
  });

  it('BuyExecution with too little: TooExpensive, the holding keeps the fee asset (and it is trapped)', () => {
    inBlock(() => {
      const r = run(sibling2000, [
        withdraw(native(10n * UNIT)),
        buy(native(1_000n)),
        deposit(accountLocation(BOB)),
      ]);
      expect(r.outcome).toEqual(incomplete(2, 1, { type: 'TooExpensive' }));
      expect(free(BOB)).toBe(0n);
      expect(trapEvents.map((e) => e.assets)).toEqual([{ type: 'V5', value: [native(10n * UNIT)] }]);
    });
  });

  it('BuyExecution of an asset not in holding: NotHoldingFees', () => {
    inBlock(() => {
      const r = run(sibling2000, [
        withdraw(native(UNIT)),
        buy(siblingToken(10n)),
        deposit(accountLocation(BOB)),
      ]);
      expect(r.outcome).toEqual(incomplete(2, 1, { type: 'NotHoldingFees' }));
    });
  });

  it('WithdrawAsset of more than the account has: FailedToTransactAsset, nothing moves', () => {
    inBlock(() => {
      const r = run(sibling2000, [
        withdraw(native(60n * UNIT)),
        buy(native(UNIT)),
        deposit(accountLocation(BOB)),
      ]);
      expect(r.outcome).toEqual(incomplete(1, 0, { type: 'FailedToTransactAsset' }));
      expect(free(siblingSovereign(2000))).toBe(50n * UNIT);
    });
  });

  it('DepositAsset below the existential deposit fails and rolls back; the assets stay in holding and are trapped', () => {
    inBlock(() => {
      const fee = feeOf(3);
      const r = run(sibling2000, [
        withdraw(native(fee + 10n)),
        buy(native(fee)),
        deposit(accountLocation(BOB)),
      ]);
      expect(r.outcome).toEqual(incomplete(3, 2, { type: 'FailedToTransactAsset' }));
      expect(free(BOB)).toBe(0n);
      expect(trapEvents.map((e) => e.assets)).toEqual([{ type: 'V5', value: [native(10n)] }]);
    });
  });

  it('PayFees pays the whole message from the fees register; the rest of it returns to holding at the end', () => {
    inBlock(() => {
      const r = run(sibling2000, [
        withdraw(native(10n * UNIT)),
        { type: 'PayFees', value: { asset: native(UNIT) } },
        deposit(accountLocation(BOB)),
      ]);
      expect(r.outcome).toEqual(complete(3));
      // DepositAsset took what was left in holding (9 UNIT); the unspent fee (1 UNIT - fee) was trapped.
      expect(free(BOB)).toBe(9n * UNIT);
      expect(trapEvents.map((e) => e.assets)).toEqual([{ type: 'V5', value: [native(UNIT - feeOf(3))] }]);
    });
  });
});

describe('teleports', () => {
  it('ReceiveTeleportedAsset from a trusted teleporter: the checking account pays out, issuance unchanged', () => {
    inBlock(() => {
      const issuance = TotalIssuance.get();
      const r = run(siblingParachain(1000), [
        teleported(native(5n * UNIT)),
        clearOrigin,
        buy(native(5n * UNIT)),
        deposit(accountLocation(BOB)),
      ]);
      expect(r.outcome).toEqual(complete(4));
      expect(free(CHECKING)).toBe(5n * UNIT);
      expect(free(BOB)).toBe(5n * UNIT - feeOf(4));
      // Minted to Bob what the checking account lost; only the fee left the supply.
      expect(TotalIssuance.get()).toBe(issuance - feeOf(4));
    });
  });

  it('ReceiveTeleportedAsset from anyone else: UntrustedTeleportLocation', () => {
    inBlock(() => {
      const r = run(sibling2000, [
        teleported(native(UNIT)),
        buy(native(UNIT)),
        deposit(accountLocation(BOB)),
      ]);
      expect(r.outcome).toEqual(incomplete(1, 0, { type: 'UntrustedTeleportLocation' }));
      expect(free(CHECKING)).toBe(10n * UNIT);
    });
  });

  it('ReceiveTeleportedAsset of more than ever went out: the checking account refuses (NotWithdrawable)', () => {
    inBlock(() => {
      const r = run(siblingParachain(1000), [
        teleported(native(11n * UNIT)),
        buy(native(UNIT)),
        deposit(accountLocation(BOB)),
      ]);
      expect(r.outcome).toEqual(incomplete(1, 0, { type: 'NotWithdrawable' }));
    });
  });

  it('InitiateTeleport: the checking account takes what leaves, the message carries it as our token', () => {
    inBlock(() => {
      const xcm: Instruction[] = [buy(native(UNIT)), deposit(accountLocation(BOB))];
      const r = runPaid(accountLocation(ALICE), [
        withdraw(native(3n * UNIT)),
        { type: 'InitiateTeleport', value: { assets: all(), dest: siblingParachain(1000), xcm } },
      ]);
      expect(r.outcome).toEqual(complete(2));
      expect(free(ALICE)).toBe(97n * UNIT);
      expect(free(CHECKING)).toBe(13n * UNIT);
      expect(sent).toHaveLength(1);
      expect(sent[0].dest).toEqual(siblingParachain(1000));
      expect(sent[0].message).toEqual([
        {
          type: 'ReceiveTeleportedAsset',
          value: [{ id: siblingParachain(2008), fun: { type: 'Fungible', value: 3n * UNIT } }],
        },
        clearOrigin,
        ...xcm,
      ]);
    });
  });

  it('InitiateTeleport to a chain we do not teleport with: UntrustedTeleportLocation, holding restored', () => {
    inBlock(() => {
      const r = runPaid(accountLocation(ALICE), [
        withdraw(native(3n * UNIT)),
        { type: 'InitiateTeleport', value: { assets: all(), dest: sibling2000, xcm: [] } },
      ]);
      expect(r.outcome).toEqual(incomplete(2, 1, { type: 'UntrustedTeleportLocation' }));
      expect(sent).toEqual([]);
      expect(trapEvents.map((e) => e.assets)).toEqual([{ type: 'V5', value: [native(3n * UNIT)] }]);
    });
  });
});

describe('local transfers and reserve transfers', () => {
  it('TransferAsset moves exactly the amount between accounts', () => {
    inBlock(() => {
      const r = runPaid(accountLocation(ALICE), [
        { type: 'TransferAsset', value: { assets: [native(2n * UNIT)], beneficiary: accountLocation(BOB) } },
      ]);
      expect(r.outcome).toEqual(complete(1));
      expect(free(ALICE)).toBe(98n * UNIT);
      expect(free(BOB)).toBe(2n * UNIT);
    });
  });

  it('TransferAsset that would kill the sender (Preserve): fails, nothing moves', () => {
    inBlock(() => {
      const r = runPaid(accountLocation(ALICE), [
        {
          type: 'TransferAsset',
          value: { assets: [native(100n * UNIT)], beneficiary: accountLocation(BOB) },
        },
      ]);
      expect(r.outcome).toEqual(incomplete(1, 0, { type: 'FailedToTransactAsset' }));
      expect(free(ALICE)).toBe(100n * UNIT);
    });
  });

  it('TransferReserveAsset: into the destination sovereign account, ReserveAssetDeposited sent reanchored', () => {
    inBlock(() => {
      const xcm: Instruction[] = [buy(native(UNIT)), deposit(accountLocation(BOB))];
      const r = runPaid(accountLocation(ALICE), [
        { type: 'TransferReserveAsset', value: { assets: [native(4n * UNIT)], dest: sibling2000, xcm } },
      ]);
      expect(r.outcome).toEqual(complete(1));
      expect(free(ALICE)).toBe(96n * UNIT);
      expect(free(siblingSovereign(2000))).toBe(54n * UNIT);
      expect(sent[0].message).toEqual([
        {
          type: 'ReserveAssetDeposited',
          value: [{ id: siblingParachain(2008), fun: { type: 'Fungible', value: 4n * UNIT } }],
        },
        clearOrigin,
        ...xcm,
      ]);
    });
  });

  it('DepositReserveAsset: the delivery fee comes out of the assets sent; the rest reaches the sovereign account', () => {
    inBlock(() => {
      setDeliveryPrice(sibling2000, [native(1_000n)]);
      const r = runPaid(accountLocation(ALICE), [
        withdraw(native(2n * UNIT)),
        { type: 'DepositReserveAsset', value: { assets: all(), dest: sibling2000, xcm: [] } },
      ]);
      expect(r.outcome).toEqual(complete(2));
      expect(free(ALICE)).toBe(98n * UNIT);
      expect(free(siblingSovereign(2000))).toBe(52n * UNIT - 1_000n);
      expect(sent[0].message).toEqual([
        {
          type: 'ReserveAssetDeposited',
          value: [{ id: siblingParachain(2008), fun: { type: 'Fungible', value: 2n * UNIT - 1_000n } }],
        },
        clearOrigin,
      ]);
      expect(trapEvents).toEqual([]);
    });
  });

  it('InitiateReserveWithdraw of the sibling token: burned here, WithdrawAsset sent to the reserve as its own token', () => {
    inBlock(() => {
      const supply = Assets_.storage.Asset.get(1)!.supply;
      const r = runPaid(accountLocation(ALICE), [
        withdraw(siblingToken(500_000n)),
        { type: 'InitiateReserveWithdraw', value: { assets: all(), reserve: sibling2000, xcm: [] } },
      ]);
      expect(r.outcome).toEqual(complete(2));
      expect(assetBalance(ALICE)).toBe(1_000_000_000n - 500_000n);
      expect(Assets_.storage.Asset.get(1)!.supply).toBe(supply - 500_000n);
      expect(sent[0].message).toEqual([
        {
          type: 'WithdrawAsset',
          value: [{ id: { parents: 0, interior: [] }, fun: { type: 'Fungible', value: 500_000n } }],
        },
        clearOrigin,
      ]);
    });
  });

  it('InitiateReserveWithdraw to a location that is not the reserve: UntrustedReserveLocation', () => {
    inBlock(() => {
      const r = runPaid(accountLocation(ALICE), [
        withdraw(siblingToken(500_000n)),
        {
          type: 'InitiateReserveWithdraw',
          value: { assets: all(), reserve: siblingParachain(3000), xcm: [] },
        },
      ]);
      expect(r.outcome).toEqual(incomplete(2, 1, { type: 'UntrustedReserveLocation' }));
      expect(sent).toEqual([]);
    });
  });

  it('InitiateTransfer: remote fees by reserve deposit (PayFees), assets by teleport, origin preserved', () => {
    inBlock(() => {
      const r = runPaid(accountLocation(ALICE), [
        withdraw(native(6n * UNIT)),
        {
          type: 'InitiateTransfer',
          value: {
            destination: siblingParachain(1000),
            remote_fees: { type: 'ReserveDeposit', value: definite(native(UNIT)) },
            preserve_origin: true,
            assets: [{ type: 'Teleport', value: all() }],
            remote_xcm: [deposit(accountLocation(BOB))],
          },
        },
      ]);
      expect(r.outcome).toEqual(complete(2));
      expect(free(ALICE)).toBe(94n * UNIT);
      expect(free(siblingSovereign(1000))).toBe(UNIT);
      expect(free(CHECKING)).toBe(15n * UNIT);
      const ours = (amount: bigint): Asset => ({
        id: siblingParachain(2008),
        fun: { type: 'Fungible', value: amount },
      });
      expect(sent[0].message).toEqual([
        { type: 'ReserveAssetDeposited', value: [ours(UNIT)] },
        { type: 'PayFees', value: { asset: ours(UNIT) } },
        { type: 'ReceiveTeleportedAsset', value: [ours(5n * UNIT)] },
        {
          type: 'AliasOrigin',
          value: { parents: 1, interior: [parachain(2008), accountLocation(ALICE).interior[0]] },
        },
        deposit(accountLocation(BOB)),
      ]);
    });
  });

  it('BurnAsset destroys what it names from holding', () => {
    inBlock(() => {
      const issuance = TotalIssuance.get();
      const r = runPaid(accountLocation(ALICE), [
        withdraw(native(3n * UNIT)),
        { type: 'BurnAsset', value: [native(UNIT)] },
        deposit(accountLocation(BOB)),
      ]);
      expect(r.outcome).toEqual(complete(3));
      expect(free(BOB)).toBe(2n * UNIT);
      expect(TotalIssuance.get()).toBe(issuance - UNIT);
    });
  });
});

describe('ExchangeAsset', () => {
  it('without an exchanger: NoDeal and the holding is restored (then trapped)', () => {
    inBlock(() => {
      const r = runPaid(accountLocation(ALICE), [
        withdraw(native(UNIT)),
        { type: 'ExchangeAsset', value: { give: all(), want: [siblingToken(10n)], maximal: false } },
      ]);
      expect(r.outcome).toEqual(incomplete(2, 1, { type: 'NoDeal' }));
      expect(trapEvents.map((e) => e.assets)).toEqual([{ type: 'V5', value: [native(UNIT)] }]);
    });
  });

  it('with an exchanger: what it gives back lands in holding', () => {
    // A 1:2 exchanger: one native unit buys two sibling-token units; the give is consumed.
    const cfg = xcmConfig(() => runtime, {
      assetExchanger: {
        exchangeAsset(_origin, give, want, maximal) {
          const have = give.amountOf({ parents: 0, interior: [] });
          const wanted = want[0].fun.type === 'Fungible' ? want[0].fun.value : 0n;
          const got = maximal ? have * 2n : wanted;
          if (have * 2n < wanted) return undefined;
          const out = AssetsInHolding.from([siblingToken(got)]);
          const left = have - (maximal ? have : (wanted + 1n) / 2n);
          if (left > 0n) out.subsume(native(left));
          return out;
        },
        quoteExchangePrice: () => undefined,
      },
    });
    inBlock(() => {
      const r = runPaid(
        accountLocation(ALICE),
        [
          withdraw(native(500n)),
          { type: 'ExchangeAsset', value: { give: all(), want: [siblingToken(1_000n)], maximal: false } },
          deposit(accountLocation(BOB), all()),
        ],
        cfg,
      );
      expect(r.outcome).toEqual(complete(3));
      expect(assetBalance(BOB)).toBe(1_000n);
      expect(free(ALICE)).toBe(100n * UNIT - 500n);
    });
  });
});

describe('config sanity', () => {
  it('an asset no transactor handles: AssetNotFound', () => {
    inBlock(() => {
      const odd: Asset = { id: siblingParachain(4000), fun: { type: 'Fungible', value: 5n } };
      const r = run(siblingParachain(4000), [withdraw(odd), buy(odd), deposit(accountLocation(BOB))]);
      expect(r.outcome).toEqual(incomplete(1, 0, { type: 'AssetNotFound' }));
    });
  });

  it('the xcmFail helper builds the XCM error values', () => {
    expect(xcmFail('BadOrigin').error).toEqual({ type: 'BadOrigin' });
    expect(config.maxAssetsIntoHolding).toBe(64);
    expect(SIBLING_TOKEN).toEqual(siblingParachain(2000));
  });
});
