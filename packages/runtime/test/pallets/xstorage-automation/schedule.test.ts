/**
 * Scheduling a renewal on OAK (`XstorageAutomation`), over OAK's real runtime in memory:
 * - bad inputs are refused with their error and leave nothing scheduled (empty / over-long CID, amount 0, a block
 *   not after the current one, too far ahead, a full agenda);
 * - only the owner cancels a task, and only before it fires;
 * - `on_prepaid_response` takes only `Response(Crust)` for a query a task waits for;
 * - the Transacted call is what @polkadot/types encodes for `market.addPrepaid` from our Crust runtime's metadata
 *   (the outside codec; its call index comes from the metadata), and Crust's SafeCallFilter admits it;
 * - OAK runs its own runtime (`oak` profile): the template's pallets plus `XstorageAutomation` at 61, whose calls
 *   polkadot-js reads from the metadata at (61, 0..2).
 */
import { Metadata, TypeRegistry } from '@polkadot/types';
import { expandMetadata } from '@polkadot/types/metadata/decorate';
import { u8aToHex } from '@polkadot/util';
import { beforeAll, describe, expect, it } from 'vitest';
import { rootOrigin, signedOrigin } from '../../../src/frame/origin.ts';
import { generateMetadata } from '../../../src/metadata/generate.ts';
import { MAX_CID_LENGTH } from '../../../src/pallets/xstorage/index.ts';
import {
  Agenda,
  addPrepaidCall,
  DEFAULT_MAX_SCHEDULE_AHEAD,
  DEFAULT_MAX_TASKS_PER_BLOCK,
  TaskCount,
  Tasks,
  XstorageAutomation,
} from '../../../src/pallets/xstorage-automation/index.ts';
import { crustXcmCallFilter } from '../../../src/runtimes/crust/call-filter.ts';
import { oakProfile } from '../../../src/runtimes/oak/index.ts';
import { PARACHAIN_PROFILES } from '../../../src/runtimes/parachain/index.ts';
import { runtimeProfile } from '../../../src/runtimes/profiles.ts';
import { responseOrigin } from '../../../src/xcm/builder/origins.ts';
import { ALICE, BOB, CRUST, moduleError, theEvent, tokenOf, utf8 } from '../xstorage/helpers.ts';
import { ready } from '../xstorage/network.ts';
import { advanceTo, cancel, makeOakNetwork, OAK, schedule } from './helpers.ts';

beforeAll(() => ready);

const CID = utf8('QmdwgqZy1MZBfWPi7GcxVsYgJEtmvHg6rsLzbCej3tf3oF');

describe('schedule_prepaid', () => {
  const net = makeOakNetwork();
  const oak = net.chain(OAK);

  it('refuses bad inputs with their error, scheduling nothing', () => {
    const now = oak.number;
    const refused = (cid: Uint8Array, amount: bigint, at: number) =>
      moduleError(oak, schedule(oak, ALICE, cid, amount, at));
    expect(refused(new Uint8Array(), 1n, now + 1)).toBe('XstorageAutomation.EmptyCid');
    expect(refused(new Uint8Array(MAX_CID_LENGTH + 1).fill(0x61), 1n, now + 1)).toBe(
      'XstorageAutomation.CidTooLong',
    );
    expect(refused(CID, 0n, now + 1)).toBe('XstorageAutomation.ZeroAmount');
    expect(refused(CID, 1n, now)).toBe('XstorageAutomation.NotInFuture');
    expect(refused(CID, 1n, now - 1)).toBe('XstorageAutomation.NotInFuture');
    expect(refused(CID, 1n, now + DEFAULT_MAX_SCHEDULE_AHEAD + 1)).toBe('XstorageAutomation.TooFarAhead');
    expect(
      moduleError(
        oak,
        oak.dispatch(
          XstorageAutomation.tx.schedule_prepaid({ cid: CID, amount: 1n, at_block: now + 1 }),
          rootOrigin(),
        ),
      ),
    ).toBe('BadOrigin');
    expect(oak.read(() => TaskCount.get())).toBe(0n);
    // The limits themselves are accepted: the longest CID, the furthest block.
    expect(
      schedule(oak, ALICE, new Uint8Array(MAX_CID_LENGTH).fill(0x61), 1n, now + DEFAULT_MAX_SCHEDULE_AHEAD)
        .ok,
    ).toBe(true);
    expect(oak.read(() => TaskCount.get())).toBe(1n);
  });

  it('refuses a task beyond MaxTasksPerBlock for one block (AgendaFull); another block still takes it', () => {
    const at = oak.number + 50;
    for (let i = 0; i < DEFAULT_MAX_TASKS_PER_BLOCK; i++)
      expect(schedule(oak, BOB, CID, 1n, at).ok).toBe(true);
    expect(moduleError(oak, schedule(oak, ALICE, CID, 1n, at))).toBe('XstorageAutomation.AgendaFull');
    expect(oak.read(() => Agenda.get(at))).toHaveLength(DEFAULT_MAX_TASKS_PER_BLOCK);
    expect(schedule(oak, ALICE, CID, 1n, at + 1).ok).toBe(true);
  });

  it('lets the owner cancel before the block, nobody else, and never after it fired', () => {
    oak.takeEvents();
    const at = oak.number + 2;
    expect(schedule(oak, ALICE, CID, 5n, at).ok).toBe(true);
    const ev = theEvent(oak.takeEvents(), 'XstorageAutomation', 'PrepaidScheduled');
    expect(ev).toMatchObject({ cid: CID, amount: 5n, at_block: at });
    expect(u8aToHex(ev.who)).toBe(u8aToHex(ALICE));
    expect(oak.read(() => Tasks.get(ev.task_id))!.status).toEqual({ type: 'Scheduled' });

    expect(moduleError(oak, cancel(oak, BOB, ev.task_id))).toBe('XstorageAutomation.NotOwner');
    expect(moduleError(oak, cancel(oak, ALICE, new Uint8Array(32)))).toBe('XstorageAutomation.UnknownTask');
    expect(cancel(oak, ALICE, ev.task_id).ok).toBe(true);
    const cancelled = theEvent(oak.takeEvents(), 'XstorageAutomation', 'PrepaidCancelled');
    expect(u8aToHex(cancelled.task_id)).toBe(u8aToHex(ev.task_id));
    expect(oak.read(() => Tasks.get(ev.task_id))).toBeUndefined();
    expect(oak.read(() => Agenda.get(at)).map((x) => u8aToHex(x))).not.toContain(u8aToHex(ev.task_id));
    // A cancelled task never fires.
    advanceTo(oak, at);
    expect(oak.takeEvents().filter((e) => e.pallet === 'XstorageAutomation')).toEqual([]);

    // One that fired (here: not sent, Bob holds no CRU) can no longer be cancelled.
    const at2 = oak.number + 1;
    expect(schedule(oak, BOB, CID, 5n, at2).ok).toBe(true);
    const id2 = theEvent(oak.takeEvents(), 'XstorageAutomation', 'PrepaidScheduled').task_id;
    advanceTo(oak, at2);
    theEvent(oak.takeEvents(), 'XstorageAutomation', 'PrepaidNotSent');
    expect(moduleError(oak, cancel(oak, BOB, id2))).toBe('XstorageAutomation.NotScheduled');
  });

  it('takes an answer only from Response(Crust), for a query a task waits for', () => {
    const respond = (query_id: bigint) =>
      XstorageAutomation.tx.on_prepaid_response({
        query_id,
        response: { type: 'DispatchResult', value: { type: 'Success' } },
      } as never);
    const crust = tokenOf(CRUST);
    expect(moduleError(oak, oak.dispatch(respond(0n), signedOrigin(ALICE)))).toBe('BadOrigin');
    expect(moduleError(oak, oak.dispatch(respond(0n), rootOrigin()))).toBe('BadOrigin');
    expect(moduleError(oak, oak.dispatch(respond(0n), responseOrigin(tokenOf(2000))))).toBe('BadOrigin');
    expect(moduleError(oak, oak.dispatch(respond(0n), responseOrigin({ parents: 1, interior: [] })))).toBe(
      'BadOrigin',
    );
    expect(moduleError(oak, oak.dispatch(respond(0n), responseOrigin(crust)))).toBe(
      'XstorageAutomation.UnknownQuery',
    );
    expect(moduleError(oak, oak.dispatch(respond(12_345n), responseOrigin(crust)))).toBe(
      'XstorageAutomation.UnknownQuery',
    );
  });
});

describe("the Transacted call is Crust's market.add_prepaid", () => {
  const net = makeOakNetwork();
  const crust = net.chain(CRUST);

  it('encodes as @polkadot/types encodes market.addPrepaid from our Crust runtime metadata', () => {
    const registry = new TypeRegistry();
    const metadata = new Metadata(registry, generateMetadata(crust.runtime, 15));
    registry.setMetadata(metadata);
    const addPrepaid = expandMetadata(registry, metadata).tx.market.addPrepaid;
    expect(addPrepaid.meta.args.map((a) => `${a.name.toString()}: ${a.type.toString()}`)).toEqual([
      'cid: Bytes',
      'amount: Compact<u128>',
    ]);
    // Pallet 100, call 1, as the metadata numbers them (what `addPrepaidCall` must lead with).
    expect([...addPrepaid.callIndex]).toEqual([100, 1]);
    const cases: Array<[Uint8Array, bigint]> = [
      [CID, 1n],
      [CID, 10n ** 12n],
      [new Uint8Array(MAX_CID_LENGTH).fill(0x62), (1n << 128n) - 1n],
      [utf8('bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi'), 63n],
      [utf8('b'), 64n],
    ];
    for (const [cid, amount] of cases) {
      // A hex string is the raw bytes to polkadot-js (a Uint8Array would be read as already length-prefixed).
      const theirs = addPrepaid(u8aToHex(cid), amount).toU8a();
      const ours = addPrepaidCall(cid, amount);
      expect(u8aToHex(ours)).toBe(u8aToHex(theirs));
      // Crust decodes it to market.add_prepaid, and its SafeCallFilter lets a Transact dispatch it.
      const decoded = crust.runtime.decodeCall(ours);
      expect(decoded).toMatchObject({ type: 'Market', value: { type: 'add_prepaid' } });
      expect(crustXcmCallFilter(decoded)).toBe(true);
    }
  });
});

describe("OAK's runtime", () => {
  it('is the template plus XstorageAutomation at 61, registered as the `oak` profile', () => {
    expect(runtimeProfile('oak')).toBe(oakProfile);
    expect(PARACHAIN_PROFILES.filter((p) => p.id === 'oak')).toEqual([oakProfile]);
    expect(oakProfile.role).toEqual({ kind: 'parachain', paraId: OAK });
    const oak = oakProfile.make().runtime;
    expect(oak.version.spec_name).toBe('oak');
    expect(oak.palletIndex('XstorageAutomation')).toBe(61);
    // The template's order pallet stays where it was (60).
    expect(oak.palletIndex('Xstorage')).toBe(60);
    // polkadot-js reads the calls' indices and arguments from the metadata.
    const registry = new TypeRegistry();
    const metadata = new Metadata(registry, generateMetadata(oak, 15));
    registry.setMetadata(metadata);
    const tx = expandMetadata(registry, metadata).tx.xstorageAutomation;
    expect([...tx.schedulePrepaid.callIndex]).toEqual([61, 0]);
    expect([...tx.cancelPrepaid.callIndex]).toEqual([61, 1]);
    expect([...tx.onPrepaidResponse.callIndex]).toEqual([61, 2]);
    expect(tx.schedulePrepaid.meta.args.map((a) => a.name.toString())).toEqual(['cid', 'amount', 'atBlock']);
    const call = tx.schedulePrepaid(u8aToHex(CID), 5n, 42).toU8a();
    expect(
      u8aToHex(
        oak.encodeCall(XstorageAutomation.tx.schedule_prepaid({ cid: CID, amount: 5n, at_block: 42 })),
      ),
    ).toBe(u8aToHex(call));
  });
});
