/**
 * Test process for the kill -9 test of PackBlockstore: writes distinct 64 KiB blocks into the store at
 * argv[2] forever, printing each block's CID once its `put` has resolved (i.e. once it is acknowledged).
 */
import { CID } from 'multiformats/cid';
import * as raw from 'multiformats/codecs/raw';
import { sha256 } from 'multiformats/hashes/sha2';
import { PackBlockstore } from '../../../src/ipfs/pack/pack-blockstore.ts';

const store = new PackBlockstore(process.argv[2]!, { segmentBytes: 1 << 20 });
await store.open();
for (let i = 0; ; i++) {
  const bytes = new Uint8Array(65_536).fill(i & 0xff);
  bytes[0] = i >> 8;
  const cid = CID.createV1(raw.code, await sha256.digest(bytes));
  await store.put(cid, bytes);
  process.stdout.write(`${cid}\n`);
}
