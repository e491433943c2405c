/**
 * pallet_aura and pallet_session on the wallet mock runtime (polkadot-sdk substrate/frame/aura/src/tests.rs,
 * substrate/frame/session/src/tests.rs): the slot comes from the header's `PreRuntime(*b"aura", Slot)` digest (the
 * node's chain/aura.ts `slotDigest` encoding: engine id then the u64 slot LE) and must increase; the timestamp must
 * fall in it; genesis authorities come from Session's keys; `set_keys` / `purge_keys` rules; a rotation queues keys
 * and the one after hands them to Aura with a `Consensus(aura, AuthoritiesChange)` log; AuraApi answers.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { engineId, type DigestItem } from '../../../src/block/digest.ts';
import {
  AuraConsensusLogCodec,
  AuraPanic,
  Authorities,
  CurrentSlot,
  findAuthorIndex,
} from '../../../src/pallets/aura/index.ts';
import {
  CurrentIndex,
  KeyOwner,
  NextKeys,
  QueuedChanged,
  QueuedKeys,
  Session,
  Validators,
} from '../../../src/pallets/session/index.ts';
import { Account, Digest } from '../../../src/pallets/system/pallet.ts';
import { Timestamp } from '../../../src/pallets/timestamp/index.ts';
import { noneOrigin } from '../../../src/frame/origin.ts';
import { devAccounts } from '../../../src/runtimes/index.ts';
import { u64, vec } from '../../../src/scale/index.ts';
import { Overlay } from '../../../src/state/overlay.ts';
import { AuraAuthorityIdCodec } from '../../../src/pallets/aura/index.ts';
import { acc, hex, mockChain, moduleError, ready } from '../utility/mock.ts';

beforeAll(() => ready);

const AURA = engineId('aura');
const slotLog = (slot: bigint): DigestItem =>
  ({ type: 'PreRuntime', value: [AURA, u64.encode(slot)] }) as DigestItem;
const SESSION = 10;
const key = (n: number) => new Uint8Array(32).fill(n);

describe('aura', () => {
  it('genesis: Session gives Aura its authorities; //Alice is validator and authority, with one consumer', () => {
    const { Alice } = devAccounts();
    mockChain().inBlock(() => {
      expect(Authorities.get().map(hex)).toEqual([hex(Alice)]);
      expect(Validators.get().map(hex)).toEqual([hex(Alice)]);
      expect(hex(NextKeys.get(Alice)!.aura)).toBe(hex(Alice));
      expect(hex(KeyOwner.get([AURA, Alice])!)).toBe(hex(Alice));
      expect(QueuedKeys.get().map(([v, k]) => [hex(v), hex(k.aura)])).toEqual([[hex(Alice), hex(Alice)]]);
      expect(Account.get(Alice).consumers).toBe(1);
    });
  });

  it('takes the slot from the aura pre-runtime digest; the timestamp must be in that slot', () => {
    const chain = mockChain();
    chain.inBlock(
      (b) => {
        expect(CurrentSlot.get()).toBe(100n);
        expect(findAuthorIndex(Digest.get().logs)).toBe(0);
        expect(b.dispatchAs(Timestamp.tx.set({ now: 100n * 6000n + 5999n }), noneOrigin()).ok).toBe(true);
      },
      { logs: [slotLog(100n)] },
    );
    // A timestamp in the next slot makes the block invalid (upstream: assert_eq! panics).
    const other = mockChain();
    expect(() =>
      other.inBlock((b) => b.dispatchAs(Timestamp.tx.set({ now: 101n * 6000n }), noneOrigin()), {
        logs: [slotLog(100n)],
      }),
    ).toThrow(/Timestamp slot must match `CurrentSlot`/);
    expect(() => chain.inBlock(() => {}, { logs: [slotLog(100n)] })).toThrow(/Slot must increase/);
    expect(() => chain.inBlock(() => {}, { number: 2, logs: [slotLog(99n)] })).toThrow(AuraPanic);
    chain.inBlock(() => expect(CurrentSlot.get()).toBe(101n), { number: 2, logs: [slotLog(101n)] });
    // No aura digest (or one too short to hold a slot): the slot stays, and the timestamp is not checked against it.
    // (A fresh chain: these test blocks never finalize, so Timestamp's once-per-block flag would stay set.)
    mockChain().inBlock(
      (b) => {
        expect(CurrentSlot.get()).toBe(0n);
        expect(b.dispatchAs(Timestamp.tx.set({ now: 999n * 6000n }), noneOrigin()).ok).toBe(true);
      },
      { number: 3, logs: [{ type: 'PreRuntime', value: [AURA, new Uint8Array([1, 2, 3])] } as DigestItem] },
    );
  });

  it('AuraApi: slot_duration 6000 ms and the authorities, SCALE as sp_consensus_aura', () => {
    const chain = mockChain();
    const { Alice } = devAccounts();
    const overlay = new Overlay(chain.backend);
    expect(chain.chain.runtime.callApi(overlay, 'AuraApi_slot_duration', new Uint8Array())).toEqual(
      u64.encode(6000n),
    );
    const auth = chain.chain.runtime.callApi(overlay, 'AuraApi_authorities', new Uint8Array());
    expect(hex(auth)).toBe(`04${hex(Alice)}`);
  });
});

describe('session', () => {
  it('set_keys: keys and owner recorded, one consumer; a key another validator owns is DuplicatedKey', () => {
    const { Alice, Bob, Charlie } = devAccounts();
    mockChain().inBlock((b) => {
      const c0 = Account.get(Bob).consumers;
      expect(
        b.dispatch(Session.tx.set_keys({ keys: { aura: key(7) }, proof: new Uint8Array() }), Bob).ok,
      ).toBe(true);
      expect(hex(KeyOwner.get([AURA, key(7)])!)).toBe(hex(Bob));
      expect(Account.get(Bob).consumers).toBe(c0 + 1);
      const dup = b.dispatch(
        Session.tx.set_keys({ keys: { aura: key(7) }, proof: new Uint8Array() }),
        Charlie,
      );
      expect(dup).toMatchObject({ ok: false, error: moduleError(SESSION, 2) });
      expect(
        b.dispatch(Session.tx.set_keys({ keys: { aura: Alice }, proof: new Uint8Array() }), Charlie),
      ).toMatchObject({ ok: false, error: moduleError(SESSION, 2) });
      // Replacing one's own keys frees the old key and takes no second consumer.
      expect(
        b.dispatch(Session.tx.set_keys({ keys: { aura: key(8) }, proof: new Uint8Array() }), Bob).ok,
      ).toBe(true);
      expect(KeyOwner.get([AURA, key(7)])).toBeUndefined();
      expect(Account.get(Bob).consumers).toBe(c0 + 1);
      expect(b.dispatch(Session.tx.purge_keys({}), Bob).ok).toBe(true);
      expect(Account.get(Bob).consumers).toBe(c0);
      expect(KeyOwner.get([AURA, key(8)])).toBeUndefined();
      expect(b.dispatch(Session.tx.purge_keys({}), Bob)).toMatchObject({
        ok: false,
        error: moduleError(SESSION, 3),
      });
      // An account that does not exist cannot hold keys.
      expect(
        b.dispatch(Session.tx.set_keys({ keys: { aura: key(9) }, proof: new Uint8Array() }), acc(42)),
      ).toMatchObject({ ok: false, error: moduleError(SESSION, 4) });
    });
  });

  it('rotations: new keys are queued at one session change and reach Aura at the next, with a consensus log', () => {
    const { Alice } = devAccounts();
    const chain = mockChain({ session: { period: 3 } });
    chain.inBlock((b) => {
      expect(
        b.dispatch(Session.tx.set_keys({ keys: { aura: key(5) }, proof: new Uint8Array() }), Alice).ok,
      ).toBe(true);
    });
    chain.inBlock(() => {}, { number: 2 });
    chain.inBlock(
      (b) => {
        expect(CurrentIndex.get()).toBe(1);
        expect(b.events().find(([, n]) => n === 'NewSession')?.[2]).toEqual({ session_index: 1 });
        expect(QueuedKeys.get().map(([, k]) => hex(k.aura))).toEqual([hex(key(5))]);
        expect(QueuedChanged.get()).toBe(true);
        expect(Authorities.get().map(hex)).toEqual([hex(Alice)]);
      },
      { number: 3 },
    );
    chain.inBlock(
      () => {
        expect(CurrentIndex.get()).toBe(2);
        expect(Authorities.get().map(hex)).toEqual([hex(key(5))]);
        const log = Digest.get().logs.find((l) => l.type === 'Consensus')!;
        const [engine, data] = log.value as [Uint8Array, Uint8Array];
        expect(hex(engine)).toBe(hex(AURA));
        expect(AuraConsensusLogCodec.decode(data)).toEqual({ type: 'AuthoritiesChange', value: [key(5)] });
        // ConsensusLog::AuthoritiesChange is variant 1 with a Vec<AuthorityId>.
        expect(hex(data)).toBe(`01${hex(vec(AuraAuthorityIdCodec).encode([key(5)]))}`);
        expect(QueuedChanged.get()).toBe(false);
      },
      { number: 6 },
    );
  });
});
