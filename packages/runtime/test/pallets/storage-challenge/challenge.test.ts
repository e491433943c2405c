/**
 * Storage challenges in the Crust test runtime: workers report a real UnixFS file (ipfs-unixfs-importer, CIDv0 as
 * `ipfs add` makes), the chain challenges a random replica every 10 blocks, a correct answer passes fee-free, a wrong
 * or missing one removes the replica from the market and punishes the worker in swork.
 */
import { importer } from 'ipfs-unixfs-importer';
import { fixedSize } from 'ipfs-unixfs-importer/chunker';
import { balanced } from 'ipfs-unixfs-importer/layout';
import type { CID } from 'multiformats/cid';
import { beforeAll, describe, expect, it } from 'vitest';
import { FilesV2, Market, replicaOf } from '../../../src/pallets/market/index.ts';
import {
  buildChallengeProof,
  Challenges,
  challengeSeed,
  ReplicaCount,
  StorageChallenge,
} from '../../../src/pallets/storage-challenge/index.ts';
import { Identities, Swork, WorkReports } from '../../../src/pallets/swork/index.ts';
import { ParentHash } from '../../../src/pallets/system/index.ts';
import {
  acc,
  CrustChain,
  type EventRecord,
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

async function importFile(content: Uint8Array) {
  const blocks = new Map<string, Uint8Array>();
  let root: CID | undefined;
  const store = {
    put: async (cid: CID, bytes: Uint8Array) => {
      blocks.set(Buffer.from(cid.bytes).toString('hex'), bytes);
      return cid;
    },
  };
  for await (const e of importer([{ content }], store as never, {
    cidVersion: 0,
    rawLeaves: false,
    chunker: fixedSize({ chunkSize: 4096 }),
    layout: balanced({ maxChildrenPerNode: 8 }),
  }))
    root = e.cid;
  const get = (cid: Uint8Array) => blocks.get(Buffer.from(cid).toString('hex'))!;
  return { cid: root!.toString(), get };
}

async function setup() {
  const file = await importFile(new Uint8Array(100_000).map((_, i) => (i * 13) & 0xff));
  const cid = te.encode(file.cid);
  const size = 100_000n;
  const workers = [10, 11, 12].map(makeWorker);
  const ALICE = acc(1);
  const chain = new CrustChain(
    {
      balances: [
        [ALICE, 1000n * UNIT],
        ...workers.map((w) => [w.account, 100n * UNIT] as [Uint8Array, bigint]),
      ],
      collateral: workers.map((w) => [w.account, 10n * UNIT] as [Uint8Array, bigint]),
    },
    { challenge: { challengePeriod: 10, responseDeadline: 5 } },
  );
  chain.block((b) => {
    for (const w of workers) b.dispatch(Swork.tx.register(registerArgs(w)), w.account);
    b.dispatch(
      Market.tx.place_storage_order({ cid, reported_file_size: size, tips: 0n, memo: new Uint8Array() }),
      ALICE,
    );
  });
  chain.runTo(11);
  for (const w of workers) {
    const args = workReport(chain, w, { added: [{ cid: file.cid, size, validAt: 11 }] });
    expect(chain.block((b) => b.dispatch(Swork.tx.report_works(args), w.account)).result).toMatchObject({
      ok: true,
    });
  }
  return { chain, workers, file, cid, size };
}

const issued = (events: EventRecord[]) =>
  events.find((e) => e.pallet === 'StorageChallenge' && e.name === 'ChallengeIssued')?.fields;
const byAccount = (workers: Worker[], who: Uint8Array) =>
  workers.find((w) => Buffer.compare(w.account, who) === 0)!;

describe('storage challenges', () => {
  it('a random replica is challenged from the parent hash; a correct answer passes without fees', async () => {
    const { chain, workers, file, cid } = await setup();
    expect(chain.read(() => ReplicaCount.get())).toBe(3);
    chain.runTo(19);
    const parent = chain.headHash;
    const { events } = chain.block();
    const ch = issued(events);
    expect(ch).toBeDefined();
    expect(ch.seed).toEqual(challengeSeed(parent, 20));
    expect(ch).toMatchObject({ id: 0n, cid, deadline: 25 });
    expect(chain.read(() => ParentHash.get())).toEqual(parent);
    const w = byAccount(workers, ch.who);
    const blocks = await buildChallengeProof(file.cid, ch.seed, file.get);
    // Someone else cannot answer; an unknown id is refused; nothing changes.
    const before = chain.palletState('StorageChallenge', 'Market', 'Swork');
    const other = workers.find((x) => x !== w)!;
    const refused = chain.block((b) => [
      b.dispatch(StorageChallenge.tx.respond({ id: ch.id, blocks }), other.account),
      b.dispatch(StorageChallenge.tx.respond({ id: 99n, blocks }), w.account),
    ]).result;
    const err = (e: number) => ({
      ok: false,
      error: { value: { index: INDEX.StorageChallenge, error: new Uint8Array([e, 0, 0, 0]) } },
    });
    expect(refused).toMatchObject([err(1), err(0)]);
    expect(chain.palletState('StorageChallenge', 'Market', 'Swork')).toEqual(before);
    const { result, events: ev2 } = chain.block((b) =>
      b.dispatch(StorageChallenge.tx.respond({ id: ch.id, blocks }), w.account),
    );
    expect(result).toEqual({ ok: true, postInfo: { paysFee: 'No' } });
    expect(ev2.filter((e) => e.pallet === 'StorageChallenge')).toEqual([
      { pallet: 'StorageChallenge', name: 'ChallengePassed', fields: { id: 0n, who: w.account, cid } },
    ]);
    expect(chain.read(() => Challenges.get(0n))).toBeUndefined();
    chain.runTo(26);
    expect(chain.read(() => FilesV2.get(cid))!.replicas.size).toBe(3);
  });

  it('no answer by the deadline removes the replica and punishes the worker', async () => {
    const { chain, workers, cid, size } = await setup();
    chain.runTo(20);
    const ch = issued(chain.events);
    const w = byAccount(workers, ch.who);
    expect(chain.read(() => WorkReports.get(w.pk)!.spower)).toBe(size);
    const events = chain.runTo(25);
    expect(events.filter((e) => e.pallet === 'StorageChallenge')).toEqual([
      {
        pallet: 'StorageChallenge',
        name: 'ChallengeFailed',
        fields: { id: ch.id, who: w.account, cid, owner: w.account, reason: { type: 'NoAnswer' } },
      },
    ]);
    const f = chain.read(() => FilesV2.get(cid))!;
    expect(f.replicas.size).toBe(2);
    expect(replicaOf(f, w.account)).toBeUndefined();
    expect(f.reported_replica_count).toBe(2);
    chain.read(() => {
      expect(WorkReports.get(w.pk)!.spower).toBe(0n);
      // Punished from the current report slot (10) for PunishmentSlots (2) slots of 10 blocks.
      expect(Identities.get(w.account)!.punishment_deadline).toBe(30n);
      expect(ReplicaCount.get()).toBe(2);
    });
    // An answer after the deadline finds no challenge.
    const late = chain.block((b) =>
      b.dispatch(StorageChallenge.tx.respond({ id: ch.id, blocks: [] }), w.account),
    ).result;
    expect(late).toMatchObject({ ok: false });
  });

  it('a wrong answer fails at once (the call succeeds, so the verdict stays)', async () => {
    const { chain, workers, file, cid } = await setup();
    chain.runTo(20);
    const ch = issued(chain.events);
    const w = byAccount(workers, ch.who);
    const good = await buildChallengeProof(file.cid, ch.seed, file.get);
    const leaf = good[good.length - 1].slice();
    leaf[5] ^= 0xff;
    const { result, events } = chain.block((b) =>
      b.dispatch(StorageChallenge.tx.respond({ id: ch.id, blocks: [...good.slice(0, -1), leaf] }), w.account),
    );
    expect(result).toMatchObject({ ok: true });
    expect(
      events.filter((e) => e.pallet === 'StorageChallenge').map((e) => [e.name, e.fields.reason]),
    ).toEqual([['ChallengeFailed', { type: 'InvalidProof' }]]);
    expect(replicaOf(chain.read(() => FilesV2.get(cid))!, w.account)).toBeUndefined();
    // The next challenge picks among the two replicas left.
    chain.runTo(30);
    const next = issued(chain.events);
    expect(next.id).toBe(1n);
    expect(Buffer.compare(next.who, w.account)).not.toBe(0);
  });
});
