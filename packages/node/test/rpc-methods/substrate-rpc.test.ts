/**
 * The node's JSON-RPC as raw JSON (shapes and error codes a Substrate node answers; polkadot-sdk
 * `client/rpc-api` error codes: state 4001-4003, author 1001/1002/1010..), on a node with manual sealing driven by
 * `engine_createBlock`; plus restart on the same base path, the database lock, and hostile parameters.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WsProvider } from '@polkadot/api';
import { TypeRegistry } from '@polkadot/types';
import { blake2AsHex, xxhashAsHex } from '@polkadot/util-crypto';
import { verifyProof } from '@xstorage/runtime/trie';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Node, NodeStartError } from '../../src/node.ts';
import { connectApi, waitFor } from '../chain/helpers.ts';

let dir = '';
let node: Node;
let http = '';
let ws: WsProvider;

const rpc = async (method: string, params: unknown[] = []): Promise<any> => {
  const res = await fetch(http, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
  });
  return res.json();
};
const ok = async (method: string, params: unknown[] = []) => {
  const r = await rpc(method, params);
  if (r.error) throw new Error(`${method}: ${JSON.stringify(r.error)}`);
  return r.result;
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'xstorage-rpc-'));
  node = new Node({
    chain: 'dev',
    basePath: dir,
    rpcPort: 0,
    sealing: { kind: 'manual' },
    finalityDelayMs: 0,
  });
  const info = await node.start();
  http = info.httpUrl;
  ws = new WsProvider(info.rpcUrl, false);
  await ws.connect();
  await ws.isReady;
});
afterAll(async () => {
  await ws?.disconnect();
  await node?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const HEX32 = /^0x[0-9a-f]{64}$/;
// twox128("System") ++ twox128("Number"): polkadot-js `api.query.system.number.key()`.
const SYSTEM_NUMBER = `${xxhashAsHex('System', 128)}${xxhashAsHex('Number', 128).slice(2)}`;

describe('chain_* and engine_*', () => {
  it('engine_createBlock makes a block; headers and blocks have Substrate JSON shapes', async () => {
    const genesis = await ok('chain_getBlockHash', [0]);
    expect(genesis).toMatch(HEX32);
    const created = await ok('engine_createBlock', [true, true]);
    expect(created).toEqual({ hash: expect.stringMatching(HEX32), aux: { header_only: false } });
    const header = await ok('chain_getHeader', [created.hash]);
    expect(Object.keys(header).sort()).toEqual([
      'digest',
      'extrinsicsRoot',
      'number',
      'parentHash',
      'stateRoot',
    ]);
    expect(header.number).toBe('0x1');
    expect(header.parentHash).toBe(genesis);
    expect(header.digest.logs).toHaveLength(2);
    expect(header.digest.logs[0]).toMatch(/^0x0661757261/); // PreRuntime(6) ++ "aura"
    expect(header.digest.logs[1]).toMatch(/^0x0561757261/); // Seal(5) ++ "aura"
    // @polkadot/types decodes the JSON header and hashes it to the block hash.
    const registry = new TypeRegistry();
    expect(registry.createType('Header', header).hash.toHex()).toBe(created.hash);
    const block = await ok('chain_getBlock', [created.hash]);
    expect(block.justifications).toBeNull();
    expect(block.block.header).toEqual(header);
    expect(block.block.extrinsics).toHaveLength(1);
    expect(block.block.extrinsics[0]).toMatch(/^0x[0-9a-f]+$/);
    expect(await ok('chain_getBlockHash', [])).toBe(created.hash);
    expect(await ok('chain_getBlockHash', ['0x1'])).toBe(created.hash);
    expect(await ok('chain_getBlockHash', [[0, 1, 99]])).toEqual([genesis, created.hash, null]);
    expect(await ok('chain_getFinalizedHead')).toBe(created.hash);
    expect(await ok('chain_getHeader')).toEqual(header);
    // Unknown hashes: null, as Substrate.
    expect(await ok('chain_getHeader', [`0x${'ab'.repeat(32)}`])).toBeNull();
    expect(await ok('chain_getBlock', [`0x${'ab'.repeat(32)}`])).toBeNull();
    expect(await ok('chain_getBlockHash', [12345])).toBeNull();
  });

  it('head subscriptions send the current head, then each new one', async () => {
    const heads: string[] = [];
    const fin: string[] = [];
    const id = await ws.subscribe('chain_newHead', 'chain_subscribeNewHeads', [], (_e: unknown, h: any) =>
      heads.push(h.number),
    );
    const id2 = await ws.subscribe(
      'chain_finalizedHead',
      'chain_subscribeFinalizedHeads',
      [],
      (_e: unknown, h: any) => fin.push(h.number),
    );
    await waitFor(() => heads.length === 1 && fin.length === 1);
    const n = Number.parseInt(heads[0], 16);
    await ok('engine_createBlock', [true, true]);
    await waitFor(() => heads.length === 2 && fin.length === 2);
    expect(heads).toEqual([`0x${n.toString(16)}`, `0x${(n + 1).toString(16)}`]);
    expect(fin.at(-1)).toBe(heads.at(-1));
    // Every-key storage subscription: the next block's changes include System.Number.
    const sets: Array<{ block: string; changes: [string, string | null][] }> = [];
    const id3 = await ws.subscribe('state_storage', 'state_subscribeStorage', [], (_e: unknown, c: any) =>
      sets.push(c),
    );
    const made = await ok('engine_createBlock', [true, true]);
    await waitFor(() => sets.length > 0);
    expect(sets[0].block).toBe(made.hash);
    expect(sets[0].changes.map(([k]) => k)).toContain(SYSTEM_NUMBER);
    expect(await ws.unsubscribe('state_storage', 'state_unsubscribeStorage', id3)).toBe(true);
    expect(await ws.unsubscribe('chain_newHead', 'chain_unsubscribeNewHeads', id)).toBe(true);
    expect(await ws.unsubscribe('chain_finalizedHead', 'chain_unsubscribeFinalizedHeads', id2)).toBe(true);
  });
});

describe('state_*', () => {
  it('storage at the best block and at older blocks, hashes, sizes, keys, proofs', async () => {
    const h1 = await ok('chain_getBlockHash', [1]);
    const best = await ok('chain_getBlockHash', []);
    const bestNumber = Number.parseInt((await ok('chain_getHeader')).number, 16);
    const le = (n: number) => `0x${Buffer.from(new Uint32Array([n]).buffer).toString('hex')}`;
    expect(await ok('state_getStorage', [SYSTEM_NUMBER])).toBe(le(bestNumber));
    expect(await ok('state_getStorage', [SYSTEM_NUMBER, h1])).toBe(le(1));
    expect(await ok('state_getStorageHash', [SYSTEM_NUMBER, h1])).toBe(
      blake2AsHex(new Uint8Array([1, 0, 0, 0])),
    );
    expect(await ok('state_getStorageSize', [SYSTEM_NUMBER])).toBe(4);
    expect(await ok('state_getStorage', ['0x00'])).toBeNull();
    // Keys of System.Account: 6 dev accounts (+ the fee treasury once fees were paid).
    const prefix = `${xxhashAsHex('System', 128)}${xxhashAsHex('Account', 128).slice(2)}`;
    const keys: string[] = await ok('state_getKeysPaged', [prefix, 1000]);
    expect(keys.length).toBe(6);
    const page1: string[] = await ok('state_getKeysPaged', [prefix, 2]);
    const page2: string[] = await ok('state_getKeysPaged', [prefix, 2, page1[1]]);
    expect([...page1, ...page2]).toEqual(keys.slice(0, 4));
    expect(await ok('state_getKeys', [prefix])).toEqual(keys);
    const q = await ok('state_queryStorageAt', [[SYSTEM_NUMBER, '0x00'], h1]);
    expect(q).toEqual([
      {
        block: h1,
        changes: [
          [SYSTEM_NUMBER, le(1)],
          ['0x00', null],
        ],
      },
    ]);
    // Read proof: verifies against the block's state root with the runtime's proof checker.
    const proof = await ok('state_getReadProof', [[SYSTEM_NUMBER], best]);
    expect(proof.at).toBe(best);
    const root = Buffer.from((await ok('chain_getHeader', [best])).stateRoot.slice(2), 'hex');
    const nodes = proof.proof.map((p: string) => Buffer.from(p.slice(2), 'hex'));
    const k = new Uint8Array(Buffer.from(SYSTEM_NUMBER.slice(2), 'hex'));
    const got = verifyProof(new Uint8Array(root), nodes, [k]);
    expect(Buffer.from(got.get(k)!).toString('hex')).toBe(le(bestNumber).slice(2));
    // A proof from an older block does not verify against the newer root.
    const oldProof = await ok('state_getReadProof', [[SYSTEM_NUMBER], h1]);
    expect(() =>
      verifyProof(
        new Uint8Array(root),
        oldProof.proof.map((p: string) => Buffer.from(p.slice(2), 'hex')),
        [k],
      ),
    ).toThrow();
  });

  it('state_queryStorage walks a block range; childstate answers for absent child tries', async () => {
    const h1 = await ok('chain_getBlockHash', [1]);
    const h2 = await ok('chain_getBlockHash', [2]);
    const genesis = await ok('chain_getBlockHash', [0]);
    const le = (n: number) => `0x${Buffer.from(new Uint32Array([n]).buffer).toString('hex')}`;
    expect(await ok('state_queryStorage', [[SYSTEM_NUMBER, '0x00'], genesis, h2])).toEqual([
      // frame_system's genesis does not write System.Number.
      {
        block: genesis,
        changes: [
          [SYSTEM_NUMBER, null],
          ['0x00', null],
        ],
      },
      { block: h1, changes: [[SYSTEM_NUMBER, le(1)]] },
      { block: h2, changes: [[SYSTEM_NUMBER, le(2)]] },
    ]);
    const backwards = await rpc('state_queryStorage', [[SYSTEM_NUMBER], h2, h1]);
    expect(backwards.error.code).toBe(4001);
    expect(await ok('childstate_getStorage', ['0x1234', '0x00'])).toBeNull();
    expect(await ok('childstate_getKeysPaged', ['0x1234', '0x', 10])).toEqual([]);
    expect((await rpc('childstate_getStorage', ['0x1234', '0x00', `0x${'ee'.repeat(32)}`])).error.code).toBe(
      4003,
    );
  });

  it('runtime version, metadata and state_call', async () => {
    const v = await ok('state_getRuntimeVersion');
    expect(v).toMatchObject({
      specName: 'xstorage-dev',
      specVersion: 100,
      transactionVersion: 1,
      systemVersion: 1,
    });
    // Core's api id is blake2_64("Core") = 0xdf6acb689907609b (every Substrate runtime lists it).
    expect(v.apis).toContainEqual(['0xdf6acb689907609b', 5]);
    expect(await ok('chain_getRuntimeVersion')).toEqual(v);
    const md: string = await ok('state_getMetadata');
    expect(md.slice(0, 10)).toBe('0x6d657461'); // "meta" magic
    const core = await ok('state_call', ['Core_version', '0x']);
    expect(core).toMatch(/^0x/);
    const r = await rpc('state_call', ['Nope_nothing', '0x']);
    expect(r.error.code).toBe(4003);
    expect(r.error.message).toMatch(/Exported method Nope_nothing is not found/);
  });

  it('errors: unknown block 4003, count too large 4002, bad hex and wrong lengths -32602', async () => {
    const unknown = await rpc('state_getStorage', [SYSTEM_NUMBER, `0x${'cd'.repeat(32)}`]);
    expect(unknown.error.code).toBe(4003);
    expect(unknown.error.message).toMatch(/UnknownBlock/);
    const big = await rpc('state_getKeysPaged', ['0x', 1001]);
    expect(big.error).toEqual({ code: 4002, message: 'count exceeds maximum value. value: 1001, max: 1000' });
    for (const [m, p] of [
      ['state_getStorage', ['0xZZ']],
      ['state_getStorage', ['0x123']],
      ['state_getStorage', [SYSTEM_NUMBER, '0x1234']],
      ['chain_getHeader', ['0x00']],
      ['chain_getBlockHash', ['nope']],
      ['chain_getBlockHash', [-1]],
      ['system_accountNextIndex', ['not-an-address']],
      ['state_getKeysPaged', ['0x', 'ten']],
      ['state_queryStorageAt', [Array.from({ length: 1001 }, () => '0x00')]],
      ['state_getStorage', [`0x${'00'.repeat(4097)}`]],
      ['state_call', [42, '0x']],
      ['author_submitExtrinsic', [{ not: 'hex' }]],
      ['engine_createBlock', ['yes']],
    ] as const) {
      const r = await rpc(m, [...p]);
      expect(r.error?.code, `${m} ${JSON.stringify(p)}`).toBe(-32602);
      expect(r.error.message.length).toBeGreaterThan(5);
    }
  });
});

describe('author_* with hostile bytes', () => {
  it('answers 1001 for bytes that are not an extrinsic and 1002 when the runtime cannot decode one', async () => {
    for (const bad of ['0x', '0xff', '0x0400', '0x08000000']) {
      const r = await rpc('author_submitExtrinsic', [bad]);
      expect(r.error?.code, bad).toBeGreaterThanOrEqual(1001);
      expect(r.error.code, bad).toBeLessThanOrEqual(1002);
    }
    expect((await rpc('author_submitExtrinsic', ['0x10000000'])).error.code).toBe(1001); // says 4 bytes, has 3
    const undecodable = await rpc('author_submitExtrinsic', ['0x0c04ff00']); // bare v4, pallet 255
    expect(undecodable.error.code).toBe(1002);
    expect(undecodable.error.message).toMatch(/^Verification Error: Runtime error: /);
    // Nothing entered the pool; the node still makes blocks.
    expect(await ok('author_pendingExtrinsics')).toEqual([]);
    expect((await ok('engine_createBlock', [true, true])).hash).toMatch(HEX32);
  });
});

describe('system_* and rpc_methods', () => {
  it('answers identity and health; rpc_methods lists every method once', async () => {
    expect(await ok('system_chain')).toBe('xstorage Development');
    expect(await ok('system_chainType')).toBe('Development');
    expect(await ok('system_properties')).toEqual({ ss58Format: 42, tokenDecimals: 12, tokenSymbol: 'UNIT' });
    expect(await ok('system_health')).toEqual({ peers: 0, isSyncing: false, shouldHavePeers: false });
    expect(await ok('system_peers')).toEqual([]);
    expect(await ok('system_nodeRoles')).toEqual(['Authority']);
    expect(await ok('system_localPeerId')).toMatch(/^12D3KooW/);
    expect(await ok('system_accountNextIndex', ['5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY'])).toBe(0);
    const { methods } = await ok('rpc_methods');
    for (const m of [
      'author_submitAndWatchExtrinsic',
      'chain_subscribeAllHeads',
      'state_subscribeStorage',
      'state_getReadProof',
      'payment_queryFeeDetails',
      'system_syncState',
      'chain_getFinalisedHead',
    ])
      expect(methods).toContain(m);
    expect(new Set(methods).size).toBe(methods.length);
    const health = await (await fetch(`${http}/health`)).json();
    expect(health).toEqual({ peers: 0, isSyncing: false, shouldHavePeers: false });
  });
});

describe('lifecycle', () => {
  it('a second node on the same base path fails with one line saying what to do', async () => {
    const second = new Node({ chain: 'dev', basePath: dir, rpcPort: 0, sealing: { kind: 'manual' } });
    const err = await second.start().then(
      () => undefined,
      (e) => e,
    );
    expect(err).toBeInstanceOf(NodeStartError);
    expect(err.message).toMatch(/locked by another running node.*--base-path/);
    expect(err.message).not.toContain('\n');
  });

  it('restart on the same base path keeps the chain (ApiPromise sees the same genesis and best block)', async () => {
    await ok('engine_createBlock', [true, true]);
    const best = await ok('chain_getHeader');
    const genesis = await ok('chain_getBlockHash', [0]);
    await ws.disconnect();
    await node.stop();
    node = new Node({
      chain: 'dev',
      basePath: dir,
      rpcPort: 0,
      sealing: { kind: 'manual' },
      finalityDelayMs: 0,
    });
    const info = await node.start();
    http = info.httpUrl;
    ws = new WsProvider(info.rpcUrl, false);
    await ws.connect();
    expect(info.genesisHash).toBe(genesis);
    expect(info.bestNumber).toBe(Number.parseInt(best.number, 16));
    const api = await connectApi(info.rpcUrl);
    try {
      expect(api.genesisHash.toHex()).toBe(genesis);
      expect((await api.rpc.chain.getHeader()).hash.toHex()).toBe(
        new TypeRegistry().createType('Header', best).hash.toHex(),
      );
      expect((await api.query.system.number()).toString()).toBe(String(Number.parseInt(best.number, 16)));
      const next = await ok('engine_createBlock', [true, true]);
      expect((await api.rpc.chain.getHeader(next.hash)).number.toNumber()).toBe(
        Number.parseInt(best.number, 16) + 1,
      );
    } finally {
      await api.disconnect();
    }
  });
});
