/**
 * pallet_timestamp (polkadot-sdk substrate/frame/timestamp): the `set(now)` inherent, once per block, at least
 * MinimumPeriod after the previous block's time; `Now`/`DidUpdate` storage; and the `timstap0` inherent provider the
 * executive uses to build and check the inherent from the author's clock (the block's slot × slot duration).
 * Breaking the once-per-block or minimum-period rules is a panic upstream (the block is invalid): here a
 * `TimestampPanic` thrown out of the runtime.
 */
import type { CheckInherentsResult, InherentProvider } from '../../executive/inherents.ts';
import { inherentData } from '../../executive/inherents.ts';
import { ensureNone } from '../../frame/origin.ts';
import { call, constant, pallet, type RuntimeCallValue } from '../../frame/pallet.ts';
import { addWeight, ROCKS_DB_WEIGHT, weight } from '../../frame/weights.ts';
import type { Codec } from '../../scale/codec.ts';
import { enumeration } from '../../scale/composite.ts';
import { bool, compact, u64 } from '../../scale/primitives.ts';

export interface TimestampConfig {
  /** `MinimumPeriod` in ms: half the slot duration on Aura/Babe chains. */
  minimumPeriod: bigint;
  /** `OnTimestampSet` (Aura checks the slot against it). */
  onTimestampSet?: (now: bigint) => void;
}

/** A broken invariant: upstream `assert!`s, which make the block invalid. */
export class TimestampPanic extends Error {
  override name = 'TimestampPanic';
}

const p = pallet<TimestampConfig>('Timestamp', { module: 'pallet_timestamp' });

export const Now = p.value('Now', u64, { default: 0n, docs: [' The current time for the current block.'] });
export const DidUpdate = p.value('DidUpdate', bool, {
  default: false,
  docs: [
    ' Whether the timestamp has been updated in this block.',
    '',
    ' This value is updated to `true` upon successful submission of a timestamp by a node.',
    ' It is then checked at the end of each block execution in the `on_finalize` hook.',
  ],
});

const READ = Number(ROCKS_DB_WEIGHT.read);
const WRITE = Number(ROCKS_DB_WEIGHT.write);
/** polkadot-sdk pallet_timestamp SubstrateWeight: set() reads Now + Aura::CurrentSlot, writes Now. */
export const TimestampWeights = {
  set: () => addWeight(weight(8_975_000, 1493), weight(2 * READ + WRITE, 0)),
  onFinalize: () => weight(3_881_000, 0),
};

export const Timestamp = p.build({
  docs: [],
  calls: {
    set: call(
      0,
      { now: compact(u64) },
      {
        weight: TimestampWeights.set,
        class: 'Mandatory',
        dispatch(origin, { now }) {
          ensureNone(origin);
          if (DidUpdate.exists())
            throw new TimestampPanic('Timestamp must be updated only once in the block');
          const prev = Now.get();
          const min = p.config().minimumPeriod;
          if (prev !== 0n && now < prev + min)
            throw new TimestampPanic(
              'Timestamp must increment by at least <MinimumPeriod> between sequential blocks',
            );
          Now.set(now);
          DidUpdate.set(true);
          p.config().onTimestampSet?.(now);
        },
        typeNames: { now: 'T::Moment' },
        docs: [
          ' Set the current time.',
          '',
          ' This call should be invoked exactly once per block. It will panic at the finalization',
          " phase, if this call hasn't been invoked by that time.",
          '',
          ' The timestamp should be greater than the previous one by the amount specified by',
          ' [`Config::MinimumPeriod`].',
          '',
          ' The dispatch origin for this call must be _None_.',
          '',
          ' This dispatch class is _Mandatory_ to ensure it gets executed in the block. Be aware',
          ' that changing the complexity of this call could result exhausting the resources in a',
          ' block to execute any other calls.',
        ],
      },
    ),
  },
  constants: {
    MinimumPeriod: constant(u64, (c: TimestampConfig) => c.minimumPeriod, [
      ' The minimum period between blocks.',
      '',
      ' Be aware that this is different to the *expected* period that the block production',
      ' apparatus provides. Your chosen consensus system will generally work with this to',
      ' determine a sensible block time. For example, in the Aura pallet it will be double this',
      ' period on default settings.',
    ]),
  },
  hooks: {
    // The weight of on_finalize is accounted up front (it is mandatory work).
    onInitialize: () => TimestampWeights.onFinalize(),
    onFinalize() {
      if (!DidUpdate.take()) throw new TimestampPanic('Timestamp must be updated once in the block');
    },
  },
});

// ---- inherent ----------------------------------------------------------------------------------------------------

/** `sp_timestamp::INHERENT_IDENTIFIER` */
export const TIMESTAMP_INHERENT_ID = 'timstap0';
/** `MAX_TIMESTAMP_DRIFT_MILLIS`: a block may claim at most this far beyond the checker's clock. */
export const MAX_TIMESTAMP_DRIFT_MILLIS = 30_000n;

/** `sp_timestamp::InherentError`; TooEarly is fatal. */
export type TimestampInherentError = 'TooEarly' | 'TooFarInFuture';
export const TimestampInherentErrorCodec: Codec<TimestampInherentError> = enumeration({
  TooEarly: [0],
  TooFarInFuture: [1],
})
  .named(['sp_timestamp', 'InherentError'])
  .map(
    (v) => v.type,
    (type) => ({ type }),
  );

/** The inherent data entry for `ms` since the Unix epoch (`InherentType = u64`, SCALE little endian). */
export function timestampInherentData(ms: bigint): [Uint8Array, Uint8Array] {
  return [new TextEncoder().encode(TIMESTAMP_INHERENT_ID), u64.encode(ms)];
}

/** The timestamp a slot-based author puts in a block: the start of its slot (sp_consensus_slots). */
export function timestampForSlot(slot: bigint, slotDurationMs: bigint): bigint {
  return slot * slotDurationMs;
}

export class TimestampInherentDataError extends Error {
  override name = 'TimestampInherentDataError';
}

function readData(data: Map<Uint8Array, Uint8Array>): bigint | undefined {
  const raw = inherentData(data, TIMESTAMP_INHERENT_ID);
  if (raw === undefined) return undefined;
  try {
    return u64.decode(raw);
  } catch (err) {
    throw new TimestampInherentDataError(`timestamp inherent data is not a u64: ${(err as Error).message}`);
  }
}

const isSet = (call: RuntimeCallValue) => call.type === 'Timestamp' && call.value.type === 'set';

/** `ProvideInherent for pallet_timestamp`: create (never earlier than Now + MinimumPeriod) and check. */
export const timestampInherent: InherentProvider = {
  identifier: TIMESTAMP_INHERENT_ID,
  create(data) {
    const t = readData(data);
    if (t === undefined) throw new TimestampInherentDataError('timestamp inherent data not found');
    const earliest = Now.get() + p.config().minimumPeriod;
    return Timestamp.tx.set({ now: t > earliest ? t : earliest });
  },
  isInherent: isSet,
  check(call, data) {
    if (!isSet(call)) return undefined;
    const t = (call.value.value as { now: bigint }).now;
    const local = readData(data);
    if (local === undefined) throw new TimestampInherentDataError('timestamp inherent data not found');
    const minimum = Now.get() + p.config().minimumPeriod;
    if (t > local + MAX_TIMESTAMP_DRIFT_MILLIS)
      return { error: TimestampInherentErrorCodec.encode('TooFarInFuture'), fatal: false };
    if (t < minimum) return { error: TimestampInherentErrorCodec.encode('TooEarly'), fatal: true };
    return undefined;
  },
};

export type { CheckInherentsResult };
