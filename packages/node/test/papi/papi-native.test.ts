/**
 * polkadot-api 2.2.2 (the client Parity recommends) with its NATIVE ws provider — no translation to the legacy RPC —
 * against `xstorage node --dev` as a process: chain spec data, the finalized block, metadata V15 (decoded by
 * @polkadot/types too), storage through PAPI's typed API without codegen (`getUnsafeApi`), runtime API calls, and
 * a signed `Balances.transfer_keep_alive` broadcast (`transaction_v1_broadcast`) and watched to finalized with its
 * events. Expected values: README's dev chain (6 dev accounts with 1,000,000 UNIT of 12 decimals, SS58 42), the
 * existential deposit 10^9 of polkadot-api.test.ts.
 */

import { Metadata, TypeRegistry } from '@polkadot/types';
import { u8aToHex } from '@polkadot/util';
import { blake2AsHex } from '@polkadot/util-crypto';
import { withLegacy } from '@polkadot-api/ws-middleware';
import { getWsProvider } from '@polkadot-api/ws-provider';
import { runtimeCode } from '@xstorage/runtime/frame';
import { runtimeProfile } from '@xstorage/runtime/runtimes';
import { createClient } from 'polkadot-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  killAllStarted,
  type RunningNode,
  removeDir,
  startNode,
  tempBasePath,
  withTimeout,
} from '../integration/node-process.ts';
import { connectPapi, type DevSigner, devSigner, type PapiConnection } from './papi-client.ts';

const UNIT = 10n ** 12n;
const DEV_ENDOWMENT = 1_000_000n * UNIT;

let node: RunningNode;
let base = '';
let papi: PapiConnection;
let api: any;
let alice: DevSigner;
let bob: DevSigner;

beforeAll(async () => {
  base = await tempBasePath('papi');
  node = await startNode({ basePath: base, mode: { sealing: 'instant' } });
  papi = connectPapi(node.wsUrl);
  api = papi.client.getUnsafeApi();
  alice = await devSigner('//Alice');
  bob = await devSigner('//Bob');
});

afterAll(async () => {
  papi?.destroy();
  await node?.stop();
  await killAllStarted();
  if (base) await removeDir(base);
});

async function legacy(method: string, params: unknown[] = []): Promise<any> {
  const res = await fetch(node.httpUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
  });
  return ((await res.json()) as { result: unknown }).result;
}

describe('polkadot-api over the native provider', () => {
  it('reads the chain spec and the finalized block', async () => {
    const fin = await withTimeout(papi.client.getFinalizedBlock(), 20_000, 'getFinalizedBlock');
    expect(fin.number).toBe(0);
    expect(fin.hash).toBe(await legacy('chain_getBlockHash', [0]));
    const spec = await papi.client.getChainSpecData();
    expect(spec.name).toBe('xstorage Development');
    expect(spec.genesisHash).toBe(fin.hash);
    expect(spec.properties).toMatchObject({ ss58Format: 42, tokenDecimals: 12, tokenSymbol: 'UNIT' });
    const header = await papi.client.getBlockHeader(fin.hash);
    expect(header.number).toBe(0);
    expect(header.stateRoot).toBe((await legacy('chain_getHeader', [fin.hash])).stateRoot);
  });

  it('loads metadata V15 and the runtime, identified by the hash of :code', async () => {
    const fin = await papi.client.getFinalizedBlock();
    const md = await papi.client.getMetadata(fin.hash);
    const registry = new TypeRegistry();
    const decoded = new Metadata(registry, md);
    expect(decoded.version).toBe(15);
    const pallets = decoded.asLatest.pallets.map((p) => p.name.toString());
    expect(pallets).toEqual(expect.arrayContaining(['System', 'Balances', 'TransactionPayment', 'Sudo']));
    expect(await api.constants.Balances.ExistentialDeposit()).toBe(10n ** 9n);
    const version = await api.apis.Core.version();
    expect(version.spec_name).toBe('xstorage-dev');
    // `:code` holds the runtime's identity blob, so clients (and PAPI's metadata cache) key it by its hash.
    const code = await papi.client.rawQuery('0x3a636f6465');
    const expected = runtimeCode(runtimeProfile('dev').make().runtime);
    expect(code).toBe(u8aToHex(expected));
    expect(blake2AsHex(code!, 256)).toBe(blake2AsHex(expected, 256));
  });

  it('queries storage: one account, and every account of the map', async () => {
    const acc = await api.query.System.Account.getValue(alice.address);
    expect(acc.data.free).toBe(DEV_ENDOWMENT);
    expect(acc.nonce).toBe(0);
    const entries: Array<{ keyArgs: [string]; value: any }> = await api.query.System.Account.getEntries();
    const owners = entries.map((e) => e.keyArgs[0]);
    expect(owners).toEqual(expect.arrayContaining([alice.address, bob.address]));
    expect(entries.length).toBeGreaterThanOrEqual(6);
    for (const e of entries) expect(e.value.data.free).toBeGreaterThan(0n);
  });

  it('calls runtime APIs', async () => {
    expect(await api.apis.AccountNonceApi.account_nonce(alice.address)).toBe(0);
    const tx = api.tx.Balances.transfer_keep_alive({
      dest: { type: 'Id', value: bob.address },
      value: UNIT,
    });
    // TransactionPaymentApi_query_info on a fake-signed copy, as PAPI estimates fees.
    expect(await tx.getEstimatedFees(alice.address)).toBeGreaterThan(0n);
  });

  it('signs Balances.transfer_keep_alive, broadcasts it and watches it to finalized with its events', async () => {
    const amount = 12_345n * UNIT + 678n;
    const bobBefore = (await api.query.System.Account.getValue(bob.address)).data.free as bigint;
    const tx = api.tx.Balances.transfer_keep_alive({
      dest: { type: 'Id', value: bob.address },
      value: amount,
    });
    const estimate: bigint = await tx.getEstimatedFees(alice.address);
    const seen: string[] = [];
    const finalized = await withTimeout(
      new Promise<any>((resolve, reject) => {
        tx.signSubmitAndWatch(alice.signer).subscribe({
          next: (e: any) => {
            seen.push(e.type === 'txBestBlocksState' ? `best:${e.found}` : e.type);
            if (e.type === 'finalized') resolve(e);
          },
          error: reject,
        });
      }),
      30_000,
      'the transfer to be finalized',
    );
    expect(seen[0]).toBe('signed');
    expect(seen).toContain('broadcasted');
    expect(seen).toContain('best:true');
    expect(seen.at(-1)).toBe('finalized');
    expect(finalized.ok).toBe(true);
    expect(finalized.block.number).toBeGreaterThan(0);
    const names = finalized.events.map((e: any) => `${e.type}.${e.value.type}`);
    expect(names).toEqual(expect.arrayContaining(['Balances.Transfer', 'System.ExtrinsicSuccess']));
    const transfer = finalized.events.find((e: any) => e.type === 'Balances' && e.value.type === 'Transfer');
    expect(transfer.value.value).toEqual({ from: alice.address, to: bob.address, amount });
    const feePaid = finalized.events.find(
      (e: any) => e.type === 'TransactionPayment' && e.value.type === 'TransactionFeePaid',
    );
    expect(feePaid.value.value.who).toBe(alice.address);
    expect(feePaid.value.value.actual_fee).toBe(estimate);
    const at = { at: finalized.block.hash };
    expect((await api.query.System.Account.getValue(bob.address, at)).data.free).toBe(bobBefore + amount);
    expect((await api.query.System.Account.getValue(alice.address, at)).nonce).toBe(1);
    // The body PAPI found the transaction in, as the node stores it.
    const body = await papi.client.getBlockBody(finalized.block.hash);
    expect(u8aToHex(body[finalized.block.index])).toBe(
      (await legacy('chain_getBlock', [finalized.block.hash])).block.extrinsics[finalized.block.index],
    );
  });

  it('spoke only the new JSON-RPC spec (no legacy method, no translation layer)', () => {
    expect(papi.methods.length).toBeGreaterThan(10);
    const spec = /^(chainHead_v1|chainSpec_v1|transaction_v1|transactionWatch_v1|archive_v1)_/;
    expect(papi.methods.filter((m) => !spec.test(m))).toEqual([]);
    expect(papi.methods).toEqual(
      expect.arrayContaining(['chainHead_v1_follow', 'chainHead_v1_call', 'chainHead_v1_storage']),
    );
    expect(papi.methods).toContain('transaction_v1_broadcast');
    expect(papi.received.filter((m) => m.error)).toEqual([]);
  });
});

describe("polkadot-api's translation to the legacy RPC", () => {
  it('works too: it finds :code (state_getStorageHash) and calls runtime APIs with "" (state_call)', async () => {
    const sent: string[] = [];
    const client = createClient(
      getWsProvider(node.wsUrl, {
        middleware: withLegacy as never,
        logger: (e) => {
          if (e.type === 'OUT') sent.push(JSON.parse(e.msg).method);
        },
      }),
    );
    try {
      const fin = await withTimeout(client.getFinalizedBlock(), 20_000, 'getFinalizedBlock (legacy)');
      expect(fin.hash).toMatch(/^0x[0-9a-f]{64}$/);
      const legacyApi: any = client.getUnsafeApi();
      expect((await legacyApi.query.System.Account.getValue(alice.address)).nonce).toBeGreaterThanOrEqual(0);
      expect((await legacyApi.apis.Core.version()).spec_name).toBe('xstorage-dev');
      expect(sent).toEqual(expect.arrayContaining(['state_call', 'chain_subscribeFinalizedHeads']));
      expect(sent.filter((m) => m.startsWith('chainHead_v1'))).toEqual([]);
    } finally {
      client.destroy();
    }
  });
});
