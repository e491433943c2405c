/**
 * The relay chain and two parachains, every chain node its own `xstorage node` process, talking over libp2p: the
 * relay validator seals relay blocks and backs the collations the Crust and Acala collators send it over the
 * collation protocol (each collator follows the relay through its JSON-RPC only); a second Crust node with no
 * collator syncs Crust's blocks from the collator (block announcements + block requests, each block re-executed)
 * and finalizes what the relay chain included (`paras.heads` read through the relay's RPC). A transfer submitted to
 * that full node reaches the collator by transaction gossip and ends up in a Crust block.
 */
import '@polkadot/api-augment';
import type { ApiPromise } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { HeaderCodec, headerHash } from '@xstorage/runtime/block';
import { HeadDataCodec, wellKnownKeys } from '@xstorage/runtime/parachains';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectApi } from '../integration/node-process.ts';
import {
  type ChainProcess,
  diagnostics,
  type HeaderJson,
  headerNumber,
  killAll,
  removeDir,
  startChainNode,
  tempDir,
  waitFor,
} from './chain-process.ts';

let dir: string;
let relay: ChainProcess;
let crust: ChainProcess;
let acala: ChainProcess;
let crustFull: ChainProcess;
let api: ApiPromise | undefined;

const diag = () => diagnostics([relay, crust, acala, crustFull]);
const hex = (b: Uint8Array) => `0x${Buffer.from(b).toString('hex')}`;

/** The para head the relay holds at `at` (default best): its number and hash. */
async function relayHeadOf(
  paraId: number,
  at?: string,
): Promise<{ number: number; hash: string } | undefined> {
  const raw = await relay.rpc<string | null>('state_getStorage', [
    hex(wellKnownKeys.paraHead(paraId)),
    ...(at ? [at] : []),
  ]);
  if (!raw) return undefined;
  const header = HeaderCodec.decode(HeadDataCodec.decode(Buffer.from(raw.slice(2), 'hex')));
  return { number: header.number, hash: hex(headerHash(header)) };
}

async function finalizedHeader(node: ChainProcess): Promise<HeaderJson & { hash: string }> {
  const hash = await node.rpc<string>('chain_getFinalizedHead');
  return { ...(await node.rpc<HeaderJson>('chain_getHeader', [hash])), hash };
}

beforeAll(async () => {
  dir = await tempDir('relay-paras');
  relay = await startChainNode('relay', [
    '--chain',
    'relay',
    '--base-path',
    `${dir}/relay`,
    '--p2p-port',
    '0',
    '--validator',
    '//Alice',
    '--block-time',
    '1000',
  ]);
  const collator = (chain: string) =>
    startChainNode(chain, [
      '--chain',
      chain,
      '--base-path',
      `${dir}/${chain}`,
      '--p2p-port',
      '0',
      '--collator',
      '//Alice',
      '--relay-rpc',
      relay.ready.rpcUrl,
      '--relay-bootnode',
      relay.ready.listenAddresses[0],
    ]);
  [crust, acala] = await Promise.all([collator('crust'), collator('acala')]);
  crustFull = await startChainNode('crust-full', [
    '--chain',
    'crust',
    '--base-path',
    `${dir}/crust-full`,
    '--p2p-port',
    '0',
    '--bootnodes',
    crust.ready.listenAddresses[0],
    '--relay-rpc',
    relay.ready.rpcUrl,
  ]);
}, 60_000);

afterAll(async () => {
  await api?.disconnect().catch(() => {});
  await Promise.all([crustFull, crust, acala, relay].map((n) => n?.stop().catch(() => {})));
  await killAll();
  if (dir) await removeDir(dir);
});

describe('relay + two parachains as separate processes over libp2p', () => {
  it('prints each node its role, peer id and listen multiaddrs; the chains are distinct', () => {
    expect(relay.ready.role).toBe('relay-validator');
    expect(crust.ready.role).toBe('collator');
    expect(acala.ready.role).toBe('collator');
    expect(crustFull.ready.role).toBe('para-full');
    for (const n of [relay, crust, acala, crustFull]) {
      expect(n.ready.peerId).toMatch(/^12D3KooW/);
      expect(n.ready.listenAddresses[0]).toMatch(
        new RegExp(`^/ip4/127\\.0\\.0\\.1/tcp/\\d+/p2p/${n.ready.peerId}$`),
      );
    }
    expect(crustFull.ready.genesisHash).toBe(crust.ready.genesisHash);
    expect(new Set([relay, crust, acala].map((n) => n.ready.genesisHash)).size).toBe(3);
  });

  it('includes both parachains on the relay chain: paras.heads moves for Crust (2008) and Acala (2000)', async () => {
    const first = await waitFor(
      async () => {
        const [c, a] = [await relayHeadOf(2008), await relayHeadOf(2000)];
        return c && a && c.number >= 1 && a.number >= 1 && { c, a };
      },
      30_000,
      () => `both paras included once; ${diag()}`,
    );
    await waitFor(
      async () => {
        const [c, a] = [await relayHeadOf(2008), await relayHeadOf(2000)];
        return c!.number >= first.c.number + 2 && a!.number >= first.a.number + 2;
      },
      20_000,
      () => `both paras included twice more; ${diag()}`,
    );
    // The relay's head of each para is a block its collator built.
    const head = (await relayHeadOf(2000))!;
    const onAcala = await acala.rpc<HeaderJson | null>('chain_getHeader', [head.hash]);
    expect(onAcala && headerNumber(onAcala)).toBe(head.number);
    // The relay saw no peers of its own chain: collators speak only the collation protocol to it.
    expect(await relay.rpc('system_peers')).toEqual([]);
  });

  it('the Crust full node syncs from the collator and finalizes what the relay included, with the same state root', async () => {
    const fin = await waitFor(
      async () => {
        const f = await finalizedHeader(crustFull);
        return headerNumber(f) >= 3 && f;
      },
      30_000,
      () => `the full node to finalize Crust #3; ${diag()}`,
    );
    const onCollator = await crust.rpc<HeaderJson>('chain_getHeader', [fin.hash]);
    expect(onCollator.stateRoot).toBe(fin.stateRoot);
    // The block it finalized is one the relay chain included: the relay held it as Crust's head at a relay block.
    const relayFin = await relay.rpc<string>('chain_getFinalizedHead');
    const included = (await relayHeadOf(2008, relayFin))!;
    const fullFin = await finalizedHeader(crustFull);
    expect(headerNumber(fullFin)).toBeGreaterThanOrEqual(headerNumber(fin));
    const includedOnFull = await waitFor(
      () => crustFull.rpc<HeaderJson | null>('chain_getHeader', [included.hash]),
      10_000,
      'the included head on the full node',
    );
    expect(headerNumber(includedOnFull!)).toBe(included.number);
    // Same state at the finalized block on both nodes, read through their RPC.
    // System.Account(//Alice): twox128("System") ++ twox128("Account") ++ blake2_128_concat(alice).
    const key =
      '0x26aa394eea5630e07c48ae0c9558cef7b99d880ec681799c0cf30e8886371da9de1e86a9a8c739864cf3cc5ec2bea59fd43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d';
    const [a, b] = await Promise.all([
      crustFull.rpc('state_getStorage', [key, fin.hash]),
      crust.rpc('state_getStorage', [key, fin.hash]),
    ]);
    expect(a).not.toBeNull();
    expect(a).toEqual(b);
    const peers = await crustFull.rpc<Array<{ peerId: string; roles: string }>>('system_peers');
    expect(peers).toEqual([expect.objectContaining({ peerId: crust.ready.peerId, roles: 'AUTHORITY' })]);
    expect(await crustFull.rpc('system_health')).toMatchObject({ peers: 1, shouldHavePeers: true });
    expect(await crustFull.rpc('system_localListenAddresses')).toEqual(crustFull.ready.listenAddresses);
  });

  it('a transfer submitted to the full node reaches the collator and ends up in a finalized Crust block', async () => {
    await cryptoWaitReady();
    const keyring = new Keyring({ type: 'sr25519', ss58Format: 66 });
    const alice = keyring.addFromUri('//Alice');
    const bob = keyring.addFromUri('//Bob');
    api = await connectApi(crustFull.ready.rpcUrl);
    const before = (await api.query.system.account(bob.address)).data.free.toBigInt();
    const amount = 1_234_567_890n;
    const blockHash = await new Promise<string>((resolve, reject) => {
      api!.tx.balances
        .transferKeepAlive(bob.address, amount)
        .signAndSend(alice, (r) => {
          if (r.dispatchError) reject(new Error(r.dispatchError.toString()));
          if (r.status.isFinalized) resolve(r.status.asFinalized.toHex());
        })
        .catch(reject);
    });
    // The block came from the collator: it holds the same block, with the transfer in it.
    const onCollator = await crust.rpc<{ block: { extrinsics: string[] } }>('chain_getBlock', [blockHash]);
    expect(onCollator.block.extrinsics.length).toBeGreaterThan(2);
    const after = (await (await api.at(blockHash)).query.system.account(bob.address)).data.free.toBigInt();
    expect(after - before).toBe(amount);
  });
});
