/**
 * Block authors on the devnet's relay chain and parachains, as polkadot-js finds them (`api.derive.chain` reads
 * `session.validators[slot % n]` from the aura pre-runtime digest): //Alice on the relay (which authors with Aura, not
 * BABE) and on Crust, Alith on Moonbeam (a 20-byte account whose Aura key is //Alice's sr25519 key). The wallet
 * pallets are there too, at their indices (relay Utility 26 / Proxy 29 / Multisig 30; parachains 40 / 42 / 41).
 */
import type { ApiPromise } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { ethDevAccounts } from '@xstorage/runtime/runtimes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectApi } from '../chain/helpers.ts';
import { type SpawnedDevnet, spawnDevnet } from '../devnet/spawn-devnet.ts';

let net: SpawnedDevnet;
const apis: ApiPromise[] = [];

beforeAll(async () => {
  await cryptoWaitReady();
  // Chains only: no storage nodes (they are not what this test looks at).
  net = await spawnDevnet({
    parachains: ['crust', 'moonbeam'],
    blockTimeMs: 500,
    extraArgs: ['--storage-nodes', '0'],
  });
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

async function author(a: ApiPromise): Promise<string | undefined> {
  const best = await a.rpc.chain.getBlockHash();
  return (await a.derive.chain.getHeader(best)).author?.toString();
}

const palletIndex = (a: ApiPromise, name: string) =>
  a.registry.metadata.pallets.find((p) => p.name.toString() === name)?.index.toNumber();

describe('devnet authors', () => {
  it('relay: //Alice, through session.validators and the aura slot; wallet pallets at Polkadot indices', async () => {
    const relay = await api(net.endpoints.relay.ws);
    const alice = new Keyring({ type: 'sr25519', ss58Format: 0 }).addFromUri('//Alice');
    expect(await author(relay)).toBe(alice.address);
    expect([26, 29, 30, 9, 8]).toEqual(
      ['Utility', 'Proxy', 'Multisig', 'Aura', 'Session'].map((n) => palletIndex(relay, n)),
    );
  });

  it('Crust: //Alice; Moonbeam: Alith (AccountId20); the parachain template indices', async () => {
    const crust = await api(net.endpoints.parachains.crust.ws);
    const moonbeam = await api(net.endpoints.parachains.moonbeam.ws);
    const alice = new Keyring({ type: 'sr25519', ss58Format: 66 }).addFromUri('//Alice');
    expect(await author(crust)).toBe(alice.address);
    const alith = `0x${Buffer.from(ethDevAccounts().Alith).toString('hex')}`;
    expect((await author(moonbeam))?.toLowerCase()).toBe(alith);
    const heads = await new Promise<string | undefined>((resolve) => {
      let unsub: (() => void) | undefined;
      void moonbeam.derive.chain
        .subscribeNewHeads((h) => {
          unsub?.();
          resolve(h.author?.toString());
        })
        .then((u) => {
          unsub = u;
        });
    });
    expect(heads?.toLowerCase()).toBe(alith);
    for (const a of [crust, moonbeam])
      expect(['Session', 'Aura', 'Utility', 'Multisig', 'Proxy'].map((n) => palletIndex(a, n))).toEqual([
        22, 23, 40, 41, 42,
      ]);
  });

  it('Moonbeam: system_accountNextIndex takes a 20-byte account as polkadot-js sends it; a 32-byte one is refused', async () => {
    const moonbeam = await api(net.endpoints.parachains.moonbeam.ws);
    const alith = `0x${Buffer.from(ethDevAccounts().Alith).toString('hex')}`;
    const onChain = ((await moonbeam.query.system.account(alith)) as any).nonce.toNumber();
    expect((await moonbeam.rpc.system.accountNextIndex(alith)).toNumber()).toBe(onChain);
    // What the signing path of polkadot-js asks before every signAndSend.
    const info = await moonbeam.derive.tx.signingInfo(alith);
    expect(info.nonce.toNumber()).toBe(onChain);
    const res = await fetch(net.endpoints.parachains.moonbeam.ws.replace('ws://', 'http://'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'system_accountNextIndex',
        params: [`0x${'11'.repeat(32)}`],
      }),
    });
    const body = (await res.json()) as { error?: { code: number; message: string } };
    expect(body.error?.code).toBe(-32602);
  });
});
