/**
 * OAK's scheduled renewal of a Crust file (`xstorageAutomation.schedulePrepaid`) on one `xstorage devnet` (relay,
 * Crust, OAK; no storage nodes), seen only through @polkadot/api:
 * - //Alice orders a file from OAK (`xstorage.placeStorageOrder`), then schedules `market.add_prepaid(cid, amount)`
 *   a few blocks ahead: OAK fires it in exactly that block (`PrepaidSent`, `paid` = `estimatePrepaidFee(amount)`
 *   burnt from her CRU, nothing else); on Crust her derived account pays `market.AddPrepaidSuccess` and
 *   `market.filesV2(cid).prepaid` grows by exactly `amount`; back on OAK `PrepaidConfirmed`, her CRU down by exactly
 *   `paid`;
 * - a renewal of a CID Crust has no order for: the market refuses it (`market.FileNotExist`), OAK records
 *   `PrepaidFailed` with that error and the refund arrives: across both chains //Alice lost exactly Crust's
 *   `XcmPaymentApi` price of the weight the message used and OAK's price of the refund's weight.
 */
import type { ApiPromise } from '@polkadot/api';
import type { KeyringPair } from '@polkadot/keyring/types';
import { u8aToHex } from '@polkadot/util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DispatchFailed,
  type Found,
  type Included,
  is,
  type RecordedBlock,
  type Road,
  startRoad,
  submit,
} from '../road/road-kit.ts';
import {
  CRU_LOC,
  chainData,
  crustAddress,
  derivedOnCrust,
  devSigner,
  foreignAt,
  freeAt,
  parentHash,
  potAccount,
  sibl,
  supplyAt,
  weightFeeAt,
} from './chains-kit.ts';

const OAK = chainData('oak');
const CRU = 10n ** 12n;
const HERE = { parents: 0, interior: 'Here' };
/** How far ahead tasks are scheduled: enough for the transaction to be included first on a loaded machine. */
const AHEAD = 6;
const WAIT = 60_000;

let road: Road;
let oak: ApiPromise;
let crust: ApiPromise;
let alice: KeyringPair;
let derived: string;

beforeAll(async () => {
  // 1 s relay blocks: the road's default (the devnet's 500 ms starves a loaded 2-core machine).
  road = await startRoad(['crust', 'oak']);
  oak = road.para.oak;
  crust = road.para.crust;
  alice = devSigner(OAK);
  derived = crustAddress(derivedOnCrust(OAK.paraId, alice.addressRaw));
}, 90_000);

afterAll(async () => {
  await road?.stop();
});

const cruAt = (hash: string) => foreignAt(oak, hash, CRU_LOC, alice.addressRaw);
const automation = (method: string, taskId: string) =>
  is('xstorageAutomation', method, (d) => d.taskId.toHex() === taskId);

interface Fired {
  taskId: string;
  atBlock: number;
  paid: bigint;
  sent: Found;
}

/** Schedules `add_prepaid(cid, amount)` AHEAD blocks on; waits for it to fire and checks what OAK took for it. */
async function scheduleAndFire(cid: string, amount: bigint): Promise<Fired> {
  const quote = (
    (await (oak.call as any).xstorageAutomationApi.estimatePrepaidFee(amount)) as any
  ).toBigInt();
  expect(quote).toBeGreaterThan(amount);
  let atBlock = 0;
  let tx: Included | undefined;
  // A loaded machine may include the transaction only at (or after) the chosen block: the pallet then refuses it
  // (NotInFuture, nothing scheduled) and it is sent again further ahead.
  for (let attempt = 1; !tx; attempt++) {
    atBlock = (await oak.rpc.chain.getHeader()).number.toNumber() + AHEAD * attempt;
    tx = await submit(oak, oak.tx.xstorageAutomation.schedulePrepaid(cid, amount, atBlock), alice).catch(
      (err) => {
        if (attempt < 3 && err instanceof DispatchFailed && err.error === 'xstorageAutomation.NotInFuture')
          return undefined;
        throw err;
      },
    );
  }
  expect(tx.blockNumber).toBeLessThan(atBlock);
  const scheduled = tx.events.find(is('xstorageAutomation', 'PrepaidScheduled'))!.event.data;
  expect(scheduled.atBlock.toNumber()).toBe(atBlock);
  expect(scheduled.amount.toBigInt()).toBe(amount);
  expect(scheduled.cid.toUtf8()).toBe(cid);
  expect(scheduled.who.toHex()).toBe(u8aToHex(alice.addressRaw));
  const taskId: string = scheduled.taskId.toHex();
  const task = ((await (oak.call as any).xstorageAutomationApi.task(taskId)) as any).unwrap();
  expect(task.status.isScheduled).toBe(true);

  const sent = await road.rec.oak.waitFor(
    `PrepaidSent of ${taskId}`,
    automation('PrepaidSent', taskId),
    WAIT,
  );
  // In the block it was scheduled for, in its on_initialize.
  expect(sent.block.number).toBe(atBlock);
  expect(sent.event.extrinsic).toBeUndefined();
  const data = sent.event.event.data;
  expect(data.cid.toUtf8()).toBe(cid);
  expect(data.amount.toBigInt()).toBe(amount);
  expect(data.messageId.toHex()).toBe(taskId);
  const paid: bigint = data.paid.toBigInt();
  expect(paid).toBe(quote);
  // Nothing fired earlier: the blocks between the schedule and at_block have no automation event.
  const between = road.rec.oak.findAll(
    (e, b) => e.section === 'xstorageAutomation' && b.number > tx.blockNumber && b.number < atBlock,
  );
  expect(between).toEqual([]);
  const parent = await parentHash(oak, sent.block.hash);
  expect((await cruAt(parent)) - (await cruAt(sent.block.hash))).toBe(paid);
  return { taskId, atBlock, paid, sent };
}

/**
 * Crust's processing of the task's message (its id is the task id, the message's SetTopic): complete, or (`refused`)
 * incomplete with its error handler run, as polkadot-sdk's executor reports a failed `ExpectTransactStatus`.
 */
async function processedOnCrust(
  taskId: string,
  refused: boolean,
): Promise<{ block: RecordedBlock; execution: bigint }> {
  const processed = await road.rec.crust.waitFor(
    `messageQueue.Processed of ${taskId}`,
    is('messageQueue', 'Processed', (d) => d.id.toHex() === taskId),
    WAIT,
  );
  expect(processed.event.event.data.success.isTrue).toBe(!refused);
  const parent = await parentHash(crust, processed.block.hash);
  const execution = await weightFeeAt(crust, parent, processed.event.event.data.weightUsed, HERE);
  return { block: processed.block, execution };
}

describe('a renewal scheduled on OAK', () => {
  it("adds exactly `amount` to the file's prepaid on Crust at the chosen block, paid by exactly `paid` CRU", async () => {
    const cid = 'QmdwgqZy1MZBfWPi7GcxVsYgJEtmvHg6rsLzbCej3tf3oF';
    const ordered = await submit(oak, oak.tx.xstorage.placeStorageOrder({ Cru: null }, cid, 1_000n), alice);
    const orderId = ordered.events.find(is('xstorage', 'OrderPlaced'))!.event.data.orderId.toHex();
    await road.rec.oak.waitFor(
      `OrderConfirmed of ${orderId}`,
      is('xstorage', 'OrderConfirmed', (d) => d.orderId.toHex() === orderId),
      WAIT,
    );

    const amount = 3n * CRU + 7n;
    const fired = await scheduleAndFire(cid, amount);

    const added = await road.rec.crust.waitFor(
      `market.AddPrepaidSuccess of ${cid}`,
      is('market', 'AddPrepaidSuccess', (d) => d[1].toUtf8() === cid),
      WAIT,
    );
    // Paid by //Alice's own account on Crust, which the message funded.
    expect(added.event.event.data[0].toString()).toBe(derived);
    expect(added.event.event.data[2].toBigInt()).toBe(amount);
    const crustParent = await parentHash(crust, added.block.hash);
    const prepaid = async (hash: string) =>
      ((await (await crust.at(hash)).query.market.filesV2(cid)) as any).unwrap().prepaid.toBigInt();
    expect((await prepaid(added.block.hash)) - (await prepaid(crustParent))).toBe(amount);
    const storagePot = potAccount('stor');
    expect(
      (await freeAt(crust, added.block.hash, storagePot)) - (await freeAt(crust, crustParent, storagePot)),
    ).toBe(amount);
    const { block, execution } = await processedOnCrust(fired.taskId, false);
    expect(block.hash).toBe(added.block.hash);
    // The user's account on Crust kept what the executor and the market did not take.
    expect(
      (await freeAt(crust, added.block.hash, derived)) - (await freeAt(crust, crustParent, derived)),
    ).toBe(fired.paid - execution - amount);

    const confirmed = await road.rec.oak.waitFor(
      `the answer to ${fired.taskId}`,
      (e) =>
        e.section === 'xstorageAutomation' &&
        (e.method === 'PrepaidConfirmed' || e.method === 'PrepaidFailed') &&
        e.event.data.taskId.toHex() === fired.taskId,
      WAIT,
    );
    expect(confirmed.event.method).toBe('PrepaidConfirmed');
    expect(confirmed.event.event.data.amount.toBigInt()).toBe(amount);
    const task = ((await (oak.call as any).xstorageAutomationApi.task(fired.taskId)) as any).unwrap();
    expect(task.status.isConfirmed).toBe(true);
    // From just before the task fired to the answer, //Alice's CRU on OAK went down by exactly `paid`.
    const before = await cruAt(await parentHash(oak, fired.sent.block.hash));
    expect(before - (await cruAt(confirmed.block.hash))).toBe(fired.paid);
  });

  it('of a CID Crust has no order for: the market refuses it, PrepaidFailed, the refund comes home', async () => {
    const cid = 'bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi';
    expect(((await crust.query.market.filesV2(cid)) as any).isNone).toBe(true);
    const amount = 2n * CRU;
    const fired = await scheduleAndFire(cid, amount);
    const task = ((await (oak.call as any).xstorageAutomationApi.task(fired.taskId)) as any).unwrap();
    const refund: bigint = task.status.asSent.refund.toBigInt();

    const failed = await road.rec.oak.waitFor(
      `the answer to ${fired.taskId}`,
      (e) =>
        e.section === 'xstorageAutomation' &&
        (e.method === 'PrepaidConfirmed' || e.method === 'PrepaidFailed') &&
        e.event.data.taskId.toHex() === fired.taskId,
      WAIT,
    );
    expect(failed.event.method).toBe('PrepaidFailed');
    const err = failed.event.event.data.error;
    expect(err.isRefused).toBe(true);
    const dispatchError = crust.registry.createType('DispatchError', err.asRefused.asError) as any;
    const meta = crust.registry.findMetaError(dispatchError.asModule);
    expect(`${meta.section}.${meta.name}`).toBe('market.FileNotExist');
    expect(failed.event.event.data.refund.toBigInt()).toBe(refund);

    // On Crust: the message ran and sent the refund home; the reserve paid `paid` and got `refund` back.
    const { block, execution } = await processedOnCrust(fired.taskId, true);
    const crustParent = await parentHash(crust, block.hash);
    expect(
      road.rec.crust.find(is('market', 'AddPrepaidSuccess', (d) => d[1].toUtf8() === cid)),
    ).toBeUndefined();
    expect(((await (await crust.at(block.hash)).query.market.filesV2(cid)) as any).isNone).toBe(true);
    const reserve = sibl(OAK.paraId);
    expect((await freeAt(crust, block.hash, reserve)) - (await freeAt(crust, crustParent, reserve))).toBe(
      refund - fired.paid,
    );
    // What stays the user's on Crust: the refunded weight of the error handler's skipped report.
    const keptOnCrust =
      (await freeAt(crust, block.hash, derived)) - (await freeAt(crust, crustParent, derived));
    expect(keptOnCrust).toBe(fired.paid - refund - execution);

    // Home: the refund less OAK's price of the refund message's weight, which OAK burns.
    const refunded = await road.rec.oak.waitFor(
      'the refund on OAK',
      (e, b) =>
        b.number >= fired.atBlock &&
        e.section === 'foreignAssets' &&
        e.method === 'Issued' &&
        e.event.data.owner.toHex() === u8aToHex(alice.addressRaw),
      WAIT,
    );
    const got: bigint = refunded.event.event.data.amount.toBigInt();
    const homeFee = refund - got;
    const oakParent = await parentHash(oak, refunded.block.hash);
    const prices = await Promise.all(
      refunded.block.events
        .filter(
          is(
            'messageQueue',
            'Processed',
            (d) => d.origin.isSibling && d.origin.asSibling.toNumber() === road.paraId.crust,
          ),
        )
        .map((e) => weightFeeAt(oak, oakParent, e.event.data.weightUsed, CRU_LOC)),
    );
    expect(prices).toContain(homeFee);
    expect((await cruAt(refunded.block.hash)) - (await cruAt(oakParent))).toBe(got);
    // Across both chains //Alice lost only fees: Crust's execution and OAK's for the refund's trip.
    const beforeFiring = await cruAt(await parentHash(oak, fired.sent.block.hash));
    const lost = beforeFiring - (await cruAt(refunded.block.hash)) - keptOnCrust;
    expect(lost).toBe(execution + homeFee);
    // OAK's CRU stays backed: its supply moved as its reserve on Crust, less the fee it burnt.
    const supplyMoved =
      (await supplyAt(oak, refunded.block.hash, CRU_LOC)) -
      (await supplyAt(oak, await parentHash(oak, fired.sent.block.hash), CRU_LOC));
    expect(supplyMoved).toBe(refund - fired.paid - homeFee);
  });
});
