/**
 * An order's life driven by signed work reports (swork → market replicas), as Crust's market lives it: pending until
 * the first replica starts its lifetime; the first four reporters paid 2.5/18, 2.5/15.5, 2.5/13, 2.5/10.5 of what is
 * left if their owner's collateral covers it; replicas keyed by group owner, at most 200; a size mismatch closing the
 * file; settlement by a liquidator that renews from prepaid or closes. Expected numbers are Crust's
 * (crustio/crust cstrml/market/src/tests.rs) or worked from its lib.rs.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { id as multiId } from '../balances/helpers.ts';
import { BalancesCurrency } from '../../../src/pallets/balances/index.ts';
import {
  calculateSpower,
  FileByteFee,
  FileKeysCount,
  FilesV2,
  Market,
  MAX_REPLICAS,
  marketInterface,
  replicaOf,
  reservedPot,
  stakingPot,
  storagePot,
} from '../../../src/pallets/market/index.ts';
import { Swork, WorkReports } from '../../../src/pallets/swork/index.ts';
import {
  acc,
  CrustChain,
  INDEX,
  MarketBenefits,
  makeWorker,
  ready,
  registerArgs,
  UNIT,
  type Worker,
  workReport,
} from './crust-runtime.ts';

beforeAll(() => ready);

const te = new TextEncoder();
const CID = 'QmdwgqZy1MZBfWPi7GcxVsYgJEtmvHg6rsLzbCej3tf3oF';
const cidBytes = te.encode(CID);
const ALICE = acc(1);
const LIQUIDATOR = acc(2);

function setup(
  workers: Worker[],
  opts: { collateral?: bigint; extraCollateral?: Array<[Uint8Array, bigint]> } = {},
) {
  const chain = new CrustChain({
    balances: [
      [ALICE, 10_000n * UNIT],
      [LIQUIDATOR, UNIT],
      ...workers.map((w) => [w.account, 100n * UNIT] as [Uint8Array, bigint]),
    ],
    collateral: [
      ...workers.map((w) => [w.account, opts.collateral ?? 6_000_000n] as [Uint8Array, bigint]),
      ...(opts.extraCollateral ?? []),
    ],
  });
  chain.block((b) => {
    b.root(Market.tx.set_byte_fee({ byte_fee: 1000n }));
    b.root(Market.tx.set_key_count_fee({ key_count_fee: 0n }));
    for (const w of workers) b.dispatch(Swork.tx.register(registerArgs(w)), w.account);
  });
  return chain;
}

const order = (size: bigint, cid = cidBytes) =>
  Market.tx.place_storage_order({ cid, reported_file_size: size, tips: 0n, memo: new Uint8Array(0) });

function reportAdd(chain: CrustChain, w: Worker, size: bigint, cid = CID) {
  const args = workReport(chain, w, { added: [{ cid, size, validAt: chain.number }] });
  return chain.block((b) => b.dispatch(Swork.tx.report_works(args), w.account));
}

const file = (chain: CrustChain, cid = cidBytes) => chain.read(() => FilesV2.get(cid));
const reward = (chain: CrustChain, who: Uint8Array) => chain.read(() => MarketBenefits.get(who).file_reward);
const free = (chain: CrustChain, who: Uint8Array) => chain.read(() => BalancesCurrency.free(who));

describe('replicas from work reports', () => {
  it("the first replica starts the lifetime; the first four reporters are paid (Crust's 23220 → 4 × 3225)", () => {
    // cstrml/market/src/tests.rs update_replicas_should_work_for_more_replicas: 134289408 bytes (129 MiB) at 1000 per
    // MiB is v = 129000, amount = 18% = 23220; four reporters get 3225 each, 10320 stays, the fifth gets nothing.
    const workers = [10, 11, 12, 13, 14].map(makeWorker);
    const chain = setup(workers);
    const size = 134_289_408n;
    chain.block((b) => b.dispatch(order(size), ALICE));
    expect(file(chain)).toMatchObject({
      amount: 23_220n,
      expired_at: 0,
      calculated_at: 2,
      remaining_paid_count: 4,
    });
    chain.runTo(11);
    const { events } = reportAdd(chain, workers[0], size);
    expect(events.filter((e) => e.pallet === 'Swork').map((e) => e.name)).toEqual(['WorksReportSuccess']);
    // Live from block 12: expires FileDuration (40) blocks later.
    expect(file(chain)).toMatchObject({
      expired_at: 52,
      calculated_at: 12,
      amount: 23_220n - 3_225n,
      reported_replica_count: 1,
      remaining_paid_count: 3,
    });
    const replica = replicaOf(file(chain)!, workers[0].account)![1];
    expect(replica).toEqual({
      who: workers[0].account,
      valid_at: 11,
      anchor: workers[0].pk,
      is_reported: true,
      created_at: 11,
    });
    for (const w of workers.slice(1)) reportAdd(chain, w, size);
    const f = file(chain)!;
    expect(f).toMatchObject({
      amount: 10_320n,
      reported_replica_count: 5,
      remaining_paid_count: 0,
      expired_at: 52,
    });
    expect(f.replicas.size).toBe(5);
    expect(workers.map((w) => reward(chain, w.account))).toEqual([3225n, 3225n, 3225n, 3225n, 0n]);
    // Each worker's work report counts the file size until the spower is ready.
    expect(chain.read(() => WorkReports.get(workers[4].pk)!.spower)).toBe(size);
  });

  it('a reporter whose owner lacks collateral is not paid; the next one is', () => {
    const poor = makeWorker(20);
    const rich = makeWorker(21);
    const chain = setup([poor, rich]);
    chain.block((b) => b.dispatch(order(134_289_408n), ALICE));
    chain.block(() => {
      MarketBenefits.set(poor.account, { active_funds: 3_224n, file_reward: 0n });
    });
    chain.runTo(11);
    reportAdd(chain, poor, 134_289_408n);
    expect(file(chain)).toMatchObject({
      amount: 23_220n,
      remaining_paid_count: 4,
      reported_replica_count: 1,
    });
    reportAdd(chain, rich, 134_289_408n);
    expect(file(chain)).toMatchObject({ amount: 19_995n, remaining_paid_count: 3 });
    expect([reward(chain, poor.account), reward(chain, rich.account)]).toEqual([0n, 3225n]);
  });

  it('reward_merchant pays the unclaimed reward from the storage pot', () => {
    const w = makeWorker(10);
    const chain = setup([w]);
    chain.block((b) => b.dispatch(order(134_289_408n), ALICE));
    chain.runTo(11);
    reportAdd(chain, w, 134_289_408n);
    const [pot, mine] = [free(chain, chain.read(storagePot)), free(chain, w.account)];
    const { result, events } = chain.block((b) => [
      b.dispatch(Market.tx.reward_merchant({}), w.account),
      b.dispatch(Market.tx.reward_merchant({}), w.account),
    ]);
    expect(result).toMatchObject([
      { ok: true },
      { ok: false, error: { value: { index: INDEX.Market, error: new Uint8Array([3, 0, 0, 0]) } } },
    ]);
    expect(free(chain, w.account) - mine).toBe(3225n);
    expect(pot - free(chain, chain.read(storagePot))).toBe(3225n);
    expect(reward(chain, w.account)).toBe(0n);
    expect(events.filter((e) => e.pallet === 'Market')).toEqual([
      { pallet: 'Market', name: 'RewardMerchantSuccess', fields: w.account },
    ]);
  });

  it('members of one group hold one replica, keyed by the group owner', () => {
    const owner = acc(60);
    const [m1, m2] = [makeWorker(10), makeWorker(11)];
    const chain = setup([m1, m2], { extraCollateral: [[owner, 6_000_000n]] });
    chain.block((b) => b.dispatch(order(134_289_408n), ALICE));
    chain.runTo(11);
    for (const m of [m1, m2]) {
      chain.block((b) => b.dispatch(Swork.tx.report_works(workReport(chain, m)), m.account));
    }
    chain.block((b) => {
      b.dispatch(Swork.tx.create_group({}), owner);
      for (const m of [m1, m2]) {
        b.dispatch(Swork.tx.add_member_into_allowlist({ target: multiId(m.account) }), owner);
        expect(b.dispatch(Swork.tx.join_group({ target: multiId(owner) }), m.account)).toMatchObject({
          ok: true,
        });
      }
    });
    chain.runTo(21);
    reportAdd(chain, m1, 134_289_408n);
    reportAdd(chain, m2, 134_289_408n);
    const f = file(chain)!;
    expect(f.replicas.size).toBe(1);
    expect(replicaOf(f, owner)![1].who).toEqual(m1.account);
    expect(f).toMatchObject({ reported_replica_count: 1, remaining_paid_count: 3 });
    expect(reward(chain, owner)).toBe(3225n);
    // m2's report found the replica taken: nothing added to its work report.
    expect(chain.read(() => WorkReports.get(m2.pk)!.spower)).toBe(0n);
  });

  it('a deleted file leaves the replicas and the work report', () => {
    const w = makeWorker(10);
    const chain = setup([w]);
    chain.block((b) => b.dispatch(order(1000n), ALICE));
    chain.runTo(11);
    reportAdd(chain, w, 1000n);
    chain.runTo(21);
    const args = workReport(chain, w, { deleted: [{ cid: CID, size: 1000n, validAt: 11 }] });
    expect(chain.block((b) => b.dispatch(Swork.tx.report_works(args), w.account)).result).toMatchObject({
      ok: true,
    });
    expect(file(chain)).toMatchObject({ reported_replica_count: 0 });
    expect(file(chain)!.replicas.size).toBe(0);
    expect(chain.read(() => WorkReports.get(w.pk))).toMatchObject({ spower: 0n, reported_files_size: 0n });
  });

  it('records at most 200 replicas', () => {
    const chain = setup([]);
    chain.block((b) => b.dispatch(order(1000n), ALICE));
    const added = chain.block(() => {
      let counted = 0;
      for (let i = 0; i < MAX_REPLICAS + 5; i++) {
        const owner = new Uint8Array(32);
        new DataView(owner.buffer).setUint32(0, i + 1);
        const r = marketInterface.upsertReplica(owner, owner, cidBytes, 1000n, owner, 1);
        if (r.spower > 0n) counted++;
      }
      return counted;
    }).result;
    expect(added).toBe(200);
    expect(file(chain)!.replicas.size).toBe(200);
    expect(file(chain)!.reported_replica_count).toBe(200);
  });
});

describe('the reported size', () => {
  it('a smaller size corrects the order; a larger one closes it (IllegalFileClosed), funds to the reserved pot', () => {
    const [w1, w2] = [makeWorker(10), makeWorker(11)];
    const chain = setup([w1, w2]);
    const other = te.encode('QmdwgqZy1MZBfWPi7GcxVsYgJEtmvHg6rsLzbCej3tf3oH');
    chain.block((b) => {
      b.dispatch(order(2_000_000n), ALICE);
      b.dispatch(order(2_000_000n, other), ALICE);
    });
    chain.runTo(11);
    reportAdd(chain, w1, 1_500_000n);
    expect(file(chain)).toMatchObject({ file_size: 1_500_000n, reported_replica_count: 1 });
    const reserved = free(chain, chain.read(reservedPot));
    const amount = file(chain, other)!.amount;
    const { events } = reportAdd(chain, w2, 2_000_001n, 'QmdwgqZy1MZBfWPi7GcxVsYgJEtmvHg6rsLzbCej3tf3oH');
    expect(events.filter((e) => e.pallet === 'Market')).toEqual([
      { pallet: 'Market', name: 'IllegalFileClosed', fields: other },
    ]);
    expect(file(chain, other)).toBeUndefined();
    // A lone worker has no group owner to reward: the file's funds go to the reserved pot.
    expect(free(chain, chain.read(reservedPot)) - reserved).toBe(amount);
    expect(chain.read(() => FileKeysCount.get())).toBe(1);
    expect(chain.read(() => WorkReports.get(w2.pk)!.spower)).toBe(0n);
  });
});

describe('the reported size, in a group', () => {
  it("a group member that finds an order too small earns the file's funds for its owner, if collateral covers them", () => {
    const owner = acc(60);
    const m = makeWorker(10);
    const chain = setup([m], { extraCollateral: [[owner, 6_000_000n]] });
    chain.block((b) => b.dispatch(order(134_289_408n), ALICE));
    chain.runTo(11);
    chain.block((b) => b.dispatch(Swork.tx.report_works(workReport(chain, m)), m.account));
    chain.block((b) => {
      b.dispatch(Swork.tx.create_group({}), owner);
      b.dispatch(Swork.tx.add_member_into_allowlist({ target: multiId(m.account) }), owner);
      b.dispatch(Swork.tx.join_group({ target: multiId(owner) }), m.account);
    });
    chain.runTo(21);
    const reserved = free(chain, chain.read(reservedPot));
    const { events } = reportAdd(chain, m, 134_289_409n);
    expect(events.filter((e) => e.pallet === 'Market').map((e) => e.name)).toEqual(['IllegalFileClosed']);
    expect(reward(chain, owner)).toBe(23_220n);
    expect(free(chain, chain.read(reservedPot))).toBe(reserved);
  });
});

describe('settlement: calculate_reward', () => {
  it('renews a file from prepaid at expiry and pays the liquidator what was left', () => {
    const w = makeWorker(10);
    const chain = setup([w]);
    const size = 1_048_576n; // 1 MiB: v = 1000 → 720 staking, 180 storage, 100 reserved
    chain.block((b) => {
      b.dispatch(order(size), ALICE);
      b.dispatch(Market.tx.add_prepaid({ cid: cidBytes, amount: 2_500n }), ALICE);
    });
    expect(chain.events.filter((e) => e.pallet === 'Market').map((e) => e.name)).toEqual([
      'FileSuccess',
      'AddPrepaidSuccess',
    ]);
    // Not live yet: nothing to settle.
    const early = chain.block((b) =>
      b.dispatch(Market.tx.calculate_reward({ cid: cidBytes }), LIQUIDATOR),
    ).result;
    expect(early).toMatchObject({ ok: false, error: { value: { error: new Uint8Array([2, 0, 0, 0]) } } });
    chain.runTo(11);
    reportAdd(chain, w, size); // live at 12, expires at 52; the reporter took 25 of 180
    expect(file(chain)).toMatchObject({ expired_at: 52, amount: 155n, prepaid: 2_500n });
    chain.runTo(52);
    const pots = () =>
      chain.read(() => [reservedPot(), stakingPot(), storagePot()].map((a) => BalancesCurrency.free(a)));
    const [liq, before] = [free(chain, LIQUIDATOR), pots()];
    // The byte fee moved once since the order (block 17, an order in the slot, no capacity used: −0.3%), so the
    // renewal costs v = 997: 718 staking, 179 storage (the new amount), 100 reserved, taken from the 2500 prepaid.
    expect(chain.read(() => FileByteFee.get())).toBe(997n);
    const { result, events } = chain.block((b) =>
      b.dispatch(Market.tx.calculate_reward({ cid: cidBytes }), LIQUIDATOR),
    );
    expect(result).toMatchObject({ ok: true });
    expect(events.filter((e) => e.pallet === 'Market')).toEqual([
      { pallet: 'Market', name: 'RenewFileSuccess', fields: [LIQUIDATOR, cidBytes] },
      { pallet: 'Market', name: 'CalculateSuccess', fields: cidBytes },
    ]);
    expect(free(chain, LIQUIDATOR) - liq).toBe(155n);
    const after = pots();
    expect([after[0] - before[0], after[1] - before[1], before[2] - after[2]]).toEqual([
      100n,
      718n,
      155n + 818n,
    ]);
    expect(file(chain)).toMatchObject({
      expired_at: 53 + 40,
      calculated_at: 53,
      amount: 179n,
      prepaid: 1_503n,
    });
  });

  it('closes an expired file without prepaid: FileClosed, funds to the reserved pot, spower out of the work report', () => {
    const w = makeWorker(10);
    const chain = setup([w]);
    chain.block((b) => b.dispatch(order(1_048_576n), ALICE));
    chain.runTo(11);
    reportAdd(chain, w, 1_048_576n);
    expect(chain.read(() => WorkReports.get(w.pk)!.spower)).toBe(1_048_576n);
    chain.runTo(40);
    // Before expiry a settlement only refreshes the replicas.
    const mid = chain.block((b) => b.dispatch(Market.tx.calculate_reward({ cid: cidBytes }), LIQUIDATOR));
    expect(mid.events.filter((e) => e.pallet === 'Market').map((e) => e.name)).toEqual(['CalculateSuccess']);
    expect(file(chain)).toMatchObject({ calculated_at: 41, expired_at: 52 });
    chain.runTo(60);
    const liq = free(chain, LIQUIDATOR);
    const { events } = chain.block((b) =>
      b.dispatch(Market.tx.calculate_reward({ cid: cidBytes }), LIQUIDATOR),
    );
    expect(events.filter((e) => e.pallet === 'Market').map((e) => e.name)).toEqual([
      'FileClosed',
      'CalculateSuccess',
    ]);
    expect(file(chain)).toBeUndefined();
    expect(free(chain, LIQUIDATOR) - liq).toBe(155n);
    expect(chain.read(() => FileKeysCount.get())).toBe(0);
    expect(chain.read(() => WorkReports.get(w.pk)!.spower)).toBe(0n);
    // An unknown CID settles to nothing, successfully (as Crust).
    expect(
      chain.block((b) => b.dispatch(Market.tx.calculate_reward({ cid: cidBytes }), LIQUIDATOR)).result,
    ).toMatchObject({
      ok: true,
    });
  });

  it("replicas past SpowerReadyPeriod count the file's spower; unreported ones stop counting", () => {
    const [w1, w2] = [makeWorker(10), makeWorker(11)];
    const chain = setup([w1, w2]);
    const size = 1_000_000n;
    chain.block((b) => b.dispatch(order(size), ALICE));
    chain.runTo(11);
    reportAdd(chain, w1, size);
    reportAdd(chain, w2, size);
    // Both report in slot 20; only w1 in slot 30.
    chain.runTo(21);
    for (const w of [w1, w2])
      chain.block((b) => b.dispatch(Swork.tx.report_works(workReport(chain, w)), w.account));
    chain.runTo(31);
    chain.block((b) => b.dispatch(Swork.tx.report_works(workReport(chain, w1)), w1.account));
    // At block 41 (slot 40) the last slot is 30: w2 missed it. created_at 11 + 20 ≤ 41: spower is ready.
    chain.runTo(40);
    chain.block((b) => b.dispatch(Market.tx.calculate_reward({ cid: cidBytes }), LIQUIDATOR));
    const f = file(chain)!;
    expect(f.reported_replica_count).toBe(1);
    expect(f.spower).toBe(calculateSpower(size, 1));
    expect(replicaOf(f, w2.account)![1]).toMatchObject({
      is_reported: false,
      valid_at: 41,
      created_at: undefined,
    });
    expect(chain.read(() => WorkReports.get(w1.pk)!.spower)).toBe(1_100_000n);
  });
});
