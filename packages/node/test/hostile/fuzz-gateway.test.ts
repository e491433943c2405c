/**
 * Bounded fuzz of the gateway's request parsing: random multipart bodies into `/api/v0/add`, random content
 * paths, queries and ranges on `/ipfs/…`, random Kubo RPC arguments, random W3Auth headers. Every request is
 * answered without a 5xx (Kubo's 500 for "not pinned" aside) and the gateway keeps serving. The longer run
 * is `npx tsx scripts/fuzz.ts --duration 10m`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Gateway } from '@xstorage/storage-node/gateway';
import { PackBlockstore } from '@xstorage/storage-node/ipfs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  startGateway,
  startHelia,
  substrateAuth,
  type TestHelia,
} from '../../../storage-node/test/gateway/helpers.ts';
import { fuzzGateway } from './fuzz-targets.ts';

let helia: TestHelia;
let gateway: Gateway;
let url: string;
let dir: string;
const internalErrors: unknown[] = [];

beforeAll(async () => {
  // The storage node's own block store (repo/stat reads it).
  dir = await mkdtemp(join(tmpdir(), 'xstorage-fuzz-gw-'));
  const blockstore = new PackBlockstore(join(dir, 'packs'));
  await blockstore.open();
  helia = await startHelia({ blockstore });
  ({ gateway, url } = await startGateway(helia, {
    onError: (err) => internalErrors.push(err),
    // A run makes thousands of uploads from one address and key.
    uploadLimits: { quotaBytes: 0 },
  }));
});

afterAll(async () => {
  await gateway?.stop();
  await helia?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

it('random requests to the path gateway, the Kubo RPC and W3Auth (~8 s)', async () => {
  const auth = (await substrateAuth('//Alice')).header;
  const report = await fuzzGateway(url, auth, 8_000, { internalErrors: () => internalErrors.length });
  console.log(`fuzz gateway: ${report.runs} requests in ${Math.round(report.ms)} ms`);
  expect(report.runs).toBeGreaterThan(200);
  expect(internalErrors).toEqual([]);
  const res = await fetch(`${url}/api/v0/version`, { method: 'POST' });
  expect(res.status).toBe(200);
});
