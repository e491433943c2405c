/**
 * Builds one XCM version's codecs (V3, V4 or V5) from the parts they share, each byte for byte as polkadot-sdk
 * encodes it and named as polkadot-sdk's metadata names it (checked against @polkadot/types' lookup of the Polkadot
 * relay runtime: `xcm::v3::junction::Junction`, `staging_xcm::v3::multilocation::MultiLocation`,
 * `staging_xcm::v4::asset::Asset`, `xcm::v5::traits::Error`, …).
 *
 * What differs between versions: V3 `Junctions` are tuples, V4/V5 `Arc<[Junction; N]>` (one nesting level);
 * V3 `AssetId` is `Concrete(MultiLocation) | Abstract([u8; 32])`, V4/V5 a `Location`; V5 `NetworkId` drops
 * Westend/Rococo/Wococo (indices 4..6 unused); V5 `Error` adds `TooManyAssets` (35); V5 `Transact` has an optional
 * `fallback_max_weight` instead of `require_weight_at_most`; V5 adds PayFees, InitiateTransfer, ExecuteWithOrigin,
 * SetHints (48..51).
 */
import { type AnyCodec, Codec } from '../scale/codec.ts';
import { ScaleEncodeError } from '../scale/errors.ts';
import { bool, bytes, bytesFixed, compact, u8, u32, u64, u128 } from '../scale/primitives.ts';
import { enumeration, option, struct, tuple } from '../scale/composite.ts';
import {
  boundedBytes,
  junctionsCodec,
  nestedVec,
  newtype,
  readNestedItems,
  recursive,
  xcmCodec,
} from './codecs.ts';
import {
  HINT_NUM_VARIANTS,
  MAX_ASSET_TRANSFER_FILTERS,
  MAX_ITEMS_IN_ASSETS,
  MAX_PALLET_NAME_LEN,
  MAX_PALLETS_INFO,
} from './limits.ts';
import {
  BodyIdCodec,
  BodyPartCodec,
  DoubleEncodedCodec,
  ERROR_NAMES_V5,
  MaybeErrorCodeCodec,
  OriginKindCodec,
  WeightLimitCodec,
  XcmErrorV3Codec,
  errorCodec,
} from './shared.ts';
import { XcmWeightCodec } from './weight.ts';

export type XcmVersionNumber = 3 | 4 | 5;

/** Codecs of one version, loosely typed here; each version's index.ts gives them their precise types. */
export interface VersionCodecs {
  version: XcmVersionNumber;
  NetworkId: Codec<any>;
  Junction: Codec<any>;
  Junctions: Codec<any[]>;
  Location: Codec<any>;
  AssetId: Codec<any>;
  AssetInstance: Codec<any>;
  Fungibility: Codec<any>;
  Asset: Codec<any>;
  Assets: Codec<any[]>;
  WildFungibility: Codec<any>;
  WildAsset: Codec<any>;
  AssetFilter: Codec<any>;
  AssetTransferFilter?: Codec<any>;
  Hint?: Codec<any>;
  Error: Codec<any>;
  PalletInfo: Codec<any>;
  Response: Codec<any>;
  QueryResponseInfo: Codec<any>;
  Instruction: Codec<any>;
  Xcm: Codec<any[]>;
  /** `Assets::from_sorted_and_deduplicated`'s check of one neighbouring pair. */
  inOrder(a: any, b: any): boolean;
}

export function defineXcmVersion(version: XcmVersionNumber): VersionCodecs {
  const v3 = version === 3;
  const v5 = version === 5;
  // V3 types carry `replace_segment("staging_xcm", "xcm")`, except MultiLocation which kept `staging_xcm`.
  const crate = v3 ? 'xcm' : 'staging_xcm';
  const P = (...segments: string[]) => [crate, `v${version}`, ...segments];
  const assetModule = v3 ? 'multiasset' : 'asset';
  const A = (v3Name: string, name: string) => P(assetModule, v3 ? v3Name : name);

  const NetworkId = enumeration({
    ByGenesis: [0, bytesFixed(32)],
    ByFork: [
      1,
      struct(
        { block_number: u64, block_hash: bytesFixed(32) },
        { block_number: 'u64', block_hash: '[u8; 32]' },
      ),
    ],
    Polkadot: [2],
    Kusama: [3],
    ...(v5 ? {} : { Westend: [4] as const, Rococo: [5] as const, Wococo: [6] as const }),
    Ethereum: [7, struct({ chain_id: compact(u64) }, { chain_id: 'u64' })],
    BitcoinCore: [8],
    BitcoinCash: [9],
    PolkadotBulletin: [10],
  }).named(P('junction', 'NetworkId'));

  const network = option(NetworkId);
  const Junction = enumeration({
    Parachain: [0, compact(u32)],
    AccountId32: [
      1,
      struct({ network, id: bytesFixed(32) }, { network: 'Option<NetworkId>', id: '[u8; 32]' }),
    ],
    AccountIndex64: [
      2,
      struct({ network, index: compact(u64) }, { network: 'Option<NetworkId>', index: 'u64' }),
    ],
    AccountKey20: [
      3,
      struct({ network, key: bytesFixed(20) }, { network: 'Option<NetworkId>', key: '[u8; 20]' }),
    ],
    PalletInstance: [4, u8],
    GeneralIndex: [5, compact(u128)],
    GeneralKey: [6, struct({ length: u8, data: bytesFixed(32) }, { length: 'u8', data: '[u8; 32]' })],
    OnlyChild: [7],
    Plurality: [8, struct({ id: BodyIdCodec, part: BodyPartCodec }, { id: 'BodyId', part: 'BodyPart' })],
    GlobalConsensus: [9, NetworkId],
  }).named(P('junction', 'Junction'));

  const Junctions = junctionsCodec(Junction, P('junctions', 'Junctions'), v3 ? 'tuple' : 'arc-array');
  const Location = struct(
    { parents: u8, interior: Junctions },
    { parents: 'u8', interior: v3 ? 'Junctions' : 'Junctions' },
  ).named(v3 ? ['staging_xcm', 'v3', 'multilocation', 'MultiLocation'] : P('location', 'Location'));

  const AssetId: Codec<any> = v3
    ? enumeration({ Concrete: [0, Location], Abstract: [1, bytesFixed(32)] }).named(A('AssetId', 'AssetId'))
    : newtype(Location, A('AssetId', 'AssetId'), 'Location');

  const AssetInstance = enumeration({
    Undefined: [0],
    Index: [1, compact(u128)],
    Array4: [2, bytesFixed(4)],
    Array8: [3, bytesFixed(8)],
    Array16: [4, bytesFixed(16)],
    Array32: [5, bytesFixed(32)],
  }).named(A('AssetInstance', 'AssetInstance'));

  const fungibilityRaw = enumeration({ Fungible: [0, compact(u128)], NonFungible: [1, AssetInstance] }).named(
    A('Fungibility', 'Fungibility'),
  );
  // `impl Decode for Fungibility` (via `UncheckedFungibility`): a zero amount is refused.
  const Fungibility = new Codec<any>(
    fungibilityRaw.write,
    (r) => {
      const start = r.offset;
      const f = fungibilityRaw.read(r);
      if (f.type === 'Fungible' && f.value === 0n) {
        r.offset = start;
        r.fail('Fungible asset of zero amount is not allowed');
      }
      return f;
    },
    () => fungibilityRaw.info,
    fungibilityRaw.minLength,
    fungibilityRaw.compare,
  );

  const assetFields = struct({ id: AssetId, fun: Fungibility }, { id: 'AssetId', fun: 'Fungibility' });
  /** `impl Ord for Asset`: fungibles before non-fungibles, then (id, fun). */
  const compareAsset = (a: any, b: any): number => {
    const af = a.fun.type === 'Fungible';
    const bf = b.fun.type === 'Fungible';
    if (af !== bf) return af ? -1 : 1;
    return assetFields.compare(a, b);
  };
  const Asset = new Codec<any>(
    assetFields.write,
    assetFields.read,
    () => ({ ...assetFields.info, path: A('MultiAsset', 'Asset') }),
    assetFields.minLength,
    compareAsset,
  );

  const inOrder = (a: any, b: any): boolean =>
    AssetId.compare(a.id, b.id) < 0 ||
    (compareAsset(a, b) < 0 && (a.fun.type === 'NonFungible' || b.fun.type === 'NonFungible'));

  const assetVec = nestedVec(Asset);
  const assetsInner = new Codec<any[]>(
    (w, list) => {
      if (Array.isArray(list))
        for (let i = 1; i < list.length; i++)
          if (!inOrder(list[i - 1], list[i]))
            throw new ScaleEncodeError(
              `${v3 ? 'MultiAssets' : 'Assets'}: items ${i - 1} and ${i} are out of order or duplicates (build the list with assetsFrom)`,
            );
      assetVec.write(w, list);
    },
    (r) => {
      // `BoundedVec<Asset, ConstU32<MAX_ITEMS_IN_ASSETS>>::decode`, then `from_sorted_and_deduplicated`.
      const start = r.offset;
      const list = readNestedItems(r, Asset, MAX_ITEMS_IN_ASSETS);
      for (let i = 1; i < list.length; i++)
        if (!inOrder(list[i - 1], list[i])) {
          r.offset = start;
          r.fail('Out of order');
        }
      return list;
    },
    () => assetVec.info,
    1,
    assetVec.compare,
  );
  const Assets = newtype(assetsInner, A('MultiAssets', 'Assets'), v3 ? 'Vec<MultiAsset>' : 'Vec<Asset>');

  const WildFungibility = enumeration({ Fungible: [0], NonFungible: [1] }).named(
    A('WildFungibility', 'WildFungibility'),
  );
  const WildAsset = enumeration({
    All: [0],
    AllOf: [1, struct({ id: AssetId, fun: WildFungibility }, { id: 'AssetId', fun: 'WildFungibility' })],
    AllCounted: [2, compact(u32)],
    AllOfCounted: [
      3,
      struct(
        { id: AssetId, fun: WildFungibility, count: compact(u32) },
        { id: 'AssetId', fun: 'WildFungibility', count: 'u32' },
      ),
    ],
  }).named(A('WildMultiAsset', 'WildAsset'));
  const AssetFilter = enumeration({ Definite: [0, Assets], Wild: [1, WildAsset] }).named(
    A('MultiAssetFilter', 'AssetFilter'),
  );

  const XcmError = v5 ? errorCodec(ERROR_NAMES_V5, ['xcm', 'v5', 'traits', 'Error']) : XcmErrorV3Codec;

  const PalletInfo = struct(
    {
      index: compact(u32),
      name: boundedBytes(MAX_PALLET_NAME_LEN),
      module_name: boundedBytes(MAX_PALLET_NAME_LEN),
      major: compact(u32),
      minor: compact(u32),
      patch: compact(u32),
    },
    {
      index: 'u32',
      name: 'BoundedVec<u8, MaxPalletNameLen>',
      module_name: 'BoundedVec<u8, MaxPalletNameLen>',
      major: 'u32',
      minor: 'u32',
      patch: 'u32',
    },
  ).named(P('PalletInfo'));

  const Response = enumeration({
    Null: [0],
    Assets: [1, Assets],
    ExecutionResult: [2, option(tuple(u32, XcmError))],
    Version: [3, u32],
    PalletsInfo: [4, nestedVec(PalletInfo, MAX_PALLETS_INFO)],
    DispatchResult: [5, MaybeErrorCodeCodec],
  }).named(P('Response'));

  const QueryResponseInfo = struct(
    { destination: Location, query_id: compact(u64), max_weight: XcmWeightCodec },
    { destination: v3 ? 'MultiLocation' : 'Location', query_id: 'QueryId', max_weight: 'Weight' },
  ).named(P('QueryResponseInfo'));

  const Xcm: Codec<any[]> = recursive(() => xcm);
  const L = v3 ? 'MultiLocation' : 'Location';
  const As = v3 ? 'MultiAssets' : 'Assets';
  const AF = v3 ? 'MultiAssetFilter' : 'AssetFilter';
  const A1 = v3 ? 'MultiAsset' : 'Asset';
  const s = struct;
  const base = {
    WithdrawAsset: [0, Assets],
    ReserveAssetDeposited: [1, Assets],
    ReceiveTeleportedAsset: [2, Assets],
    QueryResponse: [
      3,
      s(
        { query_id: compact(u64), response: Response, max_weight: XcmWeightCodec, querier: option(Location) },
        { query_id: 'QueryId', response: 'Response', max_weight: 'Weight', querier: `Option<${L}>` },
      ),
    ],
    TransferAsset: [4, s({ assets: Assets, beneficiary: Location }, { assets: As, beneficiary: L })],
    TransferReserveAsset: [
      5,
      s({ assets: Assets, dest: Location, xcm: Xcm }, { assets: As, dest: L, xcm: 'Xcm<()>' }),
    ],
    Transact: [
      6,
      v5
        ? s(
            {
              origin_kind: OriginKindCodec,
              fallback_max_weight: option(XcmWeightCodec),
              call: DoubleEncodedCodec,
            },
            { origin_kind: 'OriginKind', fallback_max_weight: 'Option<Weight>', call: 'DoubleEncoded<Call>' },
          )
        : s(
            {
              origin_kind: OriginKindCodec,
              require_weight_at_most: XcmWeightCodec,
              call: DoubleEncodedCodec,
            },
            { origin_kind: 'OriginKind', require_weight_at_most: 'Weight', call: 'DoubleEncoded<Call>' },
          ),
    ],
    HrmpNewChannelOpenRequest: [
      7,
      s(
        { sender: compact(u32), max_message_size: compact(u32), max_capacity: compact(u32) },
        { sender: 'u32', max_message_size: 'u32', max_capacity: 'u32' },
      ),
    ],
    HrmpChannelAccepted: [8, s({ recipient: compact(u32) }, { recipient: 'u32' })],
    HrmpChannelClosing: [
      9,
      s(
        { initiator: compact(u32), sender: compact(u32), recipient: compact(u32) },
        { initiator: 'u32', sender: 'u32', recipient: 'u32' },
      ),
    ],
    ClearOrigin: [10],
    DescendOrigin: [11, Junctions],
    ReportError: [12, QueryResponseInfo],
    DepositAsset: [13, s({ assets: AssetFilter, beneficiary: Location }, { assets: AF, beneficiary: L })],
    DepositReserveAsset: [
      14,
      s({ assets: AssetFilter, dest: Location, xcm: Xcm }, { assets: AF, dest: L, xcm: 'Xcm<()>' }),
    ],
    ExchangeAsset: [
      15,
      s({ give: AssetFilter, want: Assets, maximal: bool }, { give: AF, want: As, maximal: 'bool' }),
    ],
    InitiateReserveWithdraw: [
      16,
      s({ assets: AssetFilter, reserve: Location, xcm: Xcm }, { assets: AF, reserve: L, xcm: 'Xcm<()>' }),
    ],
    InitiateTeleport: [
      17,
      s({ assets: AssetFilter, dest: Location, xcm: Xcm }, { assets: AF, dest: L, xcm: 'Xcm<()>' }),
    ],
    ReportHolding: [
      18,
      s(
        { response_info: QueryResponseInfo, assets: AssetFilter },
        { response_info: 'QueryResponseInfo', assets: AF },
      ),
    ],
    BuyExecution: [
      19,
      s({ fees: Asset, weight_limit: WeightLimitCodec }, { fees: A1, weight_limit: 'WeightLimit' }),
    ],
    RefundSurplus: [20],
    SetErrorHandler: [21, Xcm],
    SetAppendix: [22, Xcm],
    ClearError: [23],
    ClaimAsset: [24, s({ assets: Assets, ticket: Location }, { assets: As, ticket: L })],
    Trap: [25, compact(u64)],
    SubscribeVersion: [
      26,
      s(
        { query_id: compact(u64), max_response_weight: XcmWeightCodec },
        { query_id: 'QueryId', max_response_weight: 'Weight' },
      ),
    ],
    UnsubscribeVersion: [27],
    BurnAsset: [28, Assets],
    ExpectAsset: [29, Assets],
    ExpectOrigin: [30, option(Location)],
    ExpectError: [31, option(tuple(u32, XcmError))],
    ExpectTransactStatus: [32, MaybeErrorCodeCodec],
    QueryPallet: [
      33,
      s(
        { module_name: bytes, response_info: QueryResponseInfo },
        { module_name: 'Vec<u8>', response_info: 'QueryResponseInfo' },
      ),
    ],
    ExpectPallet: [
      34,
      s(
        {
          index: compact(u32),
          name: bytes,
          module_name: bytes,
          crate_major: compact(u32),
          min_crate_minor: compact(u32),
        },
        { index: 'u32', name: 'Vec<u8>', module_name: 'Vec<u8>', crate_major: 'u32', min_crate_minor: 'u32' },
      ),
    ],
    ReportTransactStatus: [35, QueryResponseInfo],
    ClearTransactStatus: [36],
    UniversalOrigin: [37, Junction],
    ExportMessage: [
      38,
      s(
        { network: NetworkId, destination: Junctions, xcm: Xcm },
        {
          network: 'NetworkId',
          destination: v3 ? 'InteriorMultiLocation' : 'InteriorLocation',
          xcm: 'Xcm<()>',
        },
      ),
    ],
    LockAsset: [39, s({ asset: Asset, unlocker: Location }, { asset: A1, unlocker: L })],
    UnlockAsset: [40, s({ asset: Asset, target: Location }, { asset: A1, target: L })],
    NoteUnlockable: [41, s({ asset: Asset, owner: Location }, { asset: A1, owner: L })],
    RequestUnlock: [42, s({ asset: Asset, locker: Location }, { asset: A1, locker: L })],
    SetFeesMode: [43, s({ jit_withdraw: bool }, { jit_withdraw: 'bool' })],
    SetTopic: [44, bytesFixed(32)],
    ClearTopic: [45],
    AliasOrigin: [46, Location],
    UnpaidExecution: [
      47,
      s(
        { weight_limit: WeightLimitCodec, check_origin: option(Location) },
        { weight_limit: 'WeightLimit', check_origin: `Option<${L}>` },
      ),
    ],
  } as const;

  let AssetTransferFilter: Codec<any> | undefined;
  let Hint: Codec<any> | undefined;
  let instructionShape: Record<string, readonly [number, AnyCodec?]> = base;
  if (v5) {
    AssetTransferFilter = enumeration({
      Teleport: [0, AssetFilter],
      ReserveDeposit: [1, AssetFilter],
      ReserveWithdraw: [2, AssetFilter],
    }).named(P('asset', 'AssetTransferFilter'));
    Hint = enumeration({ AssetClaimer: [0, s({ location: Location }, { location: 'Location' })] }).named(
      P('Hint'),
    );
    instructionShape = {
      ...base,
      PayFees: [48, s({ asset: Asset }, { asset: 'Asset' })],
      InitiateTransfer: [
        49,
        s(
          {
            destination: Location,
            remote_fees: option(AssetTransferFilter),
            preserve_origin: bool,
            assets: nestedVec(AssetTransferFilter, MAX_ASSET_TRANSFER_FILTERS),
            remote_xcm: Xcm,
          },
          {
            destination: 'Location',
            remote_fees: 'Option<AssetTransferFilter>',
            preserve_origin: 'bool',
            assets: 'BoundedVec<AssetTransferFilter, MaxAssetTransferFilters>',
            remote_xcm: 'Xcm<()>',
          },
        ),
      ],
      ExecuteWithOrigin: [
        50,
        s(
          { descendant_origin: option(Junctions), xcm: Xcm },
          { descendant_origin: 'Option<InteriorLocation>', xcm: 'Xcm<Call>' },
        ),
      ],
      SetHints: [
        51,
        s({ hints: nestedVec(Hint, HINT_NUM_VARIANTS) }, { hints: 'BoundedVec<Hint, HintNumVariants>' }),
      ],
    };
  }
  const Instruction = enumeration(instructionShape).named(P('Instruction'), { params: [{ name: 'Call' }] });
  const xcm = xcmCodec(Instruction, P('Xcm'));

  return {
    version,
    NetworkId,
    Junction,
    Junctions,
    Location,
    AssetId,
    AssetInstance,
    Fungibility,
    Asset,
    Assets,
    WildFungibility,
    WildAsset,
    AssetFilter,
    AssetTransferFilter,
    Hint,
    Error: XcmError,
    PalletInfo,
    Response,
    QueryResponseInfo,
    Instruction,
    Xcm: xcm,
    inOrder,
  };
}
