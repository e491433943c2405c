/**
 * A corpus of XCM values covering every instruction of each version and, nested inside them, every junction,
 * network id, body id and part, asset instance, wildcard, response, error and origin kind, locations from `Here` to
 * eight junctions, bigint edges (u64/u128 max, compact mode boundaries) and byte strings.
 */
import { assetsFrom } from '../../src/xcm/index.ts';
import { ERROR_NAMES_V3, ERROR_NAMES_V5 } from '../../src/xcm/shared.ts';

type V = 3 | 4 | 5;
const U64_MAX = (1n << 64n) - 1n;
const U128_MAX = (1n << 128n) - 1n;
const bytes = (n: number, seed: number) =>
  Uint8Array.from({ length: n }, (_, i) => (seed * 31 + i * 7) & 0xff);

export function networks(v: V): any[] {
  const list: any[] = [
    { type: 'ByGenesis', value: bytes(32, 1) },
    { type: 'ByFork', value: { block_number: U64_MAX, block_hash: bytes(32, 2) } },
    { type: 'Polkadot' },
    { type: 'Kusama' },
    { type: 'Ethereum', value: { chain_id: 1n } },
    { type: 'Ethereum', value: { chain_id: U64_MAX } },
    { type: 'BitcoinCore' },
    { type: 'BitcoinCash' },
    { type: 'PolkadotBulletin' },
  ];
  if (v !== 5) list.push({ type: 'Westend' }, { type: 'Rococo' }, { type: 'Wococo' });
  return list;
}

export const bodyIds = [
  { type: 'Unit' },
  { type: 'Moniker', value: bytes(4, 3) },
  { type: 'Index', value: 0xffffffff },
  { type: 'Executive' },
  { type: 'Technical' },
  { type: 'Legislative' },
  { type: 'Judicial' },
  { type: 'Defense' },
  { type: 'Administration' },
  { type: 'Treasury' },
];
export const bodyParts = [
  { type: 'Voice' },
  { type: 'Members', value: { count: 63 } },
  { type: 'Fraction', value: { nom: 64, denom: 16383 } },
  { type: 'AtLeastProportion', value: { nom: 16384, denom: 1 << 30 } },
  { type: 'MoreThanProportion', value: { nom: 0, denom: 0xffffffff } },
];

export function junctions(v: V): any[] {
  const n = networks(v);
  return [
    { type: 'Parachain', value: 2008 },
    { type: 'AccountId32', value: { network: undefined, id: bytes(32, 4) } },
    { type: 'AccountId32', value: { network: n[2], id: bytes(32, 5) } },
    { type: 'AccountIndex64', value: { network: n[1], index: U64_MAX } },
    { type: 'AccountKey20', value: { network: n[4], key: bytes(20, 6) } },
    { type: 'PalletInstance', value: 255 },
    { type: 'GeneralIndex', value: U128_MAX },
    { type: 'GeneralIndex', value: 1n << 30n },
    { type: 'GeneralKey', value: { length: 4, data: bytes(32, 7) } },
    { type: 'OnlyChild' },
    ...bodyIds.map((id, i) => ({ type: 'Plurality', value: { id, part: bodyParts[i % bodyParts.length] } })),
    ...n.map((network) => ({ type: 'GlobalConsensus', value: network })),
  ];
}

/** Locations with 0..8 junctions drawn from every junction kind. */
export function locations(v: V): any[] {
  const js = junctions(v);
  const out: any[] = [
    { parents: 0, interior: [] },
    { parents: 1, interior: [] },
    { parents: 255, interior: [] },
  ];
  for (let n = 1; n <= 8; n++)
    out.push({ parents: n % 3, interior: Array.from({ length: n }, (_, i) => js[(n * 3 + i) % js.length]) });
  for (let i = 0; i < js.length; i++) out.push({ parents: 1, interior: [js[i]] });
  return out;
}

const id = (v: V, location: any) => (v === 3 ? { type: 'Concrete', value: location } : location);

export const assetInstances = [
  { type: 'Undefined' },
  { type: 'Index', value: U128_MAX },
  { type: 'Array4', value: bytes(4, 8) },
  { type: 'Array8', value: bytes(8, 9) },
  { type: 'Array16', value: bytes(16, 10) },
  { type: 'Array32', value: bytes(32, 11) },
];

export function assetList(v: V): any[] {
  const ls = locations(v);
  const list: any[] = [
    { id: id(v, ls[1]), fun: { type: 'Fungible', value: 10n ** 12n } },
    { id: id(v, ls[4]), fun: { type: 'Fungible', value: U128_MAX } },
    { id: id(v, ls[8]), fun: { type: 'Fungible', value: 1n } },
    ...assetInstances.map((instance, i) => ({
      id: id(v, ls[i]),
      fun: { type: 'NonFungible', value: instance },
    })),
  ];
  if (v === 3)
    list.push({ id: { type: 'Abstract', value: bytes(32, 12) }, fun: { type: 'Fungible', value: 5n } });
  return assetsFrom(list as never, v as never) as any[];
}

export function wildAssets(v: V): any[] {
  const ls = locations(v);
  return [
    { type: 'All' },
    { type: 'AllOf', value: { id: id(v, ls[2]), fun: { type: 'Fungible' } } },
    { type: 'AllCounted', value: 0xffffffff },
    { type: 'AllOfCounted', value: { id: id(v, ls[9]), fun: { type: 'NonFungible' }, count: 1 } },
  ];
}

const weight = (r: bigint, p: bigint) => ({ refTime: r, proofSize: p });
export const maybeErrorCodes = [
  { type: 'Success' },
  { type: 'Error', value: bytes(128, 13) },
  { type: 'TruncatedError', value: bytes(3, 14) },
];

export function errors(v: V): any[] {
  return (v === 5 ? ERROR_NAMES_V5 : ERROR_NAMES_V3).map((name) =>
    name === 'Trap'
      ? { type: name, value: U64_MAX }
      : name === 'WeightLimitReached'
        ? { type: name, value: weight(U64_MAX, 1n) }
        : { type: name },
  );
}

export function responses(v: V): any[] {
  const palletInfo = {
    index: 63,
    name: bytes(48, 15),
    module_name: new TextEncoder().encode('pallet_xcm'),
    major: 1,
    minor: 1 << 14,
    patch: 0xffffffff,
  };
  return [
    { type: 'Null' },
    { type: 'Assets', value: assetList(v) },
    { type: 'ExecutionResult', value: undefined },
    { type: 'ExecutionResult', value: [7, errors(v)[21]] },
    { type: 'Version', value: 5 },
    { type: 'PalletsInfo', value: [palletInfo, { ...palletInfo, index: 0, name: new Uint8Array() }] },
    ...maybeErrorCodes.map((code) => ({ type: 'DispatchResult', value: code })),
  ];
}

/** Every instruction of version `v`, with the nested values above spread over them. */
export function instructions(v: V): any[] {
  const ls = locations(v);
  const js = junctions(v);
  const assets = assetList(v);
  const one = assets[0];
  const wild = wildAssets(v);
  const filters = [{ type: 'Definite', value: assets }, ...wild.map((w) => ({ type: 'Wild', value: w }))];
  const qri = (i: number) => ({
    destination: ls[i % ls.length],
    query_id: BigInt(i) << 40n,
    max_weight: weight(BigInt(i), 64n),
  });
  const inner = [{ type: 'ClearOrigin' }, { type: 'SetTopic', value: bytes(32, 16) }];
  const out: any[] = [
    { type: 'WithdrawAsset', value: assets },
    { type: 'ReserveAssetDeposited', value: [] },
    { type: 'ReceiveTeleportedAsset', value: assets.slice(0, 2) },
    ...responses(v).map((response, i) => ({
      type: 'QueryResponse',
      value: {
        query_id: U64_MAX - BigInt(i),
        response,
        max_weight: weight(0n, 0n),
        querier: i % 2 ? ls[i] : undefined,
      },
    })),
    { type: 'TransferAsset', value: { assets, beneficiary: ls[10] } },
    { type: 'TransferReserveAsset', value: { assets: [one], dest: ls[1], xcm: inner } },
    {
      type: 'HrmpNewChannelOpenRequest',
      value: { sender: 2008, max_message_size: 102400, max_capacity: 1000 },
    },
    { type: 'HrmpChannelAccepted', value: { recipient: 0xffffffff } },
    { type: 'HrmpChannelClosing', value: { initiator: 0, sender: 1, recipient: 2 } },
    { type: 'ClearOrigin' },
    ...[0, 1, 3, 8].map((n) => ({ type: 'DescendOrigin', value: js.slice(0, n) })),
    { type: 'ReportError', value: qri(3) },
    ...filters.map((assets, i) => ({ type: 'DepositAsset', value: { assets, beneficiary: ls[i] } })),
    { type: 'DepositReserveAsset', value: { assets: filters[1], dest: ls[5], xcm: [] } },
    { type: 'ExchangeAsset', value: { give: filters[2], want: assets.slice(1, 3), maximal: true } },
    { type: 'InitiateReserveWithdraw', value: { assets: filters[0], reserve: ls[1], xcm: inner } },
    { type: 'InitiateTeleport', value: { assets: filters[4], dest: ls[6], xcm: [{ type: 'ClearTopic' }] } },
    { type: 'ReportHolding', value: { response_info: qri(5), assets: filters[3] } },
    { type: 'BuyExecution', value: { fees: one, weight_limit: { type: 'Unlimited' } } },
    {
      type: 'BuyExecution',
      value: { fees: assets[1], weight_limit: { type: 'Limited', value: weight(U64_MAX, U64_MAX) } },
    },
    { type: 'RefundSurplus' },
    { type: 'SetErrorHandler', value: inner },
    { type: 'SetAppendix', value: [] },
    { type: 'ClearError' },
    { type: 'ClaimAsset', value: { assets, ticket: ls[7] } },
    { type: 'Trap', value: 0n },
    { type: 'Trap', value: U64_MAX },
    { type: 'SubscribeVersion', value: { query_id: 1n, max_response_weight: weight(1n << 32n, 3n) } },
    { type: 'UnsubscribeVersion' },
    { type: 'BurnAsset', value: assets },
    { type: 'ExpectAsset', value: [one] },
    { type: 'ExpectOrigin', value: undefined },
    { type: 'ExpectOrigin', value: ls[11] },
    { type: 'ExpectError', value: undefined },
    ...errors(v).map((e, i) => ({ type: 'ExpectError', value: [i, e] })),
    ...maybeErrorCodes.map((code) => ({ type: 'ExpectTransactStatus', value: code })),
    {
      type: 'QueryPallet',
      value: { module_name: new TextEncoder().encode('pallet_balances'), response_info: qri(9) },
    },
    {
      type: 'ExpectPallet',
      value: {
        index: 10,
        name: new TextEncoder().encode('Balances'),
        module_name: bytes(70, 17),
        crate_major: 4,
        min_crate_minor: 0,
      },
    },
    { type: 'ReportTransactStatus', value: qri(12) },
    { type: 'ClearTransactStatus' },
    ...js.map((j) => ({ type: 'UniversalOrigin', value: j })),
    ...networks(v).map((network, i) => ({
      type: 'ExportMessage',
      value: { network, destination: js.slice(i % 4, (i % 4) + (i % 3)), xcm: i === 0 ? inner : [] },
    })),
    { type: 'LockAsset', value: { asset: one, unlocker: ls[2] } },
    { type: 'UnlockAsset', value: { asset: assets[2], target: ls[3] } },
    { type: 'NoteUnlockable', value: { asset: assets[3], owner: ls[4] } },
    { type: 'RequestUnlock', value: { asset: assets[4], locker: ls[5] } },
    { type: 'SetFeesMode', value: { jit_withdraw: false } },
    { type: 'SetFeesMode', value: { jit_withdraw: true } },
    { type: 'SetTopic', value: new Uint8Array(32) },
    { type: 'ClearTopic' },
    { type: 'AliasOrigin', value: ls[12] },
    { type: 'UnpaidExecution', value: { weight_limit: { type: 'Unlimited' }, check_origin: undefined } },
    {
      type: 'UnpaidExecution',
      value: { weight_limit: { type: 'Limited', value: weight(5n, 6n) }, check_origin: ls[1] },
    },
  ];
  const originKinds = ['Native', 'SovereignAccount', 'Superuser', 'Xcm'].map((type) => ({ type }));
  const call = { encoded: bytes(300, 18) };
  if (v === 5) {
    out.push(
      ...originKinds.map((origin_kind, i) => ({
        type: 'Transact',
        value: {
          origin_kind,
          fallback_max_weight: i % 2 ? weight(BigInt(i), 1n) : undefined,
          call: i ? call : { encoded: new Uint8Array() },
        },
      })),
      { type: 'PayFees', value: { asset: one } },
      ...[undefined, ...filters].map((f, i) => ({
        type: 'InitiateTransfer',
        value: {
          destination: ls[i],
          remote_fees: f && { type: ['Teleport', 'ReserveDeposit', 'ReserveWithdraw'][i % 3], value: f },
          preserve_origin: i % 2 === 0,
          assets: filters
            .slice(0, i)
            .map((g, k) => ({ type: ['Teleport', 'ReserveDeposit', 'ReserveWithdraw'][k % 3], value: g })),
          remote_xcm: i === 1 ? inner : [],
        },
      })),
      { type: 'ExecuteWithOrigin', value: { descendant_origin: undefined, xcm: inner } },
      { type: 'ExecuteWithOrigin', value: { descendant_origin: js.slice(0, 2), xcm: [] } },
      { type: 'SetHints', value: { hints: [] } },
      { type: 'SetHints', value: { hints: [{ type: 'AssetClaimer', value: { location: ls[9] } }] } },
    );
  } else {
    out.push(
      ...originKinds.map((origin_kind, i) => ({
        type: 'Transact',
        value: { origin_kind, require_weight_at_most: weight(BigInt(i) * 1_000_000_000n, 65536n), call },
      })),
    );
  }
  return out;
}
