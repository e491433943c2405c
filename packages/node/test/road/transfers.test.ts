/**
 * The cross-chain road carries value, checked to the unit on every chain: DOT from the relay to Acala and back
 * (`xcmPallet.limitedReserveTransferAssets`, `polkadotXcm.transferAssets`), ACA from Acala to Crust and back, and a
 * Moonbeam user with a 20-byte account receiving ACA and sending it and GLMR on. Every balance a transfer touches is
 * read before and after: the sender pays the amount and the transaction fee (`TransactionFeePaid`), no delivery fee
 * (the devnet's routers price none: `FeesPaid` is empty), the reserve's sovereign account of the destination grows
 * or shrinks by the amount, the beneficiary receives the amount minus the execution fee the destination charged —
 * which is what its `XcmPaymentApi` prices the message's weight (`messageQueue.Processed.weightUsed`) at — and a
 * native fee lands in the treasury. Per token, the home chain's issuance stays put and what circulates (issuance −
 * sovereign reserves + derivatives on the other chains) falls by exactly the foreign-token fees the receivers burned.
 * And every message sent in a parachain block executes on its sibling at most 2 relay blocks after the relay chain
 * included that block (`paraInclusion.CandidateIncluded` vs the executing block's `validationData.relayParentNumber`).
 */
import { Keyring } from '@polkadot/keyring';
import type { KeyringPair } from '@polkadot/keyring/types';
import { cryptoWaitReady, encodeAddress } from '@polkadot/util-crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  account20Loc,
  account32Loc,
  childLoc,
  DOT,
  deliveryFees,
  foreign,
  free,
  fungible,
  GLMR,
  here,
  is,
  issuance,
  paraSovereign,
  parentLoc,
  processed,
  type Road,
  sentMessageId,
  siblingLoc,
  siblSovereign,
  startRoad,
  submit,
  supply,
  treasury,
  UNIT12,
  weightFee,
} from './road-kit.ts';

const ACALA = 2000;
const CRUST = 2008;
const MOONBEAM = 2004;

let road: Road;
let alice: KeyringPair;
let bob: KeyringPair;
let charlie: KeyringPair;
let baltathar: KeyringPair;
/** Messages sent between siblings in this file. */
const siblingMessages: Array<{ from: string; to: string; block: number; id: string }> = [];

beforeAll(async () => {
  await cryptoWaitReady();
  const sr = new Keyring({ type: 'sr25519' });
  alice = sr.addFromUri('//Alice');
  bob = sr.addFromUri('//Bob');
  charlie = sr.addFromUri('//Charlie');
  const eth = new Keyring({ type: 'ethereum' });
  // Moonbeam's published development keys.
  baltathar = eth.addFromUri('0x8075991ce870b93a8870eca0c0f91913d12f47948ca0fd25b49c6fa7cdbeee8b');
  road = await startRoad(['crust', 'acala', 'moonbeam']);
}, 90_000);

afterAll(async () => {
  await road?.stop();
});

const v4 = (x: object) => ({ V4: x });
const assets = (id: object, amount: bigint) => ({ V4: [fungible(id, amount)] });

/** Per token: home issuance, and the pairs (reserve at home for chain Q, derivative supply on Q) of the running chains. */
interface TokenLedger {
  issuance: bigint;
  reserves: bigint;
  derivatives: bigint;
}

async function ledger(token: 'DOT' | 'ACA' | 'CRU' | 'GLMR'): Promise<TokenLedger> {
  const { relay, para } = road;
  if (token === 'DOT') {
    const ids = [ACALA, CRUST, MOONBEAM];
    let reserves = 0n;
    for (const id of ids) reserves += await free(relay, paraSovereign(id));
    let derivatives = 0n;
    for (const p of ['acala', 'crust', 'moonbeam']) derivatives += await supply(para[p], parentLoc());
    return { issuance: await issuance(relay), reserves, derivatives };
  }
  const home = { ACA: 'acala', CRU: 'crust', GLMR: 'moonbeam' }[token];
  const homeId = road.paraId[home];
  const homeLength = home === 'moonbeam' ? 20 : 32;
  let reserves = 0n;
  let derivatives = 0n;
  for (const p of ['acala', 'crust', 'moonbeam']) {
    if (p === home) continue;
    reserves += await free(para[home], siblSovereign(road.paraId[p], homeLength));
    derivatives += await supply(para[p], siblingLoc(homeId));
  }
  return { issuance: await issuance(para[home]), reserves, derivatives };
}

const circulating = (l: TokenLedger) => l.issuance - l.reserves + l.derivatives;

describe('accounts the road relies on', () => {
  it("derives sovereign accounts as polkadot-sdk does (para 2000's sibling account is 5Eg2fntJ…)", () => {
    // DESIGN.md §5 (xcm-builder location_conversion.rs test vector).
    expect(encodeAddress(siblSovereign(ACALA), 42)).toBe('5Eg2fntJ27qsari4FGrGhrMqKFDRnkNSR6UshkZYBGXmSuC8');
  });
});

describe('DOT from the relay to Acala and back', () => {
  it('reserve-transfers DOT to Acala: Alice pays amount + fee, para 2000 holds the reserve, Bob gets it less the fee', async () => {
    const { relay, para, rec } = road;
    const acala = para.acala;
    const amount = 25n * DOT;
    const before = {
      alice: await free(relay, alice.address),
      sovereign: await free(relay, paraSovereign(ACALA)),
      treasury: await free(relay, treasury()),
      bob: await foreign(acala, parentLoc(), bob.address),
      dot: await ledger('DOT'),
    };
    const tx = await submit(
      relay,
      relay.tx.xcmPallet.limitedReserveTransferAssets(
        v4(childLoc(ACALA)),
        v4(account32Loc(bob.publicKey)),
        assets(here(), amount),
        0,
        'Unlimited',
      ),
      alice,
    );
    expect(deliveryFees(tx)).toBe(0n);
    const done = await processed(rec.acala, sentMessageId(tx));
    expect(done.event.event.data.success.isTrue).toBe(true);
    const execFee = await weightFee(acala, done.event.event.data.weightUsed, parentLoc());
    expect(execFee).toBeGreaterThan(0n);
    const issued = done.block.events.find(is('foreignAssets', 'Issued'))!;
    expect(issued.event.data.amount.toBigInt()).toBe(amount - execFee);

    expect(await free(relay, alice.address)).toBe(before.alice - amount - tx.fee);
    expect(await free(relay, paraSovereign(ACALA))).toBe(before.sovereign + amount);
    expect(await free(relay, treasury())).toBe(before.treasury + tx.fee);
    expect(await foreign(acala, parentLoc(), bob.address)).toBe(before.bob + amount - execFee);
    const dot = await ledger('DOT');
    expect(dot.issuance).toBe(before.dot.issuance);
    expect(circulating(dot)).toBe(circulating(before.dot) - execFee);
  });

  it('sends DOT back from Acala to the relay: the reserve pays out, the relay keeps its fee in the treasury', async () => {
    const { relay, para, rec } = road;
    const acala = para.acala;
    const amount = 7n * DOT;
    const before = {
      bobDot: await foreign(acala, parentLoc(), bob.address),
      bobAca: await free(acala, bob.address),
      acalaTreasury: await free(acala, treasury()),
      sovereign: await free(relay, paraSovereign(ACALA)),
      relayTreasury: await free(relay, treasury()),
      bobRelay: await free(relay, bob.address),
      dot: await ledger('DOT'),
      aca: await ledger('ACA'),
    };
    const tx = await submit(
      acala,
      acala.tx.polkadotXcm.transferAssets(
        v4(parentLoc()),
        v4(account32Loc(bob.publicKey)),
        assets(parentLoc(), amount),
        0,
        'Unlimited',
      ),
      bob,
    );
    expect(deliveryFees(tx)).toBe(0n);
    const done = await processed(rec.relay, sentMessageId(tx));
    expect(done.event.event.data.success.isTrue).toBe(true);
    expect(done.event.event.data.origin.toJSON()).toEqual({ ump: { para: ACALA } });
    const execFee = await weightFee(relay, done.event.event.data.weightUsed, here());
    expect(execFee).toBeGreaterThan(0n);

    expect(await foreign(acala, parentLoc(), bob.address)).toBe(before.bobDot - amount);
    expect(await free(acala, bob.address)).toBe(before.bobAca - tx.fee);
    expect(await free(acala, treasury())).toBe(before.acalaTreasury + tx.fee);
    expect(await free(relay, paraSovereign(ACALA))).toBe(before.sovereign - amount);
    expect(await free(relay, bob.address)).toBe(before.bobRelay + amount - execFee);
    expect(await free(relay, treasury())).toBe(before.relayTreasury + execFee);
    const dot = await ledger('DOT');
    expect(dot.issuance).toBe(before.dot.issuance);
    expect(circulating(dot)).toBe(circulating(before.dot));
    expect((await ledger('ACA')).issuance).toBe(before.aca.issuance);
  });
});

describe("Acala's own token to a sibling and back (polkadotXcm.transferAssets)", () => {
  it('ACA Acala → Crust: the sibling account on Acala holds the reserve, Charlie on Crust gets it less the fee', async () => {
    const { para, rec } = road;
    const { acala, crust } = para;
    const amount = 40n * UNIT12;
    const before = {
      bob: await free(acala, bob.address),
      sovereign: await free(acala, siblSovereign(CRUST)),
      treasury: await free(acala, treasury()),
      charlie: await foreign(crust, siblingLoc(ACALA), charlie.address),
      aca: await ledger('ACA'),
    };
    const tx = await submit(
      acala,
      acala.tx.polkadotXcm.transferAssets(
        v4(siblingLoc(CRUST)),
        v4(account32Loc(charlie.publicKey)),
        assets(here(), amount),
        0,
        'Unlimited',
      ),
      bob,
    );
    expect(deliveryFees(tx)).toBe(0n);
    const id = sentMessageId(tx);
    siblingMessages.push({ from: 'acala', to: 'crust', block: tx.blockNumber, id });
    const done = await processed(rec.crust, id);
    expect(done.event.event.data.success.isTrue).toBe(true);
    const execFee = await weightFee(crust, done.event.event.data.weightUsed, siblingLoc(ACALA));
    expect(execFee).toBeGreaterThan(0n);

    expect(await free(acala, bob.address)).toBe(before.bob - amount - tx.fee);
    expect(await free(acala, siblSovereign(CRUST))).toBe(before.sovereign + amount);
    expect(await free(acala, treasury())).toBe(before.treasury + tx.fee);
    expect(await foreign(crust, siblingLoc(ACALA), charlie.address)).toBe(before.charlie + amount - execFee);
    const aca = await ledger('ACA');
    expect(aca.issuance).toBe(before.aca.issuance);
    expect(circulating(aca)).toBe(circulating(before.aca) - execFee);
  });

  it('ACA Crust → Acala: Crust burns the derivative, Acala pays out of the sibling account, its fee to the treasury', async () => {
    const { para, rec } = road;
    const { acala, crust } = para;
    const amount = 15n * UNIT12;
    const before = {
      charlieAca: await foreign(crust, siblingLoc(ACALA), charlie.address),
      charlieCru: await free(crust, charlie.address),
      crustTreasury: await free(crust, treasury()),
      sovereign: await free(acala, siblSovereign(CRUST)),
      bob: await free(acala, bob.address),
      acalaTreasury: await free(acala, treasury()),
      aca: await ledger('ACA'),
      cru: await ledger('CRU'),
    };
    const tx = await submit(
      crust,
      crust.tx.polkadotXcm.transferAssets(
        v4(siblingLoc(ACALA)),
        v4(account32Loc(bob.publicKey)),
        assets(siblingLoc(ACALA), amount),
        0,
        'Unlimited',
      ),
      charlie,
    );
    expect(deliveryFees(tx)).toBe(0n);
    const id = sentMessageId(tx);
    siblingMessages.push({ from: 'crust', to: 'acala', block: tx.blockNumber, id });
    const done = await processed(rec.acala, id);
    expect(done.event.event.data.success.isTrue).toBe(true);
    const execFee = await weightFee(acala, done.event.event.data.weightUsed, here());

    expect(await foreign(crust, siblingLoc(ACALA), charlie.address)).toBe(before.charlieAca - amount);
    expect(await free(crust, charlie.address)).toBe(before.charlieCru - tx.fee);
    expect(await free(crust, treasury())).toBe(before.crustTreasury + tx.fee);
    expect(await free(acala, siblSovereign(CRUST))).toBe(before.sovereign - amount);
    expect(await free(acala, bob.address)).toBe(before.bob + amount - execFee);
    expect(await free(acala, treasury())).toBe(before.acalaTreasury + execFee);
    const aca = await ledger('ACA');
    expect(aca.issuance).toBe(before.aca.issuance);
    expect(circulating(aca)).toBe(circulating(before.aca));
    expect((await ledger('CRU')).issuance).toBe(before.cru.issuance);
  });
});

describe('a Moonbeam user (20-byte account)', () => {
  it('Baltathar receives ACA from Acala at his AccountKey20', async () => {
    const { para, rec } = road;
    const { acala, moonbeam } = para;
    const amount = 12n * UNIT12;
    const before = {
      alice: await free(acala, alice.address),
      sovereign: await free(acala, siblSovereign(MOONBEAM)),
      baltathar: await foreign(moonbeam, siblingLoc(ACALA), baltathar.address),
      aca: await ledger('ACA'),
    };
    const tx = await submit(
      acala,
      acala.tx.polkadotXcm.transferAssets(
        v4(siblingLoc(MOONBEAM)),
        v4(account20Loc(baltathar.address)),
        assets(here(), amount),
        0,
        'Unlimited',
      ),
      alice,
    );
    const id = sentMessageId(tx);
    siblingMessages.push({ from: 'acala', to: 'moonbeam', block: tx.blockNumber, id });
    const done = await processed(rec.moonbeam, id);
    expect(done.event.event.data.success.isTrue).toBe(true);
    const execFee = await weightFee(moonbeam, done.event.event.data.weightUsed, siblingLoc(ACALA));
    const issued = done.block.events.find(is('foreignAssets', 'Issued'))!;
    expect(issued.event.data.owner.toString()).toBe(baltathar.address);

    expect(await free(acala, alice.address)).toBe(before.alice - amount - tx.fee);
    expect(await free(acala, siblSovereign(MOONBEAM))).toBe(before.sovereign + amount);
    expect(await foreign(moonbeam, siblingLoc(ACALA), baltathar.address)).toBe(
      before.baltathar + amount - execFee,
    );
    expect(circulating(await ledger('ACA'))).toBe(circulating(before.aca) - execFee);
  });

  it('Baltathar sends ACA back to Acala and GLMR to Acala, signing with his Ethereum key', async () => {
    const { para, rec } = road;
    const { acala, moonbeam } = para;
    const aca = 5n * UNIT12;
    const glmr = 3n * GLMR;
    const before = {
      baltatharAca: await foreign(moonbeam, siblingLoc(ACALA), baltathar.address),
      baltatharGlmr: await free(moonbeam, baltathar.address),
      moonTreasury: await free(moonbeam, treasury(20)),
      moonSovereignOfAcala: await free(moonbeam, siblSovereign(ACALA, 20)),
      acalaSovereignOfMoon: await free(acala, siblSovereign(MOONBEAM)),
      charlieAca: await free(acala, charlie.address),
      charlieGlmr: await foreign(acala, siblingLoc(MOONBEAM), charlie.address),
      acalaTreasury: await free(acala, treasury()),
      aca: await ledger('ACA'),
      glmr: await ledger('GLMR'),
    };
    const back = await submit(
      moonbeam,
      moonbeam.tx.polkadotXcm.transferAssets(
        v4(siblingLoc(ACALA)),
        v4(account32Loc(charlie.publicKey)),
        assets(siblingLoc(ACALA), aca),
        0,
        'Unlimited',
      ),
      baltathar,
    );
    const out = await submit(
      moonbeam,
      moonbeam.tx.polkadotXcm.transferAssets(
        v4(siblingLoc(ACALA)),
        v4(account32Loc(charlie.publicKey)),
        assets(here(), glmr),
        0,
        'Unlimited',
      ),
      baltathar,
    );
    for (const tx of [back, out]) {
      expect(deliveryFees(tx)).toBe(0n);
      const sent = tx.events.find(is('polkadotXcm', 'Sent'))!;
      expect(sent.event.data.origin.toJSON()).toEqual({
        parents: 0,
        interior: { x1: [{ accountKey20: { network: null, key: baltathar.address.toLowerCase() } }] },
      });
      siblingMessages.push({ from: 'moonbeam', to: 'acala', block: tx.blockNumber, id: sentMessageId(tx) });
    }
    const doneBack = await processed(rec.acala, sentMessageId(back));
    const doneOut = await processed(rec.acala, sentMessageId(out));
    expect(doneBack.event.event.data.success.isTrue).toBe(true);
    expect(doneOut.event.event.data.success.isTrue).toBe(true);
    const feeAca = await weightFee(acala, doneBack.event.event.data.weightUsed, here());
    const feeGlmr = await weightFee(acala, doneOut.event.event.data.weightUsed, siblingLoc(MOONBEAM));

    expect(await foreign(moonbeam, siblingLoc(ACALA), baltathar.address)).toBe(before.baltatharAca - aca);
    expect(await free(moonbeam, baltathar.address)).toBe(before.baltatharGlmr - glmr - back.fee - out.fee);
    expect(await free(moonbeam, treasury(20))).toBe(before.moonTreasury + back.fee + out.fee);
    expect(await free(moonbeam, siblSovereign(ACALA, 20))).toBe(before.moonSovereignOfAcala + glmr);
    expect(await free(acala, siblSovereign(MOONBEAM))).toBe(before.acalaSovereignOfMoon - aca);
    expect(await free(acala, charlie.address)).toBe(before.charlieAca + aca - feeAca);
    expect(await free(acala, treasury())).toBe(before.acalaTreasury + feeAca);
    expect(await foreign(acala, siblingLoc(MOONBEAM), charlie.address)).toBe(
      before.charlieGlmr + glmr - feeGlmr,
    );
    const acaAfter = await ledger('ACA');
    const glmrAfter = await ledger('GLMR');
    expect(acaAfter.issuance).toBe(before.aca.issuance);
    expect(circulating(acaAfter)).toBe(circulating(before.aca));
    expect(glmrAfter.issuance).toBe(before.glmr.issuance);
    expect(circulating(glmrAfter)).toBe(circulating(before.glmr) - feeGlmr);
  });
});

describe('latency', () => {
  it('every message sent in a parachain block executes on its sibling ≤ 2 relay blocks after that block is included', async () => {
    const { rec } = road;
    expect(siblingMessages.length).toBeGreaterThanOrEqual(5);
    for (const m of siblingMessages) {
      const sender = rec[m.from];
      const senderBlock = sender.blocks.find((b) => b.number === m.block)!;
      const senderId = road.paraId[m.from];
      const included = await rec.relay.waitFor(
        `inclusion of ${m.from} #${m.block}`,
        is(
          'paraInclusion',
          'CandidateIncluded',
          (d) =>
            d[0].descriptor.paraId.toNumber() === senderId &&
            d[0].descriptor.paraHead.toHex() === senderBlock.hash,
        ),
      );
      const executed = await processed(rec[m.to], m.id);
      const relayParent = executed.block.relayParent!;
      // Built on a relay block that already holds the message, and no more than 2 relay blocks later.
      expect(relayParent).toBeGreaterThanOrEqual(included.block.number);
      expect(relayParent - included.block.number).toBeLessThanOrEqual(2);
    }
  });
});
