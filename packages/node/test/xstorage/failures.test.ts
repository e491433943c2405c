/**
 * Failures lose nothing (`xstorage devnet`, relay + Crust + the seven, 1 s blocks, @polkadot/api only):
 * - a `Transact` aimed at another pallet — `Sudo` by an Acala user (//Alice), `Swork` by a Moonbeam user (Alith) —
 *   is refused by Crust's SafeCallFilter: `ProcessXcmError { NoPermission }`, the user's CRU left in holding trapped
 *   for the user's location (`AssetsTrapped`), and the user claims it back (`ClaimAsset`) into their account there;
 * - a sibling (Bifrost's Root) asking for `origin_kind: Superuser` is refused (`BadOrigin`), its CRU trapped and
 *   claimed back the same way;
 * - a parachain with no channel to Crust (Robonomics closes its channel itself: an XCM `Transact` of
 *   `hrmp.hrmp_close_channel` on the relay, effective at the next session): the order is refused at the sender with
 *   `xstorage.Unreachable`, nothing taken but the transaction fee, nothing sent;
 * - a `BuyExecution` that cannot pay: Darwinia's Root offers 1,000 units for a message that costs more
 *   (`TooExpensive`: all of it trapped, claimed back); an order from Phala whose mirror of Crust's execution price
 *   was set far too low by its Root: the user's payment is trapped on Crust for Phala, exactly what the user paid, and
 *   Phala's Root claims it and sends it home to the user less the fees of the trip.
 * Across it all, every token is conserved but for the fees actually charged: each chain's issuance (relay, Crust and
 * the seven) is where it started, and each chain's CRU stays backed by its reserve on Crust but for the CRU fees it
 * burnt (priced by its XcmPaymentApi).
 */
import type { ApiPromise } from '@polkadot/api';
import type { KeyringPair } from '@polkadot/keyring/types';
import { u8aToHex } from '@polkadot/util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DOT,
  type Found,
  fungible,
  here,
  type Included,
  is,
  paraSovereign,
  parentLoc,
  processed,
  type Road,
  sentMessageId,
  submit,
} from '../road/road-kit.ts';
import {
  bestHash,
  CRU_LOC,
  CRUST,
  chainData,
  crustAddress,
  derivedOnCrust,
  devSigner,
  foreignAt,
  freeAt,
  issuanceAt,
  parentHash,
  SEVEN,
  sibl,
  siblingLoc,
  startSeven,
  submitOutcome,
  supplyAt,
  weightFeeAt,
} from './chains-kit.ts';

const CRU = 10n ** 12n;
let road: Road;
/** Each chain's issuance, and each parachain's CRU backing (reserve on Crust − supply here), at the start. */
let start: { issuance: Map<string, bigint>; cru: Map<string, bigint>; dot: Map<string, bigint> };
/**
 * How each chain's CRU backing (and DOT backing) should have moved: + the CRU fees the chain burnt (foreign-token
 * fees are burnt), − the fees its sovereign account paid on Crust (on the relay) from the reserve.
 */
const cruMoves = new Map<string, bigint>();
const dotMoves = new Map<string, bigint>();
const move = (m: Map<string, bigint>, chain: string, by: bigint) => m.set(chain, (m.get(chain) ?? 0n) + by);

const cruBacking = async (id: string): Promise<bigint> => {
  const api = road.para[id];
  return (
    (await freeAt(road.para.crust, await bestHash(road.para.crust), sibl(chainData(id).paraId))) -
    (await supplyAt(api, await bestHash(api), CRU_LOC))
  );
};
const dotBacking = async (id: string): Promise<bigint> => {
  const api = road.para[id];
  return (
    (await freeAt(road.relay, await bestHash(road.relay), paraSovereign(chainData(id).paraId))) -
    (await supplyAt(api, await bestHash(api), parentLoc()))
  );
};
const allIssuance = async (): Promise<Map<string, bigint>> => {
  const out = new Map<string, bigint>();
  for (const [name, api] of [['relay', road.relay] as const, ...Object.entries(road.para)])
    out.set(name, await issuanceAt(api, await bestHash(api)));
  return out;
};

beforeAll(async () => {
  road = await startSeven();
  const cru = new Map<string, bigint>();
  const dot = new Map<string, bigint>();
  for (const d of SEVEN) {
    cru.set(d.id, await cruBacking(d.id));
    dot.set(d.id, await dotBacking(d.id));
  }
  start = { issuance: await allIssuance(), cru, dot };
}, 90_000);

afterAll(async () => {
  await road?.stop();
});

const v5 = (x: unknown) => ({ V5: x });
const CRU_HERE = here();
const allCounted1 = { Wild: { AllCounted: 1 } };
const alice = devSigner(chainData('acala'));

/** `polkadotXcm.send` to Crust: by `signer` as itself, or (`root`) by the chain's Root through sudo. */
async function sendToCrust(
  chain: string,
  message: unknown[],
  signer: KeyringPair,
  root = false,
): Promise<Included> {
  const api = road.para[chain];
  const send = api.tx.polkadotXcm.send(v5(siblingLoc(CRUST)), v5(message));
  const tx = await submit(api, root ? api.tx.sudo.sudo(send) : send, signer);
  if (root) expect(tx.events.find(is('sudo', 'Sudid'))!.event.data.sudoResult.isOk).toBe(true);
  return tx;
}

/** The message's run on Crust, its weight's price in CRU, and what it trapped (if anything). */
async function onCrust(tx: Included) {
  const { crust } = road.para;
  const run = await processed(road.rec.crust, sentMessageId(tx), 30_000);
  const data = run.event.event.data;
  const fee = await weightFeeAt(crust, run.block.hash, data.weightUsed, CRU_HERE);
  const trap = run.block.events.find(is('polkadotXcm', 'AssetsTrapped'));
  const error = run.block.events.find(
    is('polkadotXcm', 'ProcessXcmError', (d) => d.messageId.toHex() === data.id.toHex()),
  );
  return {
    run,
    success: data.success.isTrue as boolean,
    fee,
    trap: trap?.event.data,
    error: error?.event.data,
  };
}

/** The single CRU amount of a trap. */
const trappedCru = (trap: any): bigint => {
  const assets = trap.assets.toJSON() as any;
  const list = assets.v5 ?? assets.v4;
  expect(list).toHaveLength(1);
  expect(list[0].id).toEqual({ parents: 0, interior: { here: null } });
  return BigInt(list[0].fun.fungible);
};

/** A claim of `amount` CRU trapped for the sender, paid from it, deposited to `beneficiary` on Crust. */
const claimMessage = (amount: bigint, beneficiary: object) => [
  { ClaimAsset: { assets: [fungible(CRU_HERE, amount)], ticket: here() } },
  { BuyExecution: { fees: fungible(CRU_HERE, amount), weightLimit: 'Unlimited' } },
  { DepositAsset: { assets: allCounted1, beneficiary } },
];

const account32 = (id: Uint8Array) => ({
  parents: 0,
  interior: { X1: [{ AccountId32: { network: null, id: u8aToHex(id) } }] },
});

describe("Crust's SafeCallFilter: a Transact aimed at another pallet", () => {
  it.each([
    [
      'acala',
      'Sudo',
      (c: ApiPromise, who: Uint8Array) => c.tx.sudo.sudo(c.tx.balances.forceSetBalance(who, 10n ** 30n)),
    ],
    ['moonbeam', 'Swork', (c: ApiPromise) => c.tx.swork.createGroup()],
  ] as const)(
    'from a %s user (%s): NoPermission, the CRU trapped for the user, claimed back; only the fees are gone',
    async (chain, _pallet, makeCall) => {
      const { crust } = road.para;
      const api = road.para[chain];
      const data = chainData(chain);
      const user = devSigner(data);
      const derived = derivedOnCrust(data.paraId, user.addressRaw);
      // The user's CRU on Crust: 2 CRU sent to their own account there (a reserve transfer back to Crust).
      const funding = await submit(
        api,
        api.tx.polkadotXcm.transferAssets(
          v5(siblingLoc(CRUST)),
          v5(account32(derived)),
          v5([fungible(CRU_LOC, 2n * CRU)]),
          0,
          'Unlimited',
        ),
        user,
      );
      const funded = await onCrust(funding);
      expect(funded.success).toBe(true);
      const before = await freeAt(crust, funded.run.block.hash, derived);
      expect(before).toBeGreaterThan(CRU);

      const call = makeCall(crust, derived).method.toHex();
      const offered = CRU;
      const tx = await sendToCrust(
        chain,
        [
          { WithdrawAsset: [fungible(CRU_HERE, offered)] },
          { BuyExecution: { fees: fungible(CRU_HERE, offered), weightLimit: 'Unlimited' } },
          { Transact: { originKind: 'SovereignAccount', fallbackMaxWeight: null, call: { encoded: call } } },
        ],
        user,
      );
      const refused = await onCrust(tx);
      expect(refused.success).toBe(false);
      // pallet-xcm's send descends to the user: the Transact is instruction 3 after the DescendOrigin.
      expect(refused.error.error.toJSON()).toEqual({ noPermission: null });
      const origin = refused.trap.origin.toJSON();
      expect(origin.parents).toBe(1);
      expect(origin.interior.x2[0]).toEqual({ parachain: data.paraId });
      const trapped = trappedCru(refused.trap);
      expect(trapped).toBe(offered - refused.fee);
      expect(await freeAt(crust, refused.run.block.hash, derived)).toBe(before - offered);
      // Nothing else moved: no sudo, no group; the issuance is down by exactly what the trap holds.
      expect(refused.run.block.events.some(is('sudo', 'Sudid'))).toBe(false);
      expect(refused.run.block.events.some(is('swork', 'JoinGroupSuccess'))).toBe(false);
      expect(
        (await issuanceAt(crust, await parentHash(crust, refused.run.block.hash))) -
          (await issuanceAt(crust, refused.run.block.hash)),
      ).toBe(trapped);

      // The user claims it back into their account on Crust.
      const claim = await onCrust(await sendToCrust(chain, claimMessage(trapped, account32(derived)), user));
      expect(claim.success).toBe(true);
      expect(claim.run.block.events.some(is('polkadotXcm', 'AssetsClaimed'))).toBe(true);
      expect(await freeAt(crust, claim.run.block.hash, derived)).toBe(before - refused.fee - claim.fee);
    },
    60_000,
  );
});

describe('a sibling asking for Superuser', () => {
  it("Bifrost's Root: BadOrigin, nothing dispatched, its CRU trapped for Bifrost and claimed back", async () => {
    const { crust } = road.para;
    const bifrost = chainData('bifrost');
    const root = devSigner(bifrost);
    const sovereign = sibl(bifrost.paraId);
    const cid = 'QmSuperuserSuperuserSuperuserSuperuserSuper12';
    const call = crust.tx.market.placeStorageOrder(cid, 1_000, 0, '').method.toHex();
    const beforeHash = await bestHash(crust);
    const before = await freeAt(crust, beforeHash, sovereign);
    const tx = await sendToCrust(
      'bifrost',
      [
        { WithdrawAsset: [fungible(CRU_HERE, CRU)] },
        { BuyExecution: { fees: fungible(CRU_HERE, CRU), weightLimit: 'Unlimited' } },
        { Transact: { originKind: 'Superuser', fallbackMaxWeight: null, call: { encoded: call } } },
      ],
      root,
      true,
    );
    const refused = await onCrust(tx);
    expect(refused.success).toBe(false);
    expect(refused.error.error.toJSON()).toEqual({ badOrigin: null });
    expect(refused.trap.origin.toJSON()).toEqual({
      parents: 1,
      interior: { x1: [{ parachain: bifrost.paraId }] },
    });
    const trapped = trappedCru(refused.trap);
    expect(trapped).toBe(CRU - refused.fee);
    expect(((await (await crust.at(refused.run.block.hash)).query.market.filesV2(cid)) as any).isNone).toBe(
      true,
    );

    const claim = await onCrust(
      await sendToCrust(
        'bifrost',
        claimMessage(trapped, { parents: 1, interior: { X1: [{ Parachain: bifrost.paraId }] } }),
        root,
        true,
      ),
    );
    expect(claim.success).toBe(true);
    expect(await freeAt(crust, claim.run.block.hash, sovereign)).toBe(before - refused.fee - claim.fee);
    move(cruMoves, 'bifrost', -refused.fee - claim.fee);
  }, 60_000);
});

describe('a parachain without a channel to Crust', () => {
  it('Robonomics closes its channel itself; an order is then refused at home (Unreachable): nothing taken, nothing sent', async () => {
    const { relay } = road;
    const robonomics = chainData('robonomics');
    const api = road.para.robonomics;
    const root = devSigner(robonomics);
    const channel = { sender: robonomics.paraId, recipient: CRUST };
    // Root of Robonomics asks the relay to close Robonomics → Crust with Robonomics' own (Native) origin, paying DOT.
    const fee = fungible(here(), DOT);
    const close = await submit(
      api,
      api.tx.sudo.sudo(
        api.tx.polkadotXcm.send(
          v5(parentLoc()),
          v5([
            { WithdrawAsset: [fee] },
            { BuyExecution: { fees: fee, weightLimit: 'Unlimited' } },
            {
              Transact: {
                originKind: 'Native',
                fallbackMaxWeight: null,
                call: { encoded: relay.tx.hrmp.hrmpCloseChannel(channel).method.toHex() },
              },
            },
            'RefundSurplus',
            {
              DepositAsset: {
                assets: allCounted1,
                beneficiary: { parents: 0, interior: { X1: [{ Parachain: robonomics.paraId }] } },
              },
            },
          ]),
        ),
      ),
      root,
    );
    const done = await processed(road.rec.relay, sentMessageId(close), 30_000);
    expect(done.event.event.data.success.isTrue).toBe(true);
    expect(done.block.events.some(is('hrmp', 'ChannelClosed'))).toBe(true);
    move(
      dotMoves,
      'robonomics',
      -(await weightFeeAt(relay, done.block.hash, done.event.event.data.weightUsed, here())),
    );
    // Closed at the next session change; Robonomics learns it from the relay state its next block is built on.
    for (let n = done.block.number + 1; ; n++) {
      const b = await road.rec.relay.waitForBlock(n, 30_000);
      if (((await (await relay.at(b.hash)).query.hrmp.hrmpChannels(channel)) as any).isNone) break;
    }
    const closedAt = road.rec.relay.best!.number;
    for (;;) {
      const b = await road.rec.robonomics.waitForBlock((road.rec.robonomics.best?.number ?? 0) + 1, 30_000);
      if ((b.relayParent ?? 0) > closedAt) break;
    }

    const order = async (tx: any, error: string) => {
      const best = await bestHash(api);
      const cruBefore = await foreignAt(api, best, CRU_LOC, root.address);
      const countBefore = ((await (await api.at(best)).query.xstorage.orderCount()) as any).toBigInt();
      const r = await submitOutcome(api, tx, root);
      expect(r.error).toBe(error);
      // Only the transaction fee: no CRU burnt, no order, no message.
      const parent = await parentHash(api, r.blockHash);
      expect(await foreignAt(api, r.blockHash, CRU_LOC, root.address)).toBe(cruBefore);
      expect((await freeAt(api, parent, root.address)) - (await freeAt(api, r.blockHash, root.address))).toBe(
        r.fee,
      );
      expect(((await (await api.at(r.blockHash)).query.xstorage.orderCount()) as any).toBigInt()).toBe(
        countBefore,
      );
      const names = r.events.map((e: any) => `${e.section}.${e.method}`);
      expect(names).not.toContain('xstorage.OrderPlaced');
      expect(names).not.toContain('xcmpQueue.XcmpMessageSent');
    };
    await order(
      api.tx.xstorage.placeStorageOrder(
        { Cru: null },
        'QmNoChannelNoChannelNoChannelNoChannelNoChan1',
        1_000,
      ),
      'xstorage.Unreachable',
    );
    await order(
      api.tx.xstorage.placeStorageOrder(
        { Native: null },
        'QmNoChannelNoChannelNoChannelNoChannelNoChan2',
        1_000,
      ),
      'xstorage.Unreachable',
    );
  }, 90_000);
});

describe('a BuyExecution that cannot pay', () => {
  it("Darwinia's Root offers 1,000 units: TooExpensive, all of it trapped, claimed back with the fee paid apart", async () => {
    const { crust } = road.para;
    const darwinia = chainData('darwinia');
    const root = devSigner(darwinia);
    const sovereign = sibl(darwinia.paraId);
    const before = await freeAt(crust, await bestHash(crust), sovereign);
    const call = crust.tx.xstorage
      .placeStorageOrderThroughParachain('QmTooCheapTooCheapTooCheapTooCheapTooCheap12', 1_000)
      .method.toHex();
    const refused = await onCrust(
      await sendToCrust(
        'darwinia',
        [
          { WithdrawAsset: [fungible(CRU_HERE, 1_000n)] },
          { BuyExecution: { fees: fungible(CRU_HERE, 1_000n), weightLimit: 'Unlimited' } },
          { Transact: { originKind: 'SovereignAccount', fallbackMaxWeight: null, call: { encoded: call } } },
        ],
        root,
        true,
      ),
    );
    expect(refused.success).toBe(false);
    expect(refused.error.error.toJSON()).toEqual({ tooExpensive: null });
    expect(trappedCru(refused.trap)).toBe(1_000n);
    expect(await freeAt(crust, refused.run.block.hash, sovereign)).toBe(before - 1_000n);
    // The claim pays its own execution with CRU withdrawn first.
    const claim = await onCrust(
      await sendToCrust(
        'darwinia',
        [
          { WithdrawAsset: [fungible(CRU_HERE, CRU)] },
          { BuyExecution: { fees: fungible(CRU_HERE, CRU), weightLimit: 'Unlimited' } },
          { ClaimAsset: { assets: [fungible(CRU_HERE, 1_000n)], ticket: here() } },
          {
            DepositAsset: {
              assets: allCounted1,
              beneficiary: { parents: 1, interior: { X1: [{ Parachain: darwinia.paraId }] } },
            },
          },
        ],
        root,
        true,
      ),
    );
    expect(claim.success).toBe(true);
    expect(await freeAt(crust, claim.run.block.hash, sovereign)).toBe(before - claim.fee);
    move(cruMoves, 'darwinia', -claim.fee);
  }, 60_000);

  it("an order under Phala's too-low mirror of Crust's price: the payment trapped for Phala, claimed and sent home to the user", async () => {
    const { crust } = road.para;
    const phala = chainData('phala');
    const api = road.para.phala;
    const alicePhala = devSigner(phala);
    const fees = ((await api.query.xstorage.feeParameters()) as any).unwrap();
    const low = api.tx.xstorage.setFeeParameters({ ...fees.toJSON(), cruPerSecond: 1 });
    expect(
      (await submit(api, api.tx.sudo.sudo(low), alicePhala)).events.some(is('xstorage', 'FeeParametersSet')),
    ).toBe(true);
    const cid = 'QmUnderpaidUnderpaidUnderpaidUnderpaidUnder12';
    const cruBefore = await foreignAt(api, await bestHash(api), CRU_LOC, alicePhala.address);
    const placed = await submit(
      api,
      api.tx.xstorage.placeStorageOrder({ Cru: null }, cid, 1_000),
      alicePhala,
    );
    const ev = placed.events.find(is('xstorage', 'OrderPlaced'))!.event.data;
    const amount: bigint = ev.amount.toBigInt();
    expect(await foreignAt(api, placed.blockHash, CRU_LOC, alicePhala.address)).toBe(cruBefore - amount);
    const restore = api.tx.xstorage.setFeeParameters(fees.toJSON());
    await submit(api, api.tx.sudo.sudo(restore), alicePhala);

    // On Crust: BuyExecution cannot pay; everything the user paid is trapped for Phala (the origin before the
    // message descends to the user); no order.
    const run = await processed(road.rec.crust, ev.orderId.toHex(), 30_000);
    expect(run.event.event.data.success.isFalse).toBe(true);
    const trap = run.block.events.find(is('polkadotXcm', 'AssetsTrapped'))!.event.data;
    expect(trap.origin.toJSON()).toEqual({ parents: 1, interior: { x1: [{ parachain: phala.paraId }] } });
    expect(trappedCru(trap)).toBe(amount);
    expect(((await (await crust.at(run.block.hash)).query.market.filesV2(cid)) as any).isNone).toBe(true);
    const order = ((await (api.call as any).xstorageApi.order(ev.orderId)) as any).unwrap();
    expect(order.status.isPending).toBe(true);

    // Phala's Root claims it and sends it home to the user (CRU's reserve is Crust: a reserve deposit to Phala).
    const claim = await onCrust(
      await sendToCrust(
        'phala',
        [
          { WithdrawAsset: [fungible(CRU_HERE, CRU)] },
          { BuyExecution: { fees: fungible(CRU_HERE, CRU), weightLimit: 'Unlimited' } },
          { ClaimAsset: { assets: [fungible(CRU_HERE, amount)], ticket: here() } },
          {
            DepositReserveAsset: {
              assets: { Definite: [fungible(CRU_HERE, amount)] },
              dest: siblingLoc(phala.paraId),
              xcm: [
                { BuyExecution: { fees: fungible(CRU_LOC, amount), weightLimit: 'Unlimited' } },
                { DepositAsset: { assets: allCounted1, beneficiary: account32(alicePhala.addressRaw) } },
              ],
            },
          },
          'RefundSurplus',
          {
            DepositAsset: {
              assets: allCounted1,
              beneficiary: { parents: 1, interior: { X1: [{ Parachain: phala.paraId }] } },
            },
          },
        ],
        alicePhala,
        true,
      ),
    );
    expect(claim.success).toBe(true);
    const arrived = await road.rec.phala.waitFor(
      'the claimed CRU home',
      is('foreignAssets', 'Issued', (d) => d.owner.toHex() === u8aToHex(alicePhala.addressRaw)),
      30_000,
    );
    const got: bigint = arrived.event.event.data.amount.toBigInt();
    // The message that issued it: the first Processed after the Issued event (its executor's events come first).
    const events = arrived.block.events;
    const back = events.slice(events.indexOf(arrived.event)).find(is('messageQueue', 'Processed'))!
      .event.data;
    expect(back.origin.toJSON()).toEqual({ sibling: CRUST });
    const burnt = await weightFeeAt(api, arrived.block.hash, back.weightUsed, CRU_LOC);
    expect(got).toBe(amount - burnt);
    move(cruMoves, 'phala', burnt - claim.fee);
  }, 60_000);
});

describe('conservation', () => {
  it("every chain's issuance is where it started; each chain's CRU backing moved only by the CRU fees it burnt", async () => {
    expect(await allIssuance()).toEqual(start.issuance);
    for (const d of SEVEN) {
      expect([d.id, (await cruBacking(d.id)) - start.cru.get(d.id)!]).toEqual([
        d.id,
        cruMoves.get(d.id) ?? 0n,
      ]);
      expect([d.id, (await dotBacking(d.id)) - start.dot.get(d.id)!]).toEqual([
        d.id,
        dotMoves.get(d.id) ?? 0n,
      ]);
    }
  });
});
