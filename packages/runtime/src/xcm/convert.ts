/**
 * Version conversions V3 ⇄ V4 ⇄ V5, as polkadot-sdk's `TryFrom` impls (`v4/mod.rs`, `v5/mod.rs`, the junction,
 * asset and traits modules, `lib.rs` for the versioned wrappers). Where Rust returns `Err(())`, these throw
 * `XcmConversionError` saying what did not fit:
 * - V3 → V4: an `AssetId::Abstract` (V4 has concrete ids only).
 * - V5 → V4: `PayFees`, `InitiateTransfer`, `ExecuteWithOrigin`, `SetHints`; the error `TooManyAssets`.
 * Everything else converts: V4 → V5 turns `Westend`/`Rococo`/`Wococo` into `ByGenesis(hash)`, and `Transact`'s
 * weight into `fallback_max_weight: Some(weight)`; V5 → V4 `Transact` takes the call's own weight when the caller can
 * decode it (`callWeight`), else the fallback, else `Weight::MAX`. V3 ⇄ V5 goes through V4. `Assets` keep their
 * order (Rust does not re-sort on conversion).
 */
import type * as v3 from './v3/index.ts';
import type * as v4 from './v4/index.ts';
import type * as v5 from './v5/index.ts';
import type {
  VersionedAsset,
  VersionedAssetId,
  VersionedAssets,
  VersionedLocation,
  VersionedResponse,
  VersionedXcm,
  XcmVersion,
} from './versioned.ts';
import { XCM_WEIGHT_MAX, type XcmWeight } from './weight.ts';

export class XcmConversionError extends Error {
  override name = 'XcmConversionError';
}

/** `WESTEND_GENESIS_HASH` (xcm v5): Westend's genesis block hash. */
export const WESTEND_GENESIS_HASH = hex('e143f23803ac50e8f6f8e62695d1ce9e4e1d68aa36c1cd2cfd15340213f3423e');
/** `ROCOCO_GENESIS_HASH` (xcm v5). */
export const ROCOCO_GENESIS_HASH = hex('6408de7737c59c238890533af25896a2c20608d8b380bb01029acb392781063e');
/** `DUMMY_GENESIS_HASH` (xcm v5): what the defunct Wococo becomes. */
export const DUMMY_GENESIS_HASH = new Uint8Array(32);

function hex(s: string): Uint8Array {
  return Uint8Array.from(s.match(/../g)!, (b) => Number.parseInt(b, 16));
}

export interface ConversionOptions {
  /**
   * V5 → V4 `Transact`: the dispatch weight of the encoded call, if this runtime can decode it (polkadot-sdk
   * decodes it as the runtime's `RuntimeCall`); undefined when it cannot. Without it the fallback weight is used.
   */
  callWeight?(call: Uint8Array): XcmWeight | undefined;
}

type Any = any;
type Step = 3 | 4 | 5;

/** The per-direction pieces; everything else is the same walk over the shared instruction set. */
interface Direction {
  from: Step;
  to: Step;
  network(n: Any): Any;
  assetId(id: Any): Any;
  error(e: Any): Any;
  transact(t: Any): Any;
}

const fail = (why: string): never => {
  throw new XcmConversionError(why);
};

function mapJunction(d: Direction, j: Any): Any {
  switch (j.type) {
    case 'AccountId32':
    case 'AccountIndex64':
    case 'AccountKey20':
      return {
        type: j.type,
        value: {
          ...j.value,
          network: j.value.network === undefined ? undefined : d.network(j.value.network),
        },
      };
    case 'GlobalConsensus':
      return { type: j.type, value: d.network(j.value) };
    default:
      return j;
  }
}
const mapJunctions = (d: Direction, js: Any[]) => js.map((j) => mapJunction(d, j));
const mapLocation = (d: Direction, l: Any) => ({ parents: l.parents, interior: mapJunctions(d, l.interior) });
const mapOptionalLocation = (d: Direction, l: Any) => (l === undefined ? undefined : mapLocation(d, l));
const mapAsset = (d: Direction, a: Any) => ({ id: d.assetId(a.id), fun: a.fun });
const mapAssets = (d: Direction, list: Any[]) => list.map((a) => mapAsset(d, a));
function mapWild(d: Direction, w: Any): Any {
  if (w.type === 'AllOf' || w.type === 'AllOfCounted')
    return { type: w.type, value: { ...w.value, id: d.assetId(w.value.id) } };
  return w;
}
const mapFilter = (d: Direction, f: Any) =>
  f.type === 'Definite'
    ? { type: 'Definite', value: mapAssets(d, f.value) }
    : { type: 'Wild', value: mapWild(d, f.value) };
const mapQri = (d: Direction, q: Any) => ({
  destination: mapLocation(d, q.destination),
  query_id: q.query_id,
  max_weight: q.max_weight,
});
const mapExecutionResult = (d: Direction, r: Any) => (r === undefined ? undefined : [r[0], d.error(r[1])]);
function mapResponse(d: Direction, r: Any): Any {
  switch (r.type) {
    case 'Assets':
      return { type: 'Assets', value: mapAssets(d, r.value) };
    case 'ExecutionResult':
      return { type: 'ExecutionResult', value: mapExecutionResult(d, r.value) };
    default:
      return r;
  }
}
const mapXcm = (d: Direction, xcm: Any[]): Any[] => xcm.map((i) => mapInstruction(d, i));

function mapInstruction(d: Direction, i: Any): Any {
  const v = i.value;
  const L = (l: Any) => mapLocation(d, l);
  const with_ = (value: Any) => ({ type: i.type, value });
  switch (i.type) {
    case 'WithdrawAsset':
    case 'ReserveAssetDeposited':
    case 'ReceiveTeleportedAsset':
    case 'BurnAsset':
    case 'ExpectAsset':
      return with_(mapAssets(d, v));
    case 'QueryResponse':
      return with_({
        query_id: v.query_id,
        response: mapResponse(d, v.response),
        max_weight: v.max_weight,
        querier: mapOptionalLocation(d, v.querier),
      });
    case 'TransferAsset':
      return with_({ assets: mapAssets(d, v.assets), beneficiary: L(v.beneficiary) });
    case 'TransferReserveAsset':
      return with_({ assets: mapAssets(d, v.assets), dest: L(v.dest), xcm: mapXcm(d, v.xcm) });
    case 'Transact':
      return with_(d.transact(v));
    case 'DescendOrigin':
      return with_(mapJunctions(d, v));
    case 'ReportError':
    case 'ReportTransactStatus':
      return with_(mapQri(d, v));
    case 'DepositAsset':
      return with_({ assets: mapFilter(d, v.assets), beneficiary: L(v.beneficiary) });
    case 'DepositReserveAsset':
    case 'InitiateTeleport':
      return with_({ assets: mapFilter(d, v.assets), dest: L(v.dest), xcm: mapXcm(d, v.xcm) });
    case 'ExchangeAsset':
      return with_({ give: mapFilter(d, v.give), want: mapAssets(d, v.want), maximal: v.maximal });
    case 'InitiateReserveWithdraw':
      return with_({ assets: mapFilter(d, v.assets), reserve: L(v.reserve), xcm: mapXcm(d, v.xcm) });
    case 'ReportHolding':
      return with_({ response_info: mapQri(d, v.response_info), assets: mapFilter(d, v.assets) });
    case 'BuyExecution':
      return with_({ fees: mapAsset(d, v.fees), weight_limit: v.weight_limit });
    case 'SetErrorHandler':
    case 'SetAppendix':
      return with_(mapXcm(d, v));
    case 'ClaimAsset':
      return with_({ assets: mapAssets(d, v.assets), ticket: L(v.ticket) });
    case 'ExpectOrigin':
      return with_(mapOptionalLocation(d, v));
    case 'ExpectError':
      return with_(mapExecutionResult(d, v));
    case 'QueryPallet':
      return with_({ module_name: v.module_name, response_info: mapQri(d, v.response_info) });
    case 'UniversalOrigin':
      return with_(mapJunction(d, v));
    case 'ExportMessage':
      return with_({
        network: d.network(v.network),
        destination: mapJunctions(d, v.destination),
        xcm: mapXcm(d, v.xcm),
      });
    case 'LockAsset':
      return with_({ asset: mapAsset(d, v.asset), unlocker: L(v.unlocker) });
    case 'UnlockAsset':
      return with_({ asset: mapAsset(d, v.asset), target: L(v.target) });
    case 'NoteUnlockable':
      return with_({ asset: mapAsset(d, v.asset), owner: L(v.owner) });
    case 'RequestUnlock':
      return with_({ asset: mapAsset(d, v.asset), locker: L(v.locker) });
    case 'AliasOrigin':
      return with_(L(v));
    case 'UnpaidExecution':
      return with_({ weight_limit: v.weight_limit, check_origin: mapOptionalLocation(d, v.check_origin) });
    case 'PayFees':
    case 'InitiateTransfer':
    case 'ExecuteWithOrigin':
    case 'SetHints':
      return fail(`${i.type} is a V5 instruction; V${d.to} has no form for it`);
    default:
      // Same fields in every version: Hrmp*, ClearOrigin, RefundSurplus, ClearError, Trap, SubscribeVersion,
      // UnsubscribeVersion, ExpectTransactStatus, ExpectPallet, ClearTransactStatus, SetFeesMode, SetTopic, ClearTopic.
      return i;
  }
}

const same = (x: Any) => x;
const errorV5ToV4 = (e: Any) =>
  e.type === 'TooManyAssets' ? fail('error TooManyAssets has no V3/V4 form') : e;

const V3_TO_V4: Direction = {
  from: 3,
  to: 4,
  network: same,
  assetId: (id) =>
    id.type === 'Concrete' ? mapLocation(V3_TO_V4, id.value) : fail('AssetId::Abstract has no V4 form'),
  error: same,
  transact: same,
};
const V4_TO_V3: Direction = {
  from: 4,
  to: 3,
  network: same,
  assetId: (id) => ({ type: 'Concrete', value: mapLocation(V4_TO_V3, id) }),
  error: same,
  transact: same,
};
const V4_TO_V5: Direction = {
  from: 4,
  to: 5,
  network: (n) =>
    n.type === 'Westend'
      ? { type: 'ByGenesis', value: WESTEND_GENESIS_HASH.slice() }
      : n.type === 'Rococo'
        ? { type: 'ByGenesis', value: ROCOCO_GENESIS_HASH.slice() }
        : n.type === 'Wococo'
          ? { type: 'ByGenesis', value: DUMMY_GENESIS_HASH.slice() }
          : n,
  assetId: (id) => mapLocation(V4_TO_V5, id),
  error: same,
  transact: (t) => ({
    origin_kind: t.origin_kind,
    fallback_max_weight: t.require_weight_at_most,
    call: t.call,
  }),
};
function v5ToV4(options: ConversionOptions): Direction {
  const d: Direction = {
    from: 5,
    to: 4,
    network: same,
    assetId: (id) => mapLocation(d, id),
    error: errorV5ToV4,
    transact: (t) => ({
      origin_kind: t.origin_kind,
      require_weight_at_most: options.callWeight?.(t.call.encoded) ??
        t.fallback_max_weight ?? { ...XCM_WEIGHT_MAX },
      call: t.call,
    }),
  };
  return d;
}

// Typed entry points, one per pair (V3 ⇄ V5 chains through V4, as polkadot-sdk does).
export const xcmV3ToV4 = (x: v3.Xcm): v4.Xcm => mapXcm(V3_TO_V4, x);
export const xcmV4ToV3 = (x: v4.Xcm): v3.Xcm => mapXcm(V4_TO_V3, x);
export const xcmV4ToV5 = (x: v4.Xcm): v5.Xcm => mapXcm(V4_TO_V5, x);
export const xcmV5ToV4 = (x: v5.Xcm, options: ConversionOptions = {}): v4.Xcm => mapXcm(v5ToV4(options), x);
export const instructionV4ToV5 = (i: v4.Instruction): v5.Instruction => mapInstruction(V4_TO_V5, i);
export const instructionV5ToV4 = (i: v5.Instruction, options: ConversionOptions = {}): v4.Instruction =>
  mapInstruction(v5ToV4(options), i);

export const locationV3ToV4 = (l: v3.MultiLocation): v4.Location => mapLocation(V3_TO_V4, l);
export const locationV4ToV3 = (l: v4.Location): v3.MultiLocation => mapLocation(V4_TO_V3, l);
export const locationV4ToV5 = (l: v4.Location): v5.Location => mapLocation(V4_TO_V5, l);
export const locationV5ToV4 = (l: v5.Location): v4.Location => mapLocation(v5ToV4({}), l);
export const networkV4ToV5 = (n: v4.NetworkId): v5.NetworkId => V4_TO_V5.network(n);
export const assetV3ToV4 = (a: v3.MultiAsset): v4.Asset => mapAsset(V3_TO_V4, a);
export const assetV4ToV3 = (a: v4.Asset): v3.MultiAsset => mapAsset(V4_TO_V3, a);
export const assetV4ToV5 = (a: v4.Asset): v5.Asset => mapAsset(V4_TO_V5, a);
export const assetV5ToV4 = (a: v5.Asset): v4.Asset => mapAsset(v5ToV4({}), a);
export const errorV4ToV5 = (e: v4.XcmError): v5.XcmError => e as v5.XcmError;
export const errorV5ToV4Checked = (e: v5.XcmError): v4.XcmError => errorV5ToV4(e);

/** One hop of a conversion chain for a kind of value. */
type Hop = (d: Direction, value: Any) => Any;
const directions = (options: ConversionOptions): Record<string, Direction> => ({
  '3>4': V3_TO_V4,
  '4>3': V4_TO_V3,
  '4>5': V4_TO_V5,
  '5>4': v5ToV4(options),
});

function convert(value: Any, from: Step, to: Step, hop: Hop, options: ConversionOptions): Any {
  if (![3, 4, 5].includes(to)) fail(`unsupported XCM version ${to}`);
  const dirs = directions(options);
  let v = value;
  let at = from;
  while (at !== to) {
    const next = (to > at ? at + 1 : at - 1) as Step;
    v = hop(dirs[`${at}>${next}`], v);
    at = next;
  }
  return v;
}

const tag = (n: Step) => `V${n}` as 'V3' | 'V4' | 'V5';
const stepOf = (t: string): Step => (t === 'V3' ? 3 : t === 'V4' ? 4 : 5);

function versionedInto<T extends { type: 'V3' | 'V4' | 'V5'; value: unknown }>(
  v: T,
  n: number,
  hop: Hop,
  options: ConversionOptions = {},
): T {
  return { type: tag(n as Step), value: convert(v.value, stepOf(v.type), n as Step, hop, options) } as T;
}

/** `VersionedXcm::into_version(n)`: throws `XcmConversionError` where polkadot-sdk returns `Err(())`. */
export function intoVersion(
  message: VersionedXcm,
  n: XcmVersion | number,
  options?: ConversionOptions,
): VersionedXcm {
  return versionedInto(message, n, mapXcm, options);
}
/** `into_version` of the other versioned types. */
export const locationIntoVersion = (l: VersionedLocation, n: XcmVersion | number): VersionedLocation =>
  versionedInto(l, n, mapLocation);
export const assetsIntoVersion = (a: VersionedAssets, n: XcmVersion | number): VersionedAssets =>
  versionedInto(a, n, mapAssets);
export const assetIntoVersion = (a: VersionedAsset, n: XcmVersion | number): VersionedAsset =>
  versionedInto(a, n, mapAsset);
export const assetIdIntoVersion = (a: VersionedAssetId, n: XcmVersion | number): VersionedAssetId =>
  versionedInto(a, n, (d, id) => d.assetId(id));
export const responseIntoVersion = (r: VersionedResponse, n: XcmVersion | number): VersionedResponse =>
  versionedInto(r, n, mapResponse);

/** `TryFrom<VersionedXcm> for v5::Xcm`: the message in the version the executor runs. */
export function toLatestXcm(message: VersionedXcm): v5.Xcm {
  return intoVersion(message, 5).value as v5.Xcm;
}
/** `TryFrom<VersionedLocation> for v5::Location`. */
export function toLatestLocation(l: VersionedLocation): v5.Location {
  return locationIntoVersion(l, 5).value as v5.Location;
}
/** `TryFrom<VersionedAssets> for v5::Assets`. */
export function toLatestAssets(a: VersionedAssets): v5.Assets {
  return assetsIntoVersion(a, 5).value as v5.Assets;
}
