/**
 * A dev node started as its own process (`xstorage node --dev --sealing manual --json`) as @polkadot/api 16.5.6
 * sees it: metadata-driven constants and storage decode to the dev runtime's values, the system RPCs answer
 * what polkadot.js Apps shows, and a block made with `engine_createBlock` (Substrate manual-seal RPC) moves
 * `system.number` and `timestamp.now`.
 */
import '@polkadot/api-augment';
import type { ApiPromise } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import {
  DEV_ENDOWMENT,
  devSystemConfig,
  devVersion,
  EXISTENTIAL_DEPOSIT,
  SS58_PREFIX,
} from '@xstorage/runtime/runtimes/dev';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  connectApi,
  killAllStarted,
  type RunningNode,
  removeDir,
  startNode,
  tempBasePath,
  waitUntil,
} from './node-process.ts';
import { RpcClient } from './rpc-client.ts';

let node: RunningNode;
let api: ApiPromise;
let basePath: string;
const keyring = new Keyring({ type: 'sr25519', ss58Format: SS58_PREFIX });

beforeAll(async () => {
  await cryptoWaitReady();
  basePath = await tempBasePath('queries');
  node = await startNode({ basePath, mode: { sealing: 'manual' } });
  api = await connectApi(node.wsUrl);
}, 60_000);

afterAll(async () => {
  await api?.disconnect().catch(() => {});
  await node?.stop();
  await killAllStarted();
  if (basePath) await removeDir(basePath);
});

describe('dev node process through @polkadot/api', () => {
  it('prints a JSON ready line with the genesis hash and best number 0 of a fresh chain', () => {
    expect(node.ready.genesisHash).toMatch(/^0x[0-9a-f]{64}$/);
    expect(node.ready.genesisHash).toBe(api.genesisHash.toHex());
    expect(node.ready.bestNumber).toBe(0);
  });

  it('constants decode to the dev runtime values', () => {
    expect(api.consts.balances.existentialDeposit.toBigInt()).toBe(EXISTENTIAL_DEPOSIT);
    expect(api.consts.system.blockHashCount.toNumber()).toBe(devSystemConfig.blockHashCount);
    expect(api.consts.system.ss58Prefix.toNumber()).toBe(SS58_PREFIX);
    // The runtime version constant is what the node serves as state_getRuntimeVersion.
    expect(api.consts.system.version.specName.toString()).toBe(devVersion.spec_name);
  });

  it('runtime version and system RPCs answer what polkadot.js Apps shows', async () => {
    expect(api.runtimeVersion.specName.toString()).toBe('xstorage-dev');
    expect(api.runtimeVersion.specVersion.toNumber()).toBe(devVersion.spec_version);
    expect(api.runtimeVersion.transactionVersion.toNumber()).toBe(devVersion.transaction_version);
    const [chain, name, version, properties, chainType] = await Promise.all([
      api.rpc.system.chain(),
      api.rpc.system.name(),
      api.rpc.system.version(),
      api.rpc.system.properties(),
      api.rpc.system.chainType(),
    ]);
    expect(chain.toString()).toBe('xstorage Development');
    expect(name.toString().length).toBeGreaterThan(0);
    expect(version.toString()).toMatch(/^\d+\.\d+\.\d+/);
    expect(properties.ss58Format.unwrap().toNumber()).toBe(42);
    expect(properties.tokenDecimals.unwrap().map((d) => d.toNumber())).toEqual([12]);
    expect(properties.tokenSymbol.unwrap().map((s) => s.toString())).toEqual(['UNIT']);
    expect(chainType.isDevelopment).toBe(true);
    // polkadot-js picked the chain's ss58 prefix up from system_properties.
    expect(api.registry.chainSS58).toBe(42);
  });

  it('storage: dev accounts endowed at genesis, nothing else moved yet', async () => {
    const alice = keyring.addFromUri('//Alice');
    const ferdie = keyring.addFromUri('//Ferdie');
    const [a, f, number, now] = await Promise.all([
      api.query.system.account(alice.address),
      api.query.system.account(ferdie.address),
      api.query.system.number(),
      api.query.timestamp.now(),
    ]);
    expect(a.data.free.toBigInt()).toBe(DEV_ENDOWMENT);
    expect(a.nonce.toNumber()).toBe(0);
    expect(f.data.free.toBigInt()).toBe(DEV_ENDOWMENT);
    expect(number.toNumber()).toBe(0);
    expect(now.toBigInt()).toBe(0n);
    // An account that does not exist decodes to the default AccountInfo.
    const nobody = await api.query.system.account(keyring.addFromUri('//Nobody').address);
    expect(nobody.data.free.toBigInt()).toBe(0n);
    expect(nobody.providers.toNumber()).toBe(0);
  });

  it('engine_createBlock makes block 1: system.number and timestamp.now move, the block is final', async () => {
    const rpc = await RpcClient.open(node.wsUrl);
    try {
      const before = Date.now();
      const created = await rpc.call('engine_createBlock', [true, true, null]);
      expect(created.hash).toMatch(/^0x[0-9a-f]{64}$/);
      const header = await api.rpc.chain.getHeader();
      expect(header.number.toNumber()).toBe(1);
      expect(header.hash.toHex()).toBe(created.hash);
      expect((await api.query.system.number()).toNumber()).toBe(1);
      const now = (await api.query.timestamp.now()).toNumber();
      expect(now).toBeGreaterThanOrEqual(before - 6_000);
      expect(now).toBeLessThanOrEqual(Date.now() + 6_000);
      // The single dev authority finalizes what it imports (after a short delay so clients see inBlock first).
      await waitUntil(
        async () => (await api.rpc.chain.getFinalizedHead()).toHex() === created.hash,
        5_000,
        'block 1 to be finalized',
      );
      // The block carries the timestamp inherent, decoded by polkadot-js from our metadata.
      const block = await api.rpc.chain.getBlock(created.hash);
      const calls = block.block.extrinsics.map((x) => `${x.method.section}.${x.method.method}`);
      expect(calls).toContain('timestamp.set');
    } finally {
      rpc.close();
    }
  });

  it('engine_createBlock(createEmpty, finalize = true) answers with a block that is already final (sc-consensus-manual-seal)', async () => {
    // manual-seal imports the new block as final when `finalize` is true, before answering
    // (polkadot-sdk substrate/client/consensus/manual-seal/src/seal_block.rs: `params.finalized = finalize`).
    const rpc = await RpcClient.open(node.wsUrl);
    try {
      const created = await rpc.call('engine_createBlock', [true, true, null]);
      const finalized = await rpc.call<string>('chain_getFinalizedHead', []);
      expect(finalized).toBe(created.hash);
      // and `finalize = false` leaves it to engine_finalizeBlock
      const second = await rpc.call('engine_createBlock', [true, false, null]);
      expect(await rpc.call('engine_finalizeBlock', [second.hash, null])).toBe(true);
      expect(await rpc.call<string>('chain_getFinalizedHead', [])).toBe(second.hash);
    } finally {
      rpc.close();
    }
  });
});
