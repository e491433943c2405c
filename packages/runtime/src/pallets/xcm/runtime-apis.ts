/**
 * The XCM runtime APIs (polkadot-sdk `xcm-runtime-apis`), as pallet-xcm implements them:
 * - `XcmPaymentApi` (version 2): the assets accepted for execution fees, the weight of a message, that weight's price
 *   in an asset (the executor's trader), and the delivery fees of a message to a destination (the router's price,
 *   in the asked asset where the exchanger can quote it);
 * - `DryRunApi` (version 2, declared in runtimes/apis/dry-run.ts): with pallet-xcm present, `dry_run_call` also
 *   reports the XCM executed locally (recorded by the executor through this pallet) and the XCMs queued for
 *   sending (the router's queues), and `dry_run_xcm` runs a message from a location.
 */
import { blake2_256 } from '../../crypto/hashing.ts';
import type { RuntimeCallValue } from '../../frame/pallet.ts';
import type { Runtime } from '../../frame/runtime.ts';
import type { RuntimeApiDecl, RuntimeApiImpl } from '../../frame/runtime-version.ts';
import { type Weight, WeightCodec } from '../../frame/weights.ts';
import { enumeration, result, vec } from '../../scale/composite.ts';
import { u32, u128 } from '../../scale/primitives.ts';
import { MAX_WEIGHT, prepareAndExecute } from '../../xcm/executor/executor.ts';
import { XcmFailure } from '../../xcm/executor/errors.ts';
import {
  type AssetId,
  type Assets,
  AssetIdCodec,
  type Location,
  assetIdIntoVersion,
  assetsIntoVersion,
  intoVersion,
  locationIntoVersion,
  SUPPORTED_VERSIONS,
  toLatestLocation,
  toLatestXcm,
  type VersionedAssetId,
  VersionedAssetIdCodec,
  VersionedAssetsCodec,
  type VersionedLocation,
  VersionedLocationCodec,
  type VersionedXcm,
  VersionedXcmCodec,
  versionOf,
  type Xcm,
  XcmCodec,
} from '../../xcm/index.ts';
import { dryRunApiDecl, dryRunCall } from '../../runtimes/apis/dry-run.ts';
import type { OriginCallerValue } from '../utility/origin-caller.ts';
import { resetEvents } from '../system/block.ts';
import { Events } from '../system/pallet.ts';
import type { PalletXcmInstance } from './pallet.ts';
import type { PalletXcmConfig } from './types.ts';

type XcmPaymentApiError =
  | 'Unimplemented'
  | 'VersionedConversionFailed'
  | 'WeightNotComputable'
  | 'UnhandledXcmVersion'
  | 'AssetNotFound'
  | 'Unroutable';

/** `xcm_runtime_apis::fees::Error`. */
export const XcmPaymentApiErrorCodec = enumeration({
  Unimplemented: [0],
  VersionedConversionFailed: [1],
  WeightNotComputable: [2],
  UnhandledXcmVersion: [3],
  AssetNotFound: [4],
  Unroutable: [5],
}).named(['xcm_runtime_apis', 'fees', 'Error']);

export const XcmPaymentApiDecl: RuntimeApiDecl = {
  name: 'XcmPaymentApi',
  version: 2,
  docs: [' A trait of XCM payment API.'],
  methods: {
    query_acceptable_payment_assets: {
      inputs: [['xcm_version', u32]],
      output: result(vec(VersionedAssetIdCodec), XcmPaymentApiErrorCodec),
      docs: [' Returns a list of acceptable payment assets.'],
    },
    query_xcm_weight: {
      inputs: [['message', VersionedXcmCodec]],
      output: result(WeightCodec, XcmPaymentApiErrorCodec),
      docs: [' Returns a weight needed to execute a XCM.'],
    },
    query_weight_to_asset_fee: {
      inputs: [
        ['weight', WeightCodec],
        ['asset', VersionedAssetIdCodec],
      ],
      output: result(u128, XcmPaymentApiErrorCodec),
      docs: [' Converts a weight into a fee for the specified `AssetId`.'],
    },
    query_delivery_fees: {
      inputs: [
        ['destination', VersionedLocationCodec],
        ['message', VersionedXcmCodec],
        ['asset', VersionedAssetIdCodec],
      ],
      output: result(VersionedAssetsCodec, XcmPaymentApiErrorCodec),
      docs: [' Get delivery fees for sending a specific `message` to a `destination`, in `asset`.'],
    },
  },
};

const err = (type: XcmPaymentApiError) => ({ err: { type } });
const ctx = () => ({ origin: undefined, messageId: new Uint8Array(32), topic: undefined });
const supported = (v: number) => (SUPPORTED_VERSIONS as readonly number[]).includes(v);

/** The XcmPaymentApi queries, callable directly (inside the runtime env) or through the runtime API. */
export function xcmPaymentQueries(config: () => PalletXcmConfig) {
  const executor = () => config().executor;
  return {
    acceptablePaymentAssets(version: number) {
      if (!supported(version)) return err('UnhandledXcmVersion');
      const ids: AssetId[] = config().acceptablePaymentAssets?.() ?? [{ parents: 0, interior: [] }];
      try {
        return { ok: ids.map((id) => assetIdIntoVersion({ type: 'V5', value: id }, version)) };
      } catch {
        return err('VersionedConversionFailed');
      }
    },
    xcmWeight(message: VersionedXcm) {
      let xcm: Xcm;
      try {
        xcm = toLatestXcm(message);
      } catch {
        return err('VersionedConversionFailed');
      }
      try {
        return { ok: (config().weigher ?? executor().weigher).weight(xcm, MAX_WEIGHT) };
      } catch (e) {
        if (e instanceof XcmFailure) return err('WeightNotComputable');
        throw e;
      }
    },
    weightToAssetFee(weight: Weight, asset: VersionedAssetId) {
      let id: AssetId;
      try {
        id = assetIdIntoVersion(asset, 5).value as AssetId;
      } catch {
        return err('VersionedConversionFailed');
      }
      const trader = executor().trader();
      if (!trader.quoteWeight) return err('Unimplemented');
      try {
        const quote = trader.quoteWeight(weight, id, ctx());
        return { ok: quote.fun.type === 'Fungible' ? quote.fun.value : 0n };
      } catch (e) {
        if (e instanceof XcmFailure) return err('AssetNotFound');
        throw e;
      }
    },
    deliveryFees(destination: VersionedLocation, message: VersionedXcm, asset: VersionedAssetId) {
      const resultVersion = Math.max(versionOf(destination), versionOf(message));
      let dest: Location;
      let xcm: Xcm;
      let wanted: AssetId;
      try {
        dest = toLatestLocation(destination);
        xcm = toLatestXcm(message);
        wanted = assetIdIntoVersion(asset, 5).value as AssetId;
      } catch {
        return err('VersionedConversionFailed');
      }
      const v = config().router.validate(dest, xcm);
      if (!v.ok) return err('Unroutable');
      let fees: Assets = v.price;
      const first = fees[0];
      if (first && AssetIdCodec.compare(first.id, wanted) !== 0) {
        // Quoted in the asked asset: what of it buys the fee (the exchanger's `quote_exchange_price`, not maximal).
        const quote = executor().assetExchanger?.quoteExchangePrice(
          [{ id: wanted, fun: { type: 'Fungible', value: 1n } }],
          [first],
          false,
        );
        if (!quote) return err('AssetNotFound');
        fees = quote;
      }
      try {
        return { ok: assetsIntoVersion({ type: 'V5', value: fees }, resultVersion) };
      } catch {
        return err('VersionedConversionFailed');
      }
    },
  };
}

/** `XcmPaymentApi` for a runtime with `instance` (its config names the executor and the router). */
export function xcmPaymentApi(instance: PalletXcmInstance): RuntimeApiImpl {
  const q = xcmPaymentQueries(() => instance.pallet.config());
  return {
    api: XcmPaymentApiDecl,
    methods: {
      query_acceptable_payment_assets: (v: number) => q.acceptablePaymentAssets(v),
      query_xcm_weight: (m: VersionedXcm) => q.xcmWeight(m),
      query_weight_to_asset_fee: (w: Weight, a: VersionedAssetId) => q.weightToAssetFee(w, a),
      query_delivery_fees: (d: VersionedLocation, m: VersionedXcm, a: VersionedAssetId) =>
        q.deliveryFees(d, m, a),
    },
  };
}

/** The router's queued messages in `version` (`convert_forwarded_xcms`); undefined if one does not convert. */
function forwardedIn(
  config: PalletXcmConfig,
  version: number,
): Array<[VersionedLocation, VersionedXcm[]]> | undefined {
  try {
    return (config.inspectMessageQueues?.getMessages() ?? []).map(([dest, messages]) => [
      locationIntoVersion(dest, version),
      messages.map((m) => intoVersion(m, version)),
    ]);
  } catch {
    return undefined;
  }
}

/** `DryRunApi` for a runtime with pallet-xcm: the standard dry run plus the XCMs it executed and queued. */
export function xcmDryRunApi(runtime: Runtime, instance: PalletXcmInstance): RuntimeApiImpl {
  const { ShouldRecordXcm, RecordedXcm } = instance.storage;
  const config = () => instance.pallet.config();
  return {
    api: dryRunApiDecl(runtime),
    methods: {
      dry_run_call(origin: OriginCallerValue, call: RuntimeCallValue, version: number) {
        if (!supported(version)) return { err: { type: 'VersionedConversionFailed' } };
        config().inspectMessageQueues?.clearMessages();
        RecordedXcm.kill();
        ShouldRecordXcm.set(true);
        const r = dryRunCall(runtime, origin, call, version);
        ShouldRecordXcm.set(false);
        if ('err' in r) return r;
        const recorded = RecordedXcm.get();
        let local_xcm: VersionedXcm | undefined;
        try {
          local_xcm = recorded ? intoVersion({ type: 'V5', value: recorded }, version) : undefined;
        } catch {
          return { err: { type: 'VersionedConversionFailed' } };
        }
        const forwarded_xcms = forwardedIn(config(), version);
        if (!forwarded_xcms) return { err: { type: 'VersionedConversionFailed' } };
        return { ok: { ...r.ok, local_xcm, forwarded_xcms } };
      },
      dry_run_xcm(originLocation: VersionedLocation, message: VersionedXcm) {
        let origin: Location;
        let xcm: Xcm;
        try {
          origin = toLatestLocation(originLocation);
          xcm = toLatestXcm(message);
        } catch {
          return { err: { type: 'VersionedConversionFailed' } };
        }
        config().inspectMessageQueues?.clearMessages();
        resetEvents();
        const hash = blake2_256(XcmCodec.encode(xcm));
        const { outcome } = prepareAndExecute(config().executor, origin, xcm, hash, MAX_WEIGHT, {
          refTime: 0,
          proofSize: 0,
        });
        const forwarded_xcms = forwardedIn(config(), versionOf(message));
        if (!forwarded_xcms) return { err: { type: 'VersionedConversionFailed' } };
        const emitted_events = Events.get().map((r: { event: unknown }) => r.event);
        return { ok: { execution_result: outcome, emitted_events, forwarded_xcms } };
      },
    },
  };
}
