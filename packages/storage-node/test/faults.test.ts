/**
 * Storage nodes as separate `xstorage storage-node --crust …` processes (the bundled command) on a devnet without
 * its own storage nodes, each faced with one fault:
 * - killed (SIGKILL) in the middle of a pull: after a restart it resumes without downloading its verified blocks
 *   again, and still reports the file (a replica of its account in `market.filesV2`);
 * - a provider serving a corrupted block: ignored, the file arrives from the other provider;
 * - a file too large for its `--max-file-size`: skipped with the reason;
 * - a full disk (`--capacity`): no new pull, a clear status, no crash;
 * - a file no one serves: failed with its reason after the (shortened) timeout and its retries.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ApiPromise } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import { CID } from 'multiformats/cid';
import { sha256 } from 'multiformats/hashes/sha2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  connectApi,
  fileBytes,
  killStorageNodeProcesses,
  placeOrder,
  type Running,
  replicasOf,
  type SpawnedDevnet,
  sendInBlock,
  spawnDevnet,
  status,
  waitUntil,
  xstorage,
} from './helpers.ts';
import { type ProxyServer, startProxy } from './proxy.ts';

const MIB = 1024 * 1024;
let net: SpawnedDevnet;
let api: ApiPromise;
let dir: string;
let source: Running;
let sourceUrl: string;
const files: Record<string, { cid: string; size: number }> = {};
const proxies: ProxyServer[] = [];

const keyring = new Keyring({ type: 'sr25519', ss58Format: 66 });
const URIS = {
  resume: '//Eve//faults-resume',
  corrupt: '//Eve//faults-corrupt',
  limits: '//Eve//faults-limits',
};

function node(name: keyof typeof URIS, providers: string[], extra: string[] = []): Running {
  return xstorage([
    '--base-path',
    join(dir, name),
    '--crust',
    net.endpoints.parachains.crust.ws,
    '--key',
    URIS[name],
    '--gateway-port',
    '0',
    '--json',
    '--name',
    name,
    ...providers.flatMap((p) => ['--provider', p]),
    ...extra,
  ]);
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'xstorage-faults-'));
  net = await spawnDevnet({ parachains: ['crust'], blockTimeMs: 500, storageNodes: 0 });
  api = await connectApi(net.endpoints.parachains.crust.ws);
  // The nodes' accounts get their fees from //Ferdie.
  const ferdie = keyring.addFromUri('//Ferdie');
  await sendInBlock(
    api,
    api.tx.utility.batchAll(
      Object.values(URIS).map((u) =>
        api.tx.balances.transferKeepAlive(keyring.addFromUri(u).address, 10n ** 15n),
      ),
    ),
    ferdie,
  );
  // The source of the files: an IPFS-only storage node with its gateway (what the public gateway is on a devnet).
  await writeFile(join(dir, 'big.bin'), fileBytes(24 * MIB, 11));
  await writeFile(join(dir, 'mid.bin'), fileBytes(3 * MIB, 12));
  source = xstorage([
    '--base-path',
    join(dir, 'source'),
    '--gateway-port',
    '0',
    '--json',
    '--add',
    join(dir, 'big.bin'),
    '--add',
    join(dir, 'mid.bin'),
  ]);
  sourceUrl = (await source.next('started')).gateway;
  for (const name of ['big', 'mid']) {
    const added = await source.next('added', (e) => e.file.endsWith(`${name}.bin`));
    files[name] = { cid: added.cid, size: added.dagSize };
  }
  // A CID nobody has.
  files.nobody = { cid: CID.createV0(await sha256.digest(fileBytes(1000, 99))).toString(), size: 1000 };
}, 90_000);

afterAll(async () => {
  killStorageNodeProcesses();
  for (const p of proxies) await p.close();
  await api?.disconnect().catch(() => {});
  await net?.dispose();
  await rm(dir, { recursive: true, force: true });
});

describe('storage nodes facing faults', () => {
  it('resumes a pull killed mid-way without downloading verified blocks again, and reports the file', async () => {
    const slow = await startProxy({ upstream: sourceUrl, rate: 3 * MIB });
    proxies.push(slow);
    const corrupt = await startProxy({ upstream: sourceUrl, corruptAt: 200 });
    proxies.push(corrupt);
    let resume = node('resume', [slow.url]);
    const started = await resume.next('started');
    const withCorrupt = node('corrupt', [corrupt.url, sourceUrl]);
    await withCorrupt.next('started');
    await placeOrder(api, files.big.cid, files.big.size);
    // Killed once a third of the file is verified and stored.
    await waitUntil(
      'a third of the pull',
      async () => (await status(started.http)).pulls.find((p: any) => p.bytes > files.big.size / 3),
      30_000,
      100,
    );
    resume.child.kill('SIGKILL');
    await resume.exit;
    resume = node('resume', [sourceUrl]);
    const valid = await resume.next('valid', (e) => e.cid === files.big.cid);
    expect(valid.reusedBlocks).toBeGreaterThan(30);
    expect(valid.bytes).toBeLessThan(files.big.size * 0.75);
    expect(valid.dagSize).toBe(files.big.size);
    const account = keyring.addFromUri(URIS.resume).address;
    await waitUntil(
      'the resumed node reports the file',
      async () => (await replicasOf(api, files.big.cid)).some((r) => r.who === account),
      30_000,
      500,
    );

    // The node behind a corrupting provider got the file from the other one, and says which it ignored.
    const fromGood = await withCorrupt.next('valid', (e) => e.cid === files.big.cid);
    expect(fromGood.ignoredProviders).toEqual([{ kind: 'http', url: corrupt.url }]);
    expect(fromGood.dagSize).toBe(files.big.size);
  }, 90_000);

  it('skips a file above its size limit, stops pulling when its disk is full, fails an unserved file with the reason', async () => {
    const limits = node(
      'limits',
      [sourceUrl],
      [
        '--max-file-size',
        '10MiB',
        '--capacity',
        '4MiB',
        '--pull-timeout-base',
        '1',
        '--retries',
        '2',
        '--retry-delay',
        '1',
      ],
    );
    const { http } = await limits.next('started');
    await waitUntil('registered', async () => (await status(http)).ready.ready, 20_000);
    await placeOrder(api, files.mid.cid, files.mid.size);
    await placeOrder(api, files.nobody.cid, files.nobody.size);
    // The big file was ordered before this node started: a scan of market.filesV2 finds it (with no replica yet
    // it would wait; the test above gave it replicas), and the size limit skips it.
    const s = await waitUntil(
      'every file decided',
      async () => {
        const st = await status(http);
        const by = Object.fromEntries(st.fileList.map((f: any) => [f.cid, f]));
        const mid = by[files.mid.cid];
        const nobody = by[files.nobody.cid];
        return mid?.state === 'waiting' && nobody?.state === 'failed' ? st : undefined;
      },
      40_000,
      300,
    );
    const by = Object.fromEntries(s.fileList.map((f: any) => [f.cid, f]));
    expect(by[files.mid.cid].reason).toMatch(/^insufficient space: 2\.2 × \(file \d+ B/);
    expect(s.pullsPaused).toMatch(/^insufficient space/);
    expect(s.space.capacity).toBe(4 * MIB);
    expect(by[files.nobody.cid].reason).toMatch(
      /^gave up after 2 attempt\(s\): no provider served the file within \d+ s/,
    );
    expect(by[files.nobody.cid].attempts).toBe(2);
    const big = await waitUntil(
      'the scan reaches the big file',
      async () =>
        (await status(http)).fileList.find((f: any) => f.cid === files.big.cid && f.state === 'skipped'),
      30_000,
      300,
    );
    expect(big.reason).toMatch(/^sizeTooLarge: 24\.0 MiB is above this node's limit of 10\.0 MiB/);
    // Still alive and reporting.
    expect(limits.child.exitCode).toBeNull();
    const later = await status(http);
    expect(later.lastReport?.ok).toBe(true);
  }, 90_000);
});
