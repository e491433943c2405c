/**
 * What the road refuses, and where (Acala and Crust on the devnet, @polkadot/api only):
 * - a message without `BuyExecution` is stopped by Crust's barrier, which says so in
 *   `polkadotXcm.BarrierRejected { origin, message_id, barrier }` naming `AllowTopLevelPaidExecutionFrom`; nothing moves;
 * - more than 100 instructions (XCM's `MaxInstructions`, nested ones included) is refused at decode wherever it
 *   shows up: a `polkadotXcm.execute` carrying 101 never becomes a transaction (the extrinsic does not decode); a
 *   `polkadotXcm.send` whose message the router would carry with 101 (its `DescendOrigin` and `SetTopic` counted) is
 *   refused at the sender with `SendFailure`; raw upward bytes of 101 instructions reach the relay, whose message
 *   queue marks them `Corrupt` — while 100 pass each of these decode checks (and meet the next limit: weight);
 * - a failing XCM (a `Transact` Crust's `SafeCallFilter` refuses) traps what it holds: `AssetsTrapped` names the
 *   claimer the message chose (`SetHints { AssetClaimer }`), who takes it back with `polkadotXcm.claimAssets`, once.
 */
import { Keyring } from '@polkadot/keyring';
import type { KeyringPair } from '@polkadot/keyring/types';
import { u8aToHex } from '@polkadot/util';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  account32Loc,
  DispatchFailed,
  free,
  fungible,
  here,
  is,
  issuance,
  processed,
  type Road,
  sentMessageId,
  siblingLoc,
  siblSovereign,
  startRoad,
  submit,
  treasury,
  UNIT12,
  weightFee,
} from './road-kit.ts';

const ACALA = 2000;
const CRUST = 2008;

let road: Road;
let alice: KeyringPair;
let bob: KeyringPair;
let charlie: KeyringPair;

beforeAll(async () => {
  await cryptoWaitReady();
  const sr = new Keyring({ type: 'sr25519' });
  alice = sr.addFromUri('//Alice');
  bob = sr.addFromUri('//Bob');
  charlie = sr.addFromUri('//Charlie');
  road = await startRoad(['crust', 'acala']);
}, 90_000);

afterAll(async () => {
  await road?.stop();
});

const clearOrigins = (n: number) => Array.from({ length: n }, () => 'ClearOrigin');
const maxWeight = { refTime: 100_000_000_000n, proofSize: 1_000_000n };

describe('the barrier', () => {
  it('stops a message without BuyExecution and names AllowTopLevelPaidExecutionFrom', async () => {
    const { para, rec } = road;
    const { acala, crust } = para;
    const before = {
      sovereign: await free(crust, siblSovereign(ACALA)),
      charlie: await free(crust, charlie.address),
    };
    const tx = await submit(
      acala,
      acala.tx.polkadotXcm.send(
        { V4: siblingLoc(CRUST) },
        {
          V4: [
            { WithdrawAsset: [fungible(here(), UNIT12)] },
            {
              DepositAsset: {
                assets: { Wild: { AllCounted: 1 } },
                beneficiary: account32Loc(charlie.publicKey),
              },
            },
          ],
        },
      ),
      alice,
    );
    // A message the barrier refuses keeps the id the queue gave it: the hash of its bytes, which the sender's
    // XcmpMessageSent names (the topic only becomes the id once a barrier lets it through).
    const id = tx.events.find(is('xcmpQueue', 'XcmpMessageSent'))!.event.data.messageHash.toHex();
    expect(id).not.toBe(sentMessageId(tx));
    const rejected = await rec.crust.waitFor(
      'BarrierRejected',
      is('polkadotXcm', 'BarrierRejected', (d) => d.messageId.toHex() === id),
    );
    const data = rejected.event.event.data;
    expect(data.origin.toJSON()).toEqual({ parents: 1, interior: { x1: [{ parachain: ACALA }] } });
    const barrier = new TextDecoder().decode(data.barrier.toU8a(true));
    expect(barrier).toMatch(/AllowTopLevelPaidExecutionFrom/);
    // The queue gives up on it (`Unsupported`) in the same block; nothing was withdrawn or deposited.
    const failed = rejected.block.events.find(
      is('messageQueue', 'ProcessingFailed', (d) => d.id.toHex() === id),
    );
    expect(failed?.event.data.error.toString()).toBe('Unsupported');
    expect(rec.crust.find(is('messageQueue', 'Processed', (d) => d.id.toHex() === id))).toBeUndefined();
    expect(await free(crust, siblSovereign(ACALA))).toBe(before.sovereign);
    expect(await free(crust, charlie.address)).toBe(before.charlie);
  });
});

describe('more than 100 instructions', () => {
  it('polkadotXcm.execute: 100 instructions (nested included) decode and run, 101 never become a transaction', async () => {
    const { acala } = road.para;
    // 100 decode: the call is dispatched and the executor stops it only for the weight it was given.
    await expect(
      submit(
        acala,
        acala.tx.polkadotXcm.execute(
          { V4: clearOrigins(100) },
          { refTime: 1_000_000_000n, proofSize: 65_536n },
        ),
        alice,
      ),
    ).rejects.toThrow(new DispatchFailed('polkadotXcm.LocalExecutionIncompleteWithError'));
    const ten = await submit(acala, acala.tx.polkadotXcm.execute({ V4: clearOrigins(10) }, maxWeight), alice);
    expect(ten.events.find(is('polkadotXcm', 'Attempted'))?.event.data.outcome.isComplete).toBe(true);
    for (const message of [
      clearOrigins(101),
      // 1 + 60 nested in the error handler + 40 = 101.
      [{ SetErrorHandler: clearOrigins(60) }, ...clearOrigins(40)],
    ])
      await expect(
        submit(acala, acala.tx.polkadotXcm.execute({ V4: message }, maxWeight), alice),
      ).rejects.toThrow(/Max instructions exceeded/);
  });

  it('polkadotXcm.send: the router refuses a message it would carry with 101 (DescendOrigin + 99 + SetTopic)', async () => {
    const { acala } = road.para;
    // 98 of ours + DescendOrigin + SetTopic = 100: sent (Crust's barrier will refuse it, which is not the point here).
    const ok = await submit(
      acala,
      acala.tx.polkadotXcm.send({ V4: siblingLoc(CRUST) }, { V4: clearOrigins(98) }),
      alice,
    );
    const sent = ok.events.find(is('polkadotXcm', 'Sent'))!;
    expect(sent.event.data.message.length).toBe(98); // the event shows the message as given
    await expect(
      submit(acala, acala.tx.polkadotXcm.send({ V4: siblingLoc(CRUST) }, { V4: clearOrigins(99) }), alice),
    ).rejects.toThrow(new DispatchFailed('polkadotXcm.SendFailure'));
  });

  it('raw upward bytes: the relay decodes 100 instructions but marks 101 Corrupt', async () => {
    const { relay, para, rec } = road;
    const { acala } = para;
    // As hex: polkadot-js reads a Uint8Array given for `Bytes` as already length-prefixed.
    const raw = (n: number) => relay.createType('XcmVersionedXcm', { V4: clearOrigins(n) }).toHex();
    const ids: Record<number, string> = {};
    for (const n of [100, 101]) {
      const tx = await submit(
        acala,
        acala.tx.sudo.sudo(acala.tx.parachainSystem.sudoSendUpwardMessage(raw(n))),
        alice,
      );
      expect(tx.events.find(is('sudo', 'Sudid'))?.event.data.sudoResult.isOk).toBe(true);
      ids[n] = tx.events.find(is('parachainSystem', 'UpwardMessageSent'))!.event.data.messageHash.toHex();
    }
    const corrupt = await rec.relay.waitFor(
      'ProcessingFailed of 101',
      is('messageQueue', 'ProcessingFailed', (d) => d.id.toHex() === ids[101]),
    );
    expect(corrupt.event.event.data.error.toString()).toBe('Corrupt');
    expect(corrupt.event.event.data.origin.toJSON()).toEqual({ ump: { para: ACALA } });
    // 100 decode and are weighed: more than the relay's upward queue may spend per block (100 × the template's
    // 64 KiB proof unit), so they wait as overweight — not Corrupt.
    const hundred = await rec.relay.waitFor(
      'the 100-instruction message',
      (e) => e.section === 'messageQueue' && e.event.data.id?.toHex?.() === ids[100],
    );
    expect(hundred.event.method).toBe('OverweightEnqueued');
  });
});

describe('a failing XCM traps its assets', () => {
  it('AssetsTrapped names the claimer; polkadotXcm.claimAssets gives them back once, to the unit', async () => {
    const { para, rec } = road;
    const { acala, crust } = para;
    const amount = 2n * UNIT12;
    const before = {
      sovereign: await free(crust, siblSovereign(ACALA)),
      treasury: await free(crust, treasury()),
      bob: await free(crust, bob.address),
      issuance: await issuance(crust),
    };
    // Acala (Root: its own sovereign account on Crust pays) sends a Transact Crust's SafeCallFilter refuses, having
    // said who may claim what is left.
    const refused = crust.tx.balances.transferAllowDeath(charlie.address, 1n).method.toHex();
    const tx = await submit(
      acala,
      acala.tx.sudo.sudo(
        acala.tx.polkadotXcm.send(
          { V5: siblingLoc(CRUST) },
          {
            V5: [
              { WithdrawAsset: [fungible(here(), amount)] },
              { BuyExecution: { fees: fungible(here(), amount), weightLimit: 'Unlimited' } },
              { SetHints: { hints: [{ AssetClaimer: { location: account32Loc(bob.publicKey) } }] } },
              {
                Transact: {
                  originKind: 'SovereignAccount',
                  fallbackMaxWeight: null,
                  call: { encoded: refused },
                },
              },
            ],
          },
        ),
      ),
      alice,
    );
    const id = sentMessageId(tx);
    const done = await processed(rec.crust, id);
    expect(done.event.event.data.success.isFalse).toBe(true);
    const error = done.block.events.find(
      is('polkadotXcm', 'ProcessXcmError', (d) => d.messageId.toHex() === id),
    );
    expect(error?.event.data.error.toString()).toBe('NoPermission');
    const trapped = done.block.events.find(is('polkadotXcm', 'AssetsTrapped'))!;
    expect(trapped.event.data.origin.toJSON()).toEqual({
      parents: 0,
      interior: {
        x1: [
          {
            accountId32: {
              network: null,
              id: u8aToHex(bob.publicKey),
            },
          },
        ],
      },
    });
    const trappedAssets = trapped.event.data.assets;
    expect(trappedAssets.isV5).toBe(true);
    const held = trappedAssets.asV5[0].fun.asFungible.toBigInt();
    // The fee is what the whole message's weight costs here, the rest is trapped.
    const fee = await weightFee(crust, done.event.event.data.weightUsed, here());
    expect(held).toBe(amount - fee);
    expect(await free(crust, siblSovereign(ACALA))).toBe(before.sovereign - amount);
    expect(await free(crust, treasury())).toBe(before.treasury + fee);
    expect(await issuance(crust)).toBe(before.issuance - held);
    expect(((await crust.query.polkadotXcm.assetTraps(trapped.event.data.hash_)) as any).toNumber()).toBe(1);

    // Not Charlie's to claim; Bob's, once (the claim proves the same origin and the same versioned assets).
    const claim = (who: KeyringPair) =>
      submit(
        crust,
        crust.tx.polkadotXcm.claimAssets(
          { V5: [fungible(here(), held)] },
          { V5: account32Loc(who.publicKey) },
        ),
        who,
      );
    await expect(claim(charlie)).rejects.toThrow(/polkadotXcm\.LocalExecutionIncompleteWithError/);
    const claimed = await claim(bob);
    expect(claimed.events.find(is('polkadotXcm', 'AssetsClaimed'))).toBeDefined();
    expect(await free(crust, bob.address)).toBe(before.bob + held - claimed.fee);
    expect(((await crust.query.polkadotXcm.assetTraps(trapped.event.data.hash_)) as any).toNumber()).toBe(0);
    expect(await issuance(crust)).toBe(before.issuance);
    await expect(claim(bob)).rejects.toThrow(/polkadotXcm\.LocalExecutionIncompleteWithError/);
  });
});
