/**
 * `repo/gc` and `repo/stat` on a storage node's gateway, through the real kubo-rpc-client from npm and a
 * plain HTTP client: an unpinned upload is collected and its CIDs reported; pinned content survives; the
 * stats follow the pack store; writes need W3Auth; only POST is accepted.
 */
import { create } from 'kubo-rpc-client';
import { CID } from 'multiformats/cid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Gateway } from '../../src/gateway/index.ts';
import type { StorageNode } from '../../src/ipfs/storage-node.ts';
import { deterministicBytes, startTempStorageNode } from '../ipfs/helpers.ts';
import { substrateAuth } from './helpers.ts';

const cleanups: Array<() => Promise<void>> = [];
let node: StorageNode;
let url: string;
let alice: Awaited<ReturnType<typeof substrateAuth>>;

beforeAll(async () => {
  node = await startTempStorageNode('kubo-repo', cleanups);
  const gateway = new Gateway({ helia: node.helia as never });
  ({ url } = await gateway.start());
  cleanups.push(() => gateway.stop());
  alice = await substrateAuth('//Alice');
});

afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => {});
});

async function heldBlocks(): Promise<Set<string>> {
  const out = new Set<string>();
  for await (const { cid } of node.helia.blockstore.getAll())
    out.add(Buffer.from(cid.multihash.bytes).toString('hex'));
  return out;
}

describe('repo/gc and repo/stat', () => {
  it('collects an unpinned upload, reports its blocks, keeps a pinned one; stat follows', async () => {
    const client = create({ url: `${url}/api/v0`, headers: { authorization: alice.header } });
    const kept = await client.add(deterministicBytes(700_000, 1), { pin: true });
    const before = await heldBlocks();
    const dropped = await client.add(deterministicBytes(900_000, 2), { pin: false });
    const statFull = await client.repo.stat();
    expect(statFull.numObjects).toBe(BigInt((await heldBlocks()).size));
    expect(statFull.repoSize).toBeGreaterThan(1_600_000n);
    expect(statFull.storageMax).toBeGreaterThan(statFull.repoSize);
    expect(statFull.version).toBe('xstorage-pack@1');

    const removed: string[] = [];
    for await (const r of client.repo.gc()) {
      expect(r.err).toBeNull();
      removed.push(Buffer.from((r.cid as CID).multihash.bytes).toString('hex'));
    }
    // Exactly the unpinned upload's blocks (root and leaves) went; the pinned file's are all still here.
    const after = await heldBlocks();
    expect(after).toEqual(before);
    expect(removed.length).toBe(5); // 900,000 bytes = 4 leaves of 256 KiB + 1 root
    expect(removed).toContain(Buffer.from(CID.parse(dropped.cid.toString()).multihash.bytes).toString('hex'));
    expect(await node.isPinned(CID.parse(kept.cid.toString()))).toBe(true);
    expect((await client.repo.stat()).numObjects).toBe(BigInt(after.size));
    // A second GC has nothing to remove.
    let again = 0;
    for await (const _ of client.repo.gc()) again++;
    expect(again).toBe(0);
  });

  it('silent=true removes without a line per block; size-only stat has only the sizes', async () => {
    const client = create({ url: `${url}/api/v0`, headers: { authorization: alice.header } });
    await client.add(deterministicBytes(300_000, 3), { pin: false });
    const res = await fetch(`${url}/api/v0/repo/gc?silent=true`, {
      method: 'POST',
      headers: { Authorization: alice.header },
    });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
    const stat = await fetch(`${url}/api/v0/repo/stat?size-only=true`, { method: 'POST' });
    expect(Object.keys((await stat.json()) as object).sort()).toEqual(['RepoSize', 'StorageMax']);
  });

  it('repo/gc needs W3Auth and POST; bad options are refused with Kubo errors', async () => {
    const unauthenticated = await fetch(`${url}/api/v0/repo/gc`, { method: 'POST' });
    expect(unauthenticated.status).toBe(401);
    const get = await fetch(`${url}/api/v0/repo/gc`, { headers: { Authorization: alice.header } });
    expect(get.status).toBe(405);
    const bad = await fetch(`${url}/api/v0/repo/gc?silent=maybe`, {
      method: 'POST',
      headers: { Authorization: alice.header },
    });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ Type: 'error' });
  });
});
