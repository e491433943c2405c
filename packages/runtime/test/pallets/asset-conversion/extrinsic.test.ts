/**
 * A user's swap as a chain runs it: `api.tx.assetConversion.swapTokensForExactTokens(...)` signed by //Alice with
 * @polkadot/types against our metadata, applied by the executive in a block after the timestamp inherent: the
 * transaction fee is paid in the native token, the pool pays exactly the amount asked, and the events are
 * `TransactionPayment.TransactionFeePaid` and `AssetConversion.SwapExecuted`. A second one whose maximum is too low
 * fails inside the block (`ExtrinsicFailed` with `ProvidedMaximumNotSufficientForSwap`), paying only its fee.
 */
import { Keyring } from '@polkadot/keyring';
import { Metadata, TypeRegistry } from '@polkadot/types';
import { u8aToHex } from '@polkadot/util';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Header } from '../../../src/block/header.ts';
import { generateMetadata } from '../../../src/metadata/generate.ts';
import { Events } from '../../../src/pallets/system/index.ts';
import { timestampInherentData } from '../../../src/pallets/timestamp/index.ts';
import { Overlay } from '../../../src/state/overlay.ts';
import { memoryGenesis } from '../../support/memory-genesis.ts';
import { INDEX, MOCK_CONFIG, makeConversionRuntime, NATIVE, ready, token } from './mock.ts';

beforeAll(() => ready);

describe('a signed swap in a block', () => {
  it('pays its fee, takes at most the maximum, pays the exact amount; a too-low maximum fails in the block', async () => {
    await ready;
    const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
    const alice = keyring.addFromUri('//Alice');
    const bob = keyring.addFromUri('//Bob');
    const t2 = token(2);
    const chain = makeConversionRuntime();
    const { runtime, executive } = chain;
    const UNIT = 10n ** 12n;
    const { backend, genesisHash } = memoryGenesis(
      runtime.buildGenesis({
        Balances: {
          balances: [
            [alice.publicKey, 100n * UNIT],
            [bob.publicKey, 10_000n * UNIT],
          ],
        },
        ForeignAssets: {
          assets: [[t2, bob.publicKey, true, 1n]],
          metadata: [],
          accounts: [
            [t2, bob.publicKey, 10_000n * UNIT],
            [t2, alice.publicKey, 100n * UNIT],
          ],
        },
        AssetConversion: { pools: [[NATIVE, t2, bob.publicKey, 1000n * UNIT, 5000n * UNIT]] },
      }),
    );

    const registry = new TypeRegistry();
    registry.setMetadata(new Metadata(registry, generateMetadata(runtime, 14)));
    const fee = 2n * UNIT; // the storage fee, in the native token
    const sign = (nonce: number, maxIn: bigint) => {
      const call = registry.createType('Call', {
        callIndex: [INDEX.AssetConversion, 4],
        args: [
          [
            { parents: 1, interior: { X1: [{ Parachain: 2002 }] } },
            { parents: 0, interior: 'Here' },
          ],
          fee,
          maxIn,
          alice.publicKey,
          true,
        ],
      });
      const ext = registry.createType('Extrinsic', call);
      ext.sign(alice, {
        blockHash: u8aToHex(genesisHash),
        genesisHash: u8aToHex(genesisHash),
        nonce,
        runtimeVersion: {
          specVersion: runtime.version.spec_version,
          transactionVersion: runtime.version.transaction_version,
        },
      } as never);
      return ext.toU8a();
    };
    // get_amount_in(2·10^12, 5000·10^12, 1000·10^12) = ⌊5000·2·1000·10^24 / (998·997·10^12)⌋ + 1
    const price = (5000n * UNIT * fee * 1000n) / ((1000n * UNIT - fee) * 997n) + 1n;
    expect(price).toBe(10_050_190_652_117n);

    const header: Header = {
      parentHash: genesisHash,
      number: 1,
      stateRoot: new Uint8Array(32),
      extrinsicsRoot: new Uint8Array(32),
      digest: { logs: [] },
    };
    const overlay = new Overlay(backend);
    const out = runtime.execute(overlay, () => {
      executive.initializeBlock(header);
      const [k, v] = timestampInherentData(1_700_000_000_000n);
      for (const inh of executive.inherentExtrinsics(new Map([[k, v]]))) executive.applyExtrinsic(inh);
      const nativeBefore = MOCK_CONFIG.assets.balance(NATIVE, alice.publicKey);
      const tokenBefore = MOCK_CONFIG.assets.balance(t2, alice.publicKey);
      const ok = executive.applyExtrinsic(sign(0, price));
      const afterOk = {
        native: MOCK_CONFIG.assets.balance(NATIVE, alice.publicKey),
        token: MOCK_CONFIG.assets.balance(t2, alice.publicKey),
      };
      const failed = executive.applyExtrinsic(sign(1, price - 1n));
      const afterFailed = {
        native: MOCK_CONFIG.assets.balance(NATIVE, alice.publicKey),
        token: MOCK_CONFIG.assets.balance(t2, alice.publicKey),
      };
      const events = Events.get().map((r: any) => [r.event.type, r.event.value.type, r.event.value.value]);
      executive.finalizeBlock();
      return { ok, failed, nativeBefore, tokenBefore, afterOk, afterFailed, events };
    });

    expect(out.ok).toEqual({ ok: { ok: undefined } });
    expect(out.failed).toMatchObject({
      ok: { err: { type: 'Module', value: { index: INDEX.AssetConversion } } },
    });
    expect((out.failed as any).ok.err.value.error[0]).toBe(18); // ProvidedMaximumNotSufficientForSwap

    const paid = (ev: any[]) =>
      ev
        .filter(([p, n]) => p === 'TransactionPayment' && n === 'TransactionFeePaid')
        .map(([, , f]) => f.actual_fee);
    const [fee1, fee2] = paid(out.events);
    expect(fee1).toBeGreaterThan(0n);
    // The first: exactly the fee in native (less its transaction fee), exactly the price in the token.
    expect(out.afterOk.native).toBe(out.nativeBefore + fee - fee1);
    expect(out.afterOk.token).toBe(out.tokenBefore - price);
    // The second changed nothing but its transaction fee.
    expect(out.afterFailed.native).toBe(out.afterOk.native - fee2);
    expect(out.afterFailed.token).toBe(out.afterOk.token);
    const swaps = out.events.filter(([p]) => p === 'AssetConversion');
    expect(swaps).toHaveLength(1);
    expect(swaps[0][1]).toBe('SwapExecuted');
    expect(swaps[0][2]).toMatchObject({ amount_in: price, amount_out: fee });
  });
});
