/**
 * The messaging pallets as @polkadot/types reads them (what polkadot.js Apps and `@polkadot/api` do with a
 * parachain's metadata): `parachainSystem`, `xcmpQueue`, `messageQueue` with cumulus's/polkadot-sdk's call, storage,
 * event and error names and type paths; storage values and events of real blocks decode to what we wrote; and our
 * encodings of cumulus types decode with polkadot-js's own hand-written definitions (`ParachainInherentData`,
 * `CollationInfo`, `XcmpMessageFormat`: @polkadot/types interfaces/parachains, cumulus, xcm), an outside check of the
 * wire format.
 */
import { Metadata, TypeRegistry } from '@polkadot/types';
import { beforeAll, describe, expect, it } from 'vitest';
import { HeaderCodec } from '../../../src/block/header.ts';
import { initCrypto } from '../../../src/crypto/index.ts';
import { weight } from '../../../src/frame/weights.ts';
import { generateMetadata } from '../../../src/metadata/generate.ts';
import { BookStateFor, MessageQueue, Pages } from '../../../src/pallets/message-queue/index.ts';
import {
  CollationInfoCodec,
  HostConfiguration,
  LastHrmpMqcHeads,
  ParachainInherentDataCodec,
  RelevantMessagingState,
} from '../../../src/pallets/parachain-system/index.ts';
import { Events } from '../../../src/pallets/system/pallet.ts';
import {
  OutboundXcmpStatus,
  QueueConfig,
  XcmpMessageFormatCodec,
} from '../../../src/pallets/xcmp-queue/index.ts';
import { Overlay } from '../../../src/state/overlay.ts';
import { trapXcm, xcmPage } from './helpers.ts';
import { PARA_ID, TestParachain } from './test-parachain.ts';
import { TestRelay } from './test-relay.ts';

beforeAll(() => initCrypto());

const A = 2001;
const para = new TestParachain();
const registries = [14, 15].map((v) => {
  const registry = new TypeRegistry();
  registry.setMetadata(new Metadata(registry, generateMetadata(para.chain.runtime, v as 14 | 15)));
  return [v, registry] as const;
});

/** [pallet, call index, section.method, [arg, pjs type]] (cumulus, polkadot-sdk). */
const CALLS: Array<[number, number, string, Array<[string, string]>]> = [
  [
    1,
    0,
    'parachainSystem.setValidationData',
    [['data', 'CumulusPrimitivesParachainInherentParachainInherentData']],
  ],
  [1, 1, 'parachainSystem.sudoSendUpwardMessage', [['message', 'Bytes']]],
  [30, 1, 'xcmpQueue.suspendXcmExecution', []],
  [30, 2, 'xcmpQueue.resumeXcmExecution', []],
  [30, 3, 'xcmpQueue.updateSuspendThreshold', [['new', 'u32']]],
  [30, 4, 'xcmpQueue.updateDropThreshold', [['new', 'u32']]],
  [30, 5, 'xcmpQueue.updateResumeThreshold', [['new', 'u32']]],
  [
    33,
    0,
    'messageQueue.reapPage',
    [
      ['messageOrigin', 'CumulusPrimitivesCoreAggregateMessageOrigin'],
      ['pageIndex', 'u32'],
    ],
  ],
  [
    33,
    1,
    'messageQueue.executeOverweight',
    [
      ['messageOrigin', 'CumulusPrimitivesCoreAggregateMessageOrigin'],
      ['page', 'u32'],
      ['index', 'u32'],
      ['weightLimit', 'SpWeightsWeightV2Weight'],
    ],
  ],
];

describe.each(registries)('metadata V%i through @polkadot/types', (_v, registry) => {
  it('shows the calls at cumulus/polkadot-sdk indices with their argument names and types', () => {
    for (const [pallet, index, name, args] of CALLS) {
      const fn = registry.findMetaCall(new Uint8Array([pallet, index]));
      expect(`${fn.section}.${fn.method}`).toBe(name);
      expect(fn.meta.args.map((a) => [a.name.toString(), a.type.toString()])).toEqual(args);
    }
  });

  it('lists storage, events, errors and constants under the upstream names', () => {
    const pallets = Object.fromEntries(registry.metadata.pallets.map((p) => [p.name.toString(), p]));
    const items = (p: string) => pallets[p].storage.unwrap().items.map((i) => i.name.toString());
    expect(items('ParachainSystem')).toEqual([
      'PendingValidationCode',
      'NewValidationCode',
      'ValidationData',
      'DidSetValidationCode',
      'LastRelayChainBlockNumber',
      'UpgradeRestrictionSignal',
      'UpgradeGoAhead',
      'RelayStateProof',
      'RelevantMessagingState',
      'HostConfiguration',
      'LastDmqMqcHead',
      'LastHrmpMqcHeads',
      'ProcessedDownwardMessages',
      'HrmpWatermark',
      'HrmpOutboundMessages',
      'UpwardMessages',
      'PendingUpwardMessages',
      'UpwardDeliveryFeeFactor',
      'AnnouncedHrmpMessagesPerCandidate',
      'ReservedXcmpWeightOverride',
      'ReservedDmpWeightOverride',
      'CustomValidationHeadData',
    ]);
    expect(items('XcmpQueue')).toEqual([
      'InboundXcmpSuspended',
      'OutboundXcmpStatus',
      'OutboundXcmpMessages',
      'SignalMessages',
      'QueueConfig',
      'QueueSuspended',
      'DeliveryFeeFactor',
    ]);
    expect(items('MessageQueue')).toEqual(['BookStateFor', 'ServiceHead', 'Pages']);
    const events = (p: string) =>
      registry.lookup
        .getSiType(pallets[p].events.unwrap().type)
        .def.asVariant.variants.map((v) => v.name.toString());
    expect(events('ParachainSystem')).toEqual([
      'ValidationFunctionStored',
      'ValidationFunctionApplied',
      'ValidationFunctionDiscarded',
      'DownwardMessagesReceived',
      'DownwardMessagesProcessed',
      'UpwardMessageSent',
    ]);
    expect(events('XcmpQueue')).toEqual(['XcmpMessageSent']);
    expect(events('MessageQueue')).toEqual([
      'ProcessingFailed',
      'Processed',
      'OverweightEnqueued',
      'PageReaped',
    ]);
    const err = (p: number, e: number) => {
      const m = registry.findMetaError(new Uint8Array([p, e]));
      return `${m.section}.${m.name}`;
    };
    expect([err(1, 0), err(30, 0), err(30, 4), err(33, 0), err(33, 8)]).toEqual([
      'parachainSystem.OverlappingUpgrades',
      'xcmpQueue.BadQueueConfig',
      'xcmpQueue.TooBig',
      'messageQueue.NotReapable',
      'messageQueue.RecursiveDisallowed',
    ]);
    const constant = (p: string, c: string, type: string) => {
      const k = pallets[p].constants.find((x) => x.name.toString() === c)!;
      return registry.createType(type, k.value).toJSON();
    };
    expect(constant('ParachainSystem', 'SelfParaId', 'u32')).toBe(PARA_ID);
    expect(constant('XcmpQueue', 'MaxPageSize', 'u32')).toBe(65536);
    expect(constant('MessageQueue', 'HeapSize', 'u32')).toBe(64 * 1024);
  });

  it('a call built by polkadot-js decodes in the runtime to the same call', () => {
    const fn = registry.findMetaCall(new Uint8Array([33, 1]));
    const pjs = fn({ Sibling: A }, 3, 1, { refTime: 10n ** 9n, proofSize: 4096 });
    expect(para.chain.runtime.decodeCall(pjs.toU8a())).toEqual(
      MessageQueue.tx.execute_overweight({
        message_origin: { type: 'Sibling', value: A },
        page: 3,
        index: 1,
        weight_limit: weight(10 ** 9, 4096),
      }),
    );
  });
});

describe('values of real blocks decode with polkadot-js', () => {
  it('storage and events after a block with messages', () => {
    const registry = registries[0][1];
    const relay = new TestRelay();
    relay.openChannel(A, PARA_ID);
    relay.openChannel(PARA_ID, A);
    relay.sendHrmp(A, PARA_ID, xcmPage(trapXcm(1), trapXcm(2)));
    relay.sendDownward(PARA_ID, trapXcm(3));
    relay.number = 2;
    const p = new TestParachain();
    p.buildBlock(relay.inherentFor(PARA_ID));
    const overlay = new Overlay(p.backend);
    const raw = (key: Uint8Array) => p.backend.get(key)!;
    const decode = (pallet: string, item: string, bytes: Uint8Array) => {
      const entry = registry.metadata.pallets
        .find((x) => x.name.toString() === pallet)!
        .storage.unwrap()
        .items.find((i) => i.name.toString() === item)!;
      const type = entry.type.isPlain ? entry.type.asPlain : entry.type.asMap.value;
      return registry.createType(registry.createLookupType(type), bytes).toJSON() as any;
    };
    p.chain.runtime.execute(overlay, () => {
      const snapshot = decode('ParachainSystem', 'RelevantMessagingState', raw(RelevantMessagingState.key()));
      expect(snapshot.dmqMqcHead).toBe(`0x${Buffer.from(relay.dmqHead.get(PARA_ID)!).toString('hex')}`);
      expect(snapshot.ingressChannels[0][0]).toBe(A);
      expect(snapshot.ingressChannels[0][1]).toMatchObject({
        maxCapacity: 1000,
        msgCount: 1,
        totalSize: xcmPage(trapXcm(1), trapXcm(2)).length,
      });
      const host = decode('ParachainSystem', 'HostConfiguration', raw(HostConfiguration.key()));
      expect(host).toMatchObject({
        maxCodeSize: relay.host.max_code_size,
        hrmpMaxMessageNumPerCandidate: 10,
      });
      expect(Object.keys(decode('ParachainSystem', 'LastHrmpMqcHeads', raw(LastHrmpMqcHeads.key())))).toEqual(
        [`${A}`],
      );
      // Never written: what api.query shows is the metadata's default (fallback) bytes.
      expect(QueueConfig.exists()).toBe(false);
      const queueConfig = registry.metadata.pallets
        .find((x) => x.name.toString() === 'XcmpQueue')!
        .storage.unwrap()
        .items.find((i) => i.name.toString() === 'QueueConfig')!;
      expect(decode('XcmpQueue', 'QueueConfig', queueConfig.fallback.toU8a(true))).toEqual({
        suspendThreshold: 32,
        dropThreshold: 48,
        resumeThreshold: 8,
      });
      const book = decode(
        'MessageQueue',
        'BookStateFor',
        raw(BookStateFor.key({ type: 'Sibling', value: A })),
      );
      expect(book).toMatchObject({
        begin: 0,
        end: 1,
        count: 1,
        messageCount: 2,
        size: trapXcm(1).length * 2,
      });
      expect(book.readyNeighbours.next).toEqual({ parent: null });
      const page = decode('MessageQueue', 'Pages', raw(Pages.key({ type: 'Sibling', value: A }, 0)));
      expect(page).toMatchObject({ remaining: 2, first: 0, firstIndex: 0 });
      expect(OutboundXcmpStatus.get()).toEqual([]);
      const records = registry.createType(
        'Vec<FrameSystemEventRecord>',
        raw(Events.key()),
      ) as unknown as Array<{
        event: { section: string; method: string; data: { toJSON(): unknown } };
      }>;
      expect(records.map((r) => `${r.event.section}.${r.event.method}`)).toEqual([
        'parachainSystem.DownwardMessagesReceived',
        'parachainSystem.DownwardMessagesProcessed',
        'system.ExtrinsicSuccess',
      ]);
    });
    // Next block: MessageQueue executes the three messages; Processed events carry the origin.
    relay.number = 3;
    relay.pruneDownward(PARA_ID, 1);
    relay.pruneHrmp(PARA_ID, 2);
    p.buildBlock(relay.inherentFor(PARA_ID));
    const records = registry.createType(
      'Vec<FrameSystemEventRecord>',
      p.backend.get(Events.key())!,
    ) as unknown as Array<{
      event: { section: string; method: string; data: { toJSON(): any } };
    }>;
    const processed = records
      .filter((r) => r.event.method === 'Processed')
      .map((r) => r.event.data.toJSON()[1]);
    expect(processed).toEqual([{ parent: null }, { sibling: A }, { sibling: A }]);
  });

  it("our encodings decode with polkadot-js's own cumulus definitions", () => {
    const plain = new TypeRegistry();
    const relay = new TestRelay();
    relay.openChannel(A, PARA_ID);
    relay.sendHrmp(A, PARA_ID, xcmPage(trapXcm(1)));
    relay.sendDownward(PARA_ID, trapXcm(2));
    relay.number = 2;
    const data = relay.inherentFor(PARA_ID);
    const bytes = ParachainInherentDataCodec.encode(data);
    const pjs = plain.createType('ParachainInherentData', bytes) as any;
    expect(pjs.validationData.relayParentNumber.toNumber()).toBe(2);
    expect(pjs.validationData.relayParentStorageRoot.toU8a()).toEqual(
      data.validation_data.relay_parent_storage_root,
    );
    expect(pjs.relayChainState.trieNodes.length).toBe(data.relay_chain_state.trie_nodes.size);
    // polkadot-js names InboundDownwardMessage's fields pubSentAt/pubMsg (same layout).
    expect(pjs.downwardMessages[0].pubMsg.toU8a(true)).toEqual(trapXcm(2));
    expect(pjs.downwardMessages[0].pubSentAt.toNumber()).toBe(1);
    expect([...pjs.horizontalMessages.entries()].map(([k, v]: any) => [k.toNumber(), v.toJSON()])).toEqual([
      [A, [{ sentAt: 1, data: `0x${Buffer.from(xcmPage(trapXcm(1))).toString('hex')}` }]],
    ]);
    expect(pjs.toU8a()).toEqual(bytes);

    const info = {
      upward_messages: [trapXcm(4)],
      horizontal_messages: [{ recipient: A, data: xcmPage(trapXcm(5)) }],
      new_validation_code: new Uint8Array([7, 7]),
      processed_downward_messages: 3,
      hrmp_watermark: 9,
      head_data: HeaderCodec.encode(para.head),
    };
    const infoBytes = CollationInfoCodec.encode(info);
    const pjsInfo = plain.createType('CollationInfo', infoBytes) as any;
    expect(pjsInfo.toJSON()).toMatchObject({
      processedDownwardMessages: 3,
      hrmpWatermark: 9,
      newValidationCode: '0x0707',
    });
    expect(pjsInfo.toU8a()).toEqual(infoBytes);
    expect(
      ['ConcatenatedVersionedXcm', 'ConcatenatedEncodedBlob', 'Signals'].map(
        (f) => plain.createType('XcmpMessageFormat', f).toU8a()[0],
      ),
    ).toEqual(
      (['ConcatenatedVersionedXcm', 'ConcatenatedEncodedBlob', 'Signals'] as const).map(
        (f) => XcmpMessageFormatCodec.encode(f)[0],
      ),
    );
  });
});
