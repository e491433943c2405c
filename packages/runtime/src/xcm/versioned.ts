/**
 * The versioned wrappers (`xcm::Versioned*`): the version index is the enum index (V3 = 3, V4 = 4, V5 = 5), as
 * every XCM that crosses a chain boundary is sent. Values are `{ type: 'V5', value }`.
 */
import type { Codec } from '../scale/codec.ts';
import { enumeration } from '../scale/composite.ts';
import { MAX_XCM_DECODE_DEPTH, decodeAllWithDepthLimit } from './limits.ts';
import * as v3 from './v3/index.ts';
import * as v4 from './v4/index.ts';
import * as v5 from './v5/index.ts';

export type XcmVersion = 3 | 4 | 5;
/** The newest version this implementation speaks (`xcm::latest`). */
export const LATEST_VERSION = 5;
/** Versions this implementation decodes. */
export const SUPPORTED_VERSIONS: readonly XcmVersion[] = [3, 4, 5];

type Versioned<A, B, C> = { type: 'V3'; value: A } | { type: 'V4'; value: B } | { type: 'V5'; value: C };

function versioned<A, B, C>(name: string, a: Codec<A>, b: Codec<B>, c: Codec<C>, params = false) {
  return enumeration({ V3: [3, a], V4: [4, b], V5: [5, c] }).named(
    ['xcm', name],
    params ? { params: [{ name: 'RuntimeCall' }] } : {},
  ) as unknown as Codec<Versioned<A, B, C>>;
}

export type VersionedXcm = Versioned<v3.Xcm, v4.Xcm, v5.Xcm>;
export type VersionedLocation = Versioned<v3.MultiLocation, v4.Location, v5.Location>;
export type VersionedInteriorLocation = Versioned<v3.Junctions, v4.Junctions, v5.Junctions>;
export type VersionedAssets = Versioned<v3.MultiAssets, v4.Assets, v5.Assets>;
export type VersionedAsset = Versioned<v3.MultiAsset, v4.Asset, v5.Asset>;
export type VersionedAssetId = Versioned<v3.AssetId, v4.AssetId, v5.AssetId>;
export type VersionedResponse = Versioned<v3.Response, v4.Response, v5.Response>;
export type VersionedJunction = Versioned<v3.Junction, v4.Junction, v5.Junction>;
export type VersionedNetworkId = Versioned<v3.NetworkId, v4.NetworkId, v5.NetworkId>;

/** `VersionedXcm<RuntimeCall>`. Decoding applies the instruction limit; use `decodeVersionedXcm` for the depth limit. */
export const VersionedXcmCodec = versioned('VersionedXcm', v3.XcmCodec, v4.XcmCodec, v5.XcmCodec, true);
export const VersionedLocationCodec = versioned(
  'VersionedLocation',
  v3.MultiLocationCodec,
  v4.LocationCodec,
  v5.LocationCodec,
);
export const VersionedInteriorLocationCodec = versioned(
  'VersionedInteriorLocation',
  v3.JunctionsCodec,
  v4.JunctionsCodec,
  v5.JunctionsCodec,
);
export const VersionedAssetsCodec = versioned(
  'VersionedAssets',
  v3.MultiAssetsCodec,
  v4.AssetsCodec,
  v5.AssetsCodec,
);
export const VersionedAssetCodec = versioned(
  'VersionedAsset',
  v3.MultiAssetCodec,
  v4.AssetCodec,
  v5.AssetCodec,
);
export const VersionedAssetIdCodec = versioned(
  'VersionedAssetId',
  v3.AssetIdCodec,
  v4.AssetIdCodec,
  v5.AssetIdCodec,
);
export const VersionedResponseCodec = versioned(
  'VersionedResponse',
  v3.ResponseCodec,
  v4.ResponseCodec,
  v5.ResponseCodec,
);
export const VersionedJunctionCodec = versioned(
  'VersionedJunction',
  v3.JunctionCodec,
  v4.JunctionCodec,
  v5.JunctionCodec,
);
export const VersionedNetworkIdCodec = versioned(
  'VersionedNetworkId',
  v3.NetworkIdCodec,
  v4.NetworkIdCodec,
  v5.NetworkIdCodec,
);

/** The version number of a versioned value (`IdentifyVersion`). */
export function versionOf(v: { type: 'V3' | 'V4' | 'V5' }): XcmVersion {
  return v.type === 'V3' ? 3 : v.type === 'V4' ? 4 : 5;
}

/**
 * A `VersionedXcm` from untrusted bytes as xcmp-queue and message-queue processing decode it:
 * `decode_all_with_depth_limit(MAX_XCM_DECODE_DEPTH)`, the instruction limit, `Assets` order and bounds.
 * Throws only `ScaleDecodeError`.
 */
export function decodeVersionedXcm(bytes: Uint8Array, depthLimit = MAX_XCM_DECODE_DEPTH): VersionedXcm {
  return decodeAllWithDepthLimit(VersionedXcmCodec, bytes, depthLimit);
}

/** `VersionedXcm::validate_xcm_nesting`: whether the message's encoding decodes within the depth limit. */
export function validateXcmNesting(message: VersionedXcm): boolean {
  try {
    decodeVersionedXcm(VersionedXcmCodec.encode(message));
    return true;
  } catch {
    return false;
  }
}
