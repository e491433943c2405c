/**
 * XcmpQueue (cumulus-pallet-xcmp-queue) on the test parachain: outbound pages (format byte, then VersionedXcms
 * concatenated up to the channel's max message size), one page per channel per block, pages kept back while the
 * channel is full and delivered later with none lost, signals first; inbound pages split into the sender's
 * MessageQueue queue with cumulus's QueueConfig back-pressure (Suspend signal at 32 ready pages, drop beyond 48,
 * Resume at 8); execution suspension; the admin calls; the router functions; hostile pages.
 * Semantics from cumulus/pallets/xcmp-queue/src/lib.rs (send_fragment, take_outbound_messages,
 * handle_xcmp_messages, on_queue_changed, QueueConfigData defaults and validate).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { blake2_256, initCrypto } from '../../../src/crypto/index.ts';
import { rootOrigin, signedOrigin } from '../../../src/frame/origin.ts';
import { weight } from '../../../src/frame/weights.ts';
import { footprint } from '../../../src/pallets/message-queue/index.ts';
import {
  DeliveryFeeFactor,
  deliver,
  handleXcmpMessages,
  type InboundReport,
  InboundXcmpSuspended,
  OutboundXcmpMessages,
  OutboundXcmpStatus,
  QueueConfig,
  QueueSuspended,
  queuedPages,
  SignalMessages,
  sendFragment,
  takeFirstConcatenatedXcm,
  validateSend,
  XcmpQueue,
} from '../../../src/pallets/xcmp-queue/index.ts';
import { FIXED_ONE } from '../../../src/pallets/transaction-payment/index.ts';
import { VersionedXcmCodec } from '../../../src/xcm/index.ts';
import { hex, topicXcm, trapXcm, xcmPage } from '../parachain-system/helpers.ts';
import { PARA_ID, TestParachain } from '../parachain-system/test-parachain.ts';
import { type ChannelLimits, TestRelay } from '../parachain-system/test-relay.ts';

beforeAll(() => initCrypto());

const A = 2001;
const B = 2004;
const sibling = (id: number) => ({ type: 'Sibling' as const, value: id });

/** Splits a ConcatenatedVersionedXcm page back into its messages. */
function split(page: Uint8Array): Uint8Array[] {
  expect(page[0]).toBe(0);
  const out: Uint8Array[] = [];
  let rest = page.subarray(1);
  while (rest.length) {
    const item = takeFirstConcatenatedXcm(rest);
    if (!item) throw new Error('page does not split');
    out.push(rest.slice(0, item[1]));
    rest = rest.subarray(item[1]);
  }
  return out;
}

/** A parachain that has seen one relay block with an egress channel to A (and B) of `limits`. */
function withEgress(limits: ChannelLimits, opts: ConstructorParameters<typeof TestParachain>[0] = {}) {
  const relay = new TestRelay();
  relay.openChannel(PARA_ID, A, limits);
  relay.openChannel(PARA_ID, B);
  const para = new TestParachain(opts);
  para.buildBlock(relay.inherentFor(PARA_ID));
  return { relay, para };
}

describe('outbound pages', () => {
  it('concatenates fragments up to the channel max message size, each page starting with the format byte', () => {
    const { para } = withEgress({ max_capacity: 10, max_total_size: 10_000, max_message_size: 100 });
    para.write(() => {
      const sent = [1, 2, 3, 4, 5].map((i) => topicXcm(i));
      // Each is 35 bytes: 1 + 35 + 35 = 71 fits 100; a third fragment (106) starts a new page.
      expect(sent[0].length).toBe(35);
      expect(sent.map((m) => sendFragment(A, 'ConcatenatedVersionedXcm', m))).toEqual([
        { ok: 1 },
        { ok: 1 },
        { ok: 2 },
        { ok: 2 },
        { ok: 3 },
      ]);
      expect(OutboundXcmpStatus.get()).toEqual([
        { recipient: A, state: 'Ok', signals_exist: false, first_index: 0, last_index: 3 },
      ]);
      const pages = [0, 1, 2].map((i) => OutboundXcmpMessages.get(A, i));
      expect(pages.map((p) => p.length)).toEqual([71, 71, 36]);
      expect(pages.flatMap(split).map(hex)).toEqual(sent.map(hex));
      // A fragment that could never fit a page (with its format byte) is refused.
      expect(sendFragment(A, 'ConcatenatedVersionedXcm', new Uint8Array(100))).toEqual({ err: 'TooBig' });
      expect(sendFragment(A, 'ConcatenatedVersionedXcm', new Uint8Array(99))).toEqual({ ok: 4 });
      expect(sendFragment(2999, 'ConcatenatedVersionedXcm', trapXcm(1))).toEqual({ err: 'NoChannel' });
    });
  });

  it('at most MaxActiveOutboundChannels channels hold pages', () => {
    const { para } = withEgress(
      { max_capacity: 10, max_total_size: 10_000, max_message_size: 100 },
      {
        maxActiveOutboundChannels: 1,
      },
    );
    para.write(() => {
      expect(sendFragment(A, 'ConcatenatedVersionedXcm', trapXcm(1))).toEqual({ ok: 1 });
      expect(sendFragment(B, 'ConcatenatedVersionedXcm', trapXcm(2))).toEqual({ err: 'TooManyChannels' });
    });
  });

  it('one page per channel per block; a page waits while the channel is full and none is lost', () => {
    // Capacity 2: the relay holds our pages until A takes them, which A does every third block.
    const { relay, para } = withEgress({ max_capacity: 2, max_total_size: 10_000, max_message_size: 100 });
    const sent = Array.from({ length: 14 }, (_, i) => topicXcm(i));
    para.write(() => {
      for (const m of sent) expect('ok' in sendFragment(A, 'ConcatenatedVersionedXcm', m)).toBe(true);
      expect(queuedPages(A)).toBe(7);
    });
    const delivered: Uint8Array[] = [];
    const perBlock: number[] = [];
    for (let n = 2; n < 40 && delivered.length < 7; n++) {
      relay.number = n;
      if (n % 3 === 0) relay.pruneHrmp(A, n - 1);
      const block = para.buildBlock(relay.inherentFor(PARA_ID));
      const toA = block.outputs.horizontal_messages.filter((m) => m.recipient === A);
      perBlock.push(toA.length);
      expect(toA.length).toBeLessThanOrEqual(1);
      // The relay enacts the candidate: the page enters the channel at the next relay block.
      for (const m of toA) {
        relay.number = n + 1;
        relay.sendHrmp(PARA_ID, A, m.data);
        delivered.push(m.data);
      }
    }
    // Some blocks sent nothing to A (the channel was full), the pages came out later, in order, all of them.
    expect(perBlock).toContain(0);
    expect(delivered.flatMap(split).map(hex)).toEqual(sent.map(hex));
    expect(para.read(() => [queuedPages(A), OutboundXcmpStatus.get().length])).toEqual([0, 0]);
  });

  it('signals go first and pass a suspension; pages to a suspended channel wait until Resume', () => {
    const { relay, para } = withEgress({ max_capacity: 10, max_total_size: 10_000, max_message_size: 1000 });
    relay.number = 2;
    // A tells us to stop sending.
    relay.openChannel(A, PARA_ID);
    relay.sendHrmp(A, PARA_ID, Uint8Array.from([2, 0]));
    const b = para.buildBlock(relay.inherentFor(PARA_ID), () => {
      sendFragment(A, 'ConcatenatedVersionedXcm', trapXcm(1));
    });
    expect(b.outputs.horizontal_messages).toEqual([]);
    expect(para.read(() => OutboundXcmpStatus.get()[0].state)).toBe('Suspended');
    // Our own signal to A (here: Suspend, our queue for A is full) still goes out.
    para.write(() => {
      SignalMessages.set(A, Uint8Array.from([2, 0]));
      OutboundXcmpStatus.mutate((s) => {
        s[0].signals_exist = true;
      });
    });
    relay.pruneHrmp(PARA_ID, 2);
    relay.number = 3;
    const b2 = para.buildBlock(relay.inherentFor(PARA_ID));
    expect(b2.outputs.horizontal_messages.map((m) => hex(m.data))).toEqual(['0200']);
    // Resume: the waiting page goes.
    relay.number = 4;
    relay.sendHrmp(A, PARA_ID, Uint8Array.from([2, 1]));
    const b3 = para.buildBlock(relay.inherentFor(PARA_ID));
    expect(b3.outputs.horizontal_messages.map((m) => hex(m.data))).toEqual([
      hex(Uint8Array.from([0, ...trapXcm(1)])),
    ]);
  });
});

describe('inbound back-pressure (QueueConfig 32 / 48 / 8)', () => {
  it('suspends the sender at 32 ready pages with a Suspend signal, drops beyond 48, resumes at 8 with Resume', () => {
    // MessageQueue pages of 180 bytes hold four 35-byte XCMs (4 × (5 + 35) = 160): four XCMs make one page.
    const relay = new TestRelay();
    relay.openChannel(A, PARA_ID);
    relay.openChannel(PARA_ID, A);
    const para = new TestParachain({ heapSize: 180 });
    para.buildBlock(relay.inherentFor(PARA_ID));
    relay.number = 2;
    for (let p = 0; p < 50; p++)
      relay.sendHrmp(A, PARA_ID, xcmPage(...[0, 1, 2, 3].map((i) => topicXcm(p * 4 + i))));
    relay.number = 3;
    const b = para.buildBlock(relay.inherentFor(PARA_ID));
    para.read(() => {
      // Once the 48th page is begun, every further message is dropped ("assume it will not fit the current page").
      expect(footprint(sibling(A))).toMatchObject({ readyPages: 48, count: 47n * 4n + 1n });
      expect(InboundXcmpSuspended.get()).toEqual(new Set([A]));
      expect(QueueConfig.get()).toEqual({ suspend_threshold: 32, drop_threshold: 48, resume_threshold: 8 });
    });
    // The Suspend signal left in this block's candidate: (XcmpMessageFormat::Signals, ChannelSignal::Suspend).
    expect(b.outputs.horizontal_messages.map((m) => [m.recipient, hex(m.data)])).toEqual([[A, '0200']]);

    // Each block MessageQueue services what its ServiceWeight allows (here ~14 pages, the proof size bounds it).
    // While more than 8 pages are ready A stays suspended; the block that brings it to 8 or fewer sends Resume.
    relay.pruneHrmp(PARA_ID, 2);
    const seen: Array<[number, string[]]> = [];
    for (let n = 4; n < 12; n++) {
      relay.number = n;
      const blk = para.buildBlock(relay.inherentFor(PARA_ID));
      const ready = para.read(() => footprint(sibling(A)).readyPages);
      seen.push([ready, blk.outputs.horizontal_messages.map((m) => hex(m.data))]);
      para.read(() => expect(InboundXcmpSuspended.get().has(A)).toBe(ready > 8));
      if (ready === 0) break;
    }
    expect(seen.map(([r]) => r)).toEqual([34, 20, 6, 0]);
    expect(seen.map(([, out]) => out)).toEqual([[], [], ['0201'], []]);
    // What was kept was executed in order; the rest was dropped.
    const executed = para.executed.filter(([o]) => o.type === 'Sibling').map(([, m]) => hex(m));
    expect(executed).toEqual(Array.from({ length: 189 }, (_, i) => hex(topicXcm(i))));
  });

  it('suspends exactly when the 32nd page is begun, with one Suspend signal', () => {
    const para = new TestParachain({ heapSize: 180 });
    const reports: InboundReport[] = [];
    const page = (p: number) => [A, 1, xcmPage(...[0, 1, 2, 3].map((i) => topicXcm(p * 4 + i)))] as const;
    para.write(() => {
      handleXcmpMessages(
        Array.from({ length: 31 }, (_, p) => page(p)),
        weight(10 ** 15, 10 ** 9),
        reports,
      );
      expect(footprint(sibling(A)).readyPages).toBe(31);
      expect(InboundXcmpSuspended.get().has(A)).toBe(false);
      expect(SignalMessages.contains(A)).toBe(false);
      handleXcmpMessages([page(31), page(32)], weight(10 ** 15, 10 ** 9), reports);
      expect(InboundXcmpSuspended.get().has(A)).toBe(true);
      expect(SignalMessages.get(A)).toEqual(Uint8Array.from([2, 0]));
      expect(OutboundXcmpStatus.get()).toEqual([
        { recipient: A, state: 'Ok', signals_exist: true, first_index: 0, last_index: 0 },
      ]);
    });
    expect(reports.every((r) => r.enqueued === 4 && r.broken === undefined)).toBe(true);
  });
});

describe('execution suspension and config calls', () => {
  it("suspend_xcm_execution pauses sibling queues (not the relay's) until resume_xcm_execution", () => {
    const relay = new TestRelay();
    relay.openChannel(A, PARA_ID);
    relay.sendHrmp(A, PARA_ID, xcmPage(trapXcm(1)));
    relay.sendDownward(PARA_ID, trapXcm(2));
    const para = new TestParachain();
    para.write(() => {
      const rt = para.chain.runtime;
      expect(
        rt.dispatch(XcmpQueue.tx.suspend_xcm_execution({}), signedOrigin(new Uint8Array(32))),
      ).toMatchObject({
        ok: false,
        error: { type: 'BadOrigin' },
      });
      expect(rt.dispatch(XcmpQueue.tx.suspend_xcm_execution({}), rootOrigin())).toMatchObject({ ok: true });
      expect(rt.dispatch(XcmpQueue.tx.suspend_xcm_execution({}), rootOrigin())).toMatchObject({
        ok: false,
        error: { type: 'Module', value: { index: 30, error: new Uint8Array([1, 0, 0, 0]) } },
      });
    });
    relay.number = 2;
    para.buildBlock(relay.inherentFor(PARA_ID));
    relay.pruneDownward(PARA_ID, 1);
    relay.pruneHrmp(PARA_ID, 1);
    relay.number = 3;
    para.buildBlock(relay.inherentFor(PARA_ID));
    expect(para.executed.map(([o]) => o.type)).toEqual(['Parent']);
    para.write(() => {
      expect(QueueSuspended.get()).toBe(true);
      expect(para.chain.runtime.dispatch(XcmpQueue.tx.resume_xcm_execution({}), rootOrigin())).toMatchObject({
        ok: true,
      });
    });
    relay.number = 4;
    para.buildBlock(relay.inherentFor(PARA_ID));
    expect(para.executed.map(([o]) => o.type)).toEqual(['Parent', 'Sibling']);
  });

  it('update_*_threshold keeps resume < suspend <= drop and resume > 0 (BadQueueConfig), Root only', () => {
    const para = new TestParachain();
    para.write(() => {
      const rt = para.chain.runtime;
      const bad = {
        ok: false,
        error: { type: 'Module', value: { index: 30, error: new Uint8Array([0, 0, 0, 0]) } },
      };
      expect(rt.dispatch(XcmpQueue.tx.update_suspend_threshold({ new: 49 }), rootOrigin())).toMatchObject(
        bad,
      );
      expect(rt.dispatch(XcmpQueue.tx.update_resume_threshold({ new: 0 }), rootOrigin())).toMatchObject(bad);
      expect(rt.dispatch(XcmpQueue.tx.update_resume_threshold({ new: 32 }), rootOrigin())).toMatchObject(bad);
      expect(rt.dispatch(XcmpQueue.tx.update_drop_threshold({ new: 100 }), rootOrigin())).toMatchObject({
        ok: true,
      });
      expect(rt.dispatch(XcmpQueue.tx.update_suspend_threshold({ new: 60 }), rootOrigin())).toMatchObject({
        ok: true,
      });
      expect(
        rt.dispatch(XcmpQueue.tx.update_resume_threshold({ new: 20 }), signedOrigin(new Uint8Array(32))),
      ).toMatchObject({
        ok: false,
        error: { type: 'BadOrigin' },
      });
      expect(QueueConfig.get()).toEqual({ suspend_threshold: 60, drop_threshold: 100, resume_threshold: 8 });
    });
  });
});

describe('hostile inbound pages', () => {
  function nested(depth: number): Uint8Array {
    let xcm: unknown[] = [{ type: 'ClearOrigin' }];
    for (let i = 0; i < depth; i++) xcm = [{ type: 'SetAppendix', value: xcm }];
    return VersionedXcmCodec.encode({ type: 'V5', value: xcm } as never);
  }

  it('drops unknown formats, blobs, bad signals, broken streams and too-deep XCMs; keeps what came before a break', () => {
    const para = new TestParachain();
    const reports: InboundReport[] = [];
    para.write(() => {
      const pages: Array<readonly [number, number, Uint8Array]> = [
        [A, 1, Uint8Array.from([7, 1, 2, 3])],
        [A, 1, Uint8Array.from([1, ...trapXcm(1)])],
        [A, 1, Uint8Array.from([2, 9])],
        [A, 1, Uint8Array.from([0])],
        [A, 1, Uint8Array.from([0, ...trapXcm(2), 0xff, 0xff, ...trapXcm(3)])],
        [A, 1, Uint8Array.from([0, ...nested(10)])],
        [A, 1, Uint8Array.from([0, ...nested(3)])],
        [B, 1, new Uint8Array(0)],
      ];
      handleXcmpMessages(pages, weight(10 ** 15, 10 ** 9), reports);
      expect(footprint(sibling(A)).count).toBe(2n);
      expect(footprint(sibling(B)).count).toBe(0n);
    });
    expect(reports.map((r) => [r.enqueued, r.broken])).toEqual([
      [0, 'UnknownFormat'],
      [0, 'Blob'],
      [0, 'BadSignal'],
      [0, undefined],
      [1, 'BadXcm'],
      [0, 'BadXcm'],
      [1, undefined],
      [0, 'UnknownFormat'],
    ]);
  });

  it('stops when its weight runs out instead of exceeding it', () => {
    const para = new TestParachain();
    para.write(() => {
      const reports: InboundReport[] = [];
      const used = handleXcmpMessages([[A, 1, xcmPage(trapXcm(1), trapXcm(2))]], weight(1, 1), reports);
      expect(used).toEqual(weight(0, 0));
      expect(reports[0].broken).toBe('OutOfWeight');
      expect(footprint(sibling(A)).count).toBe(0n);
    });
  });
});

describe('router (SendXcm for siblings)', () => {
  it('validateSend checks nesting, channel and size and prices delivery; deliver queues it and returns its hash', () => {
    const seen: Array<[number, number, bigint]> = [];
    const { para } = withEgress(
      { max_capacity: 10, max_total_size: 200, max_message_size: 100 },
      {
        priceForSiblingDelivery: (dest, msg, factor) => {
          seen.push([dest, msg.length, factor]);
          return 42n;
        },
      },
    );
    para.write(() => {
      const msg = trapXcm(7);
      expect(validateSend(A, Uint8Array.from([9, 9]))).toEqual({ err: { type: 'ExceedsMaxMessageSize' } });
      expect(validateSend(2999, msg)).toEqual({ err: { type: 'Transport', value: 'NoChannel' } });
      const topic = { type: 'SetTopic', value: new Uint8Array(32) };
      const big = VersionedXcmCodec.encode({ type: 'V5', value: [topic, topic, topic] } as never);
      expect(big.length).toBe(101); // + the format byte: 102 > 100
      expect(validateSend(A, big)).toEqual({ err: { type: 'ExceedsMaxMessageSize' } });
      const v = validateSend(A, msg);
      if (!('ok' in v)) throw new Error('validate failed');
      expect(v.ok.price).toBe(42n);
      expect(seen).toEqual([[A, msg.length, FIXED_ONE]]);
      const d = deliver(v.ok.ticket);
      expect(d).toEqual({ ok: blake2_256(msg) });
      expect(OutboundXcmpMessages.get(A, 0)).toEqual(Uint8Array.from([0, ...msg]));
    });
  });

  it('the delivery fee factor grows while the queue exceeds half the channel size, and shrinks as pages leave', () => {
    const { relay, para } = withEgress({ max_capacity: 10, max_total_size: 200, max_message_size: 100 });
    para.write(() => {
      for (let i = 0; i < 4; i++) sendFragment(A, 'ConcatenatedVersionedXcm', topicXcm(i));
      // Pages 73 + 73: the second send past 100 bytes (half of 200) raised the factor: 1.05^n.
      expect(DeliveryFeeFactor.get(A)).toBe((((FIXED_ONE * 105n) / 100n) * 105n) / 100n);
    });
    relay.number = 2;
    para.buildBlock(relay.inherentFor(PARA_ID));
    para.read(() => expect(DeliveryFeeFactor.get(A)).toBe((FIXED_ONE * 105n) / 100n));
  });
});
