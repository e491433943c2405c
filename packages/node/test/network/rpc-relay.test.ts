/**
 * The relay chain interface over JSON-RPC against a relay node (in this process, serving RPC on a loopback port):
 * every answer equals the in-process interface's (best head, headers, runtime calls, storage, proofs), new heads
 * arrive in order, and `stateView` — fetched in two rounds — yields the same parachain inherent proof the in-process
 * relay state gives. Then the JSON-RPC client against a hostile server: notifications before the subscription id,
 * junk, error answers, silence, oversized messages, a dropped connection (pending calls fail; subscriptions come
 * back).
 */
import { once } from 'node:events';
import {
  buildParachainInherentData,
  collectRelayStateKeys,
  StorageProofCodec,
} from '@xstorage/runtime/pallets/parachain-system';
import { OccupiedCoreAssumptionCodec } from '@xstorage/runtime/pallets/relay';
import { ParaIdCodec, PersistedValidationDataCodec, wellKnownKeys } from '@xstorage/runtime/parachains';
import { option, tuple } from '@xstorage/runtime/scale';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { devAuthorityKey } from '../../src/chain/aura.ts';
import { inProcessRelay, type RelayHead } from '../../src/collation/relay-interface.ts';
import { RelayRpcError, RpcRelayChain } from '../../src/collation/rpc-relay.ts';
import { JsonRpcClient, JsonRpcClientError } from '../../src/network/json-rpc-client.ts';
import { RoleRunner } from '../../src/network/node-roles.ts';
import { Node } from '../../src/node.ts';
import { waitFor } from './chain-process.ts';

const hex = (b: Uint8Array) => `0x${Buffer.from(b).toString('hex')}`;
const CRUST = 2008;

let node: Node;
let role: RoleRunner;
let rpcRelay: RpcRelayChain;

beforeAll(async () => {
  role = new RoleRunner({ kind: 'relay-validator', key: devAuthorityKey('//Alice') });
  node = new Node(
    role.nodeOptions({
      chain: 'relay',
      tmp: true,
      rpcPort: 0,
      sealing: { kind: 'manual' },
      signatureThread: false,
    }),
  );
  const info = await node.start();
  rpcRelay = new RpcRelayChain({ url: info.rpcUrl, paraId: CRUST, timeoutMs: 10_000 });
  await rpcRelay.connect();
  await node.sealing.createBlock();
}, 30_000);

afterAll(async () => {
  rpcRelay?.close();
  await role?.stop();
  await node?.stop();
});

describe('RpcRelayChain against a relay node', () => {
  it('answers as the in-process relay interface does', async () => {
    const local = inProcessRelay(node.chain);
    const best = await rpcRelay.best();
    expect(hex(best.hash)).toBe(hex(node.chain.bestHash));
    expect(best.header).toEqual(node.chain.bestHeader);
    expect(hex(await rpcRelay.genesisHash())).toBe(hex(node.chain.genesisHash));
    const at = best.hash;
    const arg = tuple(ParaIdCodec, OccupiedCoreAssumptionCodec).encode([CRUST, 'Included']);
    const pvd = await rpcRelay.call(at, 'ParachainHost_persisted_validation_data', arg);
    expect(hex(pvd)).toBe(hex(await local.call(at, 'ParachainHost_persisted_validation_data', arg)));
    expect(option(PersistedValidationDataCodec).decode(pvd)?.relay_parent_number).toBe(best.header.number);
    const headKey = wellKnownKeys.paraHead(CRUST);
    expect(hex((await rpcRelay.storage(at, headKey))!)).toBe(hex((await local.storage(at, headKey))!));
    expect(await rpcRelay.storage(at, new Uint8Array(32).fill(0xee))).toBeUndefined();
    await expect(rpcRelay.header(new Uint8Array(32).fill(1))).rejects.toThrow(RelayRpcError);
  });

  it('stateView prefetches in two rounds what the parachain inherent proves: the same proof as in process', async () => {
    const at = node.chain.bestHash;
    const view = await rpcRelay.stateView(at);
    const local = await inProcessRelay(node.chain).stateView(at);
    const { keys } = collectRelayStateKeys(CRUST, local.read);
    for (const k of keys)
      expect(view.read(k) && hex(view.read(k)!)).toBe(local.read(k) && hex(local.read(k)!));
    expect(new Set(view.prove(keys).map(hex))).toEqual(new Set(local.prove(keys).map(hex)));
    const pvd = option(PersistedValidationDataCodec).decode(
      await rpcRelay.call(
        at,
        'ParachainHost_persisted_validation_data',
        tuple(ParaIdCodec, OccupiedCoreAssumptionCodec).encode([CRUST, 'Included']),
      ),
    )!;
    const inherent = (v: typeof view) =>
      buildParachainInherentData({
        paraId: CRUST,
        validationData: pvd,
        readRelay: v.read,
        proveRelay: v.prove,
        downwardMessages: [],
        horizontalMessages: new Map(),
      });
    // The same proof, byte for byte as it goes into the block (a BTreeSet: sorted, deduplicated).
    expect(hex(StorageProofCodec.encode(inherent(view).relay_chain_state))).toBe(
      hex(StorageProofCodec.encode(inherent(local).relay_chain_state)),
    );
    // A key outside what was fetched is an error, never a silent "absent".
    expect(() => view.read(wellKnownKeys.paraHead(2000))).toThrow(RelayRpcError);
    expect(() => view.prove([wellKnownKeys.paraHead(2000)])).toThrow(RelayRpcError);
  });

  it('delivers new best relay blocks in order, with hashes computed from their headers', async () => {
    const seen: RelayHead[] = [];
    const off = rpcRelay.onNewBest((h) => seen.push(h));
    await new Promise((r) => setTimeout(r, 300));
    const made = [await node.sealing.createBlock(), await node.sealing.createBlock()];
    await waitFor(async () => seen.length >= 3, 5000, 'the current head, then two new ones');
    off();
    // As Substrate: the subscription starts with the current best head.
    expect(seen.map((h) => hex(h.hash))).toEqual([
      hex(made[0].header.parentHash),
      ...made.map((b) => hex(b.hash)),
    ]);
    expect(seen[2].header.number).toBe(seen[1].header.number + 1);
  });
});

describe('JsonRpcClient against a hostile server', () => {
  let wss: WebSocketServer;
  let url: string;
  let behave: (msg: { id: number; method: string; params: unknown[] }, send: (v: unknown) => void) => void;

  beforeAll(async () => {
    wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await once(wss, 'listening');
    url = `ws://127.0.0.1:${(wss.address() as { port: number }).port}`;
    wss.on('connection', (ws) => {
      ws.on('message', (data) => {
        behave(JSON.parse(String(data)), (v) => ws.send(typeof v === 'string' ? v : JSON.stringify(v)));
      });
    });
  });
  afterAll(() => {
    for (const c of wss.clients) c.terminate();
    wss.close();
  });

  it('takes notifications that arrive before the subscription id, ignores junk, reports error answers', async () => {
    behave = (m, send) => {
      if (m.method === 'sub') {
        send({ jsonrpc: '2.0', method: 'note', params: { subscription: 'S1', result: 1 } });
        send('not json {');
        send({ jsonrpc: '2.0', id: 999_999, result: 'nobody asked' });
        send({ jsonrpc: '2.0', id: m.id, result: 'S1' });
        send({ jsonrpc: '2.0', method: 'note', params: { subscription: 'S1', result: 2 } });
      } else if (m.method === 'fail')
        send({ jsonrpc: '2.0', id: m.id, error: { code: -32601, message: 'no such method' } });
    };
    const c = new JsonRpcClient(url, { timeoutMs: 500 });
    const got: unknown[] = [];
    await c.subscribe('sub', 'unsub', [], (r) => got.push(r));
    await waitFor(async () => got.length === 2, 2000, 'both notifications');
    expect(got).toEqual([1, 2]);
    await expect(c.call('fail')).rejects.toMatchObject({ name: 'JsonRpcClientError', code: -32601 });
    // Silence: the call times out.
    await expect(c.call('silence')).rejects.toThrow(/timed out/);
    c.close();
    await expect(c.call('x')).rejects.toThrow(JsonRpcClientError);
  });

  it('fails pending calls when the connection drops, reconnects and subscribes again', async () => {
    let subscribes = 0;
    behave = (m, send) => {
      if (m.method === 'sub') {
        subscribes++;
        send({ jsonrpc: '2.0', id: m.id, result: `S${subscribes}` });
        send({
          jsonrpc: '2.0',
          method: 'note',
          params: { subscription: `S${subscribes}`, result: subscribes },
        });
      } else if (m.method === 'drop') for (const ws of wss.clients) ws.terminate();
      else if (m.method === 'huge') send({ jsonrpc: '2.0', id: m.id, result: 'x'.repeat(70_000) });
    };
    const c = new JsonRpcClient(url, { timeoutMs: 2000, reconnectMs: 50, maxPayload: 64 * 1024 });
    const got: unknown[] = [];
    let resubscribed = 0;
    await c.subscribe(
      'sub',
      'unsub',
      [],
      (r) => got.push(r),
      () => resubscribed++,
    );
    await expect(c.call('drop')).rejects.toThrow(/closed/);
    await waitFor(async () => resubscribed === 1 && got.length === 2, 3000, 'the subscription back');
    expect(got).toEqual([1, 2]);
    // An answer over the payload limit closes the connection (and the call fails); the client comes back again.
    await expect(c.call('huge')).rejects.toThrow(JsonRpcClientError);
    await waitFor(async () => resubscribed === 2, 3000, 'the subscription back again');
    c.close();
  });
});
