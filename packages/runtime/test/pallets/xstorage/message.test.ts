/**
 * The bytes an order sends, read by outside decoders: the Transact'ed calls are the tuples @polkadot/types encodes
 * (crustio/xstorage's `(127u8, 0u8, cid, size).encode()`; the market's `place_storage_order`; our call 3 with a
 * `VersionedLocation`), and the whole `VersionedXcm::V5` decodes with @polkadot/types over the Polkadot relay
 * runtime's own XCM types (polkadot-sdk's scale-info) into the instructions of DESIGN.md §3, and re-encodes to the
 * same bytes — for both currencies, for a 32-byte and a 20-byte user.
 */
import { TypeRegistry } from '@polkadot/types';
import { u8aToHex } from '@polkadot/util';
import { describe, expect, it } from 'vitest';
import {
  instructionCount,
  marketPlaceOrderCall,
  ORDER_MESSAGE_INSTRUCTIONS,
  orderMessage,
  placeOrderPayingWithCall,
  placeOrderThroughParachainCall,
  refundArrival,
} from '../../../src/pallets/xstorage/index.ts';
import { VersionedXcmCodec } from '../../../src/xcm/index.ts';
import { pjsRegistry } from '../../xcm/pjs-xcm.ts';

const CID = 'QmdwgqZy1MZBfWPi7GcxVsYgJEtmvHg6rsLzbCej3tf3oF';
const cid = new TextEncoder().encode(CID);
const pjs = new TypeRegistry();

describe('the calls Crust dispatches', () => {
  it('xstorage call 0 is (127u8, 0u8, cid, size).encode()', () => {
    const expected = pjs.createType('(u8, u8, Bytes, u64)', [127, 0, CID, 1_234_567n]).toU8a();
    expect(u8aToHex(placeOrderThroughParachainCall(cid, 1_234_567n))).toBe(u8aToHex(expected));
  });

  it('market.place_storage_order (100, 0) carries compact tips and an empty memo', () => {
    const expected = pjs
      .createType('(u8, u8, Bytes, u64, Compact<u128>, Bytes)', [100, 0, CID, 2n ** 33n, 10n ** 15n, ''])
      .toU8a();
    expect(u8aToHex(marketPlaceOrderCall(cid, 2n ** 33n, 10n ** 15n))).toBe(u8aToHex(expected));
  });

  it('xstorage call 3 carries the token as a VersionedLocation V5', () => {
    const relay = pjsRegistry();
    const asset = relay.createType('XcmVersionedLocation', {
      V5: { parents: 1, interior: { X1: [{ Parachain: 2000 }] } },
    });
    const expected = new Uint8Array([
      ...pjs.createType('(u8, u8, Bytes, u64, u128)', [127, 3, CID, 5n, 6n]).toU8a(),
      ...asset.toU8a(),
      ...pjs.createType('u128', 7n).toU8a(),
    ]);
    const ours = placeOrderPayingWithCall(
      cid,
      5n,
      6n,
      { parents: 1, interior: [{ type: 'Parachain', value: 2000 }] },
      7n,
    );
    expect(u8aToHex(ours)).toBe(u8aToHex(expected));
  });
});

describe('the order message, read by @polkadot/types', () => {
  const relay = pjsRegistry();
  const users = {
    'AccountId32 (Acala)': { type: 'AccountId32', value: { id: new Uint8Array(32).fill(0xd4) } },
    'AccountKey20 (Moonbeam)': { type: 'AccountKey20', value: { key: new Uint8Array(20).fill(0xf2) } },
  } as const;

  for (const [name, user] of Object.entries(users))
    for (const currency of ['Cru', 'Native'] as const)
      it(`${currency}, ${name}: decodes into DESIGN §3's instructions and re-encodes identically`, () => {
        const topic = new Uint8Array(32).fill(0xab);
        const message = orderMessage({
          currency,
          selfParaId: 2004,
          crustParaId: 2008,
          user,
          amount: 1_000n,
          execution: 600n,
          deposit: 300n,
          refund: 350n,
          weight: { refTime: 19_495_000_000, proofSize: 1_132_997 },
          call: placeOrderThroughParachainCall(cid, 1_000n),
          callWeight: { refTime: 2_495_000_000, proofSize: 18_885 },
          queryId: 42n,
          responseWeight: { refTime: 80_000_000, proofSize: 8_000 },
          topic,
        });
        const bytes = VersionedXcmCodec.encode({ type: 'V5', value: message });
        const decoded = relay.createType('XcmVersionedXcm', bytes);
        expect(u8aToHex(decoded.toU8a())).toBe(u8aToHex(bytes));
        const json = decoded.toJSON() as { v5: Array<Record<string, any>> };
        const kinds = json.v5.map((i) => Object.keys(i)[0]);
        expect(kinds).toEqual([
          currency === 'Cru' ? 'withdrawAsset' : 'reserveAssetDeposited',
          'buyExecution',
          'setAppendix',
          'setErrorHandler',
          'descendOrigin',
          'depositAsset',
          'transact',
          'reportTransactStatus',
          'expectTransactStatus',
          'setTopic',
        ]);
        const [first, buy, appendix, handler, descend, deposit, transact, report, expect_, setTopic] =
          json.v5;
        const paying =
          currency === 'Cru'
            ? { parents: 0, interior: { here: null } }
            : { parents: 1, interior: { x1: [{ parachain: 2004 }] } };
        const userJunction = relay
          .createType('StagingXcmV5Junction', {
            [user.type]:
              user.type === 'AccountId32' ? { id: user.value.id } : { key: (user.value as any).key },
          })
          .toJSON();
        const userOnCrust = { parents: 1, interior: { x2: [{ parachain: 2004 }, userJunction] } };
        expect(Object.values(first)[0]).toEqual([{ id: paying, fun: { fungible: 1_000 } }]);
        expect(buy.buyExecution).toEqual({
          fees: { id: paying, fun: { fungible: 600 } },
          weightLimit: { limited: { refTime: 19_495_000_000, proofSize: 1_132_997 } },
        });
        expect(appendix.setAppendix).toEqual([
          { refundSurplus: null },
          { depositAsset: { assets: { wild: { allCounted: 1 } }, beneficiary: userOnCrust } },
        ]);
        const home = { parents: 1, interior: { x1: [{ parachain: 2004 }] } };
        const atHome =
          currency === 'Cru'
            ? { parents: 1, interior: { x1: [{ parachain: 2008 }] } }
            : { parents: 0, interior: { here: null } };
        const homeward = [
          {
            buyExecution: { fees: { id: atHome, fun: { fungible: 350 } }, weightLimit: { unlimited: null } },
          },
          {
            depositAsset: {
              assets: { wild: { allCounted: 1 } },
              beneficiary: { parents: 0, interior: { x1: [userJunction] } },
            },
          },
        ];
        const info = { destination: home, queryId: 42, maxWeight: { refTime: 80_000_000, proofSize: 8_000 } };
        expect(handler.setErrorHandler).toEqual([
          { withdrawAsset: [{ id: paying, fun: { fungible: 300 } }] },
          { refundSurplus: null },
          currency === 'Cru'
            ? { depositReserveAsset: { assets: { wild: { allCounted: 1 } }, dest: home, xcm: homeward } }
            : {
                initiateReserveWithdraw: {
                  assets: { wild: { allCounted: 1 } },
                  reserve: home,
                  xcm: homeward,
                },
              },
          { expectTransactStatus: { success: null } },
          { reportError: info },
        ]);
        expect(descend.descendOrigin).toEqual({ x1: [userJunction] });
        expect(deposit.depositAsset).toEqual({
          assets: { wild: { allCounted: 1 } },
          beneficiary: userOnCrust,
        });
        expect(transact.transact).toEqual({
          originKind: 'SovereignAccount',
          fallbackMaxWeight: { refTime: 2_495_000_000, proofSize: 18_885 },
          call: { encoded: u8aToHex(placeOrderThroughParachainCall(cid, 1_000n)) },
        });
        expect(report.reportTransactStatus).toEqual(info);
        expect(expect_.expectTransactStatus).toEqual({ success: null });
        expect(setTopic.setTopic).toBe(u8aToHex(topic));
        expect(instructionCount(message)).toBe(ORDER_MESSAGE_INSTRUCTIONS);
      });

  it('a refund arrives home as ReserveAssetDeposited (CRU) or WithdrawAsset (the chain token) + 4 instructions', () => {
    const user = { type: 'AccountId32', value: { id: new Uint8Array(32) } } as const;
    const cru = refundArrival('Cru', { parents: 1, interior: [{ type: 'Parachain', value: 2008 }] }, user);
    const own = refundArrival('Native', { parents: 0, interior: [] }, user);
    for (const [m, first] of [
      [cru, 'reserveAssetDeposited'],
      [own, 'withdrawAsset'],
    ] as const) {
      const json = relay
        .createType('XcmVersionedXcm', VersionedXcmCodec.encode({ type: 'V5', value: m }))
        .toJSON() as { v5: object[] };
      expect(json.v5.map((i) => Object.keys(i)[0])).toEqual([
        first,
        'clearOrigin',
        'buyExecution',
        'depositAsset',
        'setTopic',
      ]);
    }
  });
});
