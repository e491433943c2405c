/**
 * pallet_timestamp: `set` once per block with None origin and MinimumPeriod spacing (upstream asserts, i.e. an
 * invalid block), Now/DidUpdate, and the `timstap0` inherent as sp-timestamp builds and checks it
 * (MAX_TIMESTAMP_DRIFT_MILLIS = 30 s; TooEarly fatal, TooFarInFuture not).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { encodeExtrinsic } from '../../../src/extrinsic/unchecked-extrinsic.ts';
import {
  DidUpdate,
  Now,
  Timestamp,
  TimestampInherentDataError,
  TimestampInherentErrorCodec,
  TimestampPanic,
  timestampForSlot,
  timestampInherent,
  timestampInherentData,
} from '../../../src/pallets/timestamp/index.ts';
import { Overlay } from '../../../src/state/overlay.ts';
import { buildBlock, newDevChain, read } from '../../runtimes/dev-chain.ts';
import { acc, inBlock, ready } from '../balances/helpers.ts';

beforeAll(() => ready);

const data = (ms: bigint) => new Map([timestampInherentData(ms)]);

describe('timestamp.set', () => {
  it('sets Now once per block; DidUpdate is cleared at the end of the block', () => {
    const chain = newDevChain();
    const t0 = chain.nextTime;
    buildBlock(chain, []);
    expect(read(chain, () => [Now.get(), DidUpdate.exists()])).toEqual([t0, false]);
    buildBlock(chain, []);
    expect(read(chain, () => Now.get())).toBe(t0 + 6_000n);
  });

  it('a second set in the same block is a panic (the block is invalid)', () => {
    inBlock((b) => {
      // Root is not None: BadOrigin, nothing set.
      expect(b.dispatch(Timestamp.tx.set({ now: 10_000n }))).toMatchObject({
        ok: false,
        error: { type: 'BadOrigin' },
      });
      expect(b.dispatchNone(Timestamp.tx.set({ now: 10_000n }))).toMatchObject({ ok: true });
      expect(() => b.dispatchNone(Timestamp.tx.set({ now: 20_000n }))).toThrow(TimestampPanic);
      expect(Now.get()).toBe(10_000n);
    });
  });

  it('a set earlier than Now + MinimumPeriod is a panic; a signed set is BadOrigin', () => {
    const chain = newDevChain();
    chain.nextTime = 100_000n;
    buildBlock(chain, []);
    const overlay = new Overlay(chain.backend);
    chain.dev.runtime.execute(overlay, () => {
      chain.dev.executive.initializeBlock({
        parentHash: chain.headHash,
        number: 2,
        stateRoot: new Uint8Array(32),
        extrinsicsRoot: new Uint8Array(32),
        digest: { logs: [] },
      });
      const early = encodeExtrinsic(chain.dev.format, { call: Timestamp.tx.set({ now: 102_999n }) });
      expect(() => chain.dev.executive.applyExtrinsic(early)).toThrow(/at least <MinimumPeriod>/);
      const signedSet = chain.dev.runtime.dispatch(Timestamp.tx.set({ now: 103_000n }), {
        type: 'Signed',
        who: acc(1),
      });
      expect(signedSet).toMatchObject({ ok: false, error: { type: 'BadOrigin' } });
      const onTime = encodeExtrinsic(chain.dev.format, { call: Timestamp.tx.set({ now: 103_000n }) });
      expect(chain.dev.executive.applyExtrinsic(onTime)).toEqual({ ok: { ok: undefined } });
    });
  });

  it('a block without the timestamp inherent cannot be finalized', () => {
    const chain = newDevChain();
    expect(() => buildBlock(chain, [], { withTimestamp: false })).toThrow(
      /Timestamp must be updated once in the block/,
    );
  });
});

describe('the timstap0 inherent', () => {
  it('is created from the author clock, never earlier than Now + MinimumPeriod', () => {
    inBlock(() => {
      Now.set(50_000n);
      expect(timestampInherent.create(data(60_000n))).toEqual(Timestamp.tx.set({ now: 60_000n }));
      expect(timestampInherent.create(data(51_000n))).toEqual(Timestamp.tx.set({ now: 53_000n }));
      expect(timestampForSlot(300_000_000n, 6_000n)).toBe(1_800_000_000_000n);
    });
  });

  it('checks: TooEarly (fatal), TooFarInFuture beyond 30 s of drift (not fatal), else fine', () => {
    inBlock(() => {
      Now.set(50_000n);
      const check = (t: bigint, local: bigint) =>
        timestampInherent.check!(Timestamp.tx.set({ now: t }), data(local));
      expect(check(53_000n, 53_000n)).toBeUndefined();
      expect(check(83_000n, 53_000n)).toBeUndefined();
      expect(check(83_001n, 53_000n)).toEqual({
        error: TimestampInherentErrorCodec.encode('TooFarInFuture'),
        fatal: false,
      });
      expect(check(52_999n, 53_000n)).toEqual({ error: new Uint8Array([0]), fatal: true });
      expect(timestampInherent.isInherent(Timestamp.tx.set({ now: 1n }))).toBe(true);
    });
  });

  it('missing or malformed inherent data is a typed error', () => {
    inBlock(() => {
      expect(() => timestampInherent.create(new Map())).toThrow(TimestampInherentDataError);
      const bad = new Map([[new TextEncoder().encode('timstap0'), new Uint8Array([1, 2, 3])]]);
      expect(() => timestampInherent.create(bad)).toThrow(TimestampInherentDataError);
      const long = new Map([[new TextEncoder().encode('timstap0'), new Uint8Array(9)]]);
      expect(() => timestampInherent.create(long)).toThrow(TimestampInherentDataError);
    });
  });
});
