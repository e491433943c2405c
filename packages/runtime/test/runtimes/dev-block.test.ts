/**
 * Blocks of the dev runtime built from extrinsics that @polkadot/types signs against our own metadata (what
 * `api.tx.balances.transferKeepAlive(dest, value).signAndSend(alice)` produces): exact balances, fees and events,
 * ED reaping, keep-alive refusal, exact dispatch errors with nothing but the fee changed, force calls needing Root.
 * Expected numbers come from polkadot-sdk's definitions (weights.rs, RocksDbWeight, ExtrinsicBaseWeight = 125 µs,
 * WeightToFee polynomial), computed here independently of the runtime's code.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { twox128 } from '../../src/crypto/index.ts';
import { Account as SystemAccount } from '../../src/pallets/system/pallet.ts';
import { TotalIssuance } from '../../src/pallets/balances/index.ts';
import { NextFeeMultiplier } from '../../src/pallets/transaction-payment/index.ts';
import { DEV_ENDOWMENT, EXISTENTIAL_DEPOSIT, TREASURY_ACCOUNT, UNIT } from '../../src/runtimes/index.ts';
import {
  buildBlock,
  changedKeys,
  hex,
  newDevChain,
  plain,
  read,
  ready,
  signTx,
  snapshot,
} from './dev-chain.ts';

beforeAll(() => ready);

// polkadot-sdk constants: RocksDbWeight read 25 µs / write 100 µs; ExtrinsicBaseWeight 125 µs.
const READ = 25_000_000n;
const WRITE = 100_000_000n;
const BASE_EXTRINSIC = 125_000_000n;
// Dev WeightToFee maps ExtrinsicBaseWeight to 1 mUNIT: coeff_integer = 10^9 / 125_000_000 = 8, frac 0.
const WEIGHT_COEFF = 8n;
const BYTE_FEE = 10_000_000n; // 10 µUNIT
const TRANSFER_KEEP_ALIVE = 38_159_000n + READ + WRITE; // weights.rs transfer_keep_alive, r1 w1
const TRANSFER_ALLOW_DEATH = 48_363_000n + READ + WRITE;

const fee = (callRefTime: bigint, len: number) =>
  BASE_EXTRINSIC * WEIGHT_COEFF + BigInt(len) * BYTE_FEE + callRefTime * WEIGHT_COEFF;

const free = (chain: ReturnType<typeof newDevChain>, who: Uint8Array) =>
  read(chain, () => SystemAccount.get(who).data.free);
const account = (chain: ReturnType<typeof newDevChain>, who: Uint8Array) =>
  read(chain, () => SystemAccount.get(who));
const applied = (events: { name: string }[]) =>
  events.filter((e) => e.name === 'ExtrinsicSuccess' || e.name === 'ExtrinsicFailed');

describe('dev runtime: a block of transfers', () => {
  it('moves exact balances, charges the exact fee and emits the events polkadot-js expects, in order', () => {
    const chain = newDevChain();
    const { alice, bob, charlie } = chain.pairs;
    const issuance = read(chain, () => TotalIssuance.get());
    const x1 = signTx(chain, alice, 'Balances', 'transfer_keep_alive', [{ Id: bob.publicKey }, 5n * UNIT], {
      nonce: 0,
    });
    const x2 = signTx(
      chain,
      bob,
      'Balances',
      'transfer_allow_death',
      [{ Id: charlie.publicKey }, 2n * UNIT],
      { nonce: 0 },
    );
    const x3 = signTx(chain, alice, 'Balances', 'transfer_keep_alive', [{ Id: charlie.publicKey }, 7n], {
      nonce: 1,
      tip: 1_000n,
    });
    const r = buildBlock(chain, [x1, x2, x3]);
    expect(r.results).toEqual([0, 1, 2, 3].map(() => ({ ok: { ok: undefined } })));

    const f1 = fee(TRANSFER_KEEP_ALIVE, x1.length);
    const f2 = fee(TRANSFER_ALLOW_DEATH, x2.length);
    const f3 = fee(TRANSFER_KEEP_ALIVE, x3.length) + 1_000n;
    expect(free(chain, alice.publicKey)).toBe(DEV_ENDOWMENT - 5n * UNIT - f1 - 7n - f3);
    expect(free(chain, bob.publicKey)).toBe(DEV_ENDOWMENT + 5n * UNIT - 2n * UNIT - f2);
    expect(free(chain, charlie.publicKey)).toBe(DEV_ENDOWMENT + 2n * UNIT + 7n);
    expect(free(chain, TREASURY_ACCOUNT)).toBe(f1 + f2 + f3);
    expect(account(chain, alice.publicKey).nonce).toBe(2);
    // Fees moved to the treasury: nothing created or destroyed.
    expect(read(chain, () => TotalIssuance.get())).toBe(issuance);

    const ev = r.events.map((e) => [e.pallet, e.name, plain(e.fields)]);
    const A = `0x${hex(alice.publicKey)}`;
    const B = `0x${hex(bob.publicKey)}`;
    const T = `0x${hex(TREASURY_ACCOUNT)}`;
    // Extrinsic 0 is the timestamp inherent; extrinsic 1 the first transfer.
    expect(ev[0][1]).toBe('ExtrinsicSuccess');
    expect(ev.slice(1, 9)).toEqual([
      ['Balances', 'Withdraw', { who: A, amount: f1.toString() }],
      ['Balances', 'Transfer', { from: A, to: B, amount: (5n * UNIT).toString() }],
      ['System', 'NewAccount', { account: T }],
      ['Balances', 'Endowed', { account: T, free_balance: f1.toString() }],
      ['Balances', 'Deposit', { who: T, amount: f1.toString() }],
      ['TransactionPayment', 'TransactionFeePaid', { who: A, actual_fee: f1.toString(), tip: '0' }],
      [
        'System',
        'ExtrinsicSuccess',
        {
          dispatch_info: {
            // frame_system reports the actual weight plus the class's base_extrinsic.
            weight: { refTime: Number(TRANSFER_KEEP_ALIVE + BASE_EXTRINSIC), proofSize: 3593 },
            class: 'Normal',
            paysFee: 'Yes',
          },
        },
      ],
      ['Balances', 'Withdraw', { who: B, amount: f2.toString() }],
    ]);
    expect(r.events.at(-2)).toMatchObject({
      name: 'TransactionFeePaid',
      fields: { actual_fee: f3, tip: 1_000n },
    });
    expect(r.events.filter((e) => e.name === 'ExtrinsicSuccess')).toHaveLength(4);
    expect(r.events.map((e) => (e.phase as { value?: number }).value)).toEqual(
      r.events.map((e) => (e.phase as { value?: number }).value).sort((a, b) => (a ?? 0) - (b ?? 0)),
    );
  });

  it('reaps a sender left below ED (KilledAccount, DustLost, issuance down by the dust) and resets its nonce', () => {
    const chain = newDevChain();
    const { dave, eve } = chain.pairs;
    const issuanceBefore = read(chain, () => TotalIssuance.get());
    // Dave sends everything except half an ED (after the fee): the rest is dust.
    const dust = EXISTENTIAL_DEPOSIT / 2n;
    const probe = signTx(
      chain,
      dave,
      'Balances',
      'transfer_allow_death',
      [{ Id: eve.publicKey }, DEV_ENDOWMENT],
      { nonce: 0 },
    );
    const fx = fee(TRANSFER_ALLOW_DEATH, probe.length);
    const xt2 = signTx(
      chain,
      dave,
      'Balances',
      'transfer_allow_death',
      [{ Id: eve.publicKey }, DEV_ENDOWMENT - fx - dust],
      {
        nonce: 0,
      },
    );
    expect(xt2.length).toBe(probe.length);
    const r = buildBlock(chain, [xt2]);
    expect('ok' in r.results[1] && 'ok' in (r.results[1] as any).ok).toBe(true);
    expect(read(chain, () => SystemAccount.contains(dave.publicKey))).toBe(false);
    expect(account(chain, dave.publicKey).nonce).toBe(0);
    const D = `0x${hex(dave.publicKey)}`;
    const names = r.events.map((e) => `${e.pallet}.${e.name}`);
    const killed = names.indexOf('System.KilledAccount');
    expect(killed).toBeGreaterThan(0);
    expect(names.slice(killed, killed + 3)).toEqual([
      'System.KilledAccount',
      'Balances.DustLost',
      'Balances.Transfer',
    ]);
    expect(plain(r.events[killed].fields)).toEqual({ account: D });
    expect(plain(r.events[killed + 1].fields)).toEqual({ account: D, amount: dust.toString() });
    expect(read(chain, () => TotalIssuance.get())).toBe(issuanceBefore - dust);
    expect(free(chain, eve.publicKey)).toBe(DEV_ENDOWMENT + (DEV_ENDOWMENT - fx - dust));
  });

  it('refuses a keep-alive transfer that would kill the sender: Token(NotExpendable), only the fee and nonce change', () => {
    const chain = newDevChain();
    const { ferdie, bob } = chain.pairs;
    const before = snapshot(chain);
    // Everything the fee leaves: the account would drop to zero.
    const probe = signTx(
      chain,
      ferdie,
      'Balances',
      'transfer_keep_alive',
      [{ Id: bob.publicKey }, DEV_ENDOWMENT],
      { nonce: 0 },
    );
    const value = DEV_ENDOWMENT - fee(TRANSFER_KEEP_ALIVE, probe.length);
    const xt = signTx(chain, ferdie, 'Balances', 'transfer_keep_alive', [{ Id: bob.publicKey }, value], {
      nonce: 0,
    });
    expect(xt.length).toBe(probe.length);
    const r = buildBlock(chain, [xt]);
    expect(plain(r.results[1])).toEqual({ ok: { err: { type: 'Token', value: { type: 'NotExpendable' } } } });
    const failed = applied(r.events)[1] as any;
    expect(failed.name).toBe('ExtrinsicFailed');
    expect(plain(failed.fields.dispatch_error)).toEqual({ type: 'Token', value: { type: 'NotExpendable' } });
    const f = fee(TRANSFER_KEEP_ALIVE, xt.length);
    expect(free(chain, ferdie.publicKey)).toBe(DEV_ENDOWMENT - f);
    expect(free(chain, bob.publicKey)).toBe(DEV_ENDOWMENT);
    expect(account(chain, ferdie.publicKey).nonce).toBe(1);
    expectOnlyFeeChanges(chain, before, [ferdie.publicKey]);
  });

  it('a transfer beyond the free balance fails with Token(FundsUnavailable), as polkadot-sdk dispatchable_tests', () => {
    const chain = newDevChain();
    const { bob, charlie } = chain.pairs;
    const before = snapshot(chain);
    const xt = signTx(
      chain,
      bob,
      'Balances',
      'transfer_allow_death',
      [{ Id: charlie.publicKey }, DEV_ENDOWMENT * 2n],
      { nonce: 0 },
    );
    const r = buildBlock(chain, [xt]);
    expect(plain(r.results[1])).toEqual({
      ok: { err: { type: 'Token', value: { type: 'FundsUnavailable' } } },
    });
    expectOnlyFeeChanges(chain, before, [bob.publicKey]);
  });

  it('insufficient balance for a reserve: Module { index: 2, error: [2,0,0,0] } (Balances.InsufficientBalance), no state change', () => {
    const chain = newDevChain();
    const { alice } = chain.pairs;
    const poor = chain.keyring.addFromUri('//Poor');
    buildBlock(chain, [
      signTx(chain, alice, 'Balances', 'transfer_keep_alive', [{ Id: poor.publicKey }, UNIT], { nonce: 0 }),
    ]);
    const before = snapshot(chain);
    // assets.create reserves AssetDeposit (10 UNIT) from the creator, who has 1 UNIT.
    const xt = signTx(chain, poor, 'Assets', 'create', [7, { Id: poor.publicKey }, 1n], { nonce: 0 });
    const r = buildBlock(chain, [xt]);
    expect(plain(r.results[1])).toEqual({
      ok: { err: { type: 'Module', value: { index: 2, error: '0x02000000' } } },
    });
    const failed = applied(r.events)[1] as any;
    expect(plain(failed.fields.dispatch_error)).toEqual({
      type: 'Module',
      value: { index: 2, error: '0x02000000' },
    });
    // polkadot-js resolves it to the pallet error by our metadata.
    const meta = chain.registry.findMetaError(new Uint8Array([2, 2]));
    expect([meta.section, meta.name, meta.docs.join(' ').trim()]).toEqual([
      'balances',
      'InsufficientBalance',
      'Balance too low to send value.',
    ]);
    expectOnlyFeeChanges(chain, before, [poor.publicKey]);
  });

  it('force calls need Root: BadOrigin when signed, RequireSudo for a non-key, done through sudo by the key with no fee', () => {
    const chain = newDevChain();
    const { alice, bob, charlie } = chain.pairs;
    const forceArgs = [{ Id: bob.publicKey }, { Id: charlie.publicKey }, 3n * UNIT];
    const direct = signTx(chain, bob, 'Balances', 'force_transfer', forceArgs, { nonce: 0 });
    const inner = chain.registry.createType('Call', {
      callIndex: [2, 2],
      args: { source: { Id: bob.publicKey }, dest: { Id: charlie.publicKey }, value: 3n * UNIT },
    });
    const notKey = signTx(chain, bob, 'Sudo', 'sudo', [inner], { nonce: 1 });
    const viaSudo = signTx(chain, alice, 'Sudo', 'sudo', [inner], { nonce: 0 });
    const r = buildBlock(chain, [direct, notKey, viaSudo]);
    expect(plain(r.results.slice(1))).toEqual([
      { ok: { err: { type: 'BadOrigin' } } },
      { ok: { err: { type: 'Module', value: { index: 4, error: '0x00000000' } } } },
      { ok: {} },
    ]);
    const sudid = r.events.find((e) => e.name === 'Sudid');
    expect(sudid?.fields).toEqual({ sudo_result: { ok: undefined } });
    expect(free(chain, charlie.publicKey)).toBe(DEV_ENDOWMENT + 3n * UNIT);
    // Sudo by the key is free: withdrawn before dispatch, refunded in full after it (Pays::No).
    expect(free(chain, alice.publicKey)).toBe(DEV_ENDOWMENT);
    const paid = r.events.filter((e) => e.name === 'TransactionFeePaid').map((e) => e.fields.actual_fee);
    expect(paid.at(-1)).toBe(0n);
  });
});

/** Only the signers' System.Account (fee, nonce), the treasury, and per-block System/Timestamp items changed. */
function expectOnlyFeeChanges(
  chain: ReturnType<typeof newDevChain>,
  before: Map<string, string>,
  signers: Uint8Array[],
) {
  const after = snapshot(chain);
  const allowed = new Set(
    [...signers, TREASURY_ACCOUNT].map((a) => hex(read(chain, () => SystemAccount.key(a)))),
  );
  const systemPrefix = hex(read(chain, () => SystemAccount.prefix)).slice(0, 32);
  const accountPrefix = hex(read(chain, () => SystemAccount.prefix));
  for (const k of changedKeys(before, after)) {
    if (k.startsWith(accountPrefix)) {
      expect(allowed.has(k), `unexpected System.Account change ${k}`).toBe(true);
      continue;
    }
    // Anything else must be per-block bookkeeping (System, Timestamp.Now, the fee multiplier), never another
    // pallet's state.
    const ok =
      k.startsWith(systemPrefix) ||
      k.startsWith(twox('Timestamp')) ||
      k === hex(read(chain, () => NextFeeMultiplier.key())) ||
      k === hex(new TextEncoder().encode(':extrinsic_index'));
    expect(ok, `unexpected change under ${k.slice(0, 32)}`).toBe(true);
  }
}

function twox(name: string) {
  return hex(twox128(new TextEncoder().encode(name)));
}
