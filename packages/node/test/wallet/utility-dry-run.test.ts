/**
 * What a polkadot-js user does first on a dev node process (@polkadot/api 16.5.6, instant sealing): `utility.batchAll`
 * with its events, a failing item rolling the whole batch back, `utility.batch` interrupted (polkadot-sdk
 * substrate/frame/utility/src/tests.rs: batch_early_exit_works, batch_all_revert, batch_all_does_not_nest), block
 * authors through `api.derive.chain` (polkadot-js finds them as `session.validators[slot % n]` from the aura
 * pre-runtime digest), dry runs (`system_dryRun`, `DryRunApi.dry_run_call`), GenesisBuilder / AuraApi / SessionKeys,
 * and a batch nested past MAX_EXTRINSIC_DEPTH refused before anything runs.
 */
import '@polkadot/api-augment';
import type { ApiPromise } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import type { KeyringPair } from '@polkadot/keyring/types';
import { compactAddLength, stringToHex, u8aConcat, u8aToHex } from '@polkadot/util';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { SS58_PREFIX, UNIT } from '@xstorage/runtime/runtimes/dev';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  connectApi,
  killAllStarted,
  type RunningNode,
  removeDir,
  startNode,
  tempBasePath,
} from '../integration/node-process.ts';
import { RpcCallError, RpcClient } from '../integration/rpc-client.ts';
import { free, send } from './helpers.ts';

let node: RunningNode;
let api: ApiPromise;
let rpc: RpcClient;
let basePath: string;
let alice: KeyringPair;
let bob: KeyringPair;
let charlie: KeyringPair;

beforeAll(async () => {
  await cryptoWaitReady();
  const keyring = new Keyring({ type: 'sr25519', ss58Format: SS58_PREFIX });
  [alice, bob, charlie] = ['//Alice', '//Bob', '//Charlie'].map((u) => keyring.addFromUri(u));
  basePath = await tempBasePath('wallet-utility');
  node = await startNode({ basePath, mode: { sealing: 'instant' } });
  api = await connectApi(node.wsUrl);
  rpc = await RpcClient.open(node.wsUrl);
}, 60_000);

afterAll(async () => {
  rpc?.close();
  await api?.disconnect().catch(() => {});
  await node?.stop();
  await killAllStarted();
  if (basePath) await removeDir(basePath);
});

const transfer = (to: KeyringPair, amount: bigint) => api.tx.balances.transferKeepAlive(to.address, amount);

describe('utility', () => {
  it('batchAll runs every call: Transfer, ItemCompleted per item, BatchCompleted; balances exact', async () => {
    const [a0, b0, c0] = await Promise.all([alice, bob, charlie].map((k) => free(api, k.address)));
    const r = await send(
      api,
      api.tx.utility.batchAll([
        transfer(bob, UNIT),
        transfer(charlie, 2n * UNIT),
        api.tx.system.remarkWithEvent('hi'),
      ]),
      alice,
    );
    expect(r.failed).toBe(false);
    // The fee's own events (Withdraw, Deposit to the treasury, maybe its NewAccount/Endowed) frame these.
    const batchEvents = /^(utility\.|balances\.Transfer|system\.Remarked|system\.Extrinsic)/;
    expect(r.names.filter((n) => batchEvents.test(n))).toEqual([
      'balances.Transfer',
      'utility.ItemCompleted',
      'balances.Transfer',
      'utility.ItemCompleted',
      'system.Remarked',
      'utility.ItemCompleted',
      'utility.BatchCompleted',
      'system.ExtrinsicSuccess',
    ]);
    expect(await free(api, bob.address)).toBe(b0 + UNIT);
    expect(await free(api, charlie.address)).toBe(c0 + 2n * UNIT);
    expect(await free(api, alice.address)).toBe(a0 - 3n * UNIT - r.fee);
  });

  it('a failing item rolls the whole batchAll back: ExtrinsicFailed with the item error, only the fee is paid', async () => {
    const [b0, c0] = await Promise.all([bob, charlie].map((k) => free(api, k.address)));
    // Bob is not the sudo key: the second item fails with Sudo.RequireSudo.
    const r = await send(
      api,
      api.tx.utility.batchAll([transfer(charlie, UNIT), api.tx.sudo.sudo(api.tx.system.remark('0x'))]),
      bob,
    );
    expect(r.failed).toBe(true);
    expect(r.error).toBe('sudo.RequireSudo');
    expect(r.names.filter((n) => n.startsWith('utility.') || n === 'balances.Transfer')).toEqual([]);
    expect(await free(api, charlie.address)).toBe(c0);
    expect(await free(api, bob.address)).toBe(b0 - r.fee);
  });

  it('batch stops at the first failure: BatchInterrupted { index, error }, earlier items kept, later ones not run', async () => {
    const [a0, b0, c0] = await Promise.all([alice, bob, charlie].map((k) => free(api, k.address)));
    const r = await send(
      api,
      api.tx.utility.batch([
        transfer(alice, UNIT),
        api.tx.sudo.sudo(api.tx.system.remark('0x')),
        transfer(charlie, UNIT),
      ]),
      bob,
    );
    expect(r.failed).toBe(false);
    const interrupted = r.events.find(({ event }) => event.method === 'BatchInterrupted')!.event as any;
    expect(interrupted.data.index.toNumber()).toBe(1);
    expect(api.registry.findMetaError(interrupted.data.error.asModule).name).toBe('RequireSudo');
    expect(r.names.filter((n) => n.startsWith('utility.'))).toEqual([
      'utility.ItemCompleted',
      'utility.BatchInterrupted',
    ]);
    expect(await free(api, alice.address)).toBe(a0 + UNIT);
    expect(await free(api, charlie.address)).toBe(c0);
    expect(await free(api, bob.address)).toBe(b0 - UNIT - r.fee);
  });

  it('batchAll inside batchAll is filtered (System.CallFiltered); batch inside batchAll is fine', async () => {
    const nested = await send(
      api,
      api.tx.utility.batchAll([api.tx.utility.batchAll([transfer(bob, 1n)])]),
      alice,
    );
    expect(nested.failed).toBe(true);
    expect(nested.error).toBe('system.CallFiltered');
    const ok = await send(api, api.tx.utility.batchAll([api.tx.utility.batch([transfer(bob, 1n)])]), alice);
    expect(ok.failed).toBe(false);
  });

  it('forceBatch keeps going: ItemFailed for the bad item, BatchCompletedWithErrors', async () => {
    const r = await send(
      api,
      api.tx.utility.forceBatch([api.tx.sudo.sudo(api.tx.system.remark('0x')), transfer(alice, UNIT)]),
      bob,
    );
    expect(r.names.filter((n) => n.startsWith('utility.'))).toEqual([
      'utility.ItemFailed',
      'utility.ItemCompleted',
      'utility.BatchCompletedWithErrors',
    ]);
  });

  it('declares the sum of the inner weights plus its own (paymentInfo of the batch exceeds each part)', async () => {
    const parts = [transfer(bob, 1n), transfer(charlie, 1n)];
    const infos = await Promise.all(parts.map((t) => t.paymentInfo(alice)));
    const batch = await api.tx.utility.batch(parts).paymentInfo(alice);
    const sum = infos.reduce((s, i) => s + i.weight.refTime.toBigInt(), 0n);
    expect(batch.weight.refTime.toBigInt()).toBeGreaterThan(sum);
    expect(api.consts.utility.batchedCallsLimit.toNumber()).toBe(10922);
  });

  it('a batch nested deeper than MAX_EXTRINSIC_DEPTH (256) is refused at submission; the chain does not move', async () => {
    // utility.batch([utility.batch([... remark ...])]): pallet 6, call 0, one item; 300 levels.
    const remark = api.tx.system.remark('0x00').method.toU8a();
    let call = remark;
    for (let i = 0; i < 300; i++) call = new Uint8Array([6, 0, 4, ...call]);
    const tx = api.tx(api.createType('Call', call));
    const best = (await api.rpc.chain.getHeader()).number.toNumber();
    const signed = await tx.signAsync(alice);
    const err = await rpc.call('author_submitExtrinsic', [signed.toHex()]).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(RpcCallError);
    expect((err as RpcCallError).code).toBe(1002);
    expect((await api.rpc.chain.getHeader()).number.toNumber()).toBe(best);
  });
});

describe('block authors', () => {
  it('api.derive.chain.getHeader names //Alice, the session validator whose aura slot the header claims', async () => {
    const best = await api.rpc.chain.getBlockHash();
    const header = await api.derive.chain.getHeader(best);
    expect(header.hash.toHex()).toBe(best.toHex());
    expect(header.author?.toString()).toBe(alice.address);
    const validators = await api.query.session.validators();
    expect(validators.map(String)).toEqual([alice.address]);
    expect(((await api.query.aura.authorities()) as any).map((a: any) => u8aToHex(a.toU8a()))).toEqual([
      u8aToHex(alice.publicKey),
    ]);
  });

  it('subscribeNewHeads gives each new head with its author; CurrentSlot follows the digest', async () => {
    const got = new Promise<{ author?: string; number: number }>((resolve) => {
      let unsub: (() => void) | undefined;
      void api.derive.chain
        .subscribeNewHeads((h) => {
          unsub?.();
          resolve({ author: h.author?.toString(), number: h.number.toNumber() });
        })
        .then((u) => {
          unsub = u;
        });
    });
    await send(api, api.tx.system.remark('0x01'), bob);
    const head = await got;
    expect(head.author).toBe(alice.address);
    const hdr = await api.rpc.chain.getHeader();
    const preRuntime = hdr.digest.logs.find((l) => l.isPreRuntime)!.asPreRuntime;
    expect(preRuntime[0].toString()).toBe('aura');
    const slot = api.createType('u64', preRuntime[1].toU8a(true)).toBigInt();
    expect(((await api.query.aura.currentSlot()) as any).toBigInt()).toBe(slot);
    expect(((await api.call.auraApi.slotDuration()) as any).toBigInt()).toBe(6000n);
    expect((await api.query.timestamp.now()).toBigInt()).toBe(slot * 6000n);
  });
});

describe('dry runs', () => {
  it('system_dryRun applies a signed extrinsic on the best state and keeps nothing', async () => {
    const b0 = await free(api, bob.address);
    const nonce = (await api.rpc.system.accountNextIndex(alice.address)).toNumber();
    // Immortal: a transaction born at the best block names a BlockHash the best state does not hold yet (it is
    // written when the next block starts), so dry-running it there is AncientBirthBlock, as with polkadot-sdk.
    const signed = await transfer(bob, UNIT).signAsync(alice, { nonce, era: 0 });
    const best = (await api.rpc.chain.getHeader()).hash.toHex();
    const res = await api.rpc.system.dryRun(signed.toHex());
    expect(res.isOk).toBe(true);
    expect(res.asOk.isOk).toBe(true);
    // A dispatch error is Ok(Err(..)); a bad nonce is Err(Invalid(Future)), as polkadot-sdk's RPC tests.
    const failing = await api.tx.sudo.sudo(api.tx.system.remark('0x')).signAsync(bob, { era: 0 });
    const r2 = await api.rpc.system.dryRun(failing.toHex());
    expect(r2.asOk.isErr).toBe(true);
    expect(api.registry.findMetaError(r2.asOk.asErr.asModule).name).toBe('RequireSudo');
    const future = await transfer(bob, UNIT).signAsync(alice, { nonce: nonce + 5, era: 0 });
    const r3 = await api.rpc.system.dryRun(future.toHex(), best);
    expect(r3.isErr).toBe(true);
    expect(r3.asErr.asInvalid.isFuture).toBe(true);
    expect(await free(api, bob.address)).toBe(b0);
    expect((await api.rpc.chain.getHeader()).hash.toHex()).toBe(best);
    const bad = await rpc.call('system_dryRun', ['0x1234']).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((bad as RpcCallError).code).toBe(2);
  });

  it('api.call.dryRunApi.dryRunCall dispatches as any origin and reports result and events', async () => {
    const b0 = await free(api, bob.address);
    const call = transfer(bob, UNIT).method;
    const res = await api.call.dryRunApi.dryRunCall({ System: { Signed: alice.address } } as never, call, 5);
    const ok = (res as any).asOk;
    expect(ok.executionResult.isOk).toBe(true);
    const names = ok.emittedEvents.map((e: any) => `${e.section}.${e.method}`);
    expect(names).toContain('balances.Transfer');
    expect(ok.localXcm.isNone).toBe(true);
    expect(ok.forwardedXcms.length).toBe(0);
    const failing = await api.call.dryRunApi.dryRunCall(
      { System: { Signed: charlie.address } } as never,
      api.tx.sudo.sudo(api.tx.system.remark('0x')).method,
      5,
    );
    const err = (failing as any).asOk.executionResult.asErr;
    expect(api.registry.findMetaError(err.error.asModule).name).toBe('RequireSudo');
    const badVersion = await api.call.dryRunApi.dryRunCall(
      { System: { Signed: alice.address } } as never,
      call,
      99,
    );
    expect((badVersion as any).asErr.isVersionedConversionFailed).toBe(true);
    expect(await free(api, bob.address)).toBe(b0);
  });
});

describe('runtime APIs for chain tools', () => {
  it('GenesisBuilder: presetNames, the development preset and the default config as JSON', async () => {
    const names = await api.call.genesisBuilder.presetNames();
    expect(names.map((n: any) => new TextDecoder().decode(n.toU8a(true)))).toEqual(['development']);
    // polkadot-js hands `api.call` results that hold a `Vec<u8>` to `Bytes` as a `Raw`, which it does not decode again
    // (the SCALE prefix stays in the bytes), so the JSON is read from `state_call` and decoded here.
    const preset = async (id: string | null) => {
      const arg =
        id === null ? '0x00' : u8aToHex(u8aConcat([1], compactAddLength(new TextEncoder().encode(id))));
      const raw = await api.rpc.state.call('GenesisBuilder_get_preset', arg);
      const out = api.createType('Option<Bytes>', raw.toU8a(true));
      return out.isNone ? undefined : JSON.parse(new TextDecoder().decode(out.unwrap().toU8a(true)));
    };
    expect((await api.call.genesisBuilder.getPreset(stringToHex('development') as never)).isSome).toBe(true);
    const json = await preset('development');
    expect(Object.keys(json)).toEqual(['balances', 'sudo', 'assets', 'aura', 'session']);
    expect(json.sudo.key).toBe(u8aToHex(alice.publicKey));
    expect(json.session.keys[0]).toEqual([
      u8aToHex(alice.publicKey),
      u8aToHex(alice.publicKey),
      { aura: u8aToHex(alice.publicKey) },
    ]);
    const defaults = await preset(null);
    expect(defaults.balances).toEqual({ balances: [] });
    expect(await preset('nope')).toBeUndefined();
  });

  it('AuraApi.authorities and SessionKeys.decodeSessionKeys / generateSessionKeys(seed)', async () => {
    const auth = (await api.call.auraApi.authorities()) as any;
    expect(auth.map((a: any) => u8aToHex(a.toU8a()))).toEqual([u8aToHex(alice.publicKey)]);
    // The key //Bob derives to is @polkadot/keyring's; the result keeps its SCALE prefix (see GenesisBuilder above).
    const generated = await api.call.sessionKeys.generateSessionKeys('//Bob');
    expect(u8aToHex(generated.toU8a(true))).toBe(u8aToHex(compactAddLength(bob.publicKey)));
    const decoded = await api.call.sessionKeys.decodeSessionKeys(u8aToHex(bob.publicKey));
    const [[raw, keyType]] = decoded.unwrap().map((x) => x);
    expect(u8aToHex(raw.toU8a(true))).toBe(u8aToHex(bob.publicKey));
    expect(keyType.toU8a()).toEqual(new TextEncoder().encode('aura'));
    expect((await api.call.sessionKeys.decodeSessionKeys('0x0102')).isNone).toBe(true);
  });
});
