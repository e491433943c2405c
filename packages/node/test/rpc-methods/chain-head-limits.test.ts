/**
 * chainHead_v1 limits on a node process, answered as the spec says (paritytech/json-rpc-interface-spec
 * chainHead_v1_follow.md, chainHead_v1_storage.md) with polkadot-sdk rpc-spec-v2's default values
 * (chain_head.rs: MAX_PINNED_BLOCKS 512, MAX_ONGOING_OPERATIONS 16, MAX_FOLLOW_SUBSCRIPTIONS_PER_CONNECTION 4):
 * a fifth follow on one connection is error -32800; a subscription that never unpins is stopped with a `stop`
 * event when 512 blocks are pinned while one that unpins keeps going; operations beyond 16 in progress are
 * `discardedItems` / `limitReached`; a stopped subscription's id answers as a stale one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  killAllStarted,
  type RunningNode,
  removeDir,
  startNode,
  tempBasePath,
  waitUntil,
} from '../integration/node-process.ts';
import { RawWs } from '../rpc/helpers.ts';

let node: RunningNode;
let base = '';

beforeAll(async () => {
  base = await tempBasePath('chainhead-limits');
  node = await startNode({ basePath: base, mode: { sealing: 'manual' } });
});

afterAll(async () => {
  await node?.stop();
  await killAllStarted();
  if (base) await removeDir(base);
});

const followEvents = (ws: RawWs, sub: string) =>
  ws.messages.filter((m) => m.method === 'chainHead_v1_followEvent' && m.params.subscription === sub);

async function follow(ws: RawWs): Promise<string> {
  const r = await ws.call('chainHead_v1_follow', [true]);
  expect(r.error).toBeUndefined();
  await ws.next((m) => m.params?.subscription === r.result && m.params.result.event === 'bestBlockChanged');
  return r.result;
}

describe('chainHead_v1 limits', () => {
  it('4 follow subscriptions per connection; the fifth is -32800; another connection has its own 4', async () => {
    const a = await RawWs.open(node.wsUrl);
    const b = await RawWs.open(node.wsUrl);
    try {
      const subs = [];
      for (let i = 0; i < 4; i++) subs.push(await follow(a));
      expect(new Set(subs).size).toBe(4);
      const fifth = await a.call('chainHead_v1_follow', [false]);
      expect(fifth.error).toEqual({
        code: -32800,
        message: 'Maximum number of chainHead_follow has been reached',
        data: 'at most 4 chainHead_v1_follow subscriptions per connection',
      });
      for (let i = 0; i < 4; i++) await follow(b);
      // Unfollowing frees a place on that connection.
      expect((await a.call('chainHead_v1_unfollow', [subs[0]])).result).toBe(true);
      await follow(a);
      // The subscription is private to its connection: another connection's id is unknown here.
      expect((await b.call('chainHead_v1_header', [subs[1], node.ready.genesisHash])).result).toBeNull();
    } finally {
      a.close();
      b.close();
    }
  });

  it('at 512 pinned blocks the subscription that never unpins gets `stop`; the one that unpins goes on', async () => {
    const hoarder = await RawWs.open(node.wsUrl);
    const tidy = await RawWs.open(node.wsUrl);
    const author = await RawWs.open(node.wsUrl);
    try {
      const h = await follow(hoarder);
      const hoarded: any[] = [];
      hoarder.ws.on('message', (d) => {
        const m = JSON.parse(d.toString());
        if (m.params?.subscription === h) hoarded.push(m.params.result);
      });
      const t = await follow(tidy);
      let finalized = node.ready.genesisHash!;
      tidy.ws.on('message', (d) => {
        const m = JSON.parse(d.toString());
        const e = m.params?.result;
        if (m.params?.subscription !== t || e?.event !== 'finalized') return;
        const drop = [finalized, ...e.finalizedBlockHashes.slice(0, -1), ...e.prunedBlockHashes];
        finalized = e.finalizedBlockHashes.at(-1);
        tidy.send({
          jsonrpc: '2.0',
          id: `unpin-${finalized}`,
          method: 'chainHead_v1_unpin',
          params: [t, drop],
        });
      });
      const BLOCKS = 520;
      for (let i = 0; i < BLOCKS; i++) {
        const r = await author.call('engine_createBlock', [true, true]);
        expect(r.error).toBeUndefined();
      }
      await hoarder.next((m) => m.params?.subscription === h && m.params.result.event === 'stop', 10_000);
      const newBlocks = hoarded.filter((e) => e.event === 'newBlock').length;
      // Initialized pinned the genesis block: 511 more fit under 512; the 512th new block stops it, last event.
      expect(newBlocks).toBe(511);
      expect(hoarded.at(-1)).toEqual({ event: 'stop' });
      expect(hoarded.filter((e) => e.event === 'stop')).toHaveLength(1);
      // A stopped subscription answers as a stale one (spec: null / limitReached / ignored).
      expect((await hoarder.call('chainHead_v1_header', [h, node.ready.genesisHash])).result).toBeNull();
      expect((await hoarder.call('chainHead_v1_body', [h, node.ready.genesisHash])).result).toEqual({
        result: 'limitReached',
      });
      expect((await hoarder.call('chainHead_v1_unpin', [h, node.ready.genesisHash])).result).toBeNull();
      // The tidy subscription saw every block and nothing else happened to it.
      const tidyNewBlocks = () =>
        followEvents(tidy, t).filter((m) => m.params.result.event === 'newBlock').length;
      await waitUntil(
        () => tidyNewBlocks() >= BLOCKS,
        10_000,
        'every block reported to the tidy subscription',
      );
      const tidyEvents = followEvents(tidy, t).map((m) => m.params.result.event);
      expect(tidyEvents).not.toContain('stop');
      const tidyNew = tidyEvents.filter((e) => e === 'newBlock').length;
      expect(tidyNew).toBe(BLOCKS);
      const errors = tidy.messages.filter((m) => typeof m.id === 'string' && m.error);
      expect(errors).toEqual([]);
      // And it still reads its pinned blocks.
      const hdr = await tidy.call('chainHead_v1_header', [t, finalized]);
      expect(hdr.result).toMatch(/^0x/);
    } finally {
      hoarder.close();
      tidy.close();
      author.close();
    }
  });

  it('16 operations in progress per subscription: items beyond are discarded, further operations limitReached', async () => {
    const ws = await RawWs.open(node.wsUrl);
    try {
      const sub = await follow(ws);
      const init = followEvents(ws, sub).find((m) => m.params.result.event === 'initialized')!;
      const fin = init.params.result.finalizedBlockHashes[0];
      const item = { key: '0x3a636f6465', type: 'hash' };
      // One frame, so both requests are handled before the storage operation can finish.
      ws.send([
        {
          jsonrpc: '2.0',
          id: 's',
          method: 'chainHead_v1_storage',
          params: [sub, fin, Array(20).fill(item), null],
        },
        { jsonrpc: '2.0', id: 'b', method: 'chainHead_v1_body', params: [sub, fin] },
        { jsonrpc: '2.0', id: 'c', method: 'chainHead_v1_call', params: [sub, fin, 'Core_version', '0x'] },
      ]);
      const batch = await ws.next((m) => Array.isArray(m));
      const byId = Object.fromEntries(batch.map((m: any) => [m.id, m]));
      expect(byId.s.result).toEqual({
        result: 'started',
        operationId: expect.any(String),
        discardedItems: 4,
      });
      expect(byId.b.result).toEqual({ result: 'limitReached' });
      expect(byId.c.result).toEqual({ result: 'limitReached' });
      const op = byId.s.result.operationId;
      const items = await ws.next((m) => m.params?.result?.operationId === op && m.params.result.items);
      expect(items.params.result.items).toHaveLength(16);
      await ws.next(
        (m) => m.params?.result?.operationId === op && m.params.result.event === 'operationStorageDone',
      );
      // Done operations give their slots back.
      const body = await ws.call('chainHead_v1_body', [sub, fin]);
      expect(body.result).toMatchObject({ result: 'started' });
    } finally {
      ws.close();
    }
  });
});
