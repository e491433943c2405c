/**
 * `xstorage devnet` as users start it: the relay chain and the parachains come up as one process, endpoints.json
 * names every chain with its para id, and each chain is a real Substrate node to @polkadot/api with the properties
 * of the chain it stands for — including Moonbeam's 20-byte accounts, signed with an Ethereum key by polkadot-js'
 * `ethereum` keyring. A restart on the same base path resumes every chain.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ApiPromise } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { parseDevnetArgs } from '@xstorage/cli/commands/devnet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectApi } from '../chain/helpers.ts';
import { type SpawnedDevnet, spawnDevnet } from './spawn-devnet.ts';

let net: SpawnedDevnet;
const apis: ApiPromise[] = [];

beforeAll(async () => {
  await cryptoWaitReady();
  net = await spawnDevnet({ parachains: ['crust', 'acala', 'moonbeam'], blockTimeMs: 500 });
}, 60_000);

afterAll(async () => {
  for (const a of apis) await a.disconnect().catch(() => {});
  await net?.dispose();
});

async function api(url: string): Promise<ApiPromise> {
  const a = await connectApi(url);
  apis.push(a);
  return a;
}

async function finalizedTransfer(a: ApiPromise, tx: any, signer: any): Promise<any[]> {
  return new Promise((resolve, reject) => {
    tx.signAndSend(signer, (r: any) => {
      if (r.dispatchError) reject(new Error(r.dispatchError.toString()));
      // `finalized` can come without `inBlock` on a loaded machine (polkadot-js skips it while fetching events).
      if (r.status.isInBlock || r.status.isFinalized) resolve(r.events);
    }).catch(reject);
  });
}

describe('xstorage devnet', () => {
  it('writes endpoints.json naming the relay and each parachain with its para id', async () => {
    const file = JSON.parse(await readFile(join(net.basePath, 'endpoints.json'), 'utf8'));
    expect(file).toEqual(net.endpoints);
    expect(Object.keys(file.parachains)).toEqual(['crust', 'acala', 'moonbeam']);
    expect(file.parachains.crust.paraId).toBe(2008);
    expect(file.parachains.acala.paraId).toBe(2000);
    expect(file.parachains.moonbeam.paraId).toBe(2004);
    expect(file.relay.ws).toMatch(/^ws:\/\/127\.0\.0\.1:\d+$/);
    const progress = net.events.filter((e) => e.event === 'producing').map((e) => e.chain);
    expect(progress.sort()).toEqual(['acala', 'crust', 'moonbeam', 'relay']);
  });

  it('serves each chain with its own token, decimals and SS58 prefix', async () => {
    const relay = await api(net.endpoints.relay.ws);
    const crust = await api(net.endpoints.parachains.crust.ws);
    const moonbeam = await api(net.endpoints.parachains.moonbeam.ws);
    const props = async (a: ApiPromise) => (await a.rpc.system.properties()).toHuman();
    expect(await props(relay)).toMatchObject({
      ss58Format: '0',
      tokenDecimals: ['10'],
      tokenSymbol: ['DOT'],
    });
    expect(await props(crust)).toMatchObject({
      ss58Format: '66',
      tokenDecimals: ['12'],
      tokenSymbol: ['CRU'],
    });
    expect(await props(moonbeam)).toMatchObject({
      ss58Format: '1,284',
      tokenDecimals: ['18'],
      tokenSymbol: ['GLMR'],
    });
    expect(relay.runtimeVersion.specName.toString()).toBe('xstorage-relay');
    expect(crust.runtimeVersion.specName.toString()).toBe('crust');
    // Each parachain makes a block on each relay block.
    const before = (await crust.rpc.chain.getHeader()).number.toNumber();
    await new Promise((r) => setTimeout(r, 1500));
    expect((await crust.rpc.chain.getHeader()).number.toNumber()).toBeGreaterThan(before);
  });

  it('includes every parachain block the relay validated: paras.heads follows each chain, CandidateIncluded events', async () => {
    const relay = await api(net.endpoints.relay.ws);
    const crust = await api(net.endpoints.parachains.crust.ws);
    const included = new Map<number, number>();
    const unsub = await relay.query.system.events((events: any) => {
      for (const { event } of events)
        if (event.section === 'paraInclusion' && event.method === 'CandidateIncluded') {
          const para = event.data[0].descriptor.paraId.toNumber();
          included.set(para, (included.get(para) ?? 0) + 1);
        }
    });
    await new Promise((r) => setTimeout(r, 3000));
    (unsub as unknown as () => void)();
    for (const id of [2008, 2000, 2004]) expect(included.get(id) ?? 0).toBeGreaterThanOrEqual(2);
    // The relay's head of Crust is a block of Crust's own chain, at or past what Crust had finalized before it
    // was read (a block may be included between two reads, so read the finalized head first).
    const finalized = await crust.rpc.chain.getHeader(await crust.rpc.chain.getFinalizedHead());
    const head = (await relay.query.paras.heads(2008)) as any;
    const header = crust.createType('Header', head.unwrap().toU8a(true));
    const onCrust = await crust.rpc.chain.getHeader(header.hash);
    expect(onCrust.number.toNumber()).toBe(header.number.toNumber());
    expect(header.number.toNumber()).toBeGreaterThanOrEqual(finalized.number.toNumber());
  });

  it("moves GLMR between 20-byte accounts signed with Alith's Ethereum key", async () => {
    const moonbeam = await api(net.endpoints.parachains.moonbeam.ws);
    const alith = new Keyring({ type: 'ethereum' }).addFromUri(
      '0x5fb92d6e98884f76de468fa3f6278f8807c48bebc13595d45af5bdc4da702133',
    );
    const baltathar = '0x3Cd0A705a2DC65e5b1E1205896BaA2be8A07c6e0';
    const before = ((await moonbeam.query.system.account(baltathar)) as any).data.free.toBigInt();
    const amount = 12_345n * 10n ** 15n;
    const events = await finalizedTransfer(
      moonbeam,
      moonbeam.tx.balances.transferKeepAlive(baltathar, amount),
      alith,
    );
    const transfer = events.find((e: any) => e.event.section === 'balances' && e.event.method === 'Transfer');
    expect(transfer.event.data.from.toString()).toBe(alith.address);
    expect(transfer.event.data.to.toString()).toBe(baltathar);
    const after = ((await moonbeam.query.system.account(baltathar)) as any).data.free.toBigInt();
    expect(after - before).toBe(amount);
  });

  it('resumes every chain after a restart on the same base path', async () => {
    const relay = await api(net.endpoints.relay.ws);
    const best = (await relay.rpc.chain.getHeader()).number.toNumber();
    await relay.disconnect();
    expect(await net.stop()).toBe(0);
    const again = await spawnDevnet({
      parachains: ['crust', 'acala', 'moonbeam'],
      basePath: net.basePath,
      blockTimeMs: 500,
    });
    try {
      const r2 = await api(again.endpoints.relay.ws);
      expect((await r2.rpc.chain.getHeader()).number.toNumber()).toBeGreaterThan(best);
      await r2.disconnect();
    } finally {
      await again.stop();
    }
  });
});

describe('xstorage devnet flags', () => {
  it('parses the flags and refuses bad values with the fix', () => {
    expect(parseDevnetArgs([])).toMatchObject({ blockTimeMs: 6000, rpcPort: 9944, tmp: true });
    expect(parseDevnetArgs(['--parachains', 'crust,acala', '--block-time', '1000'])).toMatchObject({
      parachains: ['crust', 'acala'],
      blockTimeMs: 1000,
    });
    expect(() => parseDevnetArgs(['--parachains', 'crust,kusama'])).toThrow(
      /unknown parachain 'kusama'.*known: crust, acala/,
    );
    expect(() => parseDevnetArgs(['--block-time', '5'])).toThrow(/--block-time must be/);
    expect(() => parseDevnetArgs(['--rpc-port', 'x'])).toThrow(/--rpc-port/);
    expect(() => parseDevnetArgs(['--bogus'])).toThrow();
  });
});
