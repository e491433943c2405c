/**
 * The rest of the new JSON-RPC spec on a node process, over a raw WebSocket (shapes as
 * paritytech/json-rpc-interface-spec lays them out): transactionWatch_v1 events for a transfer signed by
 * @polkadot/api (validated → bestChainBlockIncluded → finalized, with the transaction's index in the block body)
 * and for transactions the pool refuses (an `invalid` event, not an error); transaction_v1 broadcast / stop and its
 * per-connection limit; chainSpec_v1; archive_v1 against the legacy RPC and @polkadot/types decoders. Then hostile
 * parameters on every new method: each gets a clear JSON-RPC error and the node keeps serving.
 */
import type { ApiPromise } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import type { KeyringPair } from '@polkadot/keyring/types';
import { TypeRegistry } from '@polkadot/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  connectApi,
  killAllStarted,
  type RunningNode,
  removeDir,
  startNode,
  tempBasePath,
} from '../integration/node-process.ts';
import { RawWs } from '../rpc/helpers.ts';

const UNIT = 10n ** 12n;
/** twox128("System") ++ twox128("Account"). */
const SYSTEM_ACCOUNT = '0x26aa394eea5630e07c48ae0c9558cef7b99d880ec681799c0cf30e8886371da9';

let node: RunningNode;
let base = '';
let api: ApiPromise;
let ws: RawWs;
let alice: KeyringPair;
let bob: KeyringPair;
let nonce = 0;

beforeAll(async () => {
  base = await tempBasePath('spec-v2');
  node = await startNode({ basePath: base, mode: { sealing: 'instant' } });
  api = await connectApi(node.wsUrl);
  ws = await RawWs.open(node.wsUrl);
  const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
  alice = keyring.addFromUri('//Alice');
  bob = keyring.addFromUri('//Bob');
});

afterAll(async () => {
  ws?.close();
  await api?.disconnect();
  await node?.stop();
  await killAllStarted();
  if (base) await removeDir(base);
});

/** A signed transfer from //Alice with the next nonce (mortal era off, so it stays valid). */
async function transfer(amount: bigint): Promise<string> {
  const tx = await api.tx.balances
    .transferKeepAlive(bob.address, amount)
    .signAsync(alice, { nonce: nonce++, era: 0 });
  return tx.toHex();
}

async function watchEvents(hex: string, last = /^(finalized|invalid|dropped|error)$/) {
  const r = await ws.call('transactionWatch_v1_submitAndWatch', [hex]);
  expect(r.error).toBeUndefined();
  const events: any[] = [];
  for (;;) {
    const m = await ws.next(
      (x) => x.method === 'transactionWatch_v1_watchEvent' && x.params.subscription === r.result,
      20_000,
    );
    events.push(m.params.result);
    if (last.test(m.params.result.event)) return { sub: r.result as string, events };
  }
}

describe('transactionWatch_v1', () => {
  it('validated → bestChainBlockIncluded → finalized, with the index of the transaction in the block', async () => {
    const hex = await transfer(UNIT);
    const { sub, events } = await watchEvents(hex);
    expect(events[0]).toEqual({ event: 'validated' });
    const included = events.find((e) => e.event === 'bestChainBlockIncluded');
    expect(included.block).toEqual({ hash: expect.stringMatching(/^0x[0-9a-f]{64}$/), index: 1 });
    expect(events.at(-1)).toEqual({ event: 'finalized', block: included.block });
    const block = (await ws.call('chain_getBlock', [included.block.hash])).result.block;
    // Index 0 is the timestamp inherent; the transfer is where the spec's index says.
    expect(block.extrinsics[included.block.index]).toBe(hex);
    // The subscription ended after `finalized`.
    expect((await ws.call('transactionWatch_v1_unwatch', [sub])).result).toBe(false);
  });

  it('a transaction the pool refuses is an `invalid` event, not a JSON-RPC error', async () => {
    // Already used nonce (stale).
    const stale = await api.tx.balances
      .transferKeepAlive(bob.address, 1n)
      .signAsync(alice, { nonce: 0, era: 0 });
    expect((await watchEvents(stale.toHex())).events).toEqual([
      { event: 'invalid', error: expect.stringMatching(/^Invalid transaction: .*(outdated|Stale)/i) },
    ]);
    // A broken signature.
    const hex = await transfer(2n);
    nonce--;
    const bytes = Buffer.from(hex.slice(2), 'hex');
    bytes[40] ^= 0xff;
    expect((await watchEvents(`0x${bytes.toString('hex')}`)).events).toEqual([
      { event: 'invalid', error: expect.stringMatching(/^Invalid transaction: /) },
    ]);
    // Bytes that are no extrinsic at all.
    expect((await watchEvents('0x00')).events).toEqual([
      { event: 'invalid', error: expect.stringMatching(/^Verification error: /) },
    ]);
  });
});

describe('transaction_v1', () => {
  it('broadcast puts the transaction in the pool (it gets included); stop ends the operation once', async () => {
    const before = (await api.query.system.account(bob.address)).data.free.toBigInt();
    const id = (await ws.call('transaction_v1_broadcast', [await transfer(7n)])).result;
    expect(id).toMatch(/^[A-Za-z0-9]{16}$/);
    const deadline = Date.now() + 20_000;
    while ((await api.query.system.account(bob.address)).data.free.toBigInt() !== before + 7n) {
      if (Date.now() > deadline) throw new Error('the broadcast transfer was not included');
      await new Promise((r) => setTimeout(r, 100));
    }
    expect((await ws.call('transaction_v1_stop', [id])).result).toBeNull();
    expect((await ws.call('transaction_v1_stop', [id])).error).toEqual({
      code: -32602,
      message: 'Invalid operation id',
      data: id,
    });
  });

  it('16 broadcasts at once per connection, invalid ones included; the 17th is null until one stops', async () => {
    const c = await RawWs.open(node.wsUrl);
    try {
      const ids: string[] = [];
      for (let i = 0; i < 16; i++) ids.push((await c.call('transaction_v1_broadcast', ['0x00'])).result);
      expect(ids.every((x) => typeof x === 'string')).toBe(true);
      expect((await c.call('transaction_v1_broadcast', ['0x00'])).result).toBeNull();
      expect((await c.call('transaction_v1_stop', [ids[0]])).result).toBeNull();
      expect(typeof (await c.call('transaction_v1_broadcast', ['0x00'])).result).toBe('string');
      // Other connections are not affected.
      expect(typeof (await ws.call('transaction_v1_broadcast', ['0x00'])).result).toBe('string');
    } finally {
      c.close();
    }
  });
});

describe('chainSpec_v1 and archive_v1', () => {
  it('chainSpec_v1 answers what the legacy system_* / chain_* methods answer', async () => {
    expect((await ws.call('chainSpec_v1_chainName')).result).toBe((await ws.call('system_chain')).result);
    expect((await ws.call('chainSpec_v1_genesisHash')).result).toBe(
      (await ws.call('chain_getBlockHash', [0])).result,
    );
    expect((await ws.call('chainSpec_v1_properties')).result).toEqual(
      (await ws.call('system_properties')).result,
    );
  });

  it('archive_v1: heights, headers, bodies and calls of finalized blocks', async () => {
    const registry = new TypeRegistry();
    const genesis = (await ws.call('chain_getBlockHash', [0])).result;
    expect((await ws.call('archive_v1_genesisHash')).result).toBe(genesis);
    const height = (await ws.call('archive_v1_finalizedHeight')).result;
    const finHead = (await ws.call('chain_getFinalizedHead')).result;
    expect(height).toBe(Number((await ws.call('chain_getHeader', [finHead])).result.number));
    expect(height).toBeGreaterThanOrEqual(1);
    expect((await ws.call('archive_v1_hashByHeight', [0])).result).toEqual([genesis]);
    expect((await ws.call('archive_v1_hashByHeight', [height + 1000])).result).toEqual([]);
    const [h1] = (await ws.call('archive_v1_hashByHeight', [1])).result;
    const header = registry.createType('Header', (await ws.call('archive_v1_header', [h1])).result);
    const legacy = (await ws.call('chain_getHeader', [h1])).result;
    expect(header.number.toNumber()).toBe(1);
    expect(header.stateRoot.toHex()).toBe(legacy.stateRoot);
    expect(header.parentHash.toHex()).toBe(genesis);
    expect((await ws.call('archive_v1_body', [h1])).result).toEqual(
      (await ws.call('chain_getBlock', [h1])).result.block.extrinsics,
    );
    const unknown = `0x${'ab'.repeat(32)}`;
    expect((await ws.call('archive_v1_header', [unknown])).result).toBeNull();
    expect((await ws.call('archive_v1_body', [unknown])).result).toBeNull();
    expect((await ws.call('archive_v1_call', [unknown, 'Core_version', ''])).result).toBeNull();
    const call = (await ws.call('archive_v1_call', [h1, 'Core_version', ''])).result;
    expect(call.success).toBe(true);
    expect(registry.createType('RuntimeVersion', call.value).specName.toString()).toBe('xstorage-dev');
    expect((await ws.call('archive_v1_call', [h1, 'Nope_nothing', '0x'])).result).toEqual({
      success: false,
      error: 'Execution failed: Other: Exported method Nope_nothing is not found',
    });
  });

  it('archive_v1_storage: one event per item, descendants resumable after a key, storageDone', async () => {
    const fin = (await ws.call('chain_getFinalizedHead')).result;
    const keys = (await ws.call('state_getKeysPaged', [SYSTEM_ACCOUNT, 100, null, fin])).result as string[];
    const run = async (hash: string, items: unknown[]) => {
      const r = await ws.call('archive_v1_storage', [hash, items, null]);
      expect(r.error).toBeUndefined();
      const out: any[] = [];
      for (;;) {
        const m = await ws.next(
          (x) => x.method === 'archive_v1_storageEvent' && x.params.subscription === r.result,
        );
        out.push(m.params.result);
        if (m.params.result.event !== 'storage') return out;
      }
    };
    const events = await run(fin, [
      { key: '0x3a636f6465', type: 'hash' },
      { key: SYSTEM_ACCOUNT, type: 'descendantsValues', paginationStartKey: keys[0] },
      { key: '0xffff', type: 'value' },
    ]);
    expect(events.at(-1)).toEqual({ event: 'storageDone' });
    expect(events[0]).toEqual({
      event: 'storage',
      key: '0x3a636f6465',
      hash: (await ws.call('state_getStorageHash', ['0x3a636f6465', fin])).result,
    });
    const rest = events.slice(1, -1);
    expect(rest.map((e) => e.key)).toEqual(keys.slice(1));
    expect(rest[0].value).toBe((await ws.call('state_getStorage', [keys[1], fin])).result);
    expect(await run(`0x${'cd'.repeat(32)}`, [{ key: '0x00', type: 'value' }])).toEqual([
      { event: 'storageError', error: `Block 0x${'cd'.repeat(32)} not found` },
    ]);
  });
});

describe('hostile parameters', () => {
  const hash = `0x${'11'.repeat(32)}`;
  const cases: Array<[string, unknown, number]> = [
    ['chainHead_v1_follow', ['yes'], -32602],
    ['chainHead_v1_follow', [], -32602],
    ['chainHead_v1_follow', { withRuntime: 1 }, -32602],
    ['chainHead_v1_header', [123, hash], -32602],
    ['chainHead_v1_header', ['x', '0x12'], -32602],
    ['chainHead_v1_body', ['x'], -32602],
    ['chainHead_v1_call', ['x', hash, 5, ''], -32602],
    ['chainHead_v1_call', ['x', hash, 'Core_version', '0xzz'], -32602],
    ['chainHead_v1_call', ['x', hash, 'Core_version', '0x123'], -32602],
    ['chainHead_v1_call', ['x', hash, 'C'.repeat(300), ''], -32602],
    ['chainHead_v1_storage', ['x', hash, 'items', null], -32602],
    ['chainHead_v1_storage', ['x', hash, [{ key: '0x00', type: 'bogus' }], null], -32602],
    ['chainHead_v1_storage', ['x', hash, [{ key: 5, type: 'value' }], null], -32602],
    ['chainHead_v1_storage', ['x', hash, [{ key: '0x00', type: 'value', extra: 1 }], null], -32602],
    ['chainHead_v1_storage', ['x', hash, [{ key: `0x${'00'.repeat(5000)}`, type: 'value' }], null], -32602],
    ['chainHead_v1_storage', ['x', hash, Array(2000).fill({ key: '0x', type: 'value' }), null], -32602],
    ['chainHead_v1_storage', ['x', hash, [], 5], -32602],
    ['chainHead_v1_unpin', ['x', 'not a hash'], -32602],
    ['chainHead_v1_unpin', ['x', Array(5000).fill(hash)], -32602],
    ['chainHead_v1_continue', ['x', 5], -32602],
    ['chainHead_v1_stopOperation', ['x'], -32602],
    ['chainHead_v1_unfollow', [{}], -32602],
    ['transaction_v1_broadcast', ['zz'], -32602],
    ['transaction_v1_broadcast', [5], -32602],
    ['transaction_v1_stop', [5], -32602],
    ['transaction_v1_stop', ['nope'], -32602],
    ['transactionWatch_v1_submitAndWatch', ['0xzz'], -32602],
    ['transactionWatch_v1_submitAndWatch', [], -32602],
    ['chainSpec_v1_chainName', [1], -32602],
    ['archive_v1_hashByHeight', [-1], -32602],
    ['archive_v1_hashByHeight', ['abc'], -32602],
    ['archive_v1_hashByHeight', [2 ** 40], -32602],
    ['archive_v1_header', ['0x12'], -32602],
    ['archive_v1_body', [null], -32602],
    ['archive_v1_call', [hash, 5, ''], -32602],
    ['archive_v1_storage', [hash, 'items', null], -32602],
    [
      'archive_v1_storage',
      [hash, [{ key: '0x00', type: 'value', paginationStartKey: '0x01' }], null],
      -32602,
    ],
  ];

  it.each(cases)('%s %j → error %i', async (method, params, code) => {
    const r = await ws.call(method, params);
    expect(r.error, JSON.stringify(r)).toMatchObject({ code });
    expect(typeof r.error.message).toBe('string');
  });

  it('unknown follow subscriptions and operations answer as stale ones, not errors', async () => {
    expect((await ws.call('chainHead_v1_header', ['nope', hash])).result).toBeNull();
    expect((await ws.call('chainHead_v1_body', ['nope', hash])).result).toEqual({ result: 'limitReached' });
    expect((await ws.call('chainHead_v1_call', ['nope', hash, 'Core_version', ''])).result).toEqual({
      result: 'limitReached',
    });
    expect((await ws.call('chainHead_v1_storage', ['nope', hash, [], null])).result).toEqual({
      result: 'limitReached',
    });
    expect((await ws.call('chainHead_v1_unpin', ['nope', hash])).result).toBeNull();
    expect((await ws.call('chainHead_v1_continue', ['nope', '1'])).result).toBeNull();
    expect((await ws.call('chainHead_v1_stopOperation', ['nope', '1'])).result).toBeNull();
    expect((await ws.call('chainHead_v1_unfollow', ['nope'])).result).toBe(false);
    expect((await ws.call('archive_v1_stopStorage', ['nope'])).result).toBe(false);
    expect((await ws.call('transactionWatch_v1_unwatch', ['nope'])).result).toBe(false);
  });

  it('a known subscription: unpinned or foreign blocks are -32801, duplicates -32804, withRuntime false -32802', async () => {
    const r = await ws.call('chainHead_v1_follow', [false]);
    const init = await ws.next(
      (m) => m.params?.subscription === r.result && m.params.result.event === 'initialized',
    );
    const fin = init.params.result.finalizedBlockHashes[0];
    expect((await ws.call('chainHead_v1_header', [r.result, hash])).error).toMatchObject({ code: -32801 });
    expect((await ws.call('chainHead_v1_body', [r.result, hash])).error).toMatchObject({ code: -32801 });
    expect((await ws.call('chainHead_v1_unpin', [r.result, [fin, fin]])).error).toMatchObject({
      code: -32804,
      message: 'Received duplicate hashes for the `chainHead_unpin` method',
    });
    // All or nothing: one unknown hash unpins none.
    expect((await ws.call('chainHead_v1_unpin', [r.result, [fin, hash]])).error).toMatchObject({
      code: -32801,
    });
    expect((await ws.call('chainHead_v1_header', [r.result, fin])).result).toMatch(/^0x/);
    expect((await ws.call('chainHead_v1_call', [r.result, fin, 'Core_version', ''])).error).toMatchObject({
      code: -32802,
    });
    expect((await ws.call('chainHead_v1_unfollow', [r.result])).result).toBe(true);
  });

  it('an oversized request is refused and the same connection keeps serving every API', async () => {
    const big = `0x${'00'.repeat(6 * 1024 * 1024)}`;
    ws.send({
      jsonrpc: '2.0',
      id: 'big',
      method: 'chainHead_v1_call',
      params: ['x', hash, 'Core_version', big],
    });
    // Too big to be read: the answer cannot name the request (id null), as jsonrpsee answers.
    const r = await ws.next((m) => m.error?.code === -32007);
    expect(r).toMatchObject({ id: null, error: { code: -32007, message: 'Request is too big' } });
    const f = await ws.call('chainHead_v1_follow', [true]);
    const init = await ws.next(
      (m) => m.params?.subscription === f.result && m.params.result.event === 'initialized',
    );
    const fin = init.params.result.finalizedBlockHashes[0];
    const c = await ws.call('chainHead_v1_call', [f.result, fin, 'Core_version', '']);
    const done = await ws.next(
      (m) => m.params?.result?.operationId === c.result.operationId && m.params.subscription === f.result,
    );
    expect(done.params.result.event).toBe('operationCallDone');
    expect((await ws.call('chainSpec_v1_chainName')).result).toBe('xstorage Development');
    expect((await ws.call('archive_v1_finalizedHeight')).result).toBeGreaterThan(0);
    expect((await ws.call('system_health')).result).toMatchObject({ isSyncing: false });
  });
});
