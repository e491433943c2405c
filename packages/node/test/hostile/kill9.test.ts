/**
 * kill -9 of a chain node while hostile clients are on it (a flood, never-reading clients pipelining heavy
 * calls, slow heads, deep and malformed JSON): restarted on the same base path, it still has every block it had
 * finalized and serves again. What a hostile load leaves behind must never be a damaged database.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  killAllStarted,
  type RunningNode,
  removeDir,
  startNode,
  tempBasePath,
  waitUntil,
} from '../integration/node-process.ts';
import { killHostileProcesses, startHostileProcess } from './hostile-process.ts';
import { deepRequest, kill9UnderLoad, malformedJsonRpcFrames } from './kit.ts';

let basePath: string;
let node: RunningNode | undefined;

beforeAll(async () => {
  basePath = await tempBasePath('hostile-kill9');
});

afterAll(async () => {
  killHostileProcesses();
  await node?.stop();
  await killAllStarted();
  if (basePath) await removeDir(basePath);
});

async function rpc(url: string, method: string, params: unknown[] = []): Promise<any> {
  const res = await fetch(url, {
    method: 'POST',
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
    headers: { 'Content-Type': 'application/json' },
  });
  return ((await res.json()) as { result: unknown }).result;
}

it('restarts after kill -9 under hostile load with every finalized block', async () => {
  const mode = { blockTimeMs: 200 };
  const first = await startNode({ basePath, mode });
  node = first;
  await waitUntil(
    async () => Number((await rpc(first.httpUrl, 'chain_getHeader')).number) >= 5,
    20_000,
    'block 5',
  );
  let finalized: { number: number; hash: string } | undefined;
  await kill9UnderLoad(
    first.child.pid!,
    async () => {
      const hostile = await startHostileProcess([
        { kind: 'idle-flood', url: first.wsUrl, count: 30, address: 2 },
        {
          kind: 'never-readers',
          url: first.wsUrl,
          count: 5,
          firstAddress: 10,
          frames: ['{"jsonrpc":"2.0","id":1,"method":"chain_subscribeAllHeads"}'],
          frame: '{"jsonrpc":"2.0","id":2,"method":"state_getMetadata"}',
          everyMs: 10,
          burst: 10,
        },
        { kind: 'slow-headers', url: first.httpUrl, count: 10, address: 3, intervalMs: 100 },
      ]);
      let spamming = true;
      const frames = [deepRequest(5000), ...malformedJsonRpcFrames().slice(0, 20)];
      const spam = (async () => {
        for (let i = 0; spamming; i++) {
          await fetch(first.httpUrl, {
            method: 'POST',
            body: frames[i % frames.length],
            headers: { 'Content-Type': 'application/json' },
          }).then(
            (r) => r.arrayBuffer(),
            () => undefined,
          );
        }
      })();
      // What the node reports finalized just before the kill is what must survive it.
      const sampler = setInterval(() => {
        void (async () => {
          const hash = (await rpc(first.httpUrl, 'chain_getFinalizedHead')) as string;
          const header = await rpc(first.httpUrl, 'chain_getHeader', [hash]);
          finalized = { number: Number(header.number), hash };
        })().catch(() => {});
      }, 100);
      return () => {
        clearInterval(sampler);
        spamming = false;
        void spam;
        void hostile.stop();
      };
    },
    1500,
  );
  await first.exited;
  expect(first.child.signalCode).toBe('SIGKILL');
  expect(finalized?.number).toBeGreaterThanOrEqual(5);

  const second = await startNode({ basePath, mode });
  node = second;
  expect(await rpc(second.httpUrl, 'chain_getBlockHash', [finalized!.number])).toBe(finalized!.hash);
  const best = Number((await rpc(second.httpUrl, 'chain_getHeader')).number);
  expect(best).toBeGreaterThanOrEqual(finalized!.number);
  // And it goes on making blocks.
  await waitUntil(
    async () => Number((await rpc(second.httpUrl, 'chain_getHeader')).number) > best,
    10_000,
    'a new block after the restart',
  );
});
