/**
 * Storage challenges against a storage node process (`xstorage storage-node --crust …`) that holds the only replica
 * on the devnet, so every challenge (one per 20 blocks) names it: while it has the file it answers with the blocks
 * of the challenged path and passes; once its disk lost the blocks (deleted from its pack store while it was down),
 * it cannot answer, the challenge fails at its deadline (`ChallengeFailed`, NoAnswer), the replica leaves
 * `market.filesV2`, and the node marks the file lost and reports it deleted. And a file the chain closes
 * (`IllegalFileClosed`: its order declared less than the DAG holds) is reported deleted, unpinned and collected.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ApiPromise } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PackBlockstore } from '../src/ipfs/pack/pack-blockstore.ts';
import {
  connectApi,
  fileBytes,
  killStorageNodeProcesses,
  placeOrder,
  replicasOf,
  type SpawnedDevnet,
  sendInBlock,
  spawnDevnet,
  status,
  upload,
  waitUntil,
  xstorage,
} from './helpers.ts';

const keyring = new Keyring({ type: 'sr25519', ss58Format: 66 });
const URI = '//Eve//challenged';
let net: SpawnedDevnet;
let api: ApiPromise;
let dir: string;
let running: { sn: ReturnType<typeof xstorage>; http: string };

let last: ReturnType<typeof xstorage> | undefined;

function start() {
  last = xstorage([
    '--base-path',
    join(dir, 'node'),
    '--crust',
    net.endpoints.parachains.crust.ws,
    '--key',
    URI,
    '--gateway-port',
    '0',
    '--json',
    // No random re-check before the challenge: the challenge is what finds the loss here.
    '--check-interval',
    '3600',
  ]);
  return last;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'xstorage-challenge-'));
  net = await spawnDevnet({ parachains: ['crust'], blockTimeMs: 500, storageNodes: 0 });
  api = await connectApi(net.endpoints.parachains.crust.ws);
  await sendInBlock(
    api,
    api.tx.balances.transferKeepAlive(keyring.addFromUri(URI).address, 10n ** 15n),
    keyring.addFromUri('//Ferdie'),
  );
}, 60_000);

// A failure on a loaded machine is read from what the storage node did last.
afterEach((ctx) => {
  if (ctx.task.result?.state === 'fail' && last)
    console.error(
      `last storage node events:\n${last.events
        .slice(-60)
        .map((e) => JSON.stringify(e))
        .join('\n')}\n${last.stderr().slice(-2000)}`,
    );
});

afterAll(async () => {
  killStorageNodeProcesses();
  await api?.disconnect().catch(() => {});
  await net?.dispose();
  await rm(dir, { recursive: true, force: true });
});

describe('storage challenges', () => {
  it('are answered while the node holds the file; a node that lost it fails and loses the replica', async () => {
    const account = keyring.addFromUri(URI).address;
    let sn = start();
    const { http } = await sn.next('started');
    await waitUntil('registered', async () => (await status(http)).ready.ready, 20_000);
    const { cid, size } = await upload(http, fileBytes(3 * 1024 * 1024, 5));
    await placeOrder(api, cid, size);
    await waitUntil(
      'the replica',
      async () => (await replicasOf(api, cid)).some((r) => r.who === account),
      30_000,
      300,
    );
    const passed = await sn.next('challenge-answered', (e) => e.cid === cid);
    expect(passed.passed).toBe(true);
    expect(passed.blocks).toBe(2); // root and one leaf of a 12-leaf file

    // The disk loses the file's blocks while the node is down.
    sn.child.kill('SIGKILL');
    await sn.exit;
    const packs = new PackBlockstore(join(dir, 'node', 'packs'));
    await packs.open();
    const held = [];
    for await (const { cid: c } of packs.getAll()) held.push(c);
    for (const c of held) await packs.delete(c);
    await packs.close();
    expect(held.length).toBeGreaterThan(12);

    sn = start();
    const again = await sn.next('started');
    running = { sn, http: again.http };
    const unanswered = await sn.next('challenge-unanswerable', (e) => e.cid === cid);
    expect(unanswered.reason).toMatch(/^block \S+ is missing$/);
    const failed = await sn.next('challenge-failed', (e) => e.cid === cid);
    expect(failed.reason).toMatch(/NoAnswer/);
    expect(await replicasOf(api, cid)).toEqual([]);
    const deleted = await sn.next('reported', (e) => e.deleted.includes(cid));
    expect(deleted.ok).toBe(true);
    const s = await status(again.http);
    expect(s.fileList.find((f: any) => f.cid === cid)).toMatchObject({ state: 'lost', onChain: false });
    expect(s.challenges.unanswered).toBeGreaterThanOrEqual(1);
  }, 100_000);

  it('cleans up a file the chain closed: reported deleted, unpinned, its blocks collected', async () => {
    // The node of the test above, still running.
    const { sn, http } = running;
    await waitUntil('ready', async () => (await status(http)).ready.ready, 20_000);
    const { cid, size } = await upload(http, fileBytes(2 * 1024 * 1024, 8));
    // 100 bytes less than the DAG: the first report of the real size closes the file (Crust's IllegalFileClosed).
    await placeOrder(api, cid, size - 100);
    const closed = await sn.next('closed', (e) => e.cid === cid);
    expect(closed.reason).toBe('closed on chain');
    expect(((await api.query.market.filesV2(cid)) as any).isNone).toBe(true);
    const reported = await sn.next('reported', (e) => e.deleted.includes(cid));
    expect(reported.ok).toBe(true);
    await sn.next('removed', (e) => e.cid === cid);
    expect((await status(http)).fileList.find((f: any) => f.cid === cid)).toBeUndefined();
    await waitUntil(
      'the blocks collected',
      async () => (await fetch(`${http}/ipfs/${cid}?format=raw`)).status === 404,
      20_000,
    );
  }, 120_000);
});
