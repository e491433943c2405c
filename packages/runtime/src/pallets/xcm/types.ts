/**
 * pallet-xcm's types under polkadot-sdk's paths (`pallet_xcm::pallet::{QueryStatus, Origin}`,
 * `pallet_xcm::errors::ExecutionError`) and the pallet's Config: the executor config it executes with, the router it
 * sends through, which local origins may send / execute and as what location, and the transfer filters.
 */
import type { Origin } from '../../frame/origin.ts';
import type { Codec } from '../../scale/codec.ts';
import { enumeration, option, struct, tuple } from '../../scale/composite.ts';
import { bool, u8, u32, u64 } from '../../scale/primitives.ts';
import type { OriginToLocation } from '../../xcm/builder/origin-conversion.ts';
import type { XcmExecutorConfig } from '../../xcm/executor/config.ts';
import type { SendXcm, WeightBounds } from '../../xcm/executor/traits.ts';
import {
  type Asset,
  type AssetId,
  type Junctions,
  type Location,
  LocationCodec,
  type VersionedLocation,
  VersionedLocationCodec,
  type VersionedResponse,
  VersionedResponseCodec,
  type VersionedXcm,
  type Xcm,
  type XcmError,
  XcmWeightCodec,
} from '../../xcm/index.ts';
import { ERROR_NAMES_V5 } from '../../xcm/shared.ts';

/** `XCM_VERSION`: the version this pallet speaks and advertises by default. */
export const XCM_VERSION = 5;
/** `MAX_ASSETS_FOR_TRANSFER`: distinct assets one transfer extrinsic may move. */
export const MAX_ASSETS_FOR_TRANSFER = 2;

/** `QueryStatus<BlockNumber>`. */
export type QueryStatus =
  | {
      type: 'Pending';
      value: {
        responder: VersionedLocation;
        maybe_match_querier: VersionedLocation | undefined;
        maybe_notify: [number, number] | undefined;
        timeout: number;
      };
    }
  | { type: 'VersionNotifier'; value: { origin: VersionedLocation; is_active: boolean } }
  | { type: 'Ready'; value: { response: VersionedResponse; at: number } };

export const QueryStatusCodec: Codec<QueryStatus> = enumeration({
  Pending: [
    0,
    struct(
      {
        responder: VersionedLocationCodec,
        maybe_match_querier: option(VersionedLocationCodec),
        maybe_notify: option(tuple(u8, u8)),
        timeout: u32,
      },
      {
        responder: 'VersionedLocation',
        maybe_match_querier: 'Option<VersionedLocation>',
        maybe_notify: 'Option<(u8, u8)>',
        timeout: 'BlockNumber',
      },
    ),
  ],
  VersionNotifier: [
    1,
    struct(
      { origin: VersionedLocationCodec, is_active: bool },
      { origin: 'VersionedLocation', is_active: 'bool' },
    ),
  ],
  Ready: [
    2,
    struct(
      { response: VersionedResponseCodec, at: u32 },
      { response: 'VersionedResponse', at: 'BlockNumber' },
    ),
  ],
}).named(['pallet_xcm', 'pallet', 'QueryStatus'], {
  params: [{ name: 'BlockNumber', type: u32 }],
}) as Codec<QueryStatus>;

/** `pallet_xcm::pallet::Origin`: the origins pallet-xcm dispatches as (`Xcm`, `Response`). */
export type PalletXcmOrigin = { type: 'Xcm'; value: Location } | { type: 'Response'; value: Location };
export const PalletXcmOriginCodec: Codec<PalletXcmOrigin> = enumeration({
  Xcm: [0, LocationCodec],
  Response: [1, LocationCodec],
}).named(['pallet_xcm', 'pallet', 'Origin']) as Codec<PalletXcmOrigin>;

/** The dispatch origin a `pallet_xcm::Origin` value stands for, and back. */
export const palletXcmOrigin = {
  codec: PalletXcmOriginCodec,
  toOrigin: (v: PalletXcmOrigin): Origin => ({ type: v.type, location: v.value }),
  fromOrigin: (o: Origin): PalletXcmOrigin | undefined =>
    o.type === 'Xcm' || o.type === 'Response' ? { type: o.type, value: o.location } : undefined,
};

/** `pallet_xcm::errors::ExecutionError`: `XcmError` without payloads, for `LocalExecutionIncompleteWithError`. */
export const ExecutionErrorCodec = enumeration(
  Object.fromEntries(ERROR_NAMES_V5.map((name, i) => [name, [i] as const])),
).named(['pallet_xcm', 'errors', 'ExecutionError']);

/** The `ExecutionError` index of an `XcmError`. */
export function executionErrorIndex(e: XcmError): number {
  return (ERROR_NAMES_V5 as readonly string[]).indexOf(e.type);
}

/** `(QueryId, Weight, XcmVersion)` of `VersionNotifyTargets`: the query, the response weight, the version last sent. */
export const NotifyTargetCodec = tuple(u64, XcmWeightCodec, u32);

/** `InspectMessageQueues`: what a router queued (for dry runs), and forgetting it. */
export interface InspectMessageQueues {
  clearMessages(): void;
  getMessages(): Array<[VersionedLocation, VersionedXcm[]]>;
}

export interface PalletXcmConfig {
  /** `XcmExecutor`: the executor config messages run with. */
  executor: XcmExecutorConfig;
  /** `XcmRouter`: how `send` and transfers reach other chains. */
  router: SendXcm<any>;
  /** `SendXcmOrigin`: the location a local origin sends as (undefined: refused, BadOrigin). */
  sendXcmOrigin: OriginToLocation;
  /** `ExecuteXcmOrigin`: the location a local origin executes (and transfers) as. */
  executeXcmOrigin: OriginToLocation;
  /** `XcmExecuteFilter`: messages `execute` may run (default: all). */
  xcmExecuteFilter?: (origin: Location, message: Xcm) => boolean;
  /** `XcmTeleportFilter` over (origin, assets) (default: all). */
  xcmTeleportFilter?: (pair: [Location, readonly Asset[]]) => boolean;
  /** `XcmReserveTransferFilter` over (origin, assets) (default: all). */
  xcmReserveTransferFilter?: (pair: [Location, readonly Asset[]]) => boolean;
  /** `Weigher` (default: the executor's). */
  weigher?: WeightBounds;
  /** `UniversalLocation` (default: the executor's). */
  universalLocation?: Junctions;
  /** `AdminOrigin` (default: Root). */
  adminOrigin?: (origin: Origin) => boolean;
  /** `AdvertisedXcmVersion` (default 5). */
  advertisedXcmVersion?: number;
  /** `VERSION_DISCOVERY_QUEUE_SIZE` (default 100). */
  versionDiscoveryQueueSize?: number;
  /** The router's queues as dry runs inspect them (`Router: InspectMessageQueues`). */
  inspectMessageQueues?: InspectMessageQueues;
  /** XcmPaymentApi: the assets this chain takes for execution fees (default: the native token, `Here`). */
  acceptablePaymentAssets?: () => AssetId[];
}
