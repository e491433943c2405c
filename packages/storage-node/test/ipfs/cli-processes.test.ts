/**
 * A storage node process (`xstorage storage-node`) killed with SIGKILL mid-pull resumes after a restart without
 * downloading verified blocks again.
 */
import { join } from 'node:path';
import { CID } from 'multiformats/cid';
import { afterAll, describe, expect, it } from 'vitest';
import { PackBlockstore } from '../../src/ipfs/pack/pack-blockstore.ts';
import { StorageNode } from '../../src/ipfs/storage-node.ts';
import { startCarServer } from './car-server.ts';
import { contentSha256, deterministicBytes, sha256Hex, tempDir } from './helpers.ts';
import { killStorageNodeProcesses, xstorage } from './storage-node-process.ts';

const dirs: Array<{ remove(): Promise<void> }> = [];

afterAll(async () => {
  killStorageNodeProcesses();
  for (const d of dirs) await d.remove();
});

describe('storage-node processes', () => {
  it('a puller killed with SIGKILL mid-way resumes without downloading verified blocks again', async () => {
    const work = await tempDir('cli-kill');
    dirs.push(work);
    const source = new StorageNode({ basePath: join(work.path, 'source') });
    await source.start();
    const bytes = deterministicBytes(16 * 1024 * 1024, 5);
    const { cid, dagSize } = await source.add(bytes);
    const total = Math.ceil(bytes.length / 262144) + 1;
    // Throttled so there is a "mid-way" to kill in.
    const server = await startCarServer(source.helia.blockstore, { delayPerBlockMs: 200 });
    try {
      const args = [
        '--base-path',
        join(work.path, 'puller'),
        '--json',
        '--fetch',
        cid.toString(),
        '--provider',
        server.url,
        '--exit-when-done',
      ];
      const first = xstorage(args);
      const mid = await first.next('progress', (e) => e.blocks >= 15);
      first.child.kill('SIGKILL');
      await first.exit;
      expect(mid.blocks).toBeLessThan(total);
      // Requests the dead process left behind finish (into a closed socket) before we start counting.
      await new Promise((r) => setTimeout(r, 600));
      const heldAfterKill = new Set<string>();
      const disk = new PackBlockstore(join(work.path, 'puller', 'packs'));
      await disk.open();
      for await (const { cid: held } of disk.getAll()) heldAfterKill.add(held.toV1().toString());
      await disk.close();
      expect(heldAfterKill.size).toBeGreaterThanOrEqual(mid.blocks);

      const servedBefore = server.bytesServed;
      const requestsBefore = server.requests.length;
      const second = xstorage(args);
      expect(await second.exit, second.stderr()).toBe(0);
      const fetched = await second.next('fetched');
      expect(fetched.status).toBe('complete');
      // Every block on disk after the kill was complete and verified: all are reused, none asked for again.
      expect(fetched.reusedBlocks).toBe(heldAfterKill.size);
      const askedAgain = server.requests.slice(requestsBefore).map((r) =>
        CID.parse(/\/ipfs\/([^?]+)/.exec(r)![1])
          .toV1()
          .toString(),
      );
      expect(askedAgain.filter((c) => heldAfterKill.has(c))).toEqual([]);
      expect(fetched.blocks + fetched.reusedBlocks).toBe(total);
      expect(fetched.bytes).toBeLessThan(dagSize);
      // Only the missing blocks crossed the wire the second time.
      expect(server.bytesServed - servedBefore).toBe(fetched.bytes);
      const store = new PackBlockstore(join(work.path, 'puller', 'packs'));
      await store.open();
      expect(await contentSha256(store, cid)).toBe(sha256Hex(bytes));
      await store.close();
    } finally {
      await server.close();
      await source.stop();
    }
    // A few seconds when idle; the margin is for a CI machine shared with other suites' processes.
  }, 90_000);
});
