/** The storage node's IPFS process: on-disk stores, private libp2p on loopback, clean stop, restart keeps all. */
import { CID } from 'multiformats/cid';
import { afterAll, describe, expect, it } from 'vitest';
import { StorageNode, StorageNodeStateError } from '../../src/ipfs/storage-node.ts';
import { contentSha256, deterministicBytes, sha256Hex, tempDir } from './helpers.ts';

const dirs: Array<{ remove(): Promise<void> }> = [];
afterAll(async () => {
  for (const d of dirs) await d.remove();
});

describe('StorageNode', () => {
  it('listens on loopback only, with no public discovery', async () => {
    const dir = await tempDir('node-loopback');
    dirs.push(dir);
    const node = new StorageNode({ basePath: dir.path });
    await node.start();
    try {
      expect(node.multiaddrs.length).toBeGreaterThan(0);
      for (const ma of node.multiaddrs)
        expect(ma.toString()).toMatch(/^\/ip4\/127\.0\.0\.1\/tcp\/\d+\/p2p\//);
      expect(node.helia.libp2p.getConnections()).toHaveLength(0);
      const services = Object.keys(node.helia.libp2p.services);
      for (const name of ['dht', 'autoNAT', 'upnp', 'relay', 'dcutr', 'autoTLS'])
        expect(services).not.toContain(name);
    } finally {
      await node.stop();
    }
  });

  it('keeps every block, every pin and its peer id across a restart', async () => {
    const dir = await tempDir('node-restart');
    dirs.push(dir);
    const bytes = deterministicBytes(3 * 1024 * 1024, 3);
    const first = new StorageNode({ basePath: dir.path });
    await first.start();
    const added = await first.add(bytes);
    const small = await first.add(new TextEncoder().encode('hello world\n'));
    expect(small.cid.toString()).toBe('QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o');
    const peerId = first.peerId.toString();
    await first.stop();
    await first.stop(); // idempotent
    expect(() => first.helia).toThrow(StorageNodeStateError);

    const second = new StorageNode({ basePath: dir.path });
    await second.start();
    try {
      expect(second.peerId.toString()).toBe(peerId);
      expect(await second.isPinned(added.cid)).toBe(true);
      expect(await second.isPinned(small.cid)).toBe(true);
      expect(await contentSha256(second.helia.blockstore, added.cid)).toBe(sha256Hex(bytes));
      // GC keeps pinned DAGs.
      await second.helia.gc();
      expect(await contentSha256(second.helia.blockstore, added.cid)).toBe(sha256Hex(bytes));
    } finally {
      await second.stop();
    }
  });

  it('two nodes connect and one pulls a pinned file from the other by bitswap', async () => {
    const [da, db] = [await tempDir('node-a'), await tempDir('node-b')];
    dirs.push(da, db);
    const a = new StorageNode({ basePath: da.path });
    await a.start();
    const b = new StorageNode({ basePath: db.path, peers: [a.multiaddrs[0].toString()] });
    await b.start();
    try {
      expect(b.helia.libp2p.getConnections(a.peerId)).toHaveLength(1);
      const { cid } = await a.add(deterministicBytes(600_000, 9));
      await b.pin(CID.parse(cid.toString()), AbortSignal.timeout(20_000));
      expect(await contentSha256(b.helia.blockstore, cid)).toBe(sha256Hex(deterministicBytes(600_000, 9)));
    } finally {
      await b.stop();
      await a.stop();
    }
  });

  it('refuses bad addresses and double starts with typed errors', async () => {
    const dir = await tempDir('node-bad');
    dirs.push(dir);
    expect(() => new StorageNode({ basePath: dir.path, listen: ['not-a-multiaddr'] })).toThrow();
    expect(() => new StorageNode({ basePath: dir.path, peers: ['/ip4/1.2.3/tcp/x'] })).toThrow();
    const node = new StorageNode({ basePath: dir.path });
    expect(() => node.helia).toThrow(StorageNodeStateError);
    await node.start();
    try {
      await expect(node.start()).rejects.toBeInstanceOf(StorageNodeStateError);
    } finally {
      await node.stop();
    }
  });
});
