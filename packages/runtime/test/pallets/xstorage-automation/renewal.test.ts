/**
 * A scheduled renewal fired by OAK, over OAK's and Crust's real runtimes in memory, to the unit on both chains:
 * - a file ordered from OAK (Xstorage), then `schedule_prepaid(cid, amount, at)`: nothing happens before `at`; at
 *   exactly `at` OAK burns the quote (`XstorageAutomationApi.estimate_prepaid_fee`) from the user's CRU and sends
 *   the message; on Crust the user's derived account pays `market.add_prepaid`, `FilesV2(cid).prepaid` and the
 *   storage pot grow by exactly `amount`, the treasury takes its price of the weight used, CRU issuance is unchanged;
 *   OAK gets `PrepaidConfirmed` and the user has paid exactly `paid`;
 * - a renewal of a CID Crust has no order for: the market refuses it (FileNotExist), OAK gets `PrepaidFailed` with
 *   the market's error and the refund arrives: the user loses only Crust's execution and OAK's fee for the refund;
 * - a task whose owner cannot pay (no CRU, or less than the quote) ends `PrepaidNotSent` at its block: nothing
 *   taken, nothing sent;
 * - over XCM, an answer forged by another sibling (right query id and querier) and a replay of Crust's answer are
 *   refused (pallet-xcm's barrier: no query expects them), the task unchanged.
 */
import { u8aToHex } from '@polkadot/util';
import { beforeAll, describe, expect, it } from 'vitest';
import { FilesV2, MarketError, pot } from '../../../src/pallets/market/index.ts';
import { QueryTasks, Tasks } from '../../../src/pallets/xstorage-automation/index.ts';
import { crustProfile } from '../../../src/runtimes/crust/index.ts';
import { oakProfile } from '../../../src/runtimes/oak/index.ts';
import { PARACHAIN_PROFILES } from '../../../src/runtimes/parachain/index.ts';
import { PolkadotXcm } from '../../../src/runtimes/xcm-shared.ts';
import { VersionedXcmCodec } from '../../../src/xcm/index.ts';
import {
  ACALA,
  ALICE,
  BOB,
  CRU_LOC,
  CRUST,
  cruOn,
  crustTreasury,
  derivedOnCrust,
  foreignSupply,
  free,
  issuance,
  lastRefund,
  placeOrder,
  priceOf,
  siblOnCrust,
  theEvent,
  tokenOf,
  utf8,
  weightUsedFor,
} from '../xstorage/helpers.ts';
import { ready, TestNetwork } from '../xstorage/network.ts';
import { advanceTo, estimatePrepaidFee, makeOakNetwork, OAK, schedule } from './helpers.ts';

beforeAll(() => ready);

const HERE = { parents: 0, interior: [] };
const CRU = 10n ** 12n;

describe('a scheduled renewal from OAK', () => {
  const net = makeOakNetwork();
  const oak = net.chain(OAK);
  const crust = net.chain(CRUST);
  const derived = derivedOnCrust(OAK, ALICE);
  const storagePot = crust.read(() => pot('storage'));
  const automationEvents = () => oak.takeEvents().filter((e) => e.pallet === 'XstorageAutomation');

  const snapshot = () => ({
    user: cruOn(oak, ALICE),
    supply: foreignSupply(oak, CRU_LOC),
    sibl: free(crust, siblOnCrust(OAK)),
    derived: free(crust, derived),
    treasury: free(crust, crustTreasury()),
    storagePot: free(crust, storagePot),
    issuance: issuance(crust),
  });

  it("funds the file's prepaid on Crust at exactly at_block, paid by the user's CRU on OAK", () => {
    const cid = utf8('QmdwgqZy1MZBfWPi7GcxVsYgJEtmvHg6rsLzbCej3tf3oF');
    expect(placeOrder(oak, ALICE, 'Cru', cid, 1_000n).ok).toBe(true);
    net.deliver();
    theEvent(oak.takeEvents(), 'Xstorage', 'OrderConfirmed');
    const prepaidBefore = crust.read(() => FilesV2.get(cid))!.prepaid;

    const amount = 3n * CRU + 7n;
    const at = oak.number + 3;
    expect(schedule(oak, ALICE, cid, amount, at).ok).toBe(true);
    const { task_id } = theEvent(oak.takeEvents(), 'XstorageAutomation', 'PrepaidScheduled');
    const quote = estimatePrepaidFee(oak, amount);
    expect(quote).toBeGreaterThan(amount);
    const before = snapshot();

    advanceTo(oak, at - 1);
    expect(automationEvents()).toEqual([]);
    expect(oak.takeOutbound()).toEqual([]);
    expect(cruOn(oak, ALICE)).toBe(before.user);

    oak.nextBlock();
    expect(oak.number).toBe(at);
    const sent = theEvent(oak.takeEvents(), 'XstorageAutomation', 'PrepaidSent');
    expect(u8aToHex(sent.task_id)).toBe(u8aToHex(task_id));
    expect(sent).toMatchObject({ cid, amount, paid: quote });
    // The router's message id is the task id (the message's SetTopic).
    expect(u8aToHex(sent.message_id)).toBe(u8aToHex(task_id));
    expect(before.user - cruOn(oak, ALICE)).toBe(quote);
    expect(before.supply - foreignSupply(oak, CRU_LOC)).toBe(quote);
    const task = oak.read(() => Tasks.get(task_id))!;
    expect(task.status.type).toBe('Sent');
    const { query_id } = task.status.value as { query_id: bigint };
    expect(u8aToHex(oak.read(() => QueryTasks.get(query_id))!)).toBe(u8aToHex(task_id));

    net.step();
    const crustEvents = crust.takeEvents();
    const added = crustEvents.find((e) => e.pallet === 'Market' && e.name === 'AddPrepaidSuccess');
    expect(added, crustEvents.map((e) => `${e.pallet}.${e.name}`).join(', ')).toBeDefined();
    expect(u8aToHex(added!.data[0])).toBe(u8aToHex(derived));
    expect(crust.read(() => FilesV2.get(cid))!.prepaid - prepaidBefore).toBe(amount);
    expect(free(crust, storagePot) - before.storagePot).toBe(amount);
    const execution = priceOf(crust, weightUsedFor(crust, task_id), HERE);
    expect(free(crust, crustTreasury()) - before.treasury).toBe(execution);
    expect(free(crust, siblOnCrust(OAK))).toBe(before.sibl - quote);
    // What the executor and the market did not take stays the user's on Crust (at least CRU's ED).
    expect(free(crust, derived) - before.derived).toBe(quote - execution - amount);
    expect(issuance(crust)).toBe(before.issuance);

    net.deliver();
    const confirmed = theEvent(oak.takeEvents(), 'XstorageAutomation', 'PrepaidConfirmed');
    expect(u8aToHex(confirmed.task_id)).toBe(u8aToHex(task_id));
    expect(confirmed).toMatchObject({ cid, amount });
    expect(oak.read(() => Tasks.get(task_id))!.status).toEqual({ type: 'Confirmed' });
    expect(oak.read(() => QueryTasks.get(query_id))).toBeUndefined();
    // pallet-xcm's query is answered and gone.
    expect(oak.read(() => PolkadotXcm.storage.Queries.get(query_id))).toBeUndefined();
    expect(before.user - cruOn(oak, ALICE)).toBe(sent.paid);
  });

  it('ends PrepaidFailed with the refund home when Crust has no order for the CID: only fees lost', () => {
    const cid = utf8('bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi');
    expect(crust.read(() => FilesV2.get(cid))).toBeUndefined();
    const amount = 2n * CRU;
    const at = oak.number + 1;
    expect(schedule(oak, ALICE, cid, amount, at).ok).toBe(true);
    const { task_id } = theEvent(oak.takeEvents(), 'XstorageAutomation', 'PrepaidScheduled');
    const before = snapshot();
    oak.nextBlock();
    const sent = theEvent(oak.takeEvents(), 'XstorageAutomation', 'PrepaidSent');
    const { refund } = oak.read(() => Tasks.get(task_id))!.status.value as { refund: bigint };

    net.deliver();
    const failed = theEvent(oak.takeEvents(), 'XstorageAutomation', 'PrepaidFailed');
    expect(u8aToHex(failed.task_id)).toBe(u8aToHex(task_id));
    const code = crust.read(() => MarketError.fail('FileNotExist').error) as {
      value: { index: number; error: Uint8Array };
    };
    // DispatchError::Module { index: 100, error: [FileNotExist, 0, 0, 0] } as the transact status encodes it.
    expect(code.value.index).toBe(100);
    expect(failed.error).toEqual({
      type: 'Refused',
      value: { type: 'Error', value: Uint8Array.of(3, 100, code.value.error[0], 0, 0, 0) },
    });
    expect(failed.refund).toBe(refund);
    expect(oak.read(() => Tasks.get(task_id))!.status).toEqual({ type: 'Failed', value: failed.error });
    expect(crust.read(() => FilesV2.get(cid))).toBeUndefined();
    expect(free(crust, storagePot)).toBe(before.storagePot);

    const homeFee = priceOf(oak, lastRefund(oak, 'ReserveAssetDeposited').weightUsed, CRU_LOC);
    const execution = priceOf(crust, weightUsedFor(crust, task_id), HERE);
    expect(cruOn(oak, ALICE)).toBe(before.user - sent.paid + refund - homeFee);
    expect(free(crust, crustTreasury()) - before.treasury).toBe(execution);
    expect(free(crust, siblOnCrust(OAK))).toBe(before.sibl - sent.paid + refund);
    // The refunded weight of the handler's skipped report stays the user's on Crust.
    expect(free(crust, derived) - before.derived).toBe(sent.paid - refund - execution);
    expect(issuance(crust)).toBe(before.issuance);
    expect(foreignSupply(oak, CRU_LOC) - before.supply).toBe(
      free(crust, siblOnCrust(OAK)) - before.sibl - homeFee,
    );
  });

  it('ends PrepaidNotSent when the owner cannot pay, taking and sending nothing', () => {
    const cid = utf8('QmdwgqZy1MZBfWPi7GcxVsYgJEtmvHg6rsLzbCej3tf3oF');
    expect(cruOn(oak, BOB)).toBe(0n);
    const aliceHas = cruOn(oak, ALICE);
    const at = oak.number + 1;
    expect(schedule(oak, BOB, cid, CRU, at).ok).toBe(true);
    // Alice holds CRU, but less than the quote of a renewal of all she has.
    expect(schedule(oak, ALICE, cid, aliceHas, at).ok).toBe(true);
    const ids = oak
      .takeEvents()
      .filter((e) => e.name === 'PrepaidScheduled')
      .map((e) => u8aToHex(e.data.task_id));
    const supply = foreignSupply(oak, CRU_LOC);
    const queriesBefore = oak.read(() => PolkadotXcm.storage.QueryCounter.get());

    oak.nextBlock();
    const notSent = automationEvents();
    expect(notSent.map((e) => [e.name, u8aToHex(e.data.task_id), e.data.reason])).toEqual([
      ['PrepaidNotSent', ids[0], { type: 'InsufficientBalance' }],
      ['PrepaidNotSent', ids[1], { type: 'InsufficientBalance' }],
    ]);
    expect(cruOn(oak, BOB)).toBe(0n);
    expect(cruOn(oak, ALICE)).toBe(aliceHas);
    expect(foreignSupply(oak, CRU_LOC)).toBe(supply);
    expect(oak.read(() => PolkadotXcm.storage.QueryCounter.get())).toBe(queriesBefore);
    expect(oak.takeOutbound()).toEqual([]);
  });

  it('marks a sent task TimedOut when no answer comes by the deadline; a late answer still settles it', () => {
    const cid = utf8('QmdwgqZy1MZBfWPi7GcxVsYgJEtmvHg6rsLzbCej3tf3oF');
    const prepaidBefore = crust.read(() => FilesV2.get(cid))!.prepaid;
    const amount = CRU;
    const at = oak.number + 1;
    expect(schedule(oak, ALICE, cid, amount, at).ok).toBe(true);
    const { task_id } = theEvent(oak.takeEvents(), 'XstorageAutomation', 'PrepaidScheduled');
    oak.nextBlock();
    theEvent(oak.takeEvents(), 'XstorageAutomation', 'PrepaidSent');
    const sent = oak.read(() => Tasks.get(task_id))!.status;
    expect(sent.type).toBe('Sent');
    // The message is held back (a channel that delivers nothing for a while): Crust does not answer in time.
    const held = oak.takeOutbound();
    expect(held.length).toBe(1);
    advanceTo(oak, at + 99);
    expect(automationEvents()).toEqual([]);
    oak.nextBlock();
    const timedOut = theEvent(oak.takeEvents(), 'XstorageAutomation', 'PrepaidTimedOut');
    expect(u8aToHex(timedOut.task_id)).toBe(u8aToHex(task_id));
    expect(oak.read(() => Tasks.get(task_id))!.status).toEqual({ type: 'TimedOut', value: sent.value });

    // The message arrives late: Crust adds the prepaid, and its answer still settles the task.
    crust.nextBlock();
    for (const [to, page] of held) net.chain(to).receive(OAK, page);
    net.deliver();
    expect(crust.read(() => FilesV2.get(cid))!.prepaid - prepaidBefore).toBe(amount);
    theEvent(oak.takeEvents(), 'XstorageAutomation', 'PrepaidConfirmed');
    expect(oak.read(() => Tasks.get(task_id))!.status).toEqual({ type: 'Confirmed' });
  });
});

describe('answers over XCM', () => {
  it("a sibling's forged answer and a replay of Crust's are refused, changing nothing", () => {
    const acalaProfile = PARACHAIN_PROFILES.find((p) => p.id === 'acala')!;
    const net = new TestNetwork([crustProfile, oakProfile, acalaProfile]);
    const oak = net.chain(OAK);
    const acala = net.chain(ACALA);
    const cid = utf8('QmForgeForgeForgeForgeForgeForgeForgeForge123');
    expect(placeOrder(oak, ALICE, 'Cru', cid, 1_000n).ok).toBe(true);
    net.deliver();
    oak.takeEvents();
    const at = oak.number + 1;
    expect(schedule(oak, ALICE, cid, CRU, at).ok).toBe(true);
    const { task_id } = theEvent(oak.takeEvents(), 'XstorageAutomation', 'PrepaidScheduled');
    oak.nextBlock();
    theEvent(oak.takeEvents(), 'XstorageAutomation', 'PrepaidSent');
    const sent = oak.read(() => Tasks.get(task_id))!;
    const { query_id } = sent.status.value as { query_id: bigint };

    // Acala sends OAK Crust's answer with the right query id and querier.
    const forged = [
      {
        type: 'QueryResponse',
        value: {
          query_id,
          response: { type: 'DispatchResult', value: { type: 'Success' } },
          max_weight: { refTime: 10n ** 10n, proofSize: 10n ** 6n },
          querier: { parents: 0, interior: [{ type: 'AccountId32', value: { id: ALICE } }] },
        },
      },
    ] as const;
    acala.write(() => {
      expect('ok' in PolkadotXcm.sendXcm([], tokenOf(OAK), forged as never)).toBe(true);
    });
    // Only Acala's page moves: Crust's copy of the task's message is still queued on OAK.
    for (const [to, page] of acala.takeOutbound()) {
      expect(to).toBe(OAK);
      oak.nextBlock();
      oak.receive(ACALA, page);
    }
    const afterForged = oak.takeEvents();
    expect(afterForged.filter((e) => e.pallet === 'XstorageAutomation')).toEqual([]);
    expect(afterForged.some((e) => e.name === 'BarrierRejected')).toBe(true);
    expect(oak.read(() => Tasks.get(task_id))!.status).toEqual(sent.status);

    // Crust's real answer settles it; the same answer again is refused.
    net.deliver();
    theEvent(oak.takeEvents(), 'XstorageAutomation', 'PrepaidConfirmed');
    const answer = oak.received.find(
      ([s, m]) =>
        s === CRUST &&
        (m.value as any[])[0].type === 'QueryResponse' &&
        (m.value as any[])[0].value.query_id === query_id,
    )!;
    oak.nextBlock();
    oak.receive(CRUST, Uint8Array.from([0, ...VersionedXcmCodec.encode(answer[1])]));
    const replayed = oak.takeEvents();
    expect(replayed.filter((e) => e.pallet === 'XstorageAutomation')).toEqual([]);
    expect(replayed.some((e) => e.name === 'BarrierRejected')).toBe(true);
    expect(oak.read(() => Tasks.get(task_id))!.status).toEqual({ type: 'Confirmed' });
  });
});
