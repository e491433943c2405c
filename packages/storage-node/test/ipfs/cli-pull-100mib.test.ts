/**
 * Storage nodes as separate processes (`xstorage storage-node`) over loopback: one adds 100 MiB, three others
 * pull it at once (its trustless gateway and bitswap as providers) and hold identical bytes; SIGTERM stops the
 * provider cleanly.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CID } from 'multiformats/cid';
import { afterAll, describe, expect, it } from 'vitest';
import { PackBlockstore } from '../../src/ipfs/pack/pack-blockstore.ts';
import { contentSha256, deterministicBytes, realGatewayAvailable, sha256Hex, tempDir } from './helpers.ts';
import { killStorageNodeProcesses, xstorage } from './storage-node-process.ts';

const dirs: Array<{ remove(): Promise<void> }> = [];

afterAll(async () => {
  killStorageNodeProcesses();
  for (const d of dirs) await d.remove();
});

describe('storage-node processes: 100 MiB', () => {
  it('a 100 MiB file added on one node is pulled by three others at once, byte-identical', async () => {
    const work = await tempDir('cli-100m');
    dirs.push(work);
    const bytes = deterministicBytes(100 * 1024 * 1024, 42);
    const file = join(work.path, 'file.bin');
    await writeFile(file, bytes);
    const expected = sha256Hex(bytes);

    const withGateway = realGatewayAvailable() ? ['--gateway-port', '0'] : [];
    const provider = xstorage([
      '--base-path',
      join(work.path, 'provider'),
      '--json',
      '--add',
      file,
      ...withGateway,
    ]);
    const started = await provider.next('started');
    expect(started.peerId).toMatch(/^12D3KooW/);
    const added = await provider.next('added');
    expect(added.size).toBe(bytes.length);
    const address = started.multiaddrs[0] as string;
    // The trustless gateway is the fast path (bitswap is covered in fetcher.test.ts; it is the fallback here).
    const providers = ['--provider', started.gateway ?? address];

    const pullers = [1, 2, 3].map((i) =>
      xstorage([
        '--base-path',
        join(work.path, `puller-${i}`),
        '--json',
        '--fetch',
        added.cid,
        ...providers,
        '--timeout',
        '140',
        '--exit-when-done',
      ]),
    );
    const codes = await Promise.all(pullers.map((p) => p.exit));
    expect(codes, pullers.map((p) => p.stderr()).join('\n')).toEqual([0, 0, 0]);
    for (const [i, p] of pullers.entries()) {
      const fetched = await p.next('fetched');
      expect(fetched.status).toBe('complete');
      expect(fetched.bytes).toBe(added.dagSize);
      const store = new PackBlockstore(join(work.path, `puller-${i + 1}`, 'packs'));
      await store.open();
      expect(await contentSha256(store, CID.parse(added.cid))).toBe(expected);
      await store.close();
    }

    provider.child.kill('SIGTERM');
    expect(await provider.exit).toBe(0);
    expect(provider.events.some((e) => e.event === 'stopped')).toBe(true);
    // ~15 s on an idle two-core machine; the margin is for a CI machine shared with other suites' processes.
  }, 150_000);
});
