/**
 * CARs served from the storage node's disk store go out of pooled buffers (a block file read into reused
 * memory, written with its section prefix in one write). Several CARs at once, from the same pool, must be
 * byte-identical to the CAR @ipld/car writes for the same blocks in DFS order: a buffer reused too early, or
 * a link CID left pointing into one, would show up here as a wrong byte.
 */
import { join } from 'node:path';
import { CarWriter } from '@ipld/car/writer';
import * as dagPb from '@ipld/dag-pb';
import type { CID } from 'multiformats/cid';
import { afterAll, describe, expect, it } from 'vitest';
import { Gateway } from '../../src/gateway/index.ts';
import { readBlock } from '../../src/ipfs/blocks.ts';
import { StorageNode } from '../../src/ipfs/storage-node.ts';
import { deterministicBytes, tempDir } from '../ipfs/helpers.ts';

const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => {});
});

async function referenceCar(node: StorageNode, root: CID): Promise<Buffer> {
  const { writer, out } = CarWriter.create([root]);
  const parts: Uint8Array[] = [];
  const collect = (async () => {
    for await (const p of out) parts.push(p);
  })();
  const stack = [root];
  const seen = new Set<string>();
  while (stack.length > 0) {
    const cid = stack.pop()!;
    if (seen.has(cid.toString())) continue;
    seen.add(cid.toString());
    const bytes = await readBlock(node.helia.blockstore.get(cid));
    await writer.put({ cid, bytes });
    if (cid.code === dagPb.code) {
      const links = dagPb.decode(bytes).Links;
      for (let i = links.length - 1; i >= 0; i--) stack.push(links[i]!.Hash);
    }
  }
  await writer.close();
  await collect;
  return Buffer.concat(parts);
}

describe('trustless CAR from the disk store', () => {
  it('serves several CARs at once, each byte-identical to the reference', async () => {
    const dir = await tempDir('gw-car-lent');
    const node = new StorageNode({ basePath: join(dir.path, 'node') });
    await node.start();
    cleanups.push(async () => {
      await node.stop();
      await dir.remove();
    });
    // 200 leaves: two interior nodes under the root (174 links each at most), so links are decoded from
    // nodes read into pooled memory.
    const big = await node.add(deterministicBytes(200 * 262144 + 99, 31));
    const small = await node.add(deterministicBytes(1000, 32));
    const gateway = new Gateway({ helia: node.helia as never });
    const { url } = await gateway.start();
    cleanups.push(() => gateway.stop());

    const expectBig = await referenceCar(node, big.cid);
    const expectSmall = await referenceCar(node, small.cid);
    const get = async (cid: CID) => {
      const res = await fetch(`${url}/ipfs/${cid}?format=car&dag-scope=all`, {
        headers: { accept: 'application/vnd.ipld.car; version=1; order=dfs; dups=n' },
      });
      expect(res.status).toBe(200);
      return Buffer.from(await res.arrayBuffer());
    };
    const got = await Promise.all([get(big.cid), get(small.cid), get(big.cid), get(big.cid), get(small.cid)]);
    for (const [i, body] of got.entries()) {
      const want = i === 1 || i === 4 ? expectSmall : expectBig;
      expect(body.length, `response ${i}`).toBe(want.length);
      expect(body.equals(want), `response ${i}`).toBe(true);
    }
  }, 30_000);
});
