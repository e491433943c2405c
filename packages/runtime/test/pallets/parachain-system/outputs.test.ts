/**
 * What a ParachainSystem block commits to (cumulus `on_finalize`, `collect_collation_info`): outbound HRMP pages
 * within each egress channel's remaining capacity and size at the relay parent (a page that does not fit waits),
 * one per recipient, sorted by recipient, at most `hrmp_max_message_num_per_candidate`; upward messages within the
 * relay's remaining count/size and the per-candidate count; a scheduled code upgrade and the relay's GoAhead/Abort;
 * the collator's inherent creation (messages already taken are dropped) and the CollectCollationInfo API.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { HeaderCodec } from '../../../src/block/header.ts';
import { initCrypto } from '../../../src/crypto/index.ts';
import { InherentDataCodec } from '../../../src/executive/inherents.ts';
import { state } from '../../../src/frame/env.ts';
import { CODE_KEY } from '../../../src/frame/well-known-keys.ts';
import { wellKnownKeys } from '../../../src/parachains/index.ts';
import {
  CollationInfoCodec,
  dropProcessedMessages,
  NewValidationCode,
  ParachainInherentDataCodec,
  ParachainInherentDataError,
  ParachainSystemPanic,
  parachainInherentDataEntry,
  parachainSystemInherent,
  PendingUpwardMessages,
  PendingValidationCode,
  relayStateKeys,
  scheduleCodeUpgrade,
  sendUpwardMessage,
} from '../../../src/pallets/parachain-system/index.ts';
import { OutboundXcmpMessages, queuedPages, sendFragment } from '../../../src/pallets/xcmp-queue/index.ts';
import { Overlay } from '../../../src/state/overlay.ts';
import { hex, topicXcm, trapXcm } from './helpers.ts';
import { PARA_ID, TestParachain } from './test-parachain.ts';
import { TestRelay } from './test-relay.ts';

beforeAll(() => initCrypto());

const A = 2001;
const B = 2004;
const C = 2030;

describe('outbound HRMP', () => {
  it('sends one page per channel, sorted by recipient, at most hrmp_max_message_num_per_candidate', () => {
    const relay = new TestRelay();
    relay.host.hrmp_max_message_num_per_candidate = 2;
    for (const r of [C, A, B]) relay.openChannel(PARA_ID, r);
    const para = new TestParachain();
    para.buildBlock(relay.inherentFor(PARA_ID)); // learns the channels
    // Queue two pages for each recipient (a second page once the first is full at max_message_size).
    const block = para.buildBlock(relay.inherentFor(PARA_ID), () => {
      for (const r of [C, B, A]) {
        expect(sendFragment(r, 'ConcatenatedVersionedXcm', topicXcm(r))).toEqual({ ok: 1 });
      }
    });
    // Channels are served in the order they got pages (C, B, A) up to the limit of 2, then sorted by recipient.
    expect(block.outputs.horizontal_messages.map((m) => m.recipient)).toEqual([B, C]);
    const next = para.buildBlock(relay.inherentFor(PARA_ID));
    expect(next.outputs.horizontal_messages.map((m) => m.recipient)).toEqual([A]);
    expect(next.outputs.horizontal_messages[0].data).toEqual(Uint8Array.from([0, ...topicXcm(A)]));
  });

  it('a page that does not fit the channel room waits (full by count, or too big for the size left) and goes later', () => {
    const relay = new TestRelay();
    relay.openChannel(PARA_ID, A, { max_capacity: 2, max_total_size: 100, max_message_size: 90 });
    relay.openChannel(PARA_ID, B, { max_capacity: 10, max_total_size: 1000, max_message_size: 500 });
    // Two messages already wait in A's channel on the relay: it is full by count.
    relay.sendHrmp(PARA_ID, A, new Uint8Array(10));
    relay.sendHrmp(PARA_ID, A, new Uint8Array(10));
    // B's channel has 960 of 1000 bytes used: a 41-byte page does not fit (it must be < 40).
    relay.sendHrmp(PARA_ID, B, new Uint8Array(960));
    relay.number = 2;
    const para = new TestParachain();
    para.buildBlock(relay.inherentFor(PARA_ID));
    const b1 = para.buildBlock(relay.inherentFor(PARA_ID), () => {
      sendFragment(A, 'ConcatenatedVersionedXcm', trapXcm(1));
      sendFragment(B, 'ConcatenatedVersionedXcm', topicXcm(2)); // 1 + 36 = 37 bytes < 40: fits
      sendFragment(B, 'ConcatenatedVersionedXcm', topicXcm(3));
    });
    // B's first page holds both fragments (73 bytes) and does not fit 40 bytes of room; A is full.
    expect(b1.outputs.horizontal_messages).toEqual([]);
    // The recipients took their messages: the relay's channels empty out.
    relay.pruneHrmp(A, 2);
    relay.pruneHrmp(B, 2);
    relay.number = 3;
    const b2 = para.buildBlock(relay.inherentFor(PARA_ID));
    expect(b2.outputs.horizontal_messages.map((m) => [m.recipient, hex(m.data)])).toEqual([
      [A, hex(Uint8Array.from([0, ...trapXcm(1)]))],
      [B, hex(Uint8Array.from([0, ...topicXcm(2), ...topicXcm(3)]))],
    ]);
  });

  it('a closed channel drops what waited for it', () => {
    const relay = new TestRelay();
    relay.openChannel(PARA_ID, A, { max_capacity: 1, max_total_size: 1000, max_message_size: 500 });
    relay.sendHrmp(PARA_ID, A, new Uint8Array(10)); // full by count
    const para = new TestParachain();
    para.buildBlock(relay.inherentFor(PARA_ID));
    const b1 = para.buildBlock(relay.inherentFor(PARA_ID), () => {
      expect(sendFragment(A, 'ConcatenatedVersionedXcm', trapXcm(1))).toEqual({ ok: 1 });
    });
    expect(b1.outputs.horizontal_messages).toEqual([]);
    expect(para.read(() => queuedPages(A))).toBe(1);
    relay.channels.clear();
    relay.number = 2;
    const b2 = para.buildBlock(relay.inherentFor(PARA_ID));
    expect(b2.outputs.horizontal_messages).toEqual([]);
    expect(para.read(() => [queuedPages(A), [...OutboundXcmpMessages.iter()].length])).toEqual([0, 0]);
  });
});

describe('upward messages', () => {
  it('go within the relay queue room and the per-candidate count; the rest waits; too big is refused', () => {
    const relay = new TestRelay();
    relay.host.max_upward_message_num_per_candidate = 3;
    relay.host.max_upward_message_size = 100;
    relay.remaining.set(PARA_ID, { remaining_count: 10, remaining_size: 250 });
    const para = new TestParachain();
    para.buildBlock(relay.inherentFor(PARA_ID));
    const b = para.buildBlock(relay.inherentFor(PARA_ID), () => {
      expect(sendUpwardMessage(new Uint8Array(101))).toEqual({ err: 'TooBig' });
      for (let i = 1; i <= 5; i++) expect('ok' in sendUpwardMessage(new Uint8Array(100).fill(i))).toBe(true);
    });
    // Count allows 3, size 250 allows 2.
    expect(b.outputs.upward_messages.map((m) => m[0])).toEqual([1, 2]);
    expect(para.read(() => PendingUpwardMessages.get().map((m) => m[0]))).toEqual([3, 4, 5]);
    relay.remaining.set(PARA_ID, { remaining_count: 10, remaining_size: 10_000 });
    const b2 = para.buildBlock(relay.inherentFor(PARA_ID));
    expect(b2.outputs.upward_messages.map((m) => m[0])).toEqual([3, 4, 5]);
  });

  it('without the remaining capacity the deprecated queue size gives the room (cumulus fallback)', () => {
    const relay = new TestRelay();
    relay.host.max_upward_queue_count = 5;
    relay.host.max_upward_queue_size = 1000;
    // 4 messages of 900 bytes wait on the relay: room for 1 message of up to 100 bytes.
    relay.raw.set(
      hex(wellKnownKeys.relayDispatchQueueSize(PARA_ID)),
      Uint8Array.from([4, 0, 0, 0, 0x84, 0x03, 0, 0]),
    );
    const para = new TestParachain();
    para.buildBlock(relay.inherentFor(PARA_ID));
    const b = para.buildBlock(relay.inherentFor(PARA_ID), () => {
      sendUpwardMessage(new Uint8Array(60).fill(1));
      sendUpwardMessage(new Uint8Array(30).fill(2));
    });
    expect(b.outputs.upward_messages.map((m) => m[0])).toEqual([1]);
  });
});

describe('code upgrades', () => {
  it('a scheduled code goes out as new_validation_code, then applies on GoAhead', () => {
    const relay = new TestRelay();
    const para = new TestParachain();
    const code = new TextEncoder().encode('runtime-v2');
    const b = para.buildBlock(relay.inherentFor(PARA_ID), () => scheduleCodeUpgrade(code));
    expect(b.outputs.new_validation_code).toEqual(code);
    expect(b.events.some(([, n]) => n === 'ValidationFunctionStored')).toBe(true);
    const b2 = para.buildBlock(relay.inherentFor(PARA_ID));
    expect(b2.outputs.new_validation_code).toBeUndefined();
    relay.goAhead.set(PARA_ID, 'GoAhead');
    relay.number = 2;
    const b3 = para.buildBlock(relay.inherentFor(PARA_ID));
    expect(b3.events).toContainEqual([
      'ParachainSystem',
      'ValidationFunctionApplied',
      { relay_chain_block_num: 2 },
    ]);
    expect(para.read(() => state().get(CODE_KEY))).toEqual(code);
    expect(para.read(() => PendingValidationCode.exists())).toBe(false);
  });

  it('Abort discards the pending code; GoAhead with nothing pending is invalid; restriction refuses scheduling', () => {
    const relay = new TestRelay();
    const para = new TestParachain();
    para.buildBlock(relay.inherentFor(PARA_ID), () => scheduleCodeUpgrade(new Uint8Array([1])));
    relay.goAhead.set(PARA_ID, 'Abort');
    const b = para.buildBlock(relay.inherentFor(PARA_ID));
    expect(b.events.some(([, n]) => n === 'ValidationFunctionDiscarded')).toBe(true);
    relay.goAhead.set(PARA_ID, 'GoAhead');
    expect(() => para.buildBlock(relay.inherentFor(PARA_ID))).toThrow(ParachainSystemPanic);
    relay.goAhead.clear();
    relay.restricted.add(PARA_ID);
    para.buildBlock(relay.inherentFor(PARA_ID), () => {
      expect(() => scheduleCodeUpgrade(new Uint8Array([2]))).toThrow(/ProhibitedByPolkadot/);
    });
    relay.restricted.clear();
    relay.host.max_code_size = 4;
    para.buildBlock(relay.inherentFor(PARA_ID), () => {
      expect(() => scheduleCodeUpgrade(new Uint8Array(5))).toThrow(/TooBig/);
      expect(NewValidationCode.get()).toBeUndefined();
    });
  });
});

describe('collator side', () => {
  it('relayStateKeys names what set_validation_data reads; a proof of exactly these keys suffices', () => {
    const keys = relayStateKeys(PARA_ID, [A], [B]).map(hex);
    expect(keys).toEqual(
      [
        wellKnownKeys.ACTIVE_CONFIG,
        wellKnownKeys.dmqMqcHead(PARA_ID),
        wellKnownKeys.relayDispatchQueueRemainingCapacity(PARA_ID),
        wellKnownKeys.relayDispatchQueueSize(PARA_ID),
        wellKnownKeys.hrmpIngressChannelIndex(PARA_ID),
        wellKnownKeys.hrmpEgressChannelIndex(PARA_ID),
        wellKnownKeys.upgradeGoAheadSignal(PARA_ID),
        wellKnownKeys.upgradeRestrictionSignal(PARA_ID),
        wellKnownKeys.paraHead(PARA_ID),
        wellKnownKeys.hrmpChannels({ sender: A, recipient: PARA_ID }),
        wellKnownKeys.hrmpChannels({ sender: PARA_ID, recipient: B }),
      ].map(hex),
    );
    // polkadot-sdk well_known_keys::ACTIVE_CONFIG (polkadot/primitives/src/v8/mod.rs).
    expect(keys[0]).toBe('06de3d8a54d27e44a9d5ce189618f22db4b49d95320d9021994c850f25b8e385');
  });

  it('create drops messages taken by an earlier block on the same relay parent; isInherent; bad data is a typed error', () => {
    const relay = new TestRelay();
    relay.openChannel(A, PARA_ID);
    relay.sendDownward(PARA_ID, trapXcm(1));
    relay.sendHrmp(A, PARA_ID, Uint8Array.from([0, ...trapXcm(2)]));
    const para = new TestParachain();
    para.buildBlock(relay.inherentFor(PARA_ID));
    // The relay has not yet seen our candidate: same relay parent, same queues. create() drops them.
    const again = para.buildBlock(relay.inherentFor(PARA_ID));
    expect(again.outputs.processed_downward_messages).toBe(0);
    expect(para.executed.length).toBe(2);
    const data = relay.inherentFor(PARA_ID);
    expect(dropProcessedMessages(data, 1).downward_messages).toEqual([]);
    expect(dropProcessedMessages(data, 0).downward_messages.length).toBe(1);

    para.read(() => {
      expect(() => parachainSystemInherent.create(new Map())).toThrow(ParachainInherentDataError);
      const [id] = parachainInherentDataEntry(data);
      expect(() =>
        parachainSystemInherent.create(new Map([[id, Uint8Array.from([0xff, 0xff, 0xff, 0xff])]])),
      ).toThrow(ParachainInherentDataError);
      const call = parachainSystemInherent.create(new Map([parachainInherentDataEntry(data)]))!;
      expect(parachainSystemInherent.isInherent(call)).toBe(true);
      expect(
        parachainSystemInherent.isInherent({ type: 'System', value: { type: 'remark', value: {} } }),
      ).toBe(false);
    });
    // The entry travels in sp_inherents::InherentData under b"sysi1337".
    const encoded = InherentDataCodec.encode({ data: new Map([parachainInherentDataEntry(data)]) });
    expect(Buffer.from(encoded.subarray(1, 9)).toString('latin1')).toBe('sysi1337');
    // A hostile length prefix in the inherent decodes to an error, not an allocation.
    expect(() =>
      ParachainInherentDataCodec.decode(
        Uint8Array.from([...ParachainInherentDataCodec.encode(data).subarray(0, 40), 0xfe, 0xff, 0xff, 0xff]),
      ),
    ).toThrow();
  });

  it('CollectCollationInfo_collect_collation_info returns the block outputs with the header as head data', () => {
    const relay = new TestRelay();
    relay.openChannel(PARA_ID, A);
    relay.remaining.set(PARA_ID, { remaining_count: 10, remaining_size: 10_000 });
    const para = new TestParachain();
    para.buildBlock(relay.inherentFor(PARA_ID));
    const b = para.buildBlock(relay.inherentFor(PARA_ID), () => {
      sendFragment(A, 'ConcatenatedVersionedXcm', trapXcm(3));
      sendUpwardMessage(trapXcm(4));
    });
    const out = para.chain.runtime.callApi(
      new Overlay(para.backend),
      'CollectCollationInfo_collect_collation_info',
      HeaderCodec.encode(b.header),
    );
    const info = CollationInfoCodec.decode(out);
    expect(info).toEqual({
      upward_messages: [trapXcm(4)],
      horizontal_messages: [{ recipient: A, data: Uint8Array.from([0, ...trapXcm(3)]) }],
      new_validation_code: undefined,
      processed_downward_messages: 0,
      hrmp_watermark: 1,
      head_data: HeaderCodec.encode(b.header),
    });
  });

  it('ExpectParentIncluded: the relay head of the para must be our parent block', () => {
    const relay = new TestRelay();
    const para = new TestParachain({ expectParentIncluded: true });
    relay.heads.set(PARA_ID, HeaderCodec.encode(para.head));
    const b1 = para.buildBlock(relay.inherentFor(PARA_ID));
    // Block 1 is not included yet: the relay still has genesis as our head.
    expect(() => para.buildBlock(relay.inherentFor(PARA_ID))).toThrow(/ParentNotIncluded/);
    relay.heads.set(PARA_ID, HeaderCodec.encode(b1.header));
    relay.number = 2;
    expect(() => para.buildBlock(relay.inherentFor(PARA_ID))).not.toThrow();
  });
});
