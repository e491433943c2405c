/**
 * The XCM runtime APIs through `runtime.callApi` with SCALE inputs and outputs, as a client calls them
 * (`XcmPaymentApi_query_xcm_weight`, …): XcmPaymentApi v2 (acceptable assets, message weight, weight price per
 * asset, delivery fees) and DryRunApi v2 (dry_run_call reports the local XCM and the forwarded ones, dry_run_xcm the
 * outcome and events), after polkadot-sdk's `xcm-runtime-apis/tests/{fee_estimation,mock}.rs`.
 */
import { describe, expect, it } from 'vitest';
import { tuple } from '../../../src/scale/composite.ts';
import { Overlay } from '../../../src/state/overlay.ts';
import { MemoryBackend } from '../../../src/state/memory-backend.ts';
import { XcmPaymentApiDecl, xcmDryRunApi } from '../../../src/pallets/xcm/index.ts';
import { siblingParachain, type Xcm } from '../../../src/xcm/index.ts';
import { ALICE, accountLocation, BOB, native, UNIT } from '../../xcm/executor/mock.ts';
import { inBlock, PolkadotXcm, runtime, setDeliveryPrice } from './mock.ts';
import { initialize } from '../../../src/pallets/system/block.ts';

const api = (method: string, ...args: unknown[]) => {
  const decl = XcmPaymentApiDecl.methods[method];
  const input = tuple(...decl.inputs.map(([, c]) => c)).encode(args as never);
  const overlay = new Overlay(new MemoryBackend());
  return decl.output.decode(runtime.callApi(overlay, `XcmPaymentApi_${method}`, input));
};
const here = { parents: 0, interior: [] };
const v4 = <T>(value: T) => ({ type: 'V4' as const, value });
const v5 = <T>(value: T) => ({ type: 'V5' as const, value });
const UNIT_W = { refTime: 1e9, proofSize: 65536 };

describe('XcmPaymentApi', () => {
  it('is declared as version 2 in the runtime`s API list', () => {
    expect(runtime.hasApi('XcmPaymentApi_query_delivery_fees')).toBe(true);
    expect(XcmPaymentApiDecl.version).toBe(2);
  });

  it('query_acceptable_payment_assets: the native token in the asked version; unknown versions refused', () => {
    expect(api('query_acceptable_payment_assets', 4)).toEqual({ ok: [v4(here)] });
    expect(api('query_acceptable_payment_assets', 2)).toEqual({ err: { type: 'UnhandledXcmVersion' } });
  });

  it('query_xcm_weight: the weigher`s weight of a (V4) message', () => {
    const msg = v4([
      { type: 'WithdrawAsset', value: [{ id: here, fun: { type: 'Fungible', value: UNIT } }] },
      { type: 'ClearOrigin' },
    ]);
    expect(api('query_xcm_weight', msg)).toEqual({ ok: { refTime: 2e9, proofSize: 2 * 65536 } });
    // More than 100 instructions (nested ones counted) cannot even be decoded as the API's input, as polkadot-sdk's
    // instruction-count decode limit; given to the implementation directly, the weigher refuses to weigh it.
    const tooMany = v5(
      Array.from({ length: 100 }, () => ({ type: 'ClearOrigin' })).concat([
        { type: 'SetAppendix', value: [] },
      ] as never),
    );
    expect(() => api('query_xcm_weight', tooMany)).toThrow(/Max instructions/);
    const impl = runtime.apis.find((a) => a.api.name === 'XcmPaymentApi')!;
    inBlock(() =>
      expect(impl.methods.query_xcm_weight(tooMany)).toEqual({ err: { type: 'WeightNotComputable' } }),
    );
  });

  it('query_weight_to_asset_fee: the trader`s price in the native token or the sibling token; others AssetNotFound', () => {
    const w = { refTime: 3 * UNIT_W.refTime, proofSize: 3 * UNIT_W.proofSize };
    expect(api('query_weight_to_asset_fee', w, v5(here))).toEqual({ ok: 3_000_000n });
    expect(api('query_weight_to_asset_fee', w, v5(siblingParachain(2000)))).toEqual({ ok: 6_000n });
    expect(api('query_weight_to_asset_fee', w, v5(siblingParachain(3000)))).toEqual({
      err: { type: 'AssetNotFound' },
    });
  });

  it('query_delivery_fees: the router`s price in the newest version of the inputs; unroutable destinations refused', () => {
    inBlock(() => {
      setDeliveryPrice(siblingParachain(2000), [native(1_000n)]);
      const q = (dest: unknown) => {
        const decl = XcmPaymentApiDecl.methods.query_delivery_fees;
        const impl = runtime.apis.find((a) => a.api.name === 'XcmPaymentApi')!;
        return decl.output.decode(
          decl.output.encode(impl.methods.query_delivery_fees(dest, v4([{ type: 'ClearOrigin' }]), v5(here))),
        );
      };
      expect(q(v4(siblingParachain(2000)))).toEqual({
        ok: v4([{ id: here, fun: { type: 'Fungible', value: 1_000n } }]),
      });
      expect(q(v4({ parents: 2, interior: [] }))).toEqual({ err: { type: 'Unroutable' } });
    });
  });
});

describe('DryRunApi', () => {
  it('dry_run_call of a reserve transfer reports the local XCM and the forwarded message, in the asked version', () => {
    inBlock(() => {
      const impl = xcmDryRunApi(runtime, PolkadotXcm);
      const call = PolkadotXcm.pallet.tx.limited_reserve_transfer_assets({
        dest: v5(siblingParachain(2000)),
        beneficiary: v5(accountLocation(BOB)),
        assets: v5([native(5n * UNIT)]),
        fee_asset_item: 0,
        weight_limit: { type: 'Unlimited' },
      });
      const r = impl.methods.dry_run_call(
        { type: 'system', value: { type: 'Signed', value: ALICE } },
        call,
        4,
      ) as any;
      expect(r.ok.execution_result).toEqual({ ok: { actual_weight: undefined, pays_fee: 'Yes' } });
      expect(r.ok.local_xcm).toEqual(
        v4([
          {
            type: 'TransferAsset',
            value: { assets: [native(5n * UNIT)], beneficiary: siblingParachain(2000) },
          },
        ]),
      );
      expect(r.ok.forwarded_xcms).toHaveLength(1);
      expect(r.ok.forwarded_xcms[0][0]).toEqual(v4(siblingParachain(2000)));
      expect(r.ok.forwarded_xcms[0][1][0].type).toBe('V4');
      expect(r.ok.emitted_events.map((e: any) => `${e.type}.${e.value.type}`)).toContain('PolkadotXcm.Sent');
      // Recording is off again afterwards.
      expect(PolkadotXcm.storage.ShouldRecordXcm.get()).toBe(false);
    });
  });

  it('dry_run_xcm runs a message from a location: its outcome and events', () => {
    inBlock(() => {
      const impl = xcmDryRunApi(runtime, PolkadotXcm);
      const msg: Xcm = [
        { type: 'WithdrawAsset', value: [native(10n * UNIT)] },
        { type: 'BuyExecution', value: { fees: native(UNIT), weight_limit: { type: 'Unlimited' } } },
        {
          type: 'DepositAsset',
          value: {
            assets: { type: 'Wild', value: { type: 'AllCounted', value: 1 } },
            beneficiary: accountLocation(BOB),
          },
        },
      ];
      const r = impl.methods.dry_run_xcm(v5(siblingParachain(2000)), v5(msg)) as any;
      expect(r.ok.execution_result).toEqual({
        type: 'Complete',
        value: { used: { refTime: 3_000_000_000n, proofSize: 3n * 65536n } },
      });
      expect(r.ok.emitted_events.map((e: any) => `${e.type}.${e.value.type}`)).toEqual(
        expect.arrayContaining(['Balances.Burned', 'Balances.Minted']),
      );
      expect(r.ok.forwarded_xcms).toEqual([]);
      expect(impl.methods.dry_run_xcm(v5({ parents: 9, interior: [] }), v5(msg))).toMatchObject({ ok: {} });
      expect(initialize).toBeDefined();
    });
  });
});
