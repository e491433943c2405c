/**
 * The `xstorage` command's errors, as users meet them (the bundled CLI as a child process, a devnet with Crust, Acala
 * and one storage node as the gateway): one line on stderr that says what is wrong and how to fix it, an `error`
 * JSON line with --json, and a distinct exit code per kind (unknown chain, missing file, insufficient balance, fee
 * above --max-fee, node not reachable, order refused on Crust with the reason that came back by XCM, bad usage).
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectApi } from '../../node/test/chain/helpers.ts';
import { type SpawnedDevnet, spawnDevnet } from '../../node/test/devnet/spawn-devnet.ts';
import { EXIT } from '../src/exit-codes.ts';
import { runCli } from './run-cli.ts';

let net: SpawnedDevnet;
let dir: string;
let endpointsFile: string;
let file: string;

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

beforeAll(async () => {
  await cryptoWaitReady();
  dir = await mkdtemp(join(tmpdir(), 'xstorage-cli-errors-'));
  net = await spawnDevnet({
    parachains: ['crust', 'acala'],
    blockTimeMs: 500,
    storageNodes: 1,
    readyTimeoutMs: 55_000,
  });
  endpointsFile = join(net.basePath, 'endpoints.json');
  file = join(dir, 'photo.bin');
  await writeFile(file, randomBytes(20_000));
}, 60_000);

afterAll(async () => {
  await net?.dispose();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('xstorage errors: one line, a distinct exit code', () => {
  const oneLine = (stderr: string) => {
    const lines = stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    return lines[0]!;
  };

  it('every command has --help, and the top-level help lists the exit codes', async () => {
    for (const cmd of [
      'store',
      'status',
      'get',
      'orders',
      'prepaid',
      'fee',
      'chains',
      'demo',
      'devnet',
      'node',
      'storage-node',
    ]) {
      const r = await runCli([cmd, '--help']);
      expect(r.code, cmd).toBe(0);
      expect(r.stdout, cmd).toMatch(/^usage: xstorage /);
    }
    const top = await runCli(['--help']);
    for (const code of Object.values(EXIT)) expect(top.stdout).toMatch(new RegExp(`\\n +${code}  `));
  });

  it('unknown chain: 3', async () => {
    const r = await runCli(['store', file, '--from', 'polkadex', '--endpoints', endpointsFile]);
    expect(r.code).toBe(EXIT.UNKNOWN_CHAIN);
    expect(oneLine(r.stderr)).toMatch(/unknown chain 'polkadex': use one of crust, acala/);
  });

  it('missing file: 4, checked before connecting to anything', async () => {
    const nowhere = await closedPort();
    const r = await runCli([
      'store',
      join(dir, 'missing.jpg'),
      '--from',
      'acala',
      '--endpoints',
      endpointsFile,
      '--gateway',
      `http://127.0.0.1:${nowhere}`,
    ]);
    expect(r.code).toBe(EXIT.FILE_NOT_FOUND);
    expect(oneLine(r.stderr)).toMatch(/missing\.jpg: no such file or directory/);
    const sn = await runCli([
      'storage-node',
      '--base-path',
      join(dir, 'sn'),
      '--add',
      join(dir, 'missing.jpg'),
      '--json',
    ]);
    expect(sn.code).toBe(EXIT.FILE_NOT_FOUND);
    expect(sn.stdout).toBe(''); // nothing started
    expect(oneLine(sn.stderr)).toMatch(/--add .*missing\.jpg: no such file/);
    const get = await runCli([
      'get',
      'QmYwAPJzv5CZsnA625s3Xf2nemtYgPpHdWEz79ojWnPbdG',
      '-o',
      join(dir, 'x'),
      '--endpoints',
      endpointsFile,
    ]);
    expect(get.code).toBe(EXIT.FILE_NOT_FOUND);
  }, 30_000);

  it('insufficient balance: 5, before the upload', async () => {
    const r = await runCli([
      'store',
      file,
      '--from',
      'acala',
      '--account',
      '//NobodyHasFunds',
      '--endpoints',
      endpointsFile,
      '--json',
    ]);
    expect(r.code).toBe(EXIT.INSUFFICIENT_BALANCE);
    expect(oneLine(r.stderr)).toMatch(/holds 0 ACA on acala; the order needs .* ACA/);
    expect(r.json.map((e) => e.event)).toEqual(['error']);
    expect(r.json[0]).toMatchObject({ code: 'INSUFFICIENT_BALANCE', exitCode: EXIT.INSUFFICIENT_BALANCE });
  });

  it('fee above --max-fee: 6', async () => {
    const r = await runCli([
      'store',
      file,
      '--from',
      'acala',
      '--pay',
      'cru',
      '--max-fee',
      '0.000001',
      '--endpoints',
      endpointsFile,
    ]);
    expect(r.code).toBe(EXIT.FEE_ABOVE_MAX);
    expect(oneLine(r.stderr)).toMatch(
      /the order costs [\d.]+ CRU, above --max-fee 0\.000001 CRU: raise --max-fee/,
    );
  });

  it('node not reachable: 7', async () => {
    const port = await closedPort();
    const bad = join(dir, 'bad-endpoints.json');
    await writeFile(
      bad,
      JSON.stringify({
        relay: { ws: `ws://127.0.0.1:${port}` },
        parachains: {
          crust: { paraId: 2008, ws: `ws://127.0.0.1:${port}` },
          acala: { paraId: 2000, ws: `ws://127.0.0.1:${port}` },
        },
      }),
    );
    const r = await runCli(['fee', '1000', '--from', 'acala', '--endpoints', bad]);
    expect(r.code).toBe(EXIT.NODE_UNREACHABLE);
    expect(oneLine(r.stderr)).toMatch(
      new RegExp(`(acala|crust) at ws://127.0.0.1:${port} is not reachable .*check --endpoints`),
    );
  });

  it('bad flags and arguments: 2', async () => {
    const r = await runCli([
      'store',
      file,
      '--from',
      'acala',
      '--replicas',
      'many',
      '--endpoints',
      endpointsFile,
    ]);
    expect(r.code).toBe(EXIT.USAGE);
    expect(r.stderr.split('\n')[0]).toMatch(/--replicas must be an integer/);
    const cid = await runCli(['status', 'not-a-cid', '--endpoints', endpointsFile]);
    expect(cid.code).toBe(EXIT.USAGE);
    expect(oneLine(cid.stderr)).toMatch(/'not-a-cid' is not a CID/);
  });

  it('order failed on Crust: 8, with the reason that came back by XCM, and the refund', async () => {
    // Crust's sudo (//Alice) closes the market: Crust refuses the order and the pallet hears why.
    const crust = await connectApi(net.endpoints.parachains.crust.ws);
    const alice = new Keyring({ type: 'sr25519' }).addFromUri('//Alice');
    const sudo = (enable: boolean) =>
      new Promise<void>((resolve, reject) =>
        crust.tx.sudo
          .sudo(crust.tx.market.setEnableMarket(enable))
          .signAndSend(alice, (res: any) => {
            if (res.dispatchError) reject(new Error(res.dispatchError.toString()));
            if (res.status.isInBlock) resolve();
          })
          .catch(reject),
      );
    try {
      await sudo(false);
      const other = join(dir, 'refused.bin');
      await writeFile(other, randomBytes(1000));
      const r = await runCli(
        ['store', other, '--from', 'acala', '--endpoints', endpointsFile, '--json', '--timeout', '40'],
        { timeoutMs: 45_000 },
      );
      expect(r.code).toBe(EXIT.ORDER_FAILED);
      expect(oneLine(r.stderr)).toMatch(/failed on Crust: market\.PlaceOrderNotAvailable/);
      const failed = r.json.find((e) => e.event === 'failed')!;
      expect(failed).toMatchObject({ reason: 'market.PlaceOrderNotAvailable', where: 'crust' });
      expect(BigInt(failed.refund)).toBeGreaterThan(0n);
      expect(r.json.at(-1)).toMatchObject({
        event: 'error',
        code: 'ORDER_FAILED',
        exitCode: EXIT.ORDER_FAILED,
      });
    } finally {
      await sudo(true);
      await crust.disconnect();
    }
  }, 55_000);
});
