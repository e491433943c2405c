/**
 * The parachain pallets in our metadata V14/V15, read by @polkadot/types: they look as Polkadot's own (compared with
 * polkadot-js's bundled Polkadot metadata: pallet indices, storage names / hashers / modifiers, call and event and
 * error variants), and calls, events and storage encoded on one side decode on the other.
 */
import { Metadata, TypeRegistry } from '@polkadot/types';
import { decorateStorage } from '@polkadot/types/metadata/decorate';
import { compactStripLength, u8aToHex } from '@polkadot/util';
import { beforeAll, describe, expect, it } from 'vitest';
import { state } from '../../../src/frame/env.ts';
import { generateMetadata } from '../../../src/metadata/generate.ts';
import {
  AllowedRelayParents,
  Hrmp,
  HrmpOpenChannelRequests,
  ParaLifecycles,
  parachainOrigin,
} from '../../../src/pallets/relay/index.ts';
import { Events } from '../../../src/pallets/system/pallet.ts';
import { wellKnownKeys } from '../../../src/parachains/index.ts';
import { pjsRoundTrip, polkadotPallet } from '../../parachains/pjs-polkadot.ts';
import { RelayChain, ready } from './relay-runtime.ts';

beforeAll(async () => {
  await ready;
});

const ours = new RelayChain().rt.runtime;
const registries = [14, 15].map((v) => {
  const registry = new TypeRegistry();
  const metadata = new Metadata(registry, generateMetadata(ours, v as 14 | 15));
  registry.setMetadata(metadata);
  return { v, registry, metadata };
});

/** Our pallet as polkadot-js sees it, in the shape of `polkadotPallet`. */
function ourPallet(registry: TypeRegistry, name: string) {
  const latest = registry.metadata;
  const p = latest.pallets.find((x) => x.name.toString() === name)!;
  const variants = (id: number | undefined) =>
    id === undefined
      ? []
      : registry.lookup.getSiType(id).def.asVariant.variants.map((v) => ({
          index: v.index.toNumber(),
          name: v.name.toString(),
          fields: v.fields.map((f) => ({
            name: f.name.isSome ? f.name.unwrap().toString() : undefined,
            type: registry.lookup.getSiType(f.type).path.map(String).join('::'),
          })),
        }));
  return {
    index: p.index.toNumber(),
    storage: p.storage.isSome
      ? p.storage.unwrap().items.map((s) => ({
          name: s.name.toString(),
          modifier: s.modifier.toString(),
          hashers: s.type.isMap ? s.type.asMap.hashers.map((h) => h.toString()) : [],
        }))
      : [],
    calls: variants(p.calls.isSome ? p.calls.unwrap().type.toNumber() : undefined),
    events: variants(p.events.isSome ? p.events.unwrap().type.toNumber() : undefined),
    errors: variants(p.errors.isSome ? p.errors.unwrap().type.toNumber() : undefined),
  };
}

const PALLETS = [
  'Configuration',
  'ParasShared',
  'ParaInclusion',
  'ParaInherent',
  'Paras',
  'Initializer',
  'Dmp',
  'Hrmp',
];

describe.each(registries)('metadata V$v', ({ registry }) => {
  for (const name of PALLETS) {
    it(`${name} matches Polkadot's (index, storage, calls, events, errors we have)`, () => {
      const mine = ourPallet(registry, name);
      const polkadot = polkadotPallet(name);
      expect(mine.index).toBe(polkadot.index);
      for (const item of mine.storage) expect(polkadot.storage).toContainEqual(item);
      const byIndex = (list: typeof mine.calls) => new Map(list.map((v) => [v.index, v]));
      const pc = byIndex(polkadot.calls);
      for (const c of mine.calls)
        expect({ index: c.index, name: c.name, args: c.fields.map((f) => f.name) }).toEqual({
          index: c.index,
          name: pc.get(c.index)?.name,
          args: pc.get(c.index)?.fields.map((f) => f.name),
        });
      const pe = byIndex(polkadot.events);
      for (const e of mine.events.filter((x) => x.name !== 'CandidateRejected'))
        expect({ name: e.name, fields: e.fields.map((f) => f.name) }).toEqual({
          name: pe.get(e.index)?.name,
          fields: pe.get(e.index)?.fields.map((f) => f.name),
        });
      const perr = byIndex(polkadot.errors);
      for (const e of mine.errors) expect(e.name).toBe(perr.get(e.index)?.name);
    });
  }

  it('Hrmp storage, calls, events and errors are all of Polkadot’s', () => {
    const mine = ourPallet(registry, 'Hrmp');
    const polkadot = polkadotPallet('Hrmp');
    expect(mine.storage).toEqual(polkadot.storage);
    expect(mine.calls.map((c) => [c.index, c.name])).toEqual(polkadot.calls.map((c) => [c.index, c.name]));
    expect(mine.events.map((c) => [c.index, c.name])).toEqual(polkadot.events.map((c) => [c.index, c.name]));
    expect(mine.errors.map((c) => [c.index, c.name])).toEqual(polkadot.errors.map((c) => [c.index, c.name]));
  });

  it('types carry polkadot-sdk paths', () => {
    const mine = ourPallet(registry, 'ParaInclusion');
    expect(mine.events.find((e) => e.name === 'CandidateIncluded')!.fields.map((f) => f.type)).toEqual([
      'polkadot_primitives::v8::CandidateReceipt',
      'polkadot_parachain_primitives::primitives::HeadData',
      'polkadot_primitives::v6::CoreIndex',
      'polkadot_primitives::v6::GroupIndex',
    ]);
    const calls = ourPallet(registry, 'ParaInherent').calls;
    expect(calls).toEqual([
      { index: 0, name: 'enter', fields: [{ name: 'data', type: 'polkadot_primitives::v8::InherentData' }] },
    ]);
  });
});

describe('stored values have Polkadot’s layouts (polkadot-js, Polkadot metadata types)', () => {
  const chain = new RelayChain({ config: { hrmp_sender_deposit: 5n }, preopen: [[2000, 2004, 4, 64]] });
  chain.block();
  chain.block({
    candidates: [
      chain.candidate(2000, { horizontal_messages: [{ recipient: 2004, data: Uint8Array.of(1) }] }),
    ],
    during: () =>
      void chain.dispatch(
        Hrmp.tx.hrmp_init_open_channel({
          recipient: 2008,
          proposed_max_capacity: 3,
          proposed_max_message_size: 9,
        }),
        parachainOrigin(2004),
      ),
  });
  const cases: Array<[string, Uint8Array]> = [
    ['polkadot_runtime_parachains::configuration::HostConfiguration', wellKnownKeys.ACTIVE_CONFIG],
    [
      'polkadot_runtime_parachains::hrmp::HrmpChannel',
      wellKnownKeys.hrmpChannels({ sender: 2000, recipient: 2004 }),
    ],
    [
      'polkadot_runtime_parachains::hrmp::HrmpOpenChannelRequest',
      HrmpOpenChannelRequests.key({ sender: 2004, recipient: 2008 }),
    ],
    ['polkadot_runtime_parachains::shared::AllowedRelayParentsTracker', AllowedRelayParents.key()],
    ['polkadot_runtime_parachains::paras::ParaLifecycle', ParaLifecycles.key(2000)],
  ];
  for (const [path, key] of cases) {
    it(path, () => {
      const raw = chain.read(() => state().get(key));
      expect(raw).toBeDefined();
      expect(u8aToHex(pjsRoundTrip(path, raw!).reencoded)).toBe(u8aToHex(raw!));
    });
  }
  it('HrmpChannel fields as polkadot-js reads them', () => {
    const raw = chain.read(() => state().get(wellKnownKeys.hrmpChannels({ sender: 2000, recipient: 2004 })))!;
    expect(pjsRoundTrip('polkadot_runtime_parachains::hrmp::HrmpChannel', raw).value.toJSON()).toMatchObject({
      maxCapacity: 4,
      maxMessageSize: 64,
      msgCount: 1,
      totalSize: 1,
      senderDeposit: 5,
    });
  });
});

describe('polkadot-js uses our metadata', () => {
  const { registry, metadata } = registries[1];

  it('encodes Hrmp calls our runtime decodes', () => {
    const call = registry.createType('Call', {
      callIndex: [60, 0],
      args: { recipient: 2008, proposed_max_capacity: 8, proposed_max_message_size: 1024 },
    });
    expect(ours.decodeCall(call.toU8a())).toEqual(
      Hrmp.tx.hrmp_init_open_channel({
        recipient: 2008,
        proposed_max_capacity: 8,
        proposed_max_message_size: 1024,
      }),
    );
    const close = ours.encodeCall(
      Hrmp.tx.hrmp_close_channel({ channel_id: { sender: 2000, recipient: 2004 } }),
    );
    const decoded = registry.createType('Call', close);
    expect([decoded.section, decoded.method]).toEqual(['hrmp', 'hrmpCloseChannel']);
    expect(decoded.args[0].toJSON()).toEqual({ sender: 2000, recipient: 2004 });
  });

  it('decodes the events of a relay block with an included candidate', () => {
    const chain = new RelayChain({ preopen: [[2000, 2004, 4, 64]] });
    chain.block();
    chain.block({
      candidates: [
        chain.candidate(2000, { horizontal_messages: [{ recipient: 2004, data: Uint8Array.of(1) }] }),
      ],
      during: () =>
        void chain.dispatch(Hrmp.tx.hrmp_accept_open_channel({ sender: 2008 }), parachainOrigin(2004)),
    });
    const raw = chain.read(() => state().get(Events.key()))!;
    const events = registry.createType('Vec<EventRecord>', raw);
    const seen = events.map((e) => `${e.event.section}.${e.event.method}`);
    expect(seen).toContain('paraInclusion.CandidateBacked');
    expect(seen).toContain('paraInclusion.CandidateIncluded');
    expect(seen).toContain('paras.NewHeadNoted');
    const included = events.find((e) => e.event.method === 'CandidateIncluded')!;
    expect((included.event.data[0] as any).descriptor.paraId.toNumber()).toBe(2000);
    expect(u8aToHex(events.toU8a())).toBe(u8aToHex(raw));
  });

  it('computes the well-known keys as api.query keys, and decodes the values', () => {
    const query = decorateStorage(registry, metadata.asLatest, metadata.version);
    const k = (x: Uint8Array) => u8aToHex(compactStripLength(x)[1]);
    expect(k(query.hrmp.hrmpChannels({ sender: 2000, recipient: 2004 }))).toBe(
      u8aToHex(wellKnownKeys.hrmpChannels({ sender: 2000, recipient: 2004 })),
    );
    expect(k(query.paras.heads(2004))).toBe(u8aToHex(wellKnownKeys.paraHead(2004)));
    expect(k(query.dmp.downwardMessageQueueHeads(2008))).toBe(u8aToHex(wellKnownKeys.dmqMqcHead(2008)));
    expect(k(query.configuration.activeConfig())).toBe(u8aToHex(wellKnownKeys.ACTIVE_CONFIG));
    const chain = new RelayChain({ preopen: [[2000, 2004, 4, 64]] });
    const config = chain.read(() => state().get(wellKnownKeys.ACTIVE_CONFIG))!;
    const decoded = registry.createType(
      `Lookup${query.configuration.activeConfig.meta.type.asPlain.toNumber()}`,
      config,
    );
    expect((decoded as any).hrmpChannelMaxCapacity.toNumber()).toBe(1000);
    expect(decoded.toU8a()).toEqual(config);
    const ch = chain.read(() => state().get(wellKnownKeys.hrmpChannels({ sender: 2000, recipient: 2004 })))!;
    const chType = `Lookup${query.hrmp.hrmpChannels.meta.type.asMap.value.toNumber()}`;
    expect((registry.createType(chType, ch) as any).maxCapacity.toNumber()).toBe(4);
  });

  it('lists the ParachainHost runtime API in V15', () => {
    const apis = metadata.asV15.apis.map((a) => a.name.toString());
    expect(apis).toContain('ParachainHost');
    const host = metadata.asV15.apis.find((a) => a.name.toString() === 'ParachainHost')!;
    expect(host.methods.map((m) => m.name.toString())).toEqual(
      expect.arrayContaining([
        'persisted_validation_data',
        'validation_code_hash',
        'dmq_contents',
        'inbound_hrmp_channels_contents',
        'candidate_pending_availability',
      ]),
    );
  });
});
