/**
 * `xstorage prepaid --from oak --at …`: a renewal scheduled on OAK (its `XstorageAutomation` pallet), as users meet
 * it (the bundled CLI as a child process; a devnet of Crust and OAK, 1 s blocks, no storage nodes):
 * - a file ordered from OAK, a renewal scheduled a few blocks ahead: the --json lines say scheduled → sent (in exactly
 *   the block asked for, paid = the quoted fee) → confirmed, and Crust's `market.filesV2(cid).prepaid` grew by exactly
 *   the amount;
 * - the SDK's `cancelPrepaid` before the block: the watcher ends `cancelled`, nothing fires;
 * - the SDK's renewal of a CID Crust has no order for: scheduled → sent → failed (`market.FileNotExist`, a refund);
 * - `--at` in the past, malformed `--at` (`abc`, `-5`, `+0`): usage errors, nothing scheduled;
 * - `--at` on a chain without the pallet (Crust; and "acala", an endpoints entry pointed at Crust's RPC because this
 *   devnet runs only Crust and OAK): the one-line "only OAK does" error.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { createClient, type RenewalEvent, type XstorageClient } from '@xstorage/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SpawnedDevnet, spawnDevnet } from '../../node/test/devnet/spawn-devnet.ts';
import { EXIT } from '../src/exit-codes.ts';
import { runCli } from './run-cli.ts';

let net: SpawnedDevnet;
let client: XstorageClient;
let endpointsFile: string;
let withAcala: string;
const CID = 'QmdwgqZy1MZBfWPi7GcxVsYgJEtmvHg6rsLzbCej3tf3oF';
const CRU = 10n ** 12n;

beforeAll(async () => {
  await cryptoWaitReady();
  net = await spawnDevnet({
    parachains: ['crust', 'oak'],
    blockTimeMs: 1000,
    storageNodes: 0,
    readyTimeoutMs: 55_000,
  });
  endpointsFile = join(net.basePath, 'endpoints.json');
  withAcala = join(net.basePath, 'endpoints-acala.json');
  const crust = net.endpoints.parachains.crust!;
  await writeFile(
    withAcala,
    JSON.stringify({
      ...net.endpoints,
      parachains: { ...net.endpoints.parachains, acala: { paraId: 2000, ws: crust.ws } },
    }),
  );
  client = await createClient({ endpoints: net.endpoints });
}, 60_000);

afterAll(async () => {
  await client?.disconnect();
  await net?.dispose();
});

const ONLY_OAK =
  /cannot schedule renewals; only OAK does — use `xstorage prepaid` without --at to add prepaid now/;
const oneLine = (stderr: string) => {
  const lines = stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  return lines[0]!;
};

describe('xstorage prepaid --at: renewals scheduled on OAK', () => {
  it('schedules a renewal a few blocks ahead: sent in that block, Crust adds exactly the amount', async () => {
    const signer = await client.signer('//Alice', 'oak');
    const receipt = await client.placeOrder({ from: 'oak', cid: CID, size: 1000n, pay: 'cru', signer });
    const hops: string[] = [];
    for await (const e of client.watchOrder(receipt, { replicas: 0, timeoutMs: 30_000 })) hops.push(e.kind);
    expect(hops).toContain('confirmed');
    const before = (await client.status(CID))!.prepaid;

    const r = await runCli(
      [
        'prepaid',
        CID,
        '2.5',
        '--from',
        'oak',
        '--at',
        '+6',
        '--timeout',
        '40',
        '--json',
        '--endpoints',
        endpointsFile,
      ],
      { timeoutMs: 50_000 },
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(EXIT.OK);
    const amount = (25n * CRU) / 10n;
    expect(r.json.map((e) => e.event)).toEqual(['scheduled', 'sent', 'confirmed']);
    const [scheduled, sent, confirmed] = r.json as [any, any, any];
    expect(scheduled.taskId).toMatch(/^0x[0-9a-f]{64}$/);
    expect(scheduled).toMatchObject({ chain: 'oak', cid: CID, amount: amount.toString() });
    expect(scheduled.at).toBeGreaterThan(scheduled.block);
    // Fired in its block's on_initialize, taking what was quoted (nothing moved between quote and firing).
    expect(sent.block).toBe(scheduled.at);
    expect(sent.paid).toBe(scheduled.fee);
    expect(BigInt(sent.paid)).toBeGreaterThan(amount);
    expect(sent.messageId).toBe(scheduled.taskId);
    expect(confirmed.amount).toBe(amount.toString());
    expect(confirmed.block).toBeGreaterThan(sent.block);
    const after = (await client.status(CID))!.prepaid;
    expect(after - before).toBe(amount);
    expect(BigInt(confirmed.prepaid)).toBe(after);
  }, 55_000);

  it('the SDK cancels a task before its block: the watcher ends cancelled and nothing fires', async () => {
    const signer = await client.signer('//Alice', 'oak');
    const r = await client.schedulePrepaid(CID, CRU, {
      from: 'oak',
      at: { in: 30 },
      signer,
      timeoutMs: 40_000,
    });
    expect(r.fee).toBeGreaterThan(CRU);
    const oak = await client.api('oak');
    expect(
      ((await (oak.call as any).xstorageAutomationApi.task(r.taskId)) as any).unwrap().status.isScheduled,
    ).toBe(true);
    const seen: RenewalEvent[] = [];
    const watching = (async () => {
      for await (const e of r.events) seen.push(e);
    })();
    const c = await client.cancelPrepaid(r.taskId, { from: 'oak', signer });
    await watching;
    expect(seen.map((e) => e.kind)).toEqual(['scheduled', 'cancelled']);
    expect(seen[1]!.blockNumber).toBe(c.blockNumber);
    expect(((await (oak.call as any).xstorageAutomationApi.task(r.taskId)) as any).isNone).toBe(true);
    // Cancelling twice: the chain's refusal, by name.
    await expect(client.cancelPrepaid(r.taskId, { from: 'oak', signer })).rejects.toMatchObject({
      code: 'ORDER_FAILED',
      reason: 'xstorageAutomation.UnknownTask',
    });
  }, 30_000);

  it("the SDK: a renewal of a CID Crust has no order for fails with the market's reason and a refund", async () => {
    const signer = await client.signer('//Alice', 'oak');
    const unknown = 'bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi';
    expect(await client.status(unknown)).toBeUndefined();
    const r = await client.schedulePrepaid(unknown, CRU, {
      from: 'oak',
      at: { in: 6 },
      signer,
      timeoutMs: 30_000,
    });
    const seen: RenewalEvent[] = [];
    for await (const e of r.events) seen.push(e);
    expect(seen.map((e) => e.kind)).toEqual(['scheduled', 'sent', 'failed']);
    const sent = seen[1] as Extract<RenewalEvent, { kind: 'sent' }>;
    expect(sent.blockNumber).toBe(r.atBlock);
    expect(sent.paid).toBe(r.fee);
    const failed = seen[2] as Extract<RenewalEvent, { kind: 'failed' }>;
    expect(failed.reason).toBe('market.FileNotExist');
    // The refund carries the deposit (amount + Crust's ED) home: more than the amount, less than what was paid.
    expect(failed.refund).toBeGreaterThan(CRU);
    expect(failed.refund).toBeLessThan(sent.paid);
    expect(await client.status(unknown)).toBeUndefined();
  }, 35_000);

  it('--at in the past: a clear error, a usage exit code, nothing scheduled', async () => {
    const oak = await client.api('oak');
    const count = ((await (oak.query as any).xstorageAutomation.taskCount()) as any).toBigInt();
    const r = await runCli([
      'prepaid',
      CID,
      '1',
      '--from',
      'oak',
      '--at',
      '1',
      '--json',
      '--endpoints',
      endpointsFile,
    ]);
    expect(r.code).toBe(EXIT.USAGE);
    expect(oneLine(r.stderr)).toMatch(/block #1 is not ahead of oak's best block #\d+: pick a later block/);
    expect(r.json).toEqual([
      expect.objectContaining({ event: 'error', code: 'BAD_INPUT', exitCode: EXIT.USAGE }),
    ]);
    expect(((await (oak.query as any).xstorageAutomation.taskCount()) as any).toBigInt()).toBe(count);
  });

  it('malformed --at (abc, -5, +0, 1.5, --at=-5): usage error', async () => {
    for (const at of [
      ['--at', 'abc'],
      ['--at', '-5'],
      ['--at=-5'],
      ['--at', '+0'],
      ['--at', '1.5'],
      ['--at', ''],
    ]) {
      const r = await runCli(['prepaid', CID, '1', '--from', 'oak', ...at, '--endpoints', endpointsFile]);
      expect(r.code, at.join(' ')).toBe(EXIT.USAGE);
      expect(r.stderr, at.join(' ')).toMatch(/^xstorage prepaid: .*(--at|ambiguous)/);
      expect(r.stderr).toMatch(/usage: xstorage prepaid/);
    }
  });

  it('--at on a chain without XstorageAutomation: the one-line "only OAK does" error', async () => {
    const acala = await runCli([
      'prepaid',
      CID,
      '1',
      '--from',
      'acala',
      '--at',
      '+5',
      '--endpoints',
      withAcala,
    ]);
    expect(acala.code).toBe(EXIT.USAGE);
    expect(oneLine(acala.stderr)).toMatch(new RegExp(`^xstorage prepaid: acala ${ONLY_OAK.source}$`));
    const crust = await runCli(['prepaid', CID, '1', '--at', '+5', '--json', '--endpoints', endpointsFile]);
    expect(crust.code).toBe(EXIT.USAGE);
    expect(oneLine(crust.stderr)).toMatch(new RegExp(`crust ${ONLY_OAK.source}`));
    expect(crust.json[0]).toMatchObject({ event: 'error', code: 'BAD_INPUT' });
    // The SDK's typed error.
    const signer = await client.signer('//Alice', 'crust');
    await expect(
      client.schedulePrepaid(CID, CRU, { from: 'crust', at: { in: 5 }, signer }),
    ).rejects.toMatchObject({
      name: 'RenewalsUnsupportedError',
      chain: 'crust',
    });
  });

  it('--help documents --at and the --json fields', async () => {
    const r = await runCli(['prepaid', '--help']);
    expect(r.code).toBe(0);
    for (const s of [
      '--at <block|+N>',
      '"event":"scheduled"',
      '"event":"sent"',
      '"event":"confirmed"',
      '"event":"failed"',
      '"event":"notSent"',
    ])
      expect(r.stdout).toContain(s);
  });
});
