/**
 * MessageQueue (pallet_message_queue) against polkadot-sdk's own scenarios (substrate/frame/message-queue/src/
 * tests.rs, mock.rs: HeapSize 24, MaxStale 2, `weight=N` messages): pages and their heap layout, round-robin
 * servicing under a weight limit, permanently overweight messages kept and executed later, failures, yields,
 * paused queues, reaping of stale pages, the footprint xcmp-queue reads, and hostile input.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { blake2_256, initCrypto } from '../../../src/crypto/index.ts';
import { state } from '../../../src/frame/env.ts';
import { weight } from '../../../src/frame/weights.ts';
import {
  BookStateFor,
  enqueueMessage,
  enqueueMessages,
  executeOverweight,
  footprint,
  MessageQueue,
  MessageTooLongError,
  maxMessageLen,
  Pages,
  PageCodec,
  serviceQueues,
  ServiceHead,
  sweepQueue,
} from '../../../src/pallets/message-queue/index.ts';
import {
  changes,
  Here,
  hooks,
  msg,
  OriginCodec,
  Parent,
  paused,
  processed,
  Sibling,
  withMock,
  yielding,
} from './mock.ts';

beforeAll(() => initCrypto());

const ALICE = new Uint8Array(32).fill(1);
const texts = () => processed.splice(0).map(([o, m]) => [o, m]);
const pageIndices = () => [...Pages.iter()].map(([[o, i]]) => `${o.type}${o.value ?? ''}:${i}`).sort();
const moduleError = (error: number) => ({
  ok: false,
  error: { type: 'Module', value: { index: 14, error: new Uint8Array([error, 0, 0, 0]) } },
});

describe('MessageQueue pages', () => {
  it('packs messages into pages with the ItemHeader heap layout (HeapSize 24)', () => {
    withMock(
      () => {
        // polkadot-sdk tests.rs `reaping_overweight_fails_properly`: these seven messages make pages 0..5.
        for (const m of [
          'weight=4',
          'a',
          'weight=4',
          'b',
          'weight=4',
          'c',
          'bigbig 1',
          'bigbig 2',
          'bigbig 3',
        ])
          enqueueMessage(msg(m), Here);
        expect(pageIndices()).toEqual(['Here:0', 'Here:1', 'Here:2', 'Here:3', 'Here:4', 'Here:5']);
        const page0 = Pages.get(Here, 0)!;
        // ItemHeader { payload_len: u32, is_processed: bool } then the payload, back to back; `last` is the
        // offset of the last item's header (5 + 8 = 13).
        expect(page0).toEqual({
          remaining: 2,
          remaining_size: 9,
          first_index: 0,
          first: 0,
          last: 13,
          heap: Uint8Array.from([8, 0, 0, 0, 0, ...msg('weight=4'), 1, 0, 0, 0, 0, ...msg('a')]),
        });
        // Page<u32> encodes its five u32 counters then the heap as Vec<u8>.
        const raw = PageCodec.encode(page0);
        expect(Buffer.from(raw.subarray(0, 20)).toString('hex')).toBe(
          '02000000' + '09000000' + '00000000' + '00000000' + '0d000000',
        );
        expect(raw[20]).toBe(19 << 2);
        const book = BookStateFor.get(Here);
        expect(book).toMatchObject({ begin: 0, end: 6, count: 6, message_count: 9n, size: 51n });
        expect(book.ready_neighbours).toEqual({ prev: Here, next: Here });
        expect(footprint(Here)).toEqual({ pages: 6, readyPages: 6, count: 9n, size: 51n });
      },
      { heapSize: 24, serviceWeight: undefined },
    );
  });

  it('refuses a message longer than HeapSize - 5 with a typed error and stores nothing', () => {
    withMock(
      () => {
        expect(maxMessageLen()).toBe(19);
        enqueueMessage(new Uint8Array(19), Here);
        expect(() => enqueueMessage(new Uint8Array(20), Parent)).toThrow(MessageTooLongError);
        expect(BookStateFor.contains(Parent)).toBe(false);
        expect(pageIndices()).toEqual(['Here:0']);
      },
      { heapSize: 24 },
    );
  });
});

describe('MessageQueue servicing', () => {
  it('services ready queues round-robin within the weight limit (queue_priority_reset_once_serviced)', () => {
    withMock(
      () => {
        enqueueMessage(msg('a'), Sibling(1));
        enqueueMessage(msg('b'), Sibling(2));
        enqueueMessage(msg('c'), Sibling(3));
        expect(serviceQueues(weight(2, 2))).toEqual(weight(2, 2));
        enqueueMessage(msg('d'), Sibling(2));
        expect(serviceQueues(weight(2, 2))).toEqual(weight(2, 2));
        expect(texts()).toEqual([
          [Sibling(1), 'a'],
          [Sibling(2), 'b'],
          [Sibling(3), 'c'],
          [Sibling(2), 'd'],
        ]);
        expect(ServiceHead.get()).toBeUndefined();
      },
      { heapSize: 24, serviceWeight: undefined },
    );
  });

  it('on_initialize spends at most ServiceWeight, the rest waits for the next block; Processed events carry the id', () => {
    withMock(({ runtime, events }) => {
      for (let i = 0; i < 15; i++) enqueueMessage(msg(`m${i}`), Parent);
      expect(runtime.onInitialize(1)).toEqual(weight(10, 10));
      expect(texts().map(([, m]) => m)).toEqual([...Array(10)].map((_, i) => `m${i}`));
      const first = events().find(([, name]) => name === 'Processed')!;
      expect(first[2]).toEqual({
        id: blake2_256(msg('m0')),
        origin: Parent,
        weight_used: weight(1, 1),
        success: true,
      });
      expect(footprint(Parent).count).toBe(5n);
      runtime.onInitialize(2);
      expect(texts().map(([, m]) => m)).toEqual([...Array(5)].map((_, i) => `m${i + 10}`));
      expect(footprint(Parent)).toEqual({ pages: 0, readyPages: 0, count: 0n, size: 0n });
    });
  });

  it('on_idle services with min(IdleMaxServiceWeight, remaining)', () => {
    withMock(
      ({ runtime }) => {
        for (let i = 0; i < 6; i++) enqueueMessage(msg(`x${i}`), Here);
        expect(runtime.onIdle(1, weight(100, 100))).toEqual(weight(4, 4));
        expect(runtime.onIdle(1, weight(1, 1))).toEqual(weight(1, 1));
        expect(texts().length).toBe(5);
      },
      { serviceWeight: undefined, idleMaxServiceWeight: weight(4, 4) },
    );
  });

  it('a format error drops the message with ProcessingFailed; the processor writes of a failed message roll back', () => {
    withMock(({ events }) => {
      enqueueMessages([msg('badformat'), msg('write=kept'), msg('write=gone fail'), msg('ok')], Here);
      serviceQueues(weight(10, 10));
      expect(events().map(([, n, v]) => (n === 'ProcessingFailed' ? [n, v.error.type] : n))).toEqual([
        ['ProcessingFailed', 'BadFormat'],
        'Processed',
        ['ProcessingFailed', 'Unsupported'],
        'Processed',
      ]);
      expect(state().get(msg('kept'))).toEqual(new Uint8Array([1]));
      expect(state().get(msg('gone'))).toBeUndefined();
      expect(footprint(Here).count).toBe(0n);
      expect(Pages.iter().next().done).toBe(true);
    });
  });

  it('a yielding queue keeps its messages and does not block the other queues; a paused queue is skipped', () => {
    withMock(() => {
      enqueueMessage(msg('y1'), Sibling(7));
      enqueueMessage(msg('p1'), Sibling(8));
      enqueueMessage(msg('h1'), Here);
      yielding.add(JSON.stringify(Sibling(7)));
      paused.add(JSON.stringify(Sibling(8)));
      serviceQueues(weight(10, 10));
      expect(texts()).toEqual([[Here, 'h1']]);
      expect(footprint(Sibling(7)).count).toBe(1n);
      expect(footprint(Sibling(8)).count).toBe(1n);
      yielding.clear();
      paused.clear();
      serviceQueues(weight(10, 10));
      expect(
        texts()
          .map(([, m]) => m)
          .sort(),
      ).toEqual(['p1', 'y1']);
    });
  });

  it('reports every footprint change to onQueueChanged (what xcmp-queue thresholds read)', () => {
    withMock(
      () => {
        enqueueMessages([msg('a'.repeat(19)), msg('b'.repeat(19)), msg('c'.repeat(19))], Sibling(5));
        expect(changes.splice(0)).toEqual([[Sibling(5), { pages: 3, readyPages: 3, count: 3n, size: 57n }]]);
        serviceQueues(weight(2, 2));
        expect(changes.splice(0)).toEqual([[Sibling(5), { pages: 1, readyPages: 1, count: 1n, size: 19n }]]);
      },
      { heapSize: 24, serviceWeight: undefined },
    );
  });
});

describe('MessageQueue overweight', () => {
  it('keeps a permanently overweight message and executes it later with execute_overweight', () => {
    withMock(({ runtime, events, dispatch, clearEvents }) => {
      enqueueMessages([msg('weight=20'), msg('a')], Here);
      runtime.onInitialize(1);
      expect(texts()).toEqual([[Here, 'a']]);
      expect(events().find(([, n]) => n === 'OverweightEnqueued')?.[2]).toEqual({
        id: blake2_256(msg('weight=20')),
        origin: Here,
        page_index: 0,
        message_index: 0,
      });
      // The page stays (stale) with its one unprocessed message; the queue is no longer ready.
      expect(BookStateFor.get(Here)).toMatchObject({ begin: 1, end: 1, count: 1, message_count: 1n });
      expect(ServiceHead.get()).toBeUndefined();
      runtime.onInitialize(2);
      expect(texts()).toEqual([]);

      const call = (w: number) =>
        MessageQueue.tx.execute_overweight({
          message_origin: Here,
          page: 0,
          index: 0,
          weight_limit: weight(w, w),
        });
      expect(dispatch(call(20), 'none')).toMatchObject({ ok: false, error: { type: 'BadOrigin' } });
      expect(dispatch(call(19), ALICE)).toMatchObject(moduleError(5)); // InsufficientWeight
      clearEvents();
      expect(dispatch(call(20), ALICE)).toEqual({ ok: true, postInfo: { actualWeight: weight(20, 20) } });
      expect(texts()).toEqual([[Here, 'weight=20']]);
      expect(events().map(([, n]) => n)).toEqual(['Processed']);
      expect(Pages.get(Here, 0)).toBeUndefined();
      expect(BookStateFor.get(Here)).toMatchObject({ count: 0, message_count: 0n, size: 0n });
      expect(dispatch(call(20), ALICE)).toMatchObject(moduleError(1)); // NoPage
    });
  });

  it('refuses to execute a message still queued, one already processed, and in a paused queue', () => {
    withMock(({ dispatch, runtime }) => {
      enqueueMessages([msg('weight=20'), msg('b'), msg('weight=30')], Parent);
      const call = (index: number) =>
        MessageQueue.tx.execute_overweight({
          message_origin: Parent,
          page: 0,
          index,
          weight_limit: weight(100, 100),
        });
      expect(dispatch(call(0), ALICE)).toMatchObject(moduleError(4)); // Queued
      runtime.onInitialize(1);
      expect(dispatch(call(1), ALICE)).toMatchObject(moduleError(3)); // AlreadyProcessed
      expect(dispatch(call(5), ALICE)).toMatchObject(moduleError(2)); // NoMessage
      paused.add(JSON.stringify(Parent));
      expect(dispatch(call(0), ALICE)).toMatchObject(moduleError(7)); // QueuePaused
      expect(executeOverweight(weight(100, 100), { origin: Parent, page: 0, index: 0 })).toEqual({
        err: 'QueuePaused',
      });
      paused.clear();
      expect(executeOverweight(weight(100, 100), { origin: Parent, page: 0, index: 2 })).toEqual({
        ok: weight(30, 30),
      });
      expect(footprint(Parent)).toMatchObject({ pages: 1, count: 1n });
    });
  });

  it('message processing cannot re-enter servicing or overweight execution (RecursiveDisallowed)', () => {
    withMock(() => {
      enqueueMessages([msg('weight=50'), msg('more')], Here);
      serviceQueues(weight(10, 10));
      enqueueMessage(msg('reenter'), Parent);
      const seen: unknown[] = [];
      hooks.inside = () => {
        seen.push(serviceQueues(weight(10, 10)));
        seen.push(executeOverweight(weight(100, 100), { origin: Here, page: 0, index: 0 }));
      };
      serviceQueues(weight(10, 10));
      expect(seen).toEqual([weight(0, 0), { err: 'RecursiveDisallowed' }]);
      expect(footprint(Here).count).toBe(1n);
    });
  });
});

describe('MessageQueue reaping', () => {
  it('follows polkadot-sdk reaping_overweight_fails_properly (MaxStale 2)', () => {
    withMock(
      ({ dispatch }) => {
        for (const m of [
          'weight=4',
          'a',
          'weight=4',
          'b',
          'weight=4',
          'c',
          'bigbig 1',
          'bigbig 2',
          'bigbig 3',
        ])
          enqueueMessage(msg(m), Here);
        const reap = (i: number) =>
          dispatch(MessageQueue.tx.reap_page({ message_origin: Here, page_index: i }), ALICE);
        const allNotReapable = () => {
          for (const [[, i]] of [...Pages.iter()]) expect(reap(i)).toMatchObject(moduleError(0));
        };
        const pages = () => pageIndices().map((k) => Number(k.split(':')[1]));

        expect(serviceQueues(weight(2, 2))).toEqual(weight(2, 2));
        expect(texts().map(([, m]) => m)).toEqual(['a', 'b']);
        allNotReapable();
        expect(pages()).toEqual([0, 1, 2, 3, 4, 5]);

        expect(serviceQueues(weight(1, 1))).toEqual(weight(1, 1));
        expect(texts().map(([, m]) => m)).toEqual(['c']);
        expect(serviceQueues(weight(1, 1))).toEqual(weight(1, 1));
        expect(texts().map(([, m]) => m)).toEqual(['bigbig 1']);
        allNotReapable();
        expect(pages()).toEqual([0, 1, 2, 4, 5]);

        expect(serviceQueues(weight(1, 1))).toEqual(weight(1, 1));
        expect(texts().map(([, m]) => m)).toEqual(['bigbig 2']);
        expect(pages()).toEqual([0, 1, 2, 5]);
        // Page 0 is now too far behind the first ready page (5).
        expect(reap(0)).toMatchObject({ ok: true });
        allNotReapable();
        expect(pages()).toEqual([1, 2, 5]);

        expect(serviceQueues(weight(1, 1))).toEqual(weight(1, 1));
        expect(texts().map(([, m]) => m)).toEqual(['bigbig 3']);
        expect(reap(0)).toMatchObject(moduleError(1));
        expect(reap(3)).toMatchObject(moduleError(1));
        expect(reap(4)).toMatchObject(moduleError(1));
        allNotReapable();
      },
      { heapSize: 24, serviceWeight: undefined },
    );
  });

  it('PageReaped carries the origin; the footprint drops the reaped messages', () => {
    withMock(
      ({ dispatch, events }) => {
        for (let i = 0; i < 4; i++) enqueueMessage(msg('weight=2'), Here);
        serviceQueues(weight(1, 1));
        expect(
          dispatch(MessageQueue.tx.reap_page({ message_origin: Here, page_index: 0 }), ALICE),
        ).toMatchObject({
          ok: true,
        });
        expect(events().at(-1)).toEqual(['MessageQueue', 'PageReaped', { origin: Here, index: 0 }]);
        expect(footprint(Here)).toEqual({ pages: 3, readyPages: 0, count: 3n, size: 24n });
      },
      { heapSize: 24, serviceWeight: undefined },
    );
  });
});

describe('MessageQueue hostile state and input', () => {
  it('a corrupt page heap is skipped without a throw, and other queues still run', () => {
    withMock(() => {
      enqueueMessage(msg('fine'), Here);
      enqueueMessage(msg('victim'), Parent);
      const page = Pages.get(Parent, 0)!;
      page.heap = Uint8Array.from([0xff, 0xff, 0xff, 0x7f, 9, 1, 2]);
      Pages.set(Parent, 0, page);
      expect(() => serviceQueues(weight(10, 10))).not.toThrow();
      expect(texts()).toEqual([[Here, 'fine']]);
    });
  });

  it('an origin argument that does not decode is refused by the call decoder', () => {
    withMock(({ runtime }) => {
      // MessageQueue (14) execute_overweight (1) with origin variant 9: no such AggregateMessageOrigin.
      expect(() => runtime.decodeCall(Uint8Array.from([14, 1, 9, 0, 0, 0, 0]))).toThrow(/variant/);
      expect(OriginCodec.decode(Uint8Array.from([2, 7, 0, 0, 0]))).toEqual(Sibling(7));
    });
  });

  it('sweep_queue leaves the pages stale and the queue out of the ready ring', () => {
    withMock(() => {
      enqueueMessages([msg('s1'), msg('s2')], Sibling(4));
      enqueueMessage(msg('h'), Here);
      sweepQueue(Sibling(4));
      serviceQueues(weight(10, 10));
      expect(texts()).toEqual([[Here, 'h']]);
      expect(BookStateFor.get(Sibling(4))).toMatchObject({ begin: 1, end: 1, ready_neighbours: undefined });
    });
  });
});
