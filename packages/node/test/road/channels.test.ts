/**
 * HRMP channels on the devnet (Acala 2000, Bifrost 2030): first the relay's Root (sudo) removes every channel of
 * Bifrost (`hrmp.forceCleanHrmp`) and opens a small one Acala → Bifrost (`hrmp.forceOpenHrmpChannel`, capacity 1,
 * 400-byte messages); and Bifrost and Acala open Bifrost → Acala themselves, as real parachains do: each sends the
 * relay an XCM (`polkadotXcm.send` by Root) that pays with DOT from its sovereign account and `Transact`s
 * `hrmp.hrmpInitOpenChannel` / `hrmp.hrmpAcceptOpenChannel` with the `Native` (Parachain) origin. Every channel opens
 * at the next session change (10 relay blocks), not before. Then:
 * - the para-opened channel carries BNC to Acala;
 * - the channel at capacity holds messages back: a batch of transfers leaves Acala one page per block while the
 *   channel has room, waits in Acala's outbound queue while the relay's channel is full, and all of them arrive, in
 *   order, none lost;
 * - a message larger than the channel's max message size is refused at the sender (`polkadotXcm.SendFailure`), one
 *   of exactly the limit goes.
 */
import type { ApiPromise } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import type { KeyringPair } from '@polkadot/keyring/types';
import { u8aToHex } from '@polkadot/util';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  account32Loc,
  DispatchFailed,
  DOT,
  type Found,
  foreign,
  free,
  fungible,
  here,
  type Included,
  is,
  paraSovereign,
  parentLoc,
  processed,
  type Road,
  sentMessageId,
  siblingLoc,
  startRoad,
  submit,
  treasury,
  UNIT12,
  weightFee,
} from './road-kit.ts';

const ACALA = 2000;
const BIFROST = 2030;
const SMALL = { capacity: 1, maxMessageSize: 400 };

let road: Road;
let alice: KeyringPair;
let bob: KeyringPair;
/** The relay block of the sudo call that cleaned Bifrost's channels and forced Acala → Bifrost open. */
let forcedAt: number;
/** What the para-driven opening cost each para on the relay: [para, sovereign before, message id]. */
const openings: Array<{ para: number; sovereignBefore: bigint; treasuryBefore: bigint; id: string }> = [];

beforeAll(async () => {
  await cryptoWaitReady();
  const sr = new Keyring({ type: 'sr25519' });
  alice = sr.addFromUri('//Alice');
  bob = sr.addFromUri('//Bob');
  road = await startRoad(['acala', 'bifrost']);
  const { relay } = road;
  const ingress = (await relay.query.hrmp.hrmpIngressChannelsIndex(BIFROST)).toJSON() as number[];
  const egress = (await relay.query.hrmp.hrmpEgressChannelsIndex(BIFROST)).toJSON() as number[];
  const forced = await submit(
    relay,
    relay.tx.sudo.sudo(
      relay.tx.utility.batchAll([
        relay.tx.hrmp.forceCleanHrmp(BIFROST, ingress.length, egress.length),
        relay.tx.hrmp.forceOpenHrmpChannel(ACALA, BIFROST, SMALL.capacity, SMALL.maxMessageSize),
      ]),
    ),
    alice,
  );
  forcedAt = forced.blockNumber;
}, 90_000);

afterAll(async () => {
  await road?.stop();
});

const channel = async (api: ApiPromise, sender: number, recipient: number, at?: string) => {
  const q = at ? await api.at(at) : api;
  return ((await q.query.hrmp.hrmpChannels({ sender, recipient })) as any).unwrapOr(undefined);
};
const sessionAt = async (hash: string) =>
  ((await (await road.relay.at(hash)).query.parasShared.currentSessionIndex()) as any).toNumber();

/** Root of `para` asks the relay to dispatch `call` with the para's own origin, paying DOT from its sovereign. */
async function transactOnRelay(para: ApiPromise, paraId: number, call: any): Promise<Included> {
  const fee = fungible(here(), DOT);
  return submit(
    para,
    para.tx.sudo.sudo(
      para.tx.polkadotXcm.send(
        { V5: parentLoc() },
        {
          V5: [
            { WithdrawAsset: [fee] },
            { BuyExecution: { fees: fee, weightLimit: 'Unlimited' } },
            {
              Transact: {
                originKind: 'Native',
                fallbackMaxWeight: null,
                call: { encoded: call.method.toHex() },
              },
            },
            'RefundSurplus',
            {
              DepositAsset: {
                assets: { Wild: { AllCounted: 1 } },
                beneficiary: { parents: 0, interior: { X1: [{ Parachain: paraId }] } },
              },
            },
          ],
        },
      ),
    ),
    alice,
  );
}

describe('a channel the paras open themselves through XCM Transact', () => {
  it('Bifrost requests, Acala accepts, each with its own Parachain origin, paying DOT on the relay', async () => {
    const { relay, para, rec } = road;
    for (const [name, paraId, call, event] of [
      ['bifrost', BIFROST, relay.tx.hrmp.hrmpInitOpenChannel(ACALA, 8, 1024), 'OpenChannelRequested'],
      ['acala', ACALA, relay.tx.hrmp.hrmpAcceptOpenChannel(BIFROST), 'OpenChannelAccepted'],
    ] as const) {
      const sovereignBefore = await free(relay, paraSovereign(paraId));
      const treasuryBefore = await free(relay, treasury());
      const tx = await transactOnRelay(para[name], paraId, call);
      const id = sentMessageId(tx);
      const done = await processed(rec.relay, id);
      expect(done.event.event.data.success.isTrue).toBe(true);
      const hrmp = done.block.events.find(is('hrmp', event))!;
      expect(hrmp.event.data.sender.toNumber()).toBe(BIFROST);
      expect(hrmp.event.data.recipient.toNumber()).toBe(ACALA);
      // What the relay charged: its XcmPaymentApi's price of the weight used, out of the sovereign, into the treasury.
      const fee = await weightFee(relay, done.event.event.data.weightUsed, here());
      expect(await free(relay, treasury(), done.block.hash)).toBe(treasuryBefore + fee);
      expect(await free(relay, paraSovereign(paraId), done.block.hash)).toBe(sovereignBefore - fee);
      openings.push({ para: paraId, sovereignBefore, treasuryBefore, id });
    }
    const request = (await relay.query.hrmp.hrmpOpenChannelRequests({
      sender: BIFROST,
      recipient: ACALA,
    })) as any;
    expect(request.unwrap().confirmed.isTrue).toBe(true);
    expect(await channel(relay, BIFROST, ACALA)).toBeUndefined();
  }, 90_000);

  it('opens at the next session change, then carries BNC from Bifrost to Acala', async () => {
    const { relay, para, rec } = road;
    const accepted = await rec.relay.waitFor('OpenChannelAccepted', is('hrmp', 'OpenChannelAccepted'));
    const session = await sessionAt(accepted.block.hash);
    // Wait for the first relay block with the channel.
    let opened: { number: number; hash: string } | undefined;
    for (let n = accepted.block.number + 1; !opened; n++) {
      const b = await rec.relay.waitForBlock(n, 30_000);
      if (await channel(relay, BIFROST, ACALA, b.hash)) opened = b;
    }
    const before = rec.relay.blocks.find((b) => b.number === opened!.number - 1)!;
    expect(await sessionAt(opened.hash)).toBe(session + 1);
    expect(await sessionAt(before.hash)).toBe(session);
    const ch = await channel(relay, BIFROST, ACALA, opened.hash);
    expect(ch.maxCapacity.toNumber()).toBe(8);
    expect(ch.maxMessageSize.toNumber()).toBe(1024);

    const { bifrost, acala } = para;
    const amount = 3n * UNIT12;
    const bobBefore = await foreign(acala, siblingLoc(BIFROST), bob.address);
    const tx = await submit(
      bifrost,
      bifrost.tx.polkadotXcm.transferAssets(
        { V4: siblingLoc(ACALA) },
        { V4: account32Loc(bob.publicKey) },
        { V4: [fungible(here(), amount)] },
        0,
        'Unlimited',
      ),
      alice,
    );
    const done = await processed(rec.acala, sentMessageId(tx), 30_000);
    expect(done.event.event.data.success.isTrue).toBe(true);
    const fee = await weightFee(acala, done.event.event.data.weightUsed, siblingLoc(BIFROST));
    expect(await foreign(acala, siblingLoc(BIFROST), bob.address)).toBe(bobBefore + amount - fee);
  }, 90_000);
});

describe('a channel at capacity', () => {
  it('holds pages back while the relay channel is full and delivers every message later, in order', async () => {
    const { relay, para, rec } = road;
    const { acala, bifrost } = para;
    const forcedSession = await sessionAt(rec.relay.blocks.find((b) => b.number === forcedAt)!.hash);
    // Forced open at the session after the sudo call.
    let open: { number: number; hash: string } | undefined;
    for (let n = forcedAt; !open; n++) {
      const b = await rec.relay.waitForBlock(n, 30_000);
      if (await channel(relay, ACALA, BIFROST, b.hash)) open = b;
    }
    expect(await sessionAt(open.hash)).toBe(forcedSession + 1);
    // Wait until Acala builds on a relay block with the channel (its view of the channel comes from its relay parent).
    await rec.acala.waitFor(
      'a block on the open channel',
      (_e, b) => (b.relayParent ?? 0) >= open!.number,
      30_000,
    );

    const count = 8;
    const amounts = Array.from({ length: count }, (_, i) => UNIT12 + BigInt(i));
    const bobBefore = await foreign(bifrost, siblingLoc(ACALA), bob.address);
    const batch = await submit(
      acala,
      acala.tx.utility.batchAll(
        amounts.map((a) =>
          acala.tx.polkadotXcm.transferAssets(
            { V4: siblingLoc(BIFROST) },
            { V4: account32Loc(bob.publicKey) },
            { V4: [fungible(here(), a)] },
            0,
            'Unlimited',
          ),
        ),
      ),
      alice,
    );
    const ids = batch.events.filter(is('polkadotXcm', 'Sent')).map((e) => e.event.data.messageId.toHex());
    expect(ids.length).toBe(count);

    // Every message arrives; each executed once, in the order sent.
    const arrivals: Found[] = [];
    for (const id of ids) arrivals.push(await processed(rec.bifrost, id, 60_000));
    const fees: bigint[] = [];
    for (const a of arrivals) {
      expect(a.event.event.data.success.isTrue).toBe(true);
      fees.push(await weightFee(bifrost, a.event.event.data.weightUsed, siblingLoc(ACALA)));
    }
    const order = arrivals.map(
      (a) => rec.bifrost.blocks.indexOf(a.block) * 1000 + a.block.events.indexOf(a.event),
    );
    expect([...order].sort((x, y) => x - y)).toEqual(order);
    expect(new Set(ids).size).toBe(count);
    const received = amounts.reduce((s, a, i) => s + a - fees[i], 0n);
    expect(await foreign(bifrost, siblingLoc(ACALA), bob.address)).toBe(bobBefore + received);

    // On the way: the relay's channel never held more than its capacity, was full at times, and while it was, Acala's
    // block on that relay block still had pages queued for Bifrost.
    let fullWithPagesWaiting = 0;
    const last = Math.max(...arrivals.map((a) => a.block.relayParent!));
    for (const rb of rec.relay.blocks.filter((b) => b.number >= batch.blockNumber && b.number <= last)) {
      const ch = await channel(relay, ACALA, BIFROST, rb.hash);
      const held = ch.msgCount.toNumber();
      expect(held).toBeLessThanOrEqual(SMALL.capacity);
      expect(ch.totalSize.toNumber()).toBeLessThanOrEqual(ch.maxTotalSize.toNumber());
      if (held < SMALL.capacity) continue;
      const onIt = rec.acala.blocks.find((b) => b.relayParent === rb.number);
      if (!onIt) continue;
      const status = (await (await acala.at(onIt.hash)).query.xcmpQueue.outboundXcmpStatus()) as any;
      const queued = status.find((s: any) => s.recipient.toNumber() === BIFROST);
      if (queued && queued.lastIndex.toNumber() > queued.firstIndex.toNumber()) fullWithPagesWaiting++;
    }
    expect(fullWithPagesWaiting).toBeGreaterThan(0);
  }, 90_000);
});

describe("the channel's max message size", () => {
  it('is enforced at the sender: exactly the limit goes, one byte more is SendFailure', async () => {
    const { para, rec } = road;
    const { acala } = para;
    // The page the router would build: format byte + VersionedXcm V5 [DescendOrigin(Alice), Transact, SetTopic].
    const transact = (payload: number) => ({
      Transact: {
        originKind: 'SovereignAccount',
        fallbackMaxWeight: null,
        call: { encoded: u8aToHex(new Uint8Array(payload)) },
      },
    });
    const pageSize = (payload: number) =>
      1 +
      acala.createType('XcmVersionedXcm', {
        V5: [
          { DescendOrigin: { X1: [{ AccountId32: { network: null, id: u8aToHex(alice.publicKey) } }] } },
          transact(payload),
          { SetTopic: new Uint8Array(32) },
        ],
      }).encodedLength;
    let payload = 0;
    while (pageSize(payload + 1) <= SMALL.maxMessageSize) payload++;
    expect(pageSize(payload)).toBe(SMALL.maxMessageSize);
    const send = (n: number) =>
      submit(acala, acala.tx.polkadotXcm.send({ V5: siblingLoc(BIFROST) }, { V5: [transact(n)] }), alice);
    const fits = await send(payload);
    const hash = fits.events.find(is('xcmpQueue', 'XcmpMessageSent'))!.event.data.messageHash.toHex();
    // It travels (and Bifrost's barrier refuses an unpaid Transact: not the point here).
    await rec.bifrost.waitFor('the limit-sized message', (e) => e.event.data?.id?.toHex?.() === hash, 30_000);
    await expect(send(payload + 1)).rejects.toThrow(new DispatchFailed('polkadotXcm.SendFailure'));
    await expect(send(2 * SMALL.maxMessageSize)).rejects.toThrow(
      new DispatchFailed('polkadotXcm.SendFailure'),
    );
  }, 90_000);
});
