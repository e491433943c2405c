/** A mini runtime for the frame tests: System + a test pallet exercising every DSL feature + a hooks-only pallet. */
import { ExtensionPipeline } from '../../src/extrinsic/extensions/pipeline.ts';
import { STANDARD_EXTENSIONS } from '../../src/extrinsic/extensions/standard.ts';
import { MultiAddressCodec } from '../../src/extrinsic/multi-address.ts';
import { MultiSignatureCodec } from '../../src/extrinsic/multi-signature.ts';
import { AccountId32 } from '../../src/extrinsic/primitives.ts';
import {
  call,
  constant,
  defineRuntime,
  ensureNone,
  ensureRoot,
  ensureSigned,
  pallet,
  state,
  weight,
} from '../../src/frame/index.ts';
import { metadataApi } from '../../src/metadata/api.ts';
import { defaultSystemConfig, System } from '../../src/pallets/system/index.ts';
import { bytes, str, u32, u64, u128, vec } from '../../src/scale/index.ts';

export interface TemplateConfig {
  maxValue: number;
  /** A typed adapter another pallet would provide (here: a plain function). */
  onStored?: (value: number) => void;
}

const p = pallet<TemplateConfig>('Template');

export const Something = p.value('Something', u32, { docs: [' Some stored value.'] });
export const Counter = p.value('Counter', u64, { default: 0n });
export const Owners = p.map('Owners', ['Blake2_128Concat', AccountId32], u128, {
  default: 0n,
  docs: [' Balance-like numbers per account.'],
});
export const Pairs = p.doubleMap('Pairs', ['Twox64Concat', u32], ['Blake2_128Concat', AccountId32], str);
export const Triples = p.nMap(
  'Triples',
  [
    ['Blake2_128Concat', u32],
    ['Twox64Concat', u64],
    ['Identity', bytes],
  ],
  u32,
);
export const HookLog = p.value('HookLog', vec(str), { default: [] });

export const TemplateEvent = p.events({
  Stored: [0, { value: u32, who: AccountId32 }, [' A value was stored.']],
  Bumped: [1, undefined, [' The counter moved.']],
});

export const TemplateError = p.errors({
  NoneValue: [0, [' Nothing is stored yet.']],
  TooBig: [1, [' The value exceeds MaxValue.']],
});

function log(entry: string): void {
  HookLog.mutate((l) => {
    l.push(entry);
  });
}

export const Template = p.build({
  docs: [' A pallet to test the DSL.'],
  calls: {
    store: call(
      0,
      { value: u32 },
      {
        weight: () => weight(10_000_000, 1_000),
        dispatch(origin, { value }) {
          const who = ensureSigned(origin);
          Something.set(value);
          Owners.set(who, BigInt(value));
          if (value > p.config().maxValue) throw TemplateError.fail('TooBig');
          p.config().onStored?.(value);
          TemplateEvent.deposit({ type: 'Stored', value: { value, who } }, [new Uint8Array(32).fill(7)]);
        },
        docs: [' Store a value as a signed account.'],
        typeNames: { value: 'u32' },
      },
    ),
    root_set: call(
      1,
      { value: u32, note: bytes },
      {
        weight: () => weight(5_000_000, 0),
        class: 'Operational',
        pays: 'No',
        dispatch(origin, { value }) {
          ensureRoot(origin);
          Something.set(value);
        },
      },
    ),
    ping: call(
      2,
      {},
      {
        weight: () => weight(1_000, 0),
        dispatch(origin) {
          ensureNone(origin);
          Counter.mutate((c) => c + 1n);
          TemplateEvent.deposit({ type: 'Bumped' });
        },
      },
    ),
    bump_twice_inner_fails: call(
      3,
      {},
      {
        weight: () => weight(50_000_000, 0),
        dispatch(origin) {
          ensureSigned(origin);
          Counter.mutate((c) => c + 1n);
          // An inner storage layer that fails: only its writes go.
          try {
            state().transactional(() => {
              Counter.mutate((c) => c + 100n);
              throw TemplateError.fail('NoneValue');
            });
          } catch {}
          Counter.mutate((c) => c + 1n);
          return { actualWeight: weight(20_000_000, 0) };
        },
      },
    ),
    take_or_fail: call(
      4,
      {},
      {
        weight: () => weight(1_000_000, 0),
        dispatch(origin) {
          ensureSigned(origin);
          Counter.set(999n);
          // Returned rather than thrown: the dispatcher treats both alike.
          if (Something.take() === undefined)
            return TemplateError.fail('NoneValue', { actualWeight: weight(10, 0) });
        },
      },
    ),
  },
  constants: {
    MaxValue: constant(u32, (c) => c.maxValue, [' The largest storable value.']),
  },
  hooks: {
    onInitialize(n) {
      log(`Template.onInitialize(${n})`);
      return weight(1_000, 10);
    },
    onFinalize(n) {
      log(`Template.onFinalize(${n})`);
    },
    onIdle(n, remaining) {
      log(`Template.onIdle(${n})`);
      return weight(Math.min(remaining.refTime, 7), 0);
    },
  },
  genesis: {
    default: () => ({ initial: 1 }),
    build(g: { initial: number; owners?: Array<[Uint8Array, bigint]> }) {
      Something.set(g.initial);
      for (const [who, v] of g.owners ?? []) Owners.set(who, v);
    },
  },
});

const q = pallet('Second');
export const Second = q.build({
  hooks: {
    onInitialize(n) {
      log(`Second.onInitialize(${n})`);
      return weight(2_000, 0);
    },
    onFinalize(n) {
      log(`Second.onFinalize(${n})`);
    },
  },
});

const pipeline = new ExtensionPipeline(STANDARD_EXTENSIONS);

export const runtime = defineRuntime({
  pallets: [
    [0, System, defaultSystemConfig()],
    [42, Template, { maxValue: 100 }],
    [7, Second, {}],
  ],
  apis: [metadataApi],
  extrinsic: {
    version: 4,
    address: MultiAddressCodec,
    signature: MultiSignatureCodec,
    extra: pipeline.extra,
    signedExtensions: pipeline.metadata(),
  },
  version: {
    spec_name: 'mini',
    impl_name: 'mini-node',
    authoring_version: 1,
    spec_version: 100,
    impl_version: 1,
    transaction_version: 1,
    system_version: 1,
  },
});
