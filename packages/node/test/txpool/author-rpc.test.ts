/**
 * The pool behind author-style RPC methods on the real server, seen through @polkadot/api's WsProvider:
 * submit errors carry Substrate's author codes, and a watched extrinsic streams `author_extrinsicUpdate`
 * statuses until its final one.
 */
import { WsProvider } from '@polkadot/api';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { MethodRegistry, p, params, RpcServer } from '../../src/rpc/index.ts';
import { poolErrorToRpc, type TransactionStatus, TxPool, watcherToSink } from '../../src/txpool/index.ts';
import { waitFor } from '../rpc/helpers.ts';
import { encodeTx, MockRuntime } from './mock-runtime.ts';

const rt = new MockRuntime();
const pool = new TxPool({ validate: rt.validate, best: { hash: new Uint8Array(32), number: 0 } });
const hex = (b: Uint8Array) => `0x${Buffer.from(b).toString('hex')}`;
const registry = new MethodRegistry()
  .method({
    name: 'author_submitExtrinsic',
    params: params(['extrinsic', p.hex()]),
    handler: async ([xt]) => hex(await pool.submit(xt).catch(poolErrorToRpc)),
  })
  .subscription({
    subscribe: 'author_submitAndWatchExtrinsic',
    unsubscribe: 'author_unwatchExtrinsic',
    notification: 'author_extrinsicUpdate',
    params: params(['extrinsic', p.hex()]),
    handler: async ([xt], sink) => {
      const { watcher } = await pool.submitAndWatch(xt).catch(poolErrorToRpc);
      return watcherToSink(watcher, sink);
    },
  });
const server = new RpcServer(registry, { port: 0 });
let provider: WsProvider;

beforeAll(async () => {
  await server.start();
  provider = new WsProvider(server.wsUrl, false);
  await provider.connect();
  await provider.isReady;
});
afterAll(async () => {
  await provider.disconnect();
  await server.stop();
});

it('author errors arrive with Substrate codes', async () => {
  const xt = hex(encodeTx({ who: 'x', nonce: 0 }));
  await provider.send('author_submitExtrinsic', [xt]);
  await expect(provider.send('author_submitExtrinsic', [xt])).rejects.toThrow(
    /^1013: Transaction Already Imported/,
  );
  const bad = hex(encodeTx({ who: 'y', nonce: 0, error: { Invalid: 'BadProof' } }));
  await expect(provider.send('author_submitExtrinsic', [bad])).rejects.toThrow(
    '1010: Invalid Transaction: Transaction has a bad signature',
  );
  await expect(provider.send('author_submitAndWatchExtrinsic', [bad])).rejects.toThrow(
    /^1012: Transaction is temporarily banned/,
  );
});

it('submitAndWatch streams ready → inBlock → finalized and the subscription ends', async () => {
  const data = encodeTx({ who: 'alice', nonce: 0 });
  const statuses: TransactionStatus[] = [];
  await provider.subscribe(
    'author_extrinsicUpdate',
    'author_submitAndWatchExtrinsic',
    [hex(data)],
    (err, s) => {
      if (!err) statuses.push(s);
    },
  );
  await waitFor(() => statuses.length === 1);
  expect(server.subscriptionCount).toBe(1);
  const blockHash = new Uint8Array(32).fill(3);
  rt.nonces.set('alice', 1);
  await pool.onBlockImported(blockHash, [pool.hashOf(data)], { number: 1 });
  pool.onBlocksFinalized([blockHash]);
  await waitFor(() => statuses.length === 3);
  expect(statuses).toEqual(['ready', { inBlock: hex(blockHash) }, { finalized: hex(blockHash) }]);
  await waitFor(() => server.subscriptionCount === 0);
});

it('a status reached before the client has the id is still delivered, then the subscription ends', async () => {
  const r = new MethodRegistry().subscription({
    subscribe: 'author_submitAndWatchExtrinsic',
    unsubscribe: 'author_unwatchExtrinsic',
    notification: 'author_extrinsicUpdate',
    params: params(['extrinsic', p.hex()]),
    handler: async ([xt], sink) => {
      // Force the watcher to end before the answer is written.
      const { watcher } = await pool.submitAndWatch(xt).catch(poolErrorToRpc);
      pool.remove([watcher.hash]);
      return watcherToSink(watcher, sink);
    },
  });
  const s = new RpcServer(r, { port: 0 });
  await s.start();
  const prov = new WsProvider(s.wsUrl, false);
  await prov.connect();
  await prov.isReady;
  const statuses: TransactionStatus[] = [];
  await prov.subscribe(
    'author_extrinsicUpdate',
    'author_submitAndWatchExtrinsic',
    [hex(encodeTx({ who: 'zed', nonce: 0 }))],
    (err, st) => {
      if (!err) statuses.push(st);
    },
  );
  await waitFor(() => statuses.length === 2);
  expect(statuses).toEqual(['ready', 'invalid']);
  await waitFor(() => s.subscriptionCount === 0);
  await prov.disconnect();
  await s.stop();
});
