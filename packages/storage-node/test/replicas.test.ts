/**
 * A devnet with its four storage nodes (`xstorage devnet`, default `--storage-nodes 4`, each in its own group)
 * brings a 100 MiB file ordered on Crust with `market.placeStorageOrder` to four replicas in
 * `market.filesV2(cid).replicas`: the gateway holds the upload, the three others pull it (every block verified),
 * each reports it in a `swork.report_works`, and each node's `/status` shows it valid and on chain.
 */
import type { ApiPromise } from '@polkadot/api';
import { decodeAddress } from '@polkadot/util-crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  connectApi,
  fileBytes,
  placeOrder,
  replicasOf,
  type SpawnedDevnet,
  spawnDevnet,
  status,
  upload,
  waitUntil,
} from './helpers.ts';

const MIB = 1024 * 1024;
let net: SpawnedDevnet;
let api: ApiPromise;

beforeAll(async () => {
  // Four storage nodes start with the chains (each registered and funded in finalized blocks): slower on a busy machine.
  net = await spawnDevnet({
    parachains: ['crust'],
    blockTimeMs: 500,
    storageNodes: 4,
    readyTimeoutMs: 100_000,
  });
  api = await connectApi(net.endpoints.parachains.crust.ws);
}, 120_000);

afterAll(async () => {
  await api?.disconnect().catch(() => {});
  await net?.dispose();
});

describe('four storage nodes on the devnet', () => {
  it('endpoints.json names the gateway and four storage nodes with their Crust accounts', async () => {
    const e = net.endpoints;
    expect(e.gateway).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(e.storageNodes).toHaveLength(4);
    expect(e.storageNodes![0].http).toBe(e.gateway);
    for (const n of e.storageNodes!) {
      // Crust's SS58 prefix 66: addresses start with 'c'; the key is 32 bytes.
      expect(n.account.startsWith('c')).toBe(true);
      expect(decodeAddress(n.account)).toHaveLength(32);
      const s = await status(n.http);
      expect(s.account).toBe(n.account);
      expect(s.registered).toBe(true);
    }
    // Each node joins its group after its first report: four groups, one member each.
    await waitUntil(
      'every node in its group',
      async () => {
        const all = await Promise.all(e.storageNodes!.map((n) => status(n.http)));
        return all.every((s) => s.ready.ready) && new Set(all.map((s) => s.group)).size === 4;
      },
      30_000,
    );
  }, 40_000);

  it('brings a 100 MiB file ordered on Crust to four replicas, each node reporting it', async () => {
    const bytes = fileBytes(100 * MIB, 7);
    const { cid, size } = await upload(net.endpoints.gateway!, bytes);
    expect(size).toBeGreaterThan(100 * MIB);
    const order = await placeOrder(api, cid, size);
    const replicas = await waitUntil(
      'four replicas',
      async () => {
        const r = await replicasOf(api, cid);
        return r.length >= 4 ? r : undefined;
      },
      80_000,
      500,
    );
    const accounts = net.endpoints.storageNodes!.map((n) => n.account).sort();
    expect(replicas.map((r) => r.who).sort()).toEqual(accounts);
    expect(new Set(replicas.map((r) => r.owner)).size).toBe(4);
    for (const n of net.endpoints.storageNodes!) {
      // A node marks the file on chain once its report is final there, a block or two after the replica shows.
      const s = await waitUntil(
        `${n.name} sees its report final`,
        async () => {
          const st = await status(n.http);
          return st.fileList.find((x: any) => x.cid === cid)?.onChain ? st : undefined;
        },
        20_000,
        300,
      );
      const f = s.fileList.find((x: any) => x.cid === cid);
      expect(f).toMatchObject({ state: 'valid', onChain: true, dagSize: size });
      expect(s.lastReport.ok).toBe(true);
    }
    const file = (await api.query.market.filesV2(cid)) as any;
    expect(file.unwrap().expiredAt.toNumber()).toBeGreaterThan(order.blockNumber);
  }, 100_000);
});
