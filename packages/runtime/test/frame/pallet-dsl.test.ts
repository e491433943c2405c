import { u8aToHex } from '@polkadot/util';
import { describe, expect, it } from 'vitest';
import {
  addWeight,
  call,
  callInfoOf,
  DispatchErrorCodec,
  defineRuntime,
  dispatchCall,
  ensureOrigin,
  ensureSigned,
  type Origin,
  pallet,
  RuntimeCallRef,
  weight,
} from '../../src/frame/index.ts';
import { defaultSystemConfig, Events, initialize, System } from '../../src/pallets/system/index.ts';
import { bool, str, u8, u32 } from '../../src/scale/index.ts';
import { runtime as mini, Something, Template, TemplateError } from './mini-runtime.ts';

// A pallet adding its own origin kind, as pallet-xcm will: declaration merging keeps `Origin` one union.
declare module '../../src/frame/origin.ts' {
  interface Origins {
    TestXcm: { location: string };
  }
}

const x = pallet('XcmLike');
const Seen = x.value('Seen', str);
const XcmLike = x.build({
  calls: {
    from_xcm: call(
      0,
      {},
      {
        weight: () => weight(1, 0),
        dispatch(origin) {
          Seen.set(ensureOrigin(origin, 'TestXcm').location);
        },
      },
    ),
  },
});

// A Sudo-like pallet: its call carries a RuntimeCall and dispatches it as Root.
const w = pallet('Wrapper');
const WrapperEvent = w.events({ Done: [0, { ok: bool }] });
const Wrapper = w.build({
  calls: {
    as_root: call(
      0,
      { call: RuntimeCallRef },
      {
        weight: ({ call: inner }) => addWeight(callInfoOf(inner).weight, weight(1_000, 0)),
        dispatch(origin, { call: inner }) {
          ensureSigned(origin);
          const r = dispatchCall(inner, { type: 'Root' });
          WrapperEvent.deposit({ type: 'Done', value: { ok: r.ok } });
        },
        typeNames: { call: 'Box<<T as Config>::RuntimeCall>' },
      },
    ),
  },
});

describe('pallet DSL', () => {
  it('dispatches a carried RuntimeCall from pallet code (as Sudo does); the inner call has its own storage layer', () => {
    const rt = defineRuntime({
      pallets: [
        [0, System, defaultSystemConfig()],
        [5, Wrapper, {}],
        [42, Template, { maxValue: 10 }],
      ],
      version: mini.version,
    });
    const inner = Template.tx.root_set({ value: 9, note: new Uint8Array() });
    const outer = Wrapper.tx.as_root({ call: inner });
    const alice: Origin = { type: 'Signed', who: new Uint8Array(32).fill(1) };
    rt.execute(rt.buildGenesis(), () => {
      initialize(1, new Uint8Array(32), { logs: [] });
      expect(u8aToHex(rt.encodeCall(outer))).toBe('0x05002a010900000000');
      expect(rt.decodeCall(rt.encodeCall(outer))).toEqual(outer);
      expect(rt.callInfo(outer).weight).toEqual(weight(5_001_000, 0));
      expect(rt.dispatch(outer, alice).ok).toBe(true);
      expect(Something.get()).toBe(9);
      // The inner call fails (Root cannot `store`): only its writes go, the wrapper's event stays.
      expect(rt.dispatch(Wrapper.tx.as_root({ call: Template.tx.store({ value: 1 }) }), alice).ok).toBe(true);
      expect(Events.get().map((e) => e.event.value.value)).toEqual([{ ok: true }, { ok: false }]);
    });
  });

  it('supports custom origins through declaration merging, BadOrigin for the others', () => {
    const rt = defineRuntime({
      pallets: [
        [0, System, defaultSystemConfig()],
        [31, XcmLike, {}],
      ],
      version: mini.version,
    });
    rt.execute(rt.buildGenesis(), () => {
      const xcm: Origin = { type: 'TestXcm', location: '../Parachain(2000)' };
      expect(rt.dispatch(XcmLike.tx.from_xcm({}), xcm).ok).toBe(true);
      expect(Seen.get()).toBe('../Parachain(2000)');
      expect(rt.dispatch(XcmLike.tx.from_xcm({}), { type: 'Root' })).toMatchObject({
        error: { type: 'BadOrigin' },
      });
    });
  });

  it('gives the same pallet error the index of the runtime it runs in', () => {
    const other = defineRuntime({
      pallets: [
        [0, System, defaultSystemConfig()],
        [9, Template, { maxValue: 0 }],
      ],
      version: mini.version,
    });
    other.execute(other.buildGenesis(), () => {
      const r = other.dispatch(Template.tx.store({ value: 1 }), { type: 'Signed', who: new Uint8Array(32) });
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(u8aToHex(DispatchErrorCodec.encode(r.error))).toBe('0x030901000000');
        expect(TemplateError.is(r.error, 'TooBig')).toBe(true);
      }
    });
    // Outside any runtime the index is unknown: a clear error, not a wrong index.
    expect(() => TemplateError.error('TooBig')).toThrow(/runtime externalities/);
  });

  it('refuses inconsistent definitions at definition time', () => {
    const p = pallet('Bad');
    p.value('X', u32);
    expect(() => p.value('X', u32)).toThrow(/duplicate storage X/);
    expect(() => call(256, {}, { weight: () => weight(0), dispatch() {} })).toThrow(/out of 0..255/);
    expect(() =>
      p.build({
        calls: {
          a: call(1, {}, { weight: () => weight(0), dispatch() {} }),
          b: call(1, {}, { weight: () => weight(0), dispatch() {} }),
        },
      }),
    ).toThrow(/call index 1 used twice/);
    expect(() => pallet('Bad2').errors({ A: [0], B: [0] })).toThrow(/share index 0/);
    expect(() => pallet('Bad3').events({ A: [3, { a: u8 }], B: [3] })).toThrow(/share index 3/);
  });

  it('names pallet types after the module (pallet_<snake_case>) and lists calls in the RuntimeCall enum', () => {
    expect(pallet('XstorageClient').module).toBe('pallet_xstorage_client');
    expect(Template.callCodec!.info.path).toEqual(['pallet_template', 'pallet', 'Call']);
    expect(System.callCodec!.info.path).toEqual(['frame_system', 'pallet', 'Call']);
    expect(mini.callCodec.info.path).toEqual(['mini_runtime', 'RuntimeCall']);
    const def = mini.eventCodec.info.def;
    expect(def.kind === 'variant' && def.variants.map((v) => [v.name, v.index])).toEqual([
      ['System', 0],
      ['Template', 42],
    ]);
  });
});
