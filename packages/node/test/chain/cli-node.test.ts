/**
 * `xstorage node` as a process: the one-line JSON ready message a parent waits for, RPC answering on the port it
 * names, a second node on the same base path refused with one line saying what to do, and SIGTERM stopping it
 * cleanly (exit 0). Argument parsing refuses contradictions with a clear message.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Keyring } from '@polkadot/keyring';
import { parseNodeArgs } from '@xstorage/cli/commands/node';
import { afterAll, describe, expect, it } from 'vitest';
import { builtCliMain } from '../../../cli/dist-path.ts';
import { connectApi } from './helpers.ts';

const children: ChildProcess[] = [];
let dir = '';

afterAll(async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  if (dir) await rm(dir, { recursive: true, force: true });
});

function run(args: string[]) {
  const child = spawn(process.execPath, [builtCliMain(), 'node', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => {
    out += d;
  });
  child.stderr!.on('data', (d) => {
    err += d;
  });
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const line = (match: RegExp, ms: number) =>
    new Promise<string>((res, rej) => {
      const t0 = Date.now();
      const tick = () => {
        const l = out.split('\n').find((x) => match.test(x));
        if (l) return res(l);
        if (child.exitCode !== null || Date.now() - t0 > ms)
          return rej(new Error(`no line ${match} (exit ${child.exitCode}): ${out} ${err}`));
        setTimeout(tick, 50);
      };
      tick();
    });
  return { child, exited, line, output: () => ({ out, err }) };
}

describe('parseNodeArgs', () => {
  it('maps flags to node options and refuses contradictions', () => {
    expect(parseNodeArgs(['--dev'])).toMatchObject({
      chain: 'dev',
      tmp: true,
      rpcPort: 9944,
      rpcHost: '127.0.0.1',
      sealing: { kind: 'interval', blockTimeMs: 6000 },
    });
    expect(
      parseNodeArgs(['--chain', 'dev', '--base-path', '/x', '--sealing', 'instant', '--rpc-port', '0']),
    ).toMatchObject({
      basePath: '/x',
      tmp: false,
      rpcPort: 0,
      sealing: { kind: 'instant' },
    });
    expect(parseNodeArgs(['--dev', '--block-time', '1000']).sealing).toEqual({
      kind: 'interval',
      blockTimeMs: 1000,
    });
    expect(() => parseNodeArgs(['--dev', '--sealing', 'fast'])).toThrow(
      /--sealing must be instant or manual/,
    );
    expect(() => parseNodeArgs(['--dev', '--block-time', '1000', '--sealing', 'manual'])).toThrow(
      /exclusive/,
    );
    expect(() => parseNodeArgs(['--dev', '--rpc-port', '70000'])).toThrow(/--rpc-port/);
    expect(() => parseNodeArgs(['--chain', 'dev'])).toThrow(/--base-path/);
    expect(() => parseNodeArgs(['--dev', '--bogus'])).toThrow();
  });
});

describe('xstorage node process', () => {
  it('prints a JSON ready line, serves RPC, refuses a second node on its base path, stops on SIGTERM', async () => {
    dir = await mkdtemp(join(tmpdir(), 'xstorage-cli-node-'));
    const a = run(['--base-path', dir, '--rpc-port', '0', '--json', '--sealing', 'manual']);
    const ready = JSON.parse(await a.line(/"event":"ready"/, 50_000));
    expect(ready).toMatchObject({ event: 'ready', chain: 'dev', bestNumber: 0, basePath: dir });
    expect(ready.rpcUrl).toMatch(/^ws:\/\/127\.0\.0\.1:\d+$/);
    const res = await fetch(ready.httpUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'chain_getBlockHash', params: [0] }),
    });
    expect(((await res.json()) as { result: string }).result).toBe(ready.genesisHash);

    const b = run(['--base-path', dir, '--rpc-port', '0']);
    expect(await b.exited).toBe(1);
    const lines = b.output().err.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/locked by another running node; stop that node or use another --base-path/);

    a.child.kill('SIGTERM');
    expect(await a.exited).toBe(0);
    expect(a.output().out).toContain('"event":"stopped"');
  });
});

describe('crash', () => {
  it('kill -9 after blocks were imported: the restarted node has every imported block and finalizes them', async () => {
    const base = await mkdtemp(join(tmpdir(), 'xstorage-cli-crash-'));
    try {
      const a = run(['--base-path', base, '--rpc-port', '0', '--json', '--sealing', 'instant']);
      const ready = JSON.parse(await a.line(/"event":"ready"/, 50_000));
      const api = await connectApi(ready.rpcUrl);
      const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
      const alice = keyring.addFromUri('//Alice');
      const bob = keyring.addFromUri('//Bob');
      const bobBefore = ((await api.query.system.account(bob.address)) as any).data.free.toBigInt();
      let lastBlock = 0;
      for (let i = 0; i < 3; i++) {
        await new Promise<void>((resolve, reject) => {
          api.tx.balances
            .transferKeepAlive(bob.address, 1000n)
            .signAndSend(alice, { nonce: i }, async (r) => {
              // `finalized` can come without `inBlock` on a loaded machine (polkadot-js skips it while fetching
              // the block's events).
              if (r.status.isInBlock || r.status.isFinalized) {
                const at = r.status.isInBlock ? r.status.asInBlock : r.status.asFinalized;
                lastBlock = Math.max(lastBlock, (await api.rpc.chain.getHeader(at)).number.toNumber());
                resolve();
              }
            })
            .catch(reject);
        });
      }
      await api.disconnect();
      a.child.kill('SIGKILL');
      await a.exited;
      const b = run(['--base-path', base, '--rpc-port', '0', '--json', '--sealing', 'manual']);
      const again = JSON.parse(await b.line(/"event":"ready"/, 50_000));
      expect(again.genesisHash).toBe(ready.genesisHash);
      expect(again.bestNumber).toBeGreaterThanOrEqual(lastBlock);
      const api2 = await connectApi(again.rpcUrl);
      try {
        const bobAfter = ((await api2.query.system.account(bob.address)) as any).data.free.toBigInt();
        expect(bobAfter - bobBefore).toBe(3000n);
        const fin = await api2.rpc.chain.getHeader(await api2.rpc.chain.getFinalizedHead());
        expect(fin.number.toNumber()).toBe(again.bestNumber);
      } finally {
        await api2.disconnect();
      }
      b.child.kill('SIGTERM');
      expect(await b.exited).toBe(0);
    } finally {
      await rm(base, { recursive: true, force: true });
    }
  });
});
