/**
 * swork without SGX in a small Crust runtime: a worker key bound to an account by its own signature and an
 * allowlisted code, one signed report per slot for the current slot's block hash, the files-size transition, A/B
 * upgrades, groups, and the end-of-slot workload with punishment for a missed slot (semantics of crustio/crust
 * cstrml/swork/src/lib.rs). Every refused report is shown to change nothing.
 */
import { sr25519Sign } from '@polkadot/util-crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { id as multiId } from '../balances/helpers.ts';
import {
  AddedFilesCount,
  CurrentReportSlot,
  Free,
  Groups,
  Identities,
  PubKeys,
  ReportedFilesSize,
  ReportedInSlot,
  Swork,
  WorkReports,
  workReportPayloadOf,
} from '../../../src/pallets/swork/index.ts';
import {
  acc,
  CODE,
  CrustChain,
  INDEX,
  makeWorker,
  ready,
  registerArgs,
  UNIT,
  type Worker,
  workReport,
} from '../market/crust-runtime.ts';

beforeAll(() => ready);

const te = new TextEncoder();
const err = (index: number) => ({
  ok: false,
  error: { type: 'Module', value: { index: INDEX.Swork, error: new Uint8Array([index, 0, 0, 0]) } },
});
const E = {
  IllegalApplier: 0,
  IllegalIdentity: 1,
  IllegalReporter: 2,
  OutdatedReporter: 3,
  InvalidReportTime: 4,
  IllegalWorkReportSig: 5,
  ABUpgradeFailed: 6,
  IllegalFilesTransition: 7,
  IdentityNotExist: 8,
  AlreadyJoint: 9,
  NotOwner: 10,
  GroupOwnerForbidden: 13,
  NotJoint: 14,
  NotInAllowlist: 17,
  IllegalWorkReport: 19,
  CodeNotExpired: 20,
  AlreadyReported: 24,
};

function setup(workers: Worker[], opts: ConstructorParameters<typeof CrustChain>[1] = {}) {
  const chain = new CrustChain({ balances: workers.map((w) => [w.account, 100n * UNIT]) }, opts);
  chain.block((b) => {
    for (const w of workers)
      expect(b.dispatch(Swork.tx.register(registerArgs(w)), w.account)).toMatchObject({ ok: true });
  });
  return chain;
}

const report = (chain: CrustChain, w: Worker, args: ReturnType<typeof workReport>) =>
  chain.block((b) => b.dispatch(Swork.tx.report_works(args), w.account)).result;

describe('register', () => {
  it('binds a worker key to its account with the key signature and an allowed code', () => {
    const w = makeWorker(10);
    const chain = new CrustChain({ balances: [[w.account, UNIT]] });
    const { result, events } = chain.block((b) => b.dispatch(Swork.tx.register(registerArgs(w)), w.account));
    expect(result).toMatchObject({ ok: true });
    expect(events.filter((e) => e.pallet === 'Swork')).toEqual([
      { pallet: 'Swork', name: 'RegisterSuccess', fields: [w.account, w.pk] },
    ]);
    expect(chain.read(() => PubKeys.get(w.pk))).toEqual({ code: CODE, anchor: undefined });
  });

  it('refuses a bad key signature, a code not allowed or expired, another applier, a group owner', () => {
    const w = makeWorker(10);
    const other = makeWorker(11);
    const chain = new CrustChain({
      balances: [
        [w.account, UNIT],
        [other.account, UNIT],
      ],
      codes: [
        [CODE, 1_000_000],
        [new Uint8Array(32).fill(1), 3],
      ],
    });
    chain.runTo(3);
    const before = chain.palletState('Swork');
    const { result } = chain.block((b) => {
      const good = registerArgs(w);
      return [
        // Signed by another worker key.
        b.dispatch(Swork.tx.register({ ...good, sig: registerArgs(other).sig }), w.account),
        // A key's signature for another account.
        b.dispatch(Swork.tx.register(registerArgs(w)), other.account),
        b.dispatch(Swork.tx.register({ ...registerArgs(w), applier: other.account }), w.account),
        // A code nobody allowed, and one that expired at block 3.
        b.dispatch(Swork.tx.register(registerArgs(w, new Uint8Array(32).fill(2))), w.account),
        b.dispatch(Swork.tx.register(registerArgs(w, new Uint8Array(32).fill(1))), w.account),
        // Not an sr25519 key.
        b.dispatch(Swork.tx.register({ ...good, pubkey: new Uint8Array(64) }), w.account),
      ];
    });
    expect(result).toMatchObject([
      err(E.IllegalIdentity),
      err(E.IllegalApplier),
      err(E.IllegalApplier),
      err(E.IllegalIdentity),
      err(E.IllegalIdentity),
      err(E.IllegalIdentity),
    ]);
    expect(chain.palletState('Swork')).toEqual(before);
    const r = chain.block((b) => {
      b.dispatch(Swork.tx.create_group({}), w.account);
      return b.dispatch(Swork.tx.register(registerArgs(w)), w.account);
    }).result;
    expect(r).toMatchObject(err(E.GroupOwnerForbidden));
  });

  it('an expired code can be cleared by anyone; an unexpired one cannot', () => {
    const chain = new CrustChain({
      codes: [
        [CODE, 1_000_000],
        [new Uint8Array([1]), 2],
      ],
      balances: [[acc(1), UNIT]],
    });
    chain.runTo(3);
    const { result, events } = chain.block((b) => [
      b.dispatch(Swork.tx.clear_expired_code({ expired_code: CODE }), acc(1)),
      b.dispatch(Swork.tx.clear_expired_code({ expired_code: new Uint8Array([1]) }), acc(1)),
    ]);
    expect(result).toMatchObject([err(E.CodeNotExpired), { ok: true }]);
    expect(events.filter((e) => e.pallet === 'Swork').map((e) => e.name)).toEqual(['RemoveCodeSuccess']);
  });
});

describe('report_works', () => {
  it('a first report anchors the identity, records the work report and the totals', () => {
    const w = makeWorker(10);
    const chain = setup([w]);
    chain.runTo(11);
    const args = workReport(chain, w, { srdSize: 5n << 30n });
    const { result, events } = chain.block((b) => b.dispatch(Swork.tx.report_works(args), w.account));
    expect(result).toMatchObject({ ok: true });
    expect(events.filter((e) => e.pallet === 'Swork')).toEqual([
      { pallet: 'Swork', name: 'WorksReportSuccess', fields: [w.account, w.pk] },
    ]);
    chain.read(() => {
      expect(Identities.get(w.account)).toEqual({ anchor: w.pk, punishment_deadline: 1n, group: undefined });
      expect(PubKeys.get(w.pk).anchor).toEqual(w.pk);
      expect(ReportedInSlot.get(w.pk, 10n)).toBe(true);
      expect(WorkReports.get(w.pk)).toEqual({
        report_slot: 10n,
        spower: 0n,
        free: 5n << 30n,
        reported_files_size: 0n,
        reported_srd_root: new Uint8Array(32).fill(7),
        reported_files_root: new Uint8Array(32),
      });
      expect([Free.get(), ReportedFilesSize.get()]).toEqual([5n << 30n, 0n]);
    });
  });

  it('refuses bad signatures, wrong slots, replays, >300 files, unknown keys and outdated code, changing nothing', () => {
    const w = makeWorker(10);
    const stranger = makeWorker(12);
    const chain = setup([w], {});
    chain.runTo(11);
    expect(report(chain, w, workReport(chain, w))).toMatchObject({ ok: true });
    chain.runTo(21);
    const good = workReport(chain, w);
    const before = chain.palletState('Swork', 'Market');
    const many = Array.from(
      { length: 301 },
      (_, i) => [te.encode(`Qm${i}`), 1n, 1n] as [Uint8Array, bigint, bigint],
    );
    const resign = (a: typeof good) => ({ ...a, sig: sr25519Sign(workReportPayloadOf(a), w.pair) });
    const { result } = chain.block((b) => {
      const send = (a: typeof good, who = w.account) => b.dispatch(Swork.tx.report_works(a), who);
      return [
        // Signed by another key, or a field changed after signing.
        send({ ...good, sig: sr25519Sign(workReportPayloadOf(good), stranger.pair) }),
        send({ ...good, reported_srd_size: good.reported_srd_size + 1n }),
        // An earlier slot (correctly signed), a wrong slot hash, a slot not on a slot boundary.
        send(resign({ ...good, slot: 0n, slot_hash: chain.slotHash(0) })),
        send(resign({ ...good, slot_hash: chain.slotHash(11) })),
        send(resign({ ...good, slot: 21n, slot_hash: chain.slotHash(21) })),
        // Too many files; a file claimed before this block.
        send(resign({ ...good, added_files: many })),
        send(resign({ ...good, added_files: [[te.encode('QmX'), 1n, 10_000n]], reported_files_size: 1n })),
        // An unregistered key; the key under someone else's account.
        send({
          ...good,
          curr_pk: stranger.pk,
          sig: sr25519Sign(workReportPayloadOf({ ...good, curr_pk: stranger.pk }), stranger.pair),
        }),
        send(good, acc(99)),
        // Files size that does not add up.
        send(resign({ ...good, added_files: [[te.encode('QmY'), 5n, 20n]], reported_files_size: 4n })),
      ];
    });
    expect(result).toMatchObject([
      err(E.IllegalWorkReportSig),
      err(E.IllegalWorkReportSig),
      err(E.InvalidReportTime),
      err(E.InvalidReportTime),
      err(E.InvalidReportTime),
      err(E.IllegalWorkReport),
      err(E.IllegalWorkReport),
      err(E.IllegalReporter),
      err(E.IllegalReporter),
      err(E.IllegalFilesTransition),
    ]);
    expect(chain.palletState('Swork', 'Market')).toEqual(before);
    // The good report is accepted once; its replay in the same slot is refused.
    expect(report(chain, w, good)).toMatchObject({ ok: true });
    const afterGood = chain.palletState('Swork', 'Market');
    expect(report(chain, w, good)).toMatchObject(err(E.AlreadyReported));
    expect(chain.palletState('Swork', 'Market')).toEqual(afterGood);
    // Replayed in a later slot it is still refused (its slot is on record as reported).
    chain.runTo(31);
    expect(report(chain, w, good)).toMatchObject(err(E.AlreadyReported));
  });

  it('a key whose code is no longer allowed is an outdated reporter', () => {
    const w = makeWorker(10);
    const chain = setup([w]);
    chain.block((b) => b.root(Swork.tx.set_code({ new_code: CODE, expire_block: 15 })));
    chain.runTo(11);
    expect(report(chain, w, workReport(chain, w))).toMatchObject({ ok: true });
    chain.runTo(21);
    expect(report(chain, w, workReport(chain, w))).toMatchObject(err(E.OutdatedReporter));
  });

  it('an A/B upgrade moves the identity to the new key without changing files', () => {
    const a = makeWorker(10);
    const chain = setup([a]);
    chain.runTo(11);
    expect(report(chain, a, workReport(chain, a))).toMatchObject({ ok: true });
    const b = makeWorker(20);
    const bKeyForA: Worker = { ...b, account: a.account, files: a.files };
    chain.block((ctx) => ctx.dispatch(Swork.tx.register(registerArgs(bKeyForA)), a.account));
    chain.runTo(21);
    // A report that changes files is no upgrade.
    const changing = workReport(chain, bKeyForA, { abUpgradePk: a.pk, srdSize: 2n });
    expect(report(chain, a, { ...changing, reported_srd_root: new Uint8Array(32) })).toMatchObject(
      err(E.IllegalWorkReportSig),
    );
    const upgrade = workReport(chain, bKeyForA, { abUpgradePk: a.pk });
    const { result, events } = chain.block((ctx) => ctx.dispatch(Swork.tx.report_works(upgrade), a.account));
    expect(result).toMatchObject({ ok: true });
    expect(events.filter((e) => e.pallet === 'Swork').map((e) => e.name)).toEqual([
      'ABUpgradeSuccess',
      'WorksReportSuccess',
    ]);
    chain.read(() => {
      expect(PubKeys.contains(a.pk)).toBe(false);
      expect(PubKeys.get(b.pk).anchor).toEqual(a.pk);
      expect(Identities.get(a.account)!.anchor).toEqual(a.pk);
      expect(ReportedInSlot.get(a.pk, 20n)).toBe(true);
    });
  });
});

describe('groups', () => {
  it('create, allowlist, join, kick out and quit as Crust', () => {
    const owner = acc(50);
    const m1 = makeWorker(10);
    const m2 = makeWorker(11);
    const chain = setup([m1, m2]);
    chain.runTo(11);
    expect(report(chain, m1, workReport(chain, m1))).toMatchObject({ ok: true });
    const { result } = chain.block((b) => [
      b.dispatch(Swork.tx.create_group({}), owner),
      b.dispatch(Swork.tx.create_group({}), owner),
      b.dispatch(Swork.tx.join_group({ target: multiId(owner) }), m1.account),
      b.dispatch(Swork.tx.add_member_into_allowlist({ target: multiId(m1.account) }), owner),
      b.dispatch(Swork.tx.join_group({ target: multiId(owner) }), m1.account),
      // Not reported yet: no identity.
      b.dispatch(Swork.tx.join_group({ target: multiId(owner) }), m2.account),
      b.dispatch(Swork.tx.join_group({ target: multiId(m2.account) }), m1.account),
      b.dispatch(Swork.tx.add_member_into_allowlist({ target: multiId(m1.account) }), owner),
      // A member cannot create a group; an owner cannot report.
      b.dispatch(Swork.tx.create_group({}), m1.account),
    ]);
    expect(result).toMatchObject([
      { ok: true },
      err(12),
      err(E.NotInAllowlist),
      { ok: true },
      { ok: true },
      err(E.IdentityNotExist),
      err(E.AlreadyJoint),
      err(E.AlreadyJoint),
      err(E.GroupOwnerForbidden),
    ]);
    chain.read(() => {
      expect(Identities.get(m1.account)!.group).toEqual(owner);
      expect([...Groups.get(owner).members]).toEqual([m1.account]);
      expect(Groups.get(owner).allowlist.size).toBe(0);
    });
    const r2 = chain.block((b) => [
      b.dispatch(Swork.tx.kick_out({ target: multiId(m1.account) }), acc(51)),
      b.dispatch(Swork.tx.kick_out({ target: multiId(m1.account) }), owner),
      b.dispatch(Swork.tx.quit_group({}), m1.account),
    ]).result;
    expect(r2).toMatchObject([err(E.NotOwner), { ok: true }, err(E.NotJoint)]);
    expect(chain.read(() => Groups.get(owner).members.size)).toBe(0);
  });
});

describe('end-of-slot workload and punishment', () => {
  it('a worker that misses a slot has its workload counted as zero for PunishmentSlots slots', () => {
    const calls: Array<{ at: number; workloads: Map<string, bigint>; total: bigint }> = [];
    let at = 0;
    const w1 = makeWorker(10);
    const w2 = makeWorker(11);
    const chain = setup([w1, w2], {
      swork: {
        works: {
          reportWorks(workloads, total) {
            calls.push({
              at,
              total,
              workloads: new Map([...workloads].map(([k, v]) => [Buffer.from(k).toString('hex'), v])),
            });
          },
        },
      },
    });
    const tick = (n: number) => {
      while (chain.number < n) {
        at = chain.number + 1;
        chain.block();
      }
    };
    tick(2);
    for (const w of [w1, w2]) report(chain, w, workReport(chain, w, { srdSize: 100n }));
    tick(12);
    report(chain, w1, workReport(chain, w1, { srdSize: 100n }));
    tick(22);
    report(chain, w1, workReport(chain, w1, { srdSize: 100n }));
    tick(29);
    const hex = (w: Worker) => Buffer.from(w.account).toString('hex');
    // The pass at block 5 sees two new identities: both count. The pass at 15 checks slot 0: both reported.
    // The pass at 25 checks slot 10: w2 missed it, so it is punished until slot 10 + 2 × 10 = 30.
    // With few identities the sum ends within the first block of the pass, and is handed over in the next (as Crust).
    expect(calls.map((c) => c.at)).toEqual([6, 16, 26]);
    expect(calls[1].workloads.get(hex(w2))).toBe(100n);
    expect(calls[2].workloads.get(hex(w1))).toBe(100n);
    expect(calls[2].workloads.get(hex(w2))).toBe(0n);
    expect(calls[2].total).toBe(100n);
    chain.read(() => {
      expect(Identities.get(w2.account)!.punishment_deadline).toBe(30n);
      expect(Identities.get(w1.account)!.punishment_deadline).toBe(0n);
      expect(CurrentReportSlot.get()).toBe(20n);
      expect(Free.get()).toBe(100n);
    });
  });

  it('set_punishment is root only', () => {
    const chain = new CrustChain();
    const { result } = chain.block((b) => [
      b.dispatch(Swork.tx.set_punishment({ is_enabled: false }), acc(1)),
      b.root(Swork.tx.set_punishment({ is_enabled: false })),
    ]);
    expect(result).toMatchObject([{ ok: false, error: { type: 'BadOrigin' } }, { ok: true }]);
    expect(chain.read(() => AddedFilesCount.get())).toBe(0);
  });
});
