/**
 * The `xstorage` command as users run it (the bundled CLI as a child process) against a devnet with its storage nodes:
 * `store` from a 32-byte-account chain (acala, through its xstorage pallet) to 4 replicas and from a 20-byte-account
 * chain (moonbeam, Alith's Ethereum key), `--json` lines parsed, `status`, `get` returning identical bytes, `orders`,
 * `fee` and `chains`. (Error cases: cli-errors.test.ts.)
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SpawnedDevnet, spawnDevnet } from '../../node/test/devnet/spawn-devnet.ts';
import { runCli } from './run-cli.ts';

let net: SpawnedDevnet;
let dir: string;
let endpointsFile: string;
let file: string;
let content: Buffer;
let stored: { cid: string; size: string };

beforeAll(async () => {
  await cryptoWaitReady();
  dir = await mkdtemp(join(tmpdir(), 'xstorage-cli-test-'));
  net = await spawnDevnet({
    parachains: ['crust', 'acala', 'moonbeam'],
    blockTimeMs: 500,
    storageNodes: 4,
    readyTimeoutMs: 55_000,
  });
  endpointsFile = join(net.basePath, 'endpoints.json');
  file = join(dir, 'photo.bin');
  content = randomBytes(300_000);
  await writeFile(file, content);
}, 60_000);

afterAll(async () => {
  await net?.dispose();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('xstorage store → status → get', () => {
  it('stores a file from acala (32-byte accounts) and shows every hop to its replicas as JSON lines', async () => {
    const r = await runCli(
      [
        'store',
        file,
        '--from',
        'acala',
        '--replicas',
        '2',
        '--endpoints',
        endpointsFile,
        '--json',
        '--timeout',
        '50',
      ],
      {
        timeoutMs: 58_000,
      },
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const kinds = r.json.map((e) => e.event);
    expect(kinds.slice(0, 5)).toEqual(['uploaded', 'sent', 'relayed', 'executed', 'confirmed']);
    expect(kinds.at(-1)).toBe('summary');
    const uploaded = r.json[0]!;
    expect(uploaded.cid).toMatch(/^Qm[1-9A-HJ-NP-Za-km-z]{44}$/);
    const sent = r.json.find((e) => e.event === 'sent')!;
    expect(sent.chain).toBe('acala');
    expect(sent.route).toBe('pallet');
    const relayed = r.json.find((e) => e.event === 'relayed')!;
    expect(relayed.paraBlock).toBeGreaterThanOrEqual(sent.block);
    const replicas = r.json.filter((e) => e.event === 'replicas');
    expect(replicas.at(-1)!.count).toBeGreaterThanOrEqual(2);
    // Replica counts only grow, and each names a distinct storage node account.
    for (let i = 1; i < replicas.length; i++)
      expect(replicas[i]!.count).toBeGreaterThan(replicas[i - 1]!.count);
    const accounts = new Set(net.endpoints.storageNodes!.map((n) => n.account));
    for (const rep of replicas.at(-1)!.replicas) expect(accounts.has(rep.who)).toBe(true);
    const summary = r.json.at(-1)!;
    expect(summary).toMatchObject({ cid: uploaded.cid, from: 'acala' });
    expect(summary.replicas).toBeGreaterThanOrEqual(2);
    expect(BigInt(summary.fee)).toBeGreaterThan(0n);
    stored = { cid: uploaded.cid, size: uploaded.size };
  }, 60_000);

  it('status shows the order on Crust: size and its replicas', async () => {
    const r = await runCli(['status', stored.cid, '--endpoints', endpointsFile, '--json']);
    expect(r.code).toBe(0);
    const s = r.json[0]!;
    expect(s.event).toBe('status');
    expect(s.size).toBe(stored.size);
    expect(s.replicas.length).toBeGreaterThanOrEqual(2);
    expect(s.expiredAt).toBeGreaterThan(0);
    const text = await runCli(['status', stored.cid, '--endpoints', endpointsFile]);
    expect(text.stdout).toMatch(/replicas {4}[2-4]\n/);
  });

  it('get returns the identical bytes, to a file and to stdout', async () => {
    const out = join(dir, 'copy.bin');
    const r = await runCli(['get', stored.cid, '-o', out, '--endpoints', endpointsFile, '--json']);
    expect(r.code).toBe(0);
    expect(r.json[0]).toMatchObject({ event: 'saved', cid: stored.cid, bytes: content.length });
    expect(Buffer.compare(await readFile(out), content)).toBe(0);
  });

  it('stores from moonbeam (20-byte accounts) signed with Alith, and orders lists it', async () => {
    const small = join(dir, 'note.txt');
    await writeFile(small, `moonbeam ${Date.now()}\n`);
    const r = await runCli(
      [
        'store',
        small,
        '--from',
        'moonbeam',
        '--account',
        'Alith',
        '--replicas',
        '1',
        '--endpoints',
        endpointsFile,
        '--json',
      ],
      { timeoutMs: 50_000 },
    );
    expect(r.code).toBe(0);
    const summary = r.json.at(-1)!;
    expect(summary.event).toBe('summary');
    expect(summary.account).toBe('0xf24FF3a9CF04c71Dbc94D0b566f7A27B94566cac');
    expect(summary.replicas).toBeGreaterThanOrEqual(1);
    const orders = await runCli([
      'orders',
      '--from',
      'moonbeam',
      '--account',
      'Alith',
      '--endpoints',
      endpointsFile,
      '--json',
    ]);
    expect(orders.code).toBe(0);
    expect(orders.json.map((o) => o.cid)).toContain(summary.cid);
  }, 55_000);

  it('fee and chains answer with JSON lines', async () => {
    const fee = await runCli([
      'fee',
      '1MiB',
      '--from',
      'acala',
      '--pay',
      'cru',
      '--endpoints',
      endpointsFile,
      '--json',
    ]);
    expect(fee.code).toBe(0);
    expect(fee.json[0]).toMatchObject({
      event: 'fee',
      from: 'acala',
      size: '1048576',
      route: 'pallet',
      token: 'CRU',
    });
    expect(BigInt(fee.json[0]!.total)).toBeGreaterThan(BigInt(fee.json[0]!.orderFee));
    const chains = await runCli(['chains', '--endpoints', endpointsFile, '--json']);
    expect(chains.code).toBe(0);
    const byId = Object.fromEntries(chains.json.map((c) => [c.id, c]));
    expect(byId.moonbeam).toMatchObject({
      paraId: 2004,
      accounts: 'ethereum',
      reachable: true,
      xstoragePallet: true,
    });
    expect(byId.crust).toMatchObject({ paraId: 2008, token: 'CRU', xstoragePallet: false });
    expect(byId.relay.best).toBeGreaterThan(0);
  });
});
