/**
 * Bounded fuzz of a chain node process's JSON-RPC: random requests for every method it lists (random params,
 * broken JSON, batches, over WS and HTTP), then random and mutated extrinsic bytes into every method that
 * decodes one (mutations of a real signed transfer made with @polkadot/api). Each frame gets exactly one
 * well-formed answer, never -32603, and the node keeps serving. The inputs tried are printed; the longer run
 * is `npx tsx scripts/fuzz.ts --duration 10m`.
 */
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  connectApi,
  killAllStarted,
  type RunningNode,
  removeDir,
  startNode,
  tempBasePath,
} from '../integration/node-process.ts';
import { fuzzExtrinsics, fuzzRpc } from './fuzz-targets.ts';

let node: RunningNode;
let basePath: string;

beforeAll(async () => {
  basePath = await tempBasePath('fuzz-rpc');
  node = await startNode({ basePath, mode: { blockTimeMs: 1000 } });
});

afterAll(async () => {
  await node?.stop();
  await killAllStarted();
  if (basePath) await removeDir(basePath);
});

it('random JSON-RPC requests over WS and HTTP (~8 s)', async () => {
  const report = await fuzzRpc(node.wsUrl, node.httpUrl, 8_000);
  console.log(`fuzz rpc: ${report.runs} requests in ${Math.round(report.ms)} ms`);
  expect(report.runs).toBeGreaterThan(200);
  expect(node.child.exitCode).toBeNull();
});

it('random and mutated extrinsics into every decoding method (~5 s)', async () => {
  await cryptoWaitReady();
  const api = await connectApi(node.wsUrl);
  const alice = new Keyring({ type: 'sr25519' }).addFromUri('//Alice');
  const bob = new Keyring({ type: 'sr25519' }).addFromUri('//Bob');
  const transfer = await api.tx.balances.transferKeepAlive(bob.address, 10n ** 12n).signAsync(alice);
  const valid = [transfer.toU8a()];
  await api.disconnect();
  const report = await fuzzExtrinsics(node.wsUrl, 5_000, valid);
  console.log(`fuzz extrinsics: ${report.runs} inputs in ${Math.round(report.ms)} ms`);
  expect(report.runs).toBeGreaterThan(100);
  expect(node.child.exitCode).toBeNull();
});
