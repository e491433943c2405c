/**
 * Multisig and proxy as a wallet or multisig app drives them with @polkadot/api 16.5.6 against a dev node process:
 * a 2-of-3 transfer through `multisig.approveAsMulti` + `multisig.asMulti` from the account @polkadot/util-crypto's
 * `encodeMultiAddress` derives (deposits reserved and returned, balances to the unit), `asMultiThreshold1`, a proxy
 * transfer, and what polkadot-sdk refuses: wrong threshold (MinimumThreshold), a caller who is no proxy
 * (NotProxy), a NonTransfer proxy moving funds (its ProxyExecuted result is System.CallFiltered, also inside a
 * batch), a delegate escalating its own proxy type.
 */
import '@polkadot/api-augment';
import type { ApiPromise } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import type { KeyringPair } from '@polkadot/keyring/types';
import {
  cryptoWaitReady,
  encodeDerivedAddress,
  encodeMultiAddress,
  sortAddresses,
} from '@polkadot/util-crypto';
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
import { describeError, free, reserved, send } from './helpers.ts';

let node: RunningNode;
let api: ApiPromise;
let basePath: string;
let alice: KeyringPair;
let bob: KeyringPair;
let charlie: KeyringPair;
let dave: KeyringPair;
let eve: KeyringPair;

beforeAll(async () => {
  await cryptoWaitReady();
  const keyring = new Keyring({ type: 'sr25519', ss58Format: SS58_PREFIX });
  [alice, bob, charlie, dave, eve] = ['//Alice', '//Bob', '//Charlie', '//Dave', '//Eve'].map((u) =>
    keyring.addFromUri(u),
  );
  basePath = await tempBasePath('wallet-multisig');
  node = await startNode({ basePath, mode: { sealing: 'instant' } });
  api = await connectApi(node.wsUrl);
}, 60_000);

afterAll(async () => {
  await api?.disconnect().catch(() => {});
  await node?.stop();
  await killAllStarted();
  if (basePath) await removeDir(basePath);
});

const transfer = (to: string, amount: bigint) => api.tx.balances.transferKeepAlive(to, amount);
/** The other signatories, sorted as the pallet requires (polkadot-js's `sortAddresses`). */
const others = (me: KeyringPair, all: KeyringPair[]) =>
  sortAddresses(
    all.filter((k) => k.address !== me.address).map((k) => k.address),
    SS58_PREFIX,
  );
const eventData = (r: { events: any[] }, method: string) =>
  r.events.find(({ event }) => event.method === method)?.event.data as any;

describe('multisig', () => {
  it('2-of-3: approve, then the second signatory executes; deposit reserved and returned, balances exact', async () => {
    const signers = [alice, bob, charlie];
    const multisig = encodeMultiAddress(
      signers.map((k) => k.address),
      2,
      SS58_PREFIX,
    );
    const fund = await send(api, transfer(multisig, 10n * UNIT), alice);
    expect(fund.failed).toBe(false);

    const depositBase = api.consts.multisig.depositBase.toBigInt();
    const depositFactor = api.consts.multisig.depositFactor.toBigInt();
    const [a0, b0, d0] = await Promise.all([alice, bob, dave].map((k) => free(api, k.address)));
    const inner = transfer(dave.address, 3n * UNIT);
    const callHash = inner.method.hash.toHex();
    const maxWeight = { refTime: 10n ** 12n, proofSize: 10n ** 6n };

    const first = await send(
      api,
      api.tx.multisig.approveAsMulti(2, others(alice, signers), null, callHash, maxWeight),
      alice,
    );
    expect(first.failed).toBe(false);
    const opened = eventData(first, 'NewMultisig');
    expect(opened.multisig.toString()).toBe(multisig);
    expect(opened.callHash.toHex()).toBe(callHash);
    expect(await reserved(api, alice.address)).toBe(depositBase + 2n * depositFactor);
    expect(await free(api, alice.address)).toBe(a0 - first.fee - depositBase - 2n * depositFactor);

    const op = (await api.query.multisig.multisigs(multisig, callHash)).unwrap();
    const timepoint = { height: op.when.height.toNumber(), index: op.when.index.toNumber() };
    expect(op.approvals.map(String)).toEqual([alice.address]);
    expect(op.depositor.toString()).toBe(alice.address);

    const second = await send(
      api,
      api.tx.multisig.asMulti(2, others(bob, signers), timepoint, inner.method, maxWeight),
      bob,
    );
    expect(second.failed).toBe(false);
    const executed = eventData(second, 'MultisigExecuted');
    expect(executed.result.isOk).toBe(true);
    expect(executed.timepoint.height.toNumber()).toBe(timepoint.height);
    expect((await api.query.multisig.multisigs(multisig, callHash)).isNone).toBe(true);
    expect(await free(api, dave.address)).toBe(d0 + 3n * UNIT);
    expect(await free(api, multisig)).toBe(7n * UNIT);
    expect(await reserved(api, alice.address)).toBe(0n);
    expect(await free(api, alice.address)).toBe(a0 - first.fee);
    expect(await free(api, bob.address)).toBe(b0 - second.fee);
  });

  it('asMultiThreshold1 dispatches at once from the 1-of-n account', async () => {
    const signers = [alice, eve];
    const account = encodeMultiAddress(
      signers.map((k) => k.address),
      1,
      SS58_PREFIX,
    );
    await send(api, transfer(account, 5n * UNIT), alice);
    const c0 = await free(api, charlie.address);
    const r = await send(
      api,
      api.tx.multisig.asMultiThreshold1(others(eve, signers), transfer(charlie.address, UNIT)),
      eve,
    );
    expect(r.failed).toBe(false);
    expect(await free(api, charlie.address)).toBe(c0 + UNIT);
    expect(await free(api, account)).toBe(4n * UNIT);
  });

  it('refuses a threshold below 2, unsorted signatories, the sender among them, and a missing timepoint', async () => {
    const call = transfer(dave.address, 1n).method;
    const w = { refTime: 10n ** 12n, proofSize: 10n ** 6n };
    const sorted = others(alice, [alice, bob, charlie]);
    const cases: Array<[any, string]> = [
      [api.tx.multisig.asMulti(1, sorted, null, call, w), 'multisig.MinimumThreshold'],
      [api.tx.multisig.asMulti(2, [...sorted].reverse(), null, call, w), 'multisig.SignatoriesOutOfOrder'],
      [
        api.tx.multisig.asMulti(2, [alice.address, bob.address].sort(), null, call, w),
        'multisig.SenderInSignatories',
      ],
      [api.tx.multisig.asMulti(2, [], null, call, w), 'multisig.TooFewSignatories'],
      [api.tx.multisig.cancelAsMulti(2, sorted, { height: 1, index: 0 }, call.hash), 'multisig.NotFound'],
    ];
    const r0 = await reserved(api, alice.address);
    for (const [tx, error] of cases) {
      const r = await send(api, tx, alice);
      expect(r.error).toBe(error);
    }
    expect(await reserved(api, alice.address)).toBe(r0);
    // A second approval names the operation by its timepoint: without it, NoTimepoint; the wrong one, WrongTimepoint.
    const open = await send(api, api.tx.multisig.asMulti(2, sorted, null, call, w), alice);
    expect(open.failed).toBe(false);
    const mine = others(bob, [alice, bob, charlie]);
    expect((await send(api, api.tx.multisig.asMulti(2, mine, null, call, w), bob)).error).toBe(
      'multisig.NoTimepoint',
    );
    expect(
      (await send(api, api.tx.multisig.asMulti(2, mine, { height: 1, index: 9 }, call, w), bob)).error,
    ).toBe('multisig.WrongTimepoint');
    const multisig = encodeMultiAddress([alice.address, bob.address, charlie.address], 2, SS58_PREFIX);
    const when = (await api.query.multisig.multisigs(multisig, call.hash)).unwrap().when;
    expect((await send(api, api.tx.multisig.cancelAsMulti(2, mine, when, call.hash), bob)).error).toBe(
      'multisig.NotOwner',
    );
    const cancelled = await send(api, api.tx.multisig.cancelAsMulti(2, sorted, when, call.hash), alice);
    expect(cancelled.names).toContain('multisig.MultisigCancelled');
    expect(await reserved(api, alice.address)).toBe(r0);
  });
});

describe('proxy', () => {
  it('an Any proxy transfers for the real account; the deposit is reserved and returned on removal', async () => {
    const base = api.consts.proxy.proxyDepositBase.toBigInt();
    const factor = api.consts.proxy.proxyDepositFactor.toBigInt();
    const [a0, c0] = await Promise.all([alice, charlie].map((k) => free(api, k.address)));
    const add = await send(api, api.tx.proxy.addProxy(bob.address, 'Any', 0), alice);
    expect(add.names).toContain('proxy.ProxyAdded');
    expect(await reserved(api, alice.address)).toBe(base + factor);
    const viaProxy = await send(
      api,
      api.tx.proxy.proxy(alice.address, null, transfer(charlie.address, UNIT)),
      bob,
    );
    expect(eventData(viaProxy, 'ProxyExecuted').result.isOk).toBe(true);
    expect(await free(api, charlie.address)).toBe(c0 + UNIT);
    expect(await free(api, alice.address)).toBe(a0 - add.fee - base - factor - UNIT);
    const remove = await send(api, api.tx.proxy.removeProxy(bob.address, 'Any', 0), alice);
    expect(remove.names).toContain('proxy.ProxyRemoved');
    expect(await reserved(api, alice.address)).toBe(0n);
    expect(await free(api, alice.address)).toBe(a0 - add.fee - UNIT - remove.fee);
  });

  it('unknown proxy → Proxy.NotProxy; NonTransfer cannot move funds, directly or inside a batch', async () => {
    const notProxy = await send(api, api.tx.proxy.proxy(alice.address, null, transfer(eve.address, 1n)), eve);
    expect(notProxy.error).toBe('proxy.NotProxy');

    await send(api, api.tx.proxy.addProxy(dave.address, 'NonTransfer', 0), alice);
    const e0 = await free(api, eve.address);
    const direct = await send(api, api.tx.proxy.proxy(alice.address, null, transfer(eve.address, 1n)), dave);
    expect(direct.failed).toBe(false);
    expect(describeError(api, eventData(direct, 'ProxyExecuted').result.asErr)).toBe('system.CallFiltered');
    const batched = await send(
      api,
      api.tx.proxy.proxy(alice.address, null, api.tx.utility.batch([transfer(eve.address, 1n)])),
      dave,
    );
    const interrupted = eventData(batched, 'BatchInterrupted');
    expect(describeError(api, interrupted.error)).toBe('system.CallFiltered');
    expect(await free(api, eve.address)).toBe(e0);
    // A remark is fine for NonTransfer; adding an Any proxy through it is not (no escalation).
    const remark = await send(
      api,
      api.tx.proxy.proxy(alice.address, null, api.tx.system.remarkWithEvent('x')),
      dave,
    );
    expect(eventData(remark, 'ProxyExecuted').result.isOk).toBe(true);
    const escalate = await send(
      api,
      api.tx.proxy.proxy(alice.address, null, api.tx.proxy.addProxy(eve.address, 'Any', 0)),
      dave,
    );
    expect(describeError(api, eventData(escalate, 'ProxyExecuted').result.asErr)).toBe('system.CallFiltered');
  });

  it('a pure proxy: created with its deposit, controlled through its spawner, killed with the deposit back', async () => {
    const r0 = await reserved(api, charlie.address);
    const created = await send(api, api.tx.proxy.createPure('Any', 0, 0), charlie);
    const ev = eventData(created, 'PureCreated');
    const pure = ev.pure.toString();
    const base = api.consts.proxy.proxyDepositBase.toBigInt();
    const factor = api.consts.proxy.proxyDepositFactor.toBigInt();
    expect(await reserved(api, charlie.address)).toBe(r0 + base + factor);
    await send(api, transfer(pure, 2n * UNIT), charlie);
    const height = (await api.rpc.chain.getHeader(created.blockHash)).number.toNumber();
    const block = await api.rpc.chain.getBlock(created.blockHash);
    const extIndex = block.block.extrinsics.findIndex((x) => x.method.section === 'proxy');
    const kill = await send(
      api,
      api.tx.proxy.proxy(pure, null, api.tx.proxy.killPure(charlie.address, 'Any', 0, height, extIndex)),
      charlie,
    );
    expect(eventData(kill, 'ProxyExecuted').result.isOk).toBe(true);
    expect(await reserved(api, charlie.address)).toBe(r0);
    expect(((await api.query.proxy.proxies(pure)) as any)[0].length).toBe(0);
  });

  it('utility.asDerivative acts as the account polkadot-js encodeDerivedAddress names', async () => {
    const derived = encodeDerivedAddress(alice.address, 7, SS58_PREFIX);
    await send(api, transfer(derived, 3n * UNIT), alice);
    const c0 = await free(api, charlie.address);
    const r = await send(api, api.tx.utility.asDerivative(7, transfer(charlie.address, UNIT)), alice);
    expect(r.failed).toBe(false);
    expect(await free(api, charlie.address)).toBe(c0 + UNIT);
    expect(await free(api, derived)).toBe(2n * UNIT);
  });
});
