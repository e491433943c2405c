/**
 * chainHead_v1 operations and pinning, in process so limits can be small: storage queries of every type against
 * values read through the legacy state RPC (`closestDescendantMerkleValue` of the empty key is the header's state
 * root, the Polkadot spec's Merkle value of the root); a descendants query paged with `operationWaitingForContinue`
 * / `chainHead_v1_continue` (-32803 when not waiting) and cut short by `chainHead_v1_stopOperation`; the stop policy
 * at the pinning limit (longest pinning first, then the biggest holder); and a pinned block whose state the
 * database pruned answering `operationInaccessible`.
 */
import { blake2AsHex } from '@polkadot/util-crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualFinality } from '../../src/chain/finality.ts';
import type { Node } from '../../src/node.ts';
import { RpcServer } from '../../src/rpc/index.ts';
import { substrateRpc } from '../../src/rpc-methods/index.ts';
import { startNode } from '../chain/helpers.ts';
import { RawWs } from '../rpc/helpers.ts';

/** twox128("System") ++ twox128("Account"): the System.Account map (Substrate's storage key layout). */
const SYSTEM_ACCOUNT = '0x26aa394eea5630e07c48ae0c9558cef7b99d880ec681799c0cf30e8886371da9';

let node: Node;
let server: RpcServer;

function rpcWith(
  n: Node,
  chainHead: Parameters<typeof substrateRpc>[1],
  server: ConstructorParameters<typeof RpcServer>[1] = {},
) {
  const chain = n.chain;
  return new RpcServer(
    substrateRpc(
      {
        chain,
        pool: n.pool,
        sealing: n.sealing,
        spec: chain.spec,
        identity: { name: 't', version: '0', peerId: 'p', roles: [], listenAddresses: [] },
      },
      chainHead,
    ),
    { port: 0, ...server },
  );
}

beforeAll(async () => {
  node = (await startNode({ sealing: { kind: 'manual' } })).node;
  server = rpcWith(node, { chainHead: { storagePageItems: 2, maxPinnedBlocks: 8 } });
  await server.start();
});

afterAll(async () => {
  await server?.stop();
  await node?.stop();
});

async function follow(ws: RawWs, withRuntime = true) {
  const r = await ws.call('chainHead_v1_follow', [withRuntime]);
  const init = await ws.next(
    (m) => m.params?.subscription === r.result && m.params.result.event === 'initialized',
  );
  return { sub: r.result as string, fin: init.params.result.finalizedBlockHashes[0] as string };
}

/** Events of operation `id` until its last one (done, error, inaccessible) or a wait for continue. */
async function opEvents(ws: RawWs, id: string, until = /Done$|Error$|Inaccessible$|WaitingForContinue$/) {
  const out: any[] = [];
  for (;;) {
    const m = await ws.next((x) => x.params?.result?.operationId === id);
    out.push(m.params.result);
    if (until.test(m.params.result.event)) return out;
  }
}

describe('chainHead_v1_storage', () => {
  it('answers value, hash and closestDescendantMerkleValue as the state and the header say', async () => {
    const ws = await RawWs.open(server.wsUrl);
    try {
      const { sub, fin } = await follow(ws);
      const keys = (await ws.call('state_getKeysPaged', [SYSTEM_ACCOUNT, 10, null, fin])).result as string[];
      expect(keys.length).toBeGreaterThanOrEqual(6);
      const r = await ws.call('chainHead_v1_storage', [
        sub,
        fin,
        [
          { key: keys[0], type: 'value' },
          { key: keys[1], type: 'hash' },
          { key: '0x', type: 'closestDescendantMerkleValue' },
          { key: SYSTEM_ACCOUNT, type: 'closestDescendantMerkleValue' },
          { key: '0xffffffffffffffff', type: 'value' },
          { key: '0xffffffffffffffff', type: 'closestDescendantMerkleValue' },
        ],
        null,
      ]);
      expect(r.result).toMatchObject({ result: 'started', discardedItems: 0 });
      const events = await opEvents(ws, r.result.operationId);
      expect(events.at(-1)).toEqual({ event: 'operationStorageDone', operationId: r.result.operationId });
      const items = events.flatMap((e) => e.items ?? []);
      const value0 = (await ws.call('state_getStorage', [keys[0], fin])).result;
      const header = (await ws.call('chain_getHeader', [fin])).result;
      expect(items).toEqual([
        { key: keys[0], value: value0 },
        { key: keys[1], hash: (await ws.call('state_getStorageHash', [keys[1], fin])).result },
        { key: '0x', closestDescendantMerkleValue: header.stateRoot },
        { key: SYSTEM_ACCOUNT, closestDescendantMerkleValue: expect.stringMatching(/^0x[0-9a-f]+$/) },
      ]);
      expect(blake2AsHex(value0, 256)).toBe((await ws.call('state_getStorageHash', [keys[0], fin])).result);
      // The prefix's closest descendant is a node on the path to every key under it: its hash is in their proof.
      const proof = (await ws.call('state_getReadProof', [[keys[0]], fin])).result.proof as string[];
      const mv = items[3].closestDescendantMerkleValue;
      expect(proof.map((n) => blake2AsHex(n, 256))).toContain(mv);
      expect(mv).not.toBe(header.stateRoot);
    } finally {
      ws.close();
    }
  });

  it('pages descendants: operationWaitingForContinue, chainHead_v1_continue, -32803 when not waiting', async () => {
    const ws = await RawWs.open(server.wsUrl);
    try {
      const { sub, fin } = await follow(ws);
      const keys = (await ws.call('state_getKeysPaged', [SYSTEM_ACCOUNT, 100, null, fin])).result as string[];
      const r = await ws.call('chainHead_v1_storage', [
        sub,
        fin,
        [{ key: SYSTEM_ACCOUNT, type: 'descendantsValues' }],
        null,
      ]);
      const id = r.result.operationId;
      const got: any[] = [];
      for (;;) {
        const events = await opEvents(ws, id);
        got.push(...events.flatMap((e) => e.items ?? []));
        const last = events.at(-1).event;
        if (last === 'operationStorageDone') break;
        expect(last).toBe('operationWaitingForContinue');
        expect(events.find((e) => e.items)!.items).toHaveLength(2);
        expect((await ws.call('chainHead_v1_continue', [sub, id])).result).toBeNull();
      }
      expect(got.map((i) => i.key)).toEqual(keys);
      for (const i of got.slice(0, 3)) {
        expect(i.value).toBe((await ws.call('state_getStorage', [i.key, fin])).result);
      }
      // A finished operation id is unknown: continue is ignored. A running one not waiting is -32803.
      expect((await ws.call('chainHead_v1_continue', [sub, id])).result).toBeNull();
      // One frame: the call's operation exists but has not started, so it is not waiting for continue.
      const second = await follow(ws);
      ws.send([
        {
          jsonrpc: '2.0',
          id: 'call',
          method: 'chainHead_v1_call',
          params: [second.sub, second.fin, 'Core_version', ''],
        },
        { jsonrpc: '2.0', id: 'cont', method: 'chainHead_v1_continue', params: [second.sub, '0'] },
      ]);
      const batch = await ws.next((m) => Array.isArray(m));
      expect(batch.find((m: any) => m.id === 'call').result).toEqual({ result: 'started', operationId: '0' });
      expect(batch.find((m: any) => m.id === 'cont').error).toEqual({
        code: -32803,
        message: 'Wait for continue event was not generated for the subscription',
      });
    } finally {
      ws.close();
    }
  });

  it('chainHead_v1_stopOperation ends a waiting operation: no more events, its slots free again', async () => {
    const ws = await RawWs.open(server.wsUrl);
    try {
      const { sub, fin } = await follow(ws);
      const r = await ws.call('chainHead_v1_storage', [
        sub,
        fin,
        Array(16).fill({ key: SYSTEM_ACCOUNT, type: 'descendantsHashes' }),
        null,
      ]);
      const id = r.result.operationId;
      expect((await opEvents(ws, id)).at(-1).event).toBe('operationWaitingForContinue');
      expect((await ws.call('chainHead_v1_body', [sub, fin])).result).toEqual({ result: 'limitReached' });
      expect((await ws.call('chainHead_v1_stopOperation', [sub, id])).result).toBeNull();
      expect((await ws.call('chainHead_v1_continue', [sub, id])).result).toBeNull();
      const body = await ws.call('chainHead_v1_body', [sub, fin]);
      expect(body.result).toMatchObject({ result: 'started' });
      await opEvents(ws, body.result.operationId);
      await new Promise((res) => setTimeout(res, 50));
      expect(ws.messages.filter((m) => m.params?.result?.operationId === id)).toEqual([]);
    } finally {
      ws.close();
    }
  });
});

describe('pinning limit', () => {
  it('stops the biggest holder when the limit is reached; the subscription that unpins goes on', async () => {
    const ws = await RawWs.open(server.wsUrl);
    try {
      const hoarder = await follow(ws);
      const tidy = await follow(ws, false);
      let fin = tidy.fin;
      for (let i = 0; i < 12; i++) {
        await node.sealing.createBlock({ finalize: true });
        const f = await ws.next(
          (m) => m.params?.subscription === tidy.sub && m.params.result.event === 'finalized',
        );
        const drop = [fin, ...f.params.result.finalizedBlockHashes.slice(0, -1)];
        fin = f.params.result.finalizedBlockHashes.at(-1);
        expect((await ws.call('chainHead_v1_unpin', [tidy.sub, drop])).result).toBeNull();
      }
      const stop = await ws.next(
        (m) => m.params?.subscription === hoarder.sub && m.params.result.event === 'stop',
      );
      expect(stop.params.result).toEqual({ event: 'stop' });
      expect(
        ws.messages.filter((m) => m.params?.subscription === tidy.sub && m.params.result.event === 'stop'),
      ).toEqual([]);
      expect((await ws.call('chainHead_v1_header', [tidy.sub, fin])).result).toMatch(/^0x/);
    } finally {
      ws.close();
    }
  });

  it('stops a subscription pinning longer than the pin duration first, even when it holds fewer blocks', async () => {
    const rpc = rpcWith(node, { chainHead: { maxPinnedBlocks: 4, maxPinnedDurationMs: 1000 } });
    await rpc.start();
    const a = await RawWs.open(rpc.wsUrl);
    const b = await RawWs.open(rpc.wsUrl);
    try {
      // A keeps only its first block pinned (and unpins every new one); B, later, keeps all of its blocks.
      const old = await follow(a, false);
      a.ws.on('message', (d) => {
        const m = JSON.parse(d.toString());
        if (m.params?.subscription === old.sub && m.params.result.event === 'newBlock')
          a.send({
            jsonrpc: '2.0',
            id: 'u',
            method: 'chainHead_v1_unpin',
            params: [old.sub, m.params.result.blockHash],
          });
      });
      await node.sealing.createBlock({ finalize: true });
      await new Promise((r) => setTimeout(r, 1200));
      const fresh = await follow(b, false);
      for (let i = 0; i < 3; i++) {
        await node.sealing.createBlock({ finalize: true });
        await b.next((m) => m.params?.subscription === fresh.sub && m.params.result.event === 'finalized');
      }
      const stop = await a.next(
        (m) => m.params?.subscription === old.sub && m.params.result.event === 'stop',
      );
      expect(stop.params.result).toEqual({ event: 'stop' });
      const freshEvents = b.messages.filter((m) => m.params?.subscription === fresh.sub);
      expect(freshEvents.map((m) => m.params.result.event)).not.toContain('stop');
      expect((await b.call('chainHead_v1_header', [fresh.sub, fresh.fin])).result).toMatch(/^0x/);
    } finally {
      a.close();
      b.close();
      await rpc.stop();
    }
  });
});

describe('a pinned block whose state the chain pruned', () => {
  it('answers operationInaccessible for storage and calls; header and body still come', async () => {
    const pruned = (
      await startNode({ sealing: { kind: 'manual' }, finality: new ManualFinality(), statePruning: 1 })
    ).node;
    const rpc = rpcWith(pruned, {});
    await rpc.start();
    const ws = await RawWs.open(rpc.wsUrl);
    try {
      // 70 unfinalized blocks: the genesis state leaves the chain's 64 in-memory states, but is still on disk.
      for (let i = 0; i < 70; i++) await pruned.sealing.createBlock({ finalize: false });
      const { sub, fin } = await follow(ws);
      expect(fin).toBe((await ws.call('chain_getBlockHash', [0])).result);
      // Finality jumps to the best block: with a pruning window of 1 the older states' trie nodes go.
      await pruned.chain.finalize(pruned.chain.bestHash);
      await ws.next((m) => m.params?.subscription === sub && m.params.result.event === 'finalized');
      expect((await ws.call('state_getStorage', ['0x3a636f6465', fin])).error).toMatchObject({ code: 4003 });
      const st = await ws.call('chainHead_v1_storage', [
        sub,
        fin,
        [{ key: '0x3a636f6465', type: 'value' }],
        null,
      ]);
      expect(await opEvents(ws, st.result.operationId)).toEqual([
        { event: 'operationInaccessible', operationId: st.result.operationId },
      ]);
      const call = await ws.call('chainHead_v1_call', [sub, fin, 'Core_version', '0x']);
      expect(await opEvents(ws, call.result.operationId)).toEqual([
        { event: 'operationInaccessible', operationId: call.result.operationId },
      ]);
      expect((await ws.call('chainHead_v1_header', [sub, fin])).result).toMatch(/^0x0{64}00/);
      const body = await ws.call('chainHead_v1_body', [sub, fin]);
      expect(await opEvents(ws, body.result.operationId)).toEqual([
        { event: 'operationBodyDone', operationId: body.result.operationId, value: [] },
      ]);
    } finally {
      ws.close();
      await rpc.stop();
      await pruned.stop();
    }
  });
});

describe('a client that does not read its events', () => {
  it('loses its follow subscription with a last `stop` event; the connection serves again once it reads', async () => {
    const rpc = rpcWith(node, {}, { maxBufferedBytes: 64 * 1024, slowConsumerTimeoutMs: 30_000 });
    await rpc.start();
    const ws = await RawWs.open(rpc.wsUrl);
    try {
      const { sub, fin } = await follow(ws);
      const events: any[] = [];
      ws.ws.on('message', (d) => {
        const m = JSON.parse(d.toString());
        if (m.params?.subscription === sub) events.push(m.params.result);
      });
      const socket = (ws.ws as unknown as { _socket: import('node:net').Socket })._socket;
      socket.pause();
      // Metadata V15 answers (hundreds of KiB each) pile up unread until the server drops the subscription.
      const v15 = '0x0f000000';
      for (let round = 0; round < 20; round++) {
        for (let i = 0; i < 16; i++) {
          ws.send({
            jsonrpc: '2.0',
            id: `m${round}-${i}`,
            method: 'chainHead_v1_call',
            params: [sub, fin, 'Metadata_metadata_at_version', v15],
          });
        }
        await new Promise((r) => setTimeout(r, 30));
      }
      socket.resume();
      await ws.next((m) => m.params?.subscription === sub && m.params.result.event === 'stop', 20_000);
      await new Promise((r) => setTimeout(r, 100));
      expect(events.at(-1)).toEqual({ event: 'stop' });
      expect(events.filter((e) => e.event === 'stop')).toHaveLength(1);
      expect((await ws.call('chainHead_v1_header', [sub, fin], 'after')).result).toBeNull();
      expect((await ws.call('chainSpec_v1_chainName', [], 'name')).result).toBe('xstorage Development');
    } finally {
      ws.close();
      await rpc.stop();
    }
  });
});
