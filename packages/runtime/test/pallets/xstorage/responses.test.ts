/**
 * Crust's answers, and only Crust's, settle an order.
 * - `on_order_response` refuses every origin but `Response(Crust)` (signed, root, another sibling's response) and
 *   queries no order waits for; an `ExecutionResult` (the message stopped before the call ran) fails the order with
 *   the instruction and error, anything else unexpected fails it with no refund promised.
 * - Through the real road: a message whose call Crust cannot even decode stops at its `Transact`, the error handler
 *   refunds and reports `ExecutionResult(6, FailedToDecode)`; a replayed answer and an answer forged by another
 *   sibling with the right query id are refused by the barrier (pallet-xcm no longer / never expected them), and
 *   change nothing.
 * - An order without an answer by its deadline is `TimedOut`; a late answer still settles it.
 * - crustio/xstorage's own message shape (`WithdrawAsset(CRU)`, `BuyExecution`, `Transact { SovereignAccount,
 *   (127, 0, cid, size) }`), sent by a chain without the pallet through `polkadotXcm.send` as root (V3, as those
 *   chains speak it), is accepted on Crust and charges that chain's sovereign account there.
 */
import { u8aToHex } from '@polkadot/util';
import { beforeAll, describe, expect, it } from 'vitest';
import { rootOrigin, signedOrigin } from '../../../src/frame/origin.ts';
import { FileBaseFee, FileByteFee, FileKeysCountFee, FilesV2 } from '../../../src/pallets/market/index.ts';
import { Number as BlockNumber } from '../../../src/pallets/system/index.ts';
import {
  Orders,
  OrderTimeouts,
  orderMessage,
  palletXcmNotifyQueries,
  placeOrderThroughParachainCall,
  QueryOrders,
  Xstorage,
  XstorageWeights,
} from '../../../src/pallets/xstorage/index.ts';
import { PolkadotXcm } from '../../../src/runtimes/xcm-shared.ts';
import { responseOrigin } from '../../../src/xcm/builder/origins.ts';
import type { Location, Response } from '../../../src/xcm/index.ts';
import {
  ACALA,
  ALICE,
  CRU,
  CRU_LOC,
  CRUST,
  cruOn,
  free,
  lastRefund,
  MOONBEAM,
  makeNetwork,
  moduleError,
  placeOrder,
  priceOf,
  siblOnCrust,
  theEvent,
  tokenOf,
  utf8,
} from './helpers.ts';
import { ready } from './network.ts';

beforeAll(() => ready);

const CRUST_LOC: Location = tokenOf(CRUST);
const respond = (queryId: bigint, response: Response) =>
  Xstorage.tx.on_order_response({ query_id: queryId, response });

describe('who may answer', () => {
  const net = makeNetwork();
  const acala = net.chain(ACALA);

  function pendingOrder(cid: string) {
    acala.takeEvents();
    expect(placeOrder(acala, ALICE, 'Cru', utf8(cid), 1_000n).ok).toBe(true);
    const placed = theEvent(acala.takeEvents(), 'Xstorage', 'OrderPlaced');
    return acala.read(() => ({ id: placed.order_id as Uint8Array, order: Orders.get(placed.order_id)! }));
  }

  it('refuses every origin but Response(Crust), and queries no order waits for', () => {
    const { id, order } = pendingOrder('QmWhoWhoWhoWhoWhoWhoWhoWhoWhoWhoWhoWhoWhoWho1');
    const success: Response = { type: 'DispatchResult', value: { type: 'Success' } };
    const call = respond(order.query_id, success);
    expect(moduleError(acala, acala.dispatch(call, signedOrigin(ALICE)))).toBe('BadOrigin');
    expect(moduleError(acala, acala.dispatch(call, rootOrigin()))).toBe('BadOrigin');
    expect(moduleError(acala, acala.dispatch(call, responseOrigin(tokenOf(MOONBEAM))))).toBe('BadOrigin');
    expect(moduleError(acala, acala.dispatch(call, responseOrigin({ parents: 1, interior: [] })))).toBe(
      'BadOrigin',
    );
    expect(
      moduleError(acala, acala.dispatch(respond(order.query_id + 1000n, success), responseOrigin(CRUST_LOC))),
    ).toBe('Xstorage.UnknownQuery');
    expect(acala.read(() => Orders.get(id))!.status).toEqual({ type: 'Pending' });
    // Crust's answer settles it, once.
    expect(acala.dispatch(call, responseOrigin(CRUST_LOC)).ok).toBe(true);
    expect(acala.read(() => Orders.get(id))!.status).toEqual({ type: 'Confirmed' });
    expect(moduleError(acala, acala.dispatch(call, responseOrigin(CRUST_LOC)))).toBe('Xstorage.UnknownQuery');
  });

  it('an ExecutionResult fails the order with the instruction and error; anything else is unexpected', () => {
    const a = pendingOrder('QmExecExecExecExecExecExecExecExecExecExecExec1');
    acala.takeEvents();
    const stopped: Response = { type: 'ExecutionResult', value: [6, { type: 'NoPermission' }] };
    expect(acala.dispatch(respond(a.order.query_id, stopped), responseOrigin(CRUST_LOC)).ok).toBe(true);
    const failed = theEvent(acala.takeEvents(), 'Xstorage', 'OrderFailed');
    expect(failed.error).toEqual({ type: 'Execution', value: { index: 6, error: { type: 'NoPermission' } } });
    expect(failed.refund).toBe(a.order.refund);

    const b = pendingOrder('QmNullNullNullNullNullNullNullNullNullNullNull1');
    acala.takeEvents();
    expect(acala.dispatch(respond(b.order.query_id, { type: 'Null' }), responseOrigin(CRUST_LOC)).ok).toBe(
      true,
    );
    const odd = theEvent(acala.takeEvents(), 'Xstorage', 'OrderFailed');
    expect(odd.error).toEqual({ type: 'UnexpectedResponse' });
    expect(odd.refund).toBe(0n);
    expect(acala.read(() => Orders.get(b.id))!.status).toEqual({ type: 'Failed', value: odd.error });
  });
});

describe('answers on the road', () => {
  it('a call Crust’s SafeCallFilter refuses: refunded, and reported as ExecutionResult(6, NoPermission)', () => {
    const net = makeNetwork();
    const acala = net.chain(ACALA);
    const crust = net.chain(CRUST);
    const user = { type: 'AccountId32', value: { id: ALICE } } as const;
    const before = cruOn(acala, ALICE);
    const sibl = free(crust, siblOnCrust(ACALA));
    // The pallet's own message, Transacting a call Crust never lets XCM dispatch (System.remark).
    const remark = crust.runtime.encodeCall({
      type: 'System',
      value: { type: 'remark', value: { remark: utf8('hi') } },
    } as never);
    const topic = new Uint8Array(32).fill(0x5a);
    const deposit = 20_000_000n;
    const refund = deposit + 8_000_000_000n;
    acala.write(() => {
      const queryId = palletXcmNotifyQueries(PolkadotXcm)(CRUST_LOC, [60, 2], 1_000, {
        parents: 0,
        interior: [user],
      });
      QueryOrders.set(queryId, topic);
      Orders.set(topic, {
        who: ALICE,
        cid: utf8('QmX'),
        size: 1n,
        currency_id: { type: 'Cru' },
        amount: 200n * 10n ** 9n,
        deposit,
        refund,
        tips: 0n,
        query_id: queryId,
        placed_at: 1,
        timeout_at: 1_000,
        status: { type: 'Pending' },
      });
      const message = orderMessage({
        currency: 'Cru',
        selfParaId: ACALA,
        crustParaId: CRUST,
        user,
        amount: 200n * 10n ** 9n,
        execution: 190n * 10n ** 9n,
        deposit,
        refund,
        weight: { refTime: 23_000_000_000, proofSize: 2_000_000 },
        call: remark,
        callWeight: { refTime: 0, proofSize: 0 },
        queryId,
        responseWeight: XstorageWeights.onOrderResponse(),
        topic,
      });
      expect('ok' in PolkadotXcm.sendXcm([], CRUST_LOC, message)).toBe(true);
    });
    acala.takeEvents();
    net.deliver();
    const failed = theEvent(acala.takeEvents(), 'Xstorage', 'OrderFailed');
    expect(failed.error).toEqual({ type: 'Execution', value: { index: 6, error: { type: 'NoPermission' } } });
    // The refund came home: the deposit and the three instructions Crust skipped after the Transact (8 × 10^9
    // each), less what Acala charges for the refund's weight.
    const sent = deposit + 3n * 8_000_000_000n;
    const homeFee = priceOf(acala, lastRefund(acala, 'ReserveAssetDeposited').weightUsed, CRU_LOC);
    expect(cruOn(acala, ALICE) - before).toBe(sent - homeFee);
    expect(free(crust, siblOnCrust(ACALA))).toBe(sibl - 200n * 10n ** 9n + sent);
  });

  it('a replayed answer and one forged by another sibling are refused by the barrier, changing nothing', () => {
    const net = makeNetwork();
    const acala = net.chain(ACALA);
    const moonbeam = net.chain(MOONBEAM);
    acala.takeEvents();
    expect(
      placeOrder(acala, ALICE, 'Cru', utf8('QmForgeForgeForgeForgeForgeForgeForgeForge123'), 1_000n).ok,
    ).toBe(true);
    const placed = theEvent(acala.takeEvents(), 'Xstorage', 'OrderPlaced');
    const order = acala.read(() => Orders.get(placed.order_id))!;
    const forged = [
      {
        type: 'QueryResponse',
        value: {
          query_id: order.query_id,
          response: { type: 'DispatchResult', value: { type: 'Success' } },
          max_weight: { refTime: 10n ** 10n, proofSize: 10n ** 6n },
          querier: { parents: 0, interior: [{ type: 'AccountId32', value: { id: ALICE } }] },
        },
      },
    ] as const;
    // Moonbeam sends Acala Crust's answer with the right query id.
    moonbeam.write(() => {
      expect('ok' in PolkadotXcm.sendXcm([], tokenOf(ACALA), forged as never)).toBe(true);
    });
    const seen = acala.received.length;
    net.step();
    const fromMoonbeam = acala.received.slice(seen).findIndex(([s]) => s === MOONBEAM);
    expect(fromMoonbeam).toBeGreaterThanOrEqual(0);
    const barrier = acala.takeEvents().filter((e) => e.name === 'BarrierRejected');
    expect(barrier.map((e) => e.data.origin)).toContainEqual(tokenOf(MOONBEAM));
    expect(acala.read(() => Orders.get(placed.order_id))!.status).toEqual({ type: 'Pending' });

    // Crust's real answer settles it; the same answer again is refused.
    net.deliver();
    const crustAnswer = acala.received.find(
      ([s, m]) =>
        s === CRUST &&
        (m.value as any[])[0].type === 'QueryResponse' &&
        (m.value as any[])[0].value.query_id === order.query_id,
    )!;
    theEvent(acala.takeEvents(), 'Xstorage', 'OrderConfirmed');
    acala.nextBlock();
    const page = Uint8Array.from([0, ...encodeVersioned(crustAnswer[1])]);
    acala.receive(CRUST, page);
    const events = acala.takeEvents();
    expect(events.filter((e) => e.pallet === 'Xstorage')).toEqual([]);
    expect(events.some((e) => e.name === 'BarrierRejected')).toBe(true);
    expect(acala.read(() => Orders.get(placed.order_id))!.status).toEqual({ type: 'Confirmed' });
  });
});

import { type VersionedXcm, VersionedXcmCodec } from '../../../src/xcm/index.ts';

const encodeVersioned = (m: VersionedXcm) => VersionedXcmCodec.encode(m);

describe('deadlines', () => {
  it('an unanswered order times out at its deadline; a late answer still settles it', () => {
    const net = makeNetwork();
    const acala = net.chain(ACALA);
    acala.takeEvents();
    expect(
      placeOrder(acala, ALICE, 'Cru', utf8('QmLateLateLateLateLateLateLateLateLateLateLat1'), 1_000n).ok,
    ).toBe(true);
    const placed = theEvent(acala.takeEvents(), 'Xstorage', 'OrderPlaced');
    const order = acala.read(() => Orders.get(placed.order_id))!;
    expect(order.timeout_at - order.placed_at).toBe(100);
    expect(acala.read(() => OrderTimeouts.get(order.timeout_at)).map((id) => u8aToHex(id))).toEqual([
      u8aToHex(placed.order_id),
    ]);
    // Hold the message back; run Acala to the deadline.
    const held = acala.takeOutbound();
    while (acala.read(() => BlockNumber.get()) < order.timeout_at - 1) acala.nextBlock();
    expect(acala.takeEvents().filter((e) => e.name === 'OrderTimedOut')).toEqual([]);
    acala.nextBlock();
    const timedOut = theEvent(acala.takeEvents(), 'Xstorage', 'OrderTimedOut');
    expect(u8aToHex(timedOut.order_id)).toBe(u8aToHex(placed.order_id));
    expect(acala.read(() => Orders.get(placed.order_id))!.status).toEqual({ type: 'TimedOut' });
    expect(acala.read(() => OrderTimeouts.contains(order.timeout_at))).toBe(false);
    // The message finally goes; Crust places the order and its answer still settles it.
    const crust = net.chain(CRUST);
    crust.nextBlock();
    for (const [to, page] of held) if (to === CRUST) crust.receive(ACALA, page);
    net.deliver();
    theEvent(acala.takeEvents(), 'Xstorage', 'OrderConfirmed');
    expect(acala.read(() => Orders.get(placed.order_id))!.status).toEqual({ type: 'Confirmed' });
  });
});

describe("crustio/xstorage's message shape", () => {
  it('is accepted on Crust from a sibling through polkadotXcm.send (V3): the sibling’s sovereign account pays', () => {
    const net = makeNetwork();
    const acala = net.chain(ACALA);
    const crust = net.chain(CRUST);
    const cid = utf8('QmCrustioCrustioCrustioCrustioCrustioCrustio12');
    const oneCru = {
      id: { type: 'Concrete', value: { parents: 0, interior: [] } },
      fun: { type: 'Fungible', value: CRU },
    };
    const message = {
      type: 'V3',
      value: [
        { type: 'WithdrawAsset', value: [oneCru] },
        { type: 'BuyExecution', value: { fees: oneCru, weight_limit: { type: 'Unlimited' } } },
        {
          type: 'Transact',
          value: {
            origin_kind: { type: 'SovereignAccount' },
            require_weight_at_most: { refTime: 1_000_001n, proofSize: 0n },
            call: { encoded: placeOrderThroughParachainCall(cid, 4_096n) },
          },
        },
      ],
    };
    const sibl = free(crust, siblOnCrust(ACALA));
    const send = {
      type: 'PolkadotXcm',
      value: {
        type: 'send',
        value: {
          dest: { type: 'V3', value: { parents: 1, interior: [{ type: 'Parachain', value: CRUST }] } },
          message,
        },
      },
    };
    expect(acala.dispatch(send as never, rootOrigin()).ok).toBe(true);
    crust.takeEvents();
    net.step();
    const events = crust.takeEvents();
    const success = theEvent(events, 'Xstorage', 'FileSuccess');
    expect(u8aToHex(success.account)).toBe(u8aToHex(siblOnCrust(ACALA)));
    expect(crust.read(() => FilesV2.get(cid))!.file_size).toBe(4_096n);
    // What BuyExecution and the order did not take is trapped for the sibling, as crustio's message leaves it.
    const trapped = theEvent(events, 'PolkadotXcm', 'AssetsTrapped');
    expect(trapped.origin).toEqual(tokenOf(ACALA));
    // The sovereign account paid the withdrawn CRU and the market order.
    const fee = crust.read(() => FileBaseFee.get() + FileByteFee.get() + FileKeysCountFee.get());
    expect(free(crust, siblOnCrust(ACALA))).toBe(sibl - CRU - fee);
  });
});
