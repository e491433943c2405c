/** fast-check generators of XCM values (V3, V4, V5), recursion bounded by `depth`; assets built as polkadot-sdk builds them. */
import fc from 'fast-check';
import { assetsFrom } from '../../src/xcm/index.ts';
import { ERROR_NAMES_V3, ERROR_NAMES_V5 } from '../../src/xcm/shared.ts';

type V = 3 | 4 | 5;
const U64 = (1n << 64n) - 1n;
const U128 = (1n << 128n) - 1n;

const big = (max: bigint) =>
  fc.oneof(
    fc.bigInt({ min: 0n, max }),
    fc.constantFrom(0n, 1n, 63n, 64n, 16383n, 16384n, (1n << 30n) - 1n, 1n << 30n, max),
  );
const u32 = fc.oneof(
  fc.integer({ min: 0, max: 0xffffffff }),
  fc.constantFrom(0, 63, 64, 16383, 16384, 2 ** 30, 0xffffffff),
);
const bytesN = (n: number) => fc.uint8Array({ minLength: n, maxLength: n });
const bytesUpTo = (n: number) => fc.uint8Array({ maxLength: n });
const unit = (...types: string[]) => fc.constantFrom(...types.map((type) => ({ type })));
const tagged = <T>(type: string, value: fc.Arbitrary<T>) => value.map((v) => ({ type, value: v }));
const opt = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });
export const weight = fc.record({ refTime: big(U64), proofSize: big(U64) });

export function arbitraries(v: V) {
  const network = fc.oneof(
    tagged('ByGenesis', bytesN(32)),
    tagged('ByFork', fc.record({ block_number: big(U64), block_hash: bytesN(32) })),
    unit(
      'Polkadot',
      'Kusama',
      'BitcoinCore',
      'BitcoinCash',
      'PolkadotBulletin',
      ...(v === 5 ? [] : ['Westend', 'Rococo', 'Wococo']),
    ),
    tagged('Ethereum', fc.record({ chain_id: big(U64) })),
  );
  const bodyId = fc.oneof(
    unit(
      'Unit',
      'Executive',
      'Technical',
      'Legislative',
      'Judicial',
      'Defense',
      'Administration',
      'Treasury',
    ),
    tagged('Moniker', bytesN(4)),
    tagged('Index', u32),
  );
  const frac = fc.record({ nom: u32, denom: u32 });
  const bodyPart = fc.oneof(
    unit('Voice'),
    tagged('Members', fc.record({ count: u32 })),
    tagged('Fraction', frac),
    tagged('AtLeastProportion', frac),
    tagged('MoreThanProportion', frac),
  );
  const junction = fc.oneof(
    tagged('Parachain', u32),
    tagged('AccountId32', fc.record({ network: opt(network), id: bytesN(32) })),
    tagged('AccountIndex64', fc.record({ network: opt(network), index: big(U64) })),
    tagged('AccountKey20', fc.record({ network: opt(network), key: bytesN(20) })),
    tagged('PalletInstance', fc.integer({ min: 0, max: 255 })),
    tagged('GeneralIndex', big(U128)),
    tagged('GeneralKey', fc.record({ length: fc.integer({ min: 0, max: 255 }), data: bytesN(32) })),
    unit('OnlyChild'),
    tagged('Plurality', fc.record({ id: bodyId, part: bodyPart })),
    tagged('GlobalConsensus', network),
  );
  const junctions = fc.array(junction, { maxLength: 8 });
  const location = fc.record({
    parents: fc.oneof(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 255 })),
    interior: junctions,
  });
  const assetId: fc.Arbitrary<any> =
    v === 3
      ? fc.oneof(
          { weight: 4, arbitrary: tagged('Concrete', location) },
          { weight: 1, arbitrary: tagged('Abstract', bytesN(32)) },
        )
      : location;
  const assetInstance = fc.oneof(
    unit('Undefined'),
    tagged('Index', big(U128)),
    tagged('Array4', bytesN(4)),
    tagged('Array8', bytesN(8)),
    tagged('Array16', bytesN(16)),
    tagged('Array32', bytesN(32)),
  );
  const fungibility = fc.oneof(
    tagged('Fungible', fc.bigInt({ min: 1n, max: U128 })),
    tagged('NonFungible', assetInstance),
  );
  const asset = fc.record({ id: assetId, fun: fungibility });
  const assets = fc
    .array(asset, { maxLength: 4 })
    .map((list) => assetsFrom(list as never, v as never) as any[]);
  const wildFungibility = unit('Fungible', 'NonFungible');
  const wild = fc.oneof(
    unit('All'),
    tagged('AllOf', fc.record({ id: assetId, fun: wildFungibility })),
    tagged('AllCounted', u32),
    tagged('AllOfCounted', fc.record({ id: assetId, fun: wildFungibility, count: u32 })),
  );
  const filter = fc.oneof(tagged('Definite', assets), tagged('Wild', wild));
  const errorNames = v === 5 ? ERROR_NAMES_V5 : ERROR_NAMES_V3;
  const error = fc.oneof(
    unit(...errorNames.filter((n) => n !== 'Trap' && n !== 'WeightLimitReached')),
    tagged('Trap', big(U64)),
    tagged('WeightLimitReached', weight),
  );
  const maybeErrorCode = fc.oneof(
    unit('Success'),
    tagged('Error', bytesUpTo(128)),
    tagged('TruncatedError', bytesUpTo(128)),
  );
  const palletInfo = fc.record({
    index: u32,
    name: bytesUpTo(48),
    module_name: bytesUpTo(48),
    major: u32,
    minor: u32,
    patch: u32,
  });
  const response = fc.oneof(
    unit('Null'),
    tagged('Assets', assets),
    tagged('ExecutionResult', opt(fc.tuple(u32, error))),
    tagged('Version', u32),
    tagged('PalletsInfo', fc.array(palletInfo, { maxLength: 3 })),
    tagged('DispatchResult', maybeErrorCode),
  );
  const qri = fc.record({ destination: location, query_id: big(U64), max_weight: weight });
  const weightLimit = fc.oneof(unit('Unlimited'), tagged('Limited', weight));
  const originKind = unit('Native', 'SovereignAccount', 'Superuser', 'Xcm');
  const call = fc.record({ encoded: bytesUpTo(40) });
  const transferFilter = fc.oneof(
    tagged('Teleport', filter),
    tagged('ReserveDeposit', filter),
    tagged('ReserveWithdraw', filter),
  );

  const xcm = (depth: number): fc.Arbitrary<any[]> =>
    depth <= 0 ? fc.constant([]) : fc.array(instruction(depth - 1), { maxLength: depth > 1 ? 3 : 4 });
  const instruction = (depth: number): fc.Arbitrary<any> => {
    const inner = xcm(depth);
    const list: fc.Arbitrary<any>[] = [
      tagged('WithdrawAsset', assets),
      tagged('ReserveAssetDeposited', assets),
      tagged('ReceiveTeleportedAsset', assets),
      tagged(
        'QueryResponse',
        fc.record({ query_id: big(U64), response, max_weight: weight, querier: opt(location) }),
      ),
      tagged('TransferAsset', fc.record({ assets, beneficiary: location })),
      tagged('TransferReserveAsset', fc.record({ assets, dest: location, xcm: inner })),
      tagged(
        'HrmpNewChannelOpenRequest',
        fc.record({ sender: u32, max_message_size: u32, max_capacity: u32 }),
      ),
      tagged('HrmpChannelAccepted', fc.record({ recipient: u32 })),
      tagged('HrmpChannelClosing', fc.record({ initiator: u32, sender: u32, recipient: u32 })),
      unit(
        'ClearOrigin',
        'RefundSurplus',
        'ClearError',
        'UnsubscribeVersion',
        'ClearTransactStatus',
        'ClearTopic',
      ),
      tagged('DescendOrigin', junctions),
      tagged('ReportError', qri),
      tagged('DepositAsset', fc.record({ assets: filter, beneficiary: location })),
      tagged('DepositReserveAsset', fc.record({ assets: filter, dest: location, xcm: inner })),
      tagged('ExchangeAsset', fc.record({ give: filter, want: assets, maximal: fc.boolean() })),
      tagged('InitiateReserveWithdraw', fc.record({ assets: filter, reserve: location, xcm: inner })),
      tagged('InitiateTeleport', fc.record({ assets: filter, dest: location, xcm: inner })),
      tagged('ReportHolding', fc.record({ response_info: qri, assets: filter })),
      tagged('BuyExecution', fc.record({ fees: asset, weight_limit: weightLimit })),
      tagged('SetErrorHandler', inner),
      tagged('SetAppendix', inner),
      tagged('ClaimAsset', fc.record({ assets, ticket: location })),
      tagged('Trap', big(U64)),
      tagged('SubscribeVersion', fc.record({ query_id: big(U64), max_response_weight: weight })),
      tagged('BurnAsset', assets),
      tagged('ExpectAsset', assets),
      tagged('ExpectOrigin', opt(location)),
      tagged('ExpectError', opt(fc.tuple(u32, error))),
      tagged('ExpectTransactStatus', maybeErrorCode),
      tagged('QueryPallet', fc.record({ module_name: bytesUpTo(60), response_info: qri })),
      tagged(
        'ExpectPallet',
        fc.record({
          index: u32,
          name: bytesUpTo(60),
          module_name: bytesUpTo(60),
          crate_major: u32,
          min_crate_minor: u32,
        }),
      ),
      tagged('ReportTransactStatus', qri),
      tagged('UniversalOrigin', junction),
      tagged('ExportMessage', fc.record({ network, destination: junctions, xcm: inner })),
      tagged('LockAsset', fc.record({ asset, unlocker: location })),
      tagged('UnlockAsset', fc.record({ asset, target: location })),
      tagged('NoteUnlockable', fc.record({ asset, owner: location })),
      tagged('RequestUnlock', fc.record({ asset, locker: location })),
      tagged('SetFeesMode', fc.record({ jit_withdraw: fc.boolean() })),
      tagged('SetTopic', bytesN(32)),
      tagged('AliasOrigin', location),
      tagged('UnpaidExecution', fc.record({ weight_limit: weightLimit, check_origin: opt(location) })),
    ];
    if (v === 5)
      list.push(
        tagged('Transact', fc.record({ origin_kind: originKind, fallback_max_weight: opt(weight), call })),
        tagged('PayFees', fc.record({ asset })),
        tagged(
          'InitiateTransfer',
          fc.record({
            destination: location,
            remote_fees: opt(transferFilter),
            preserve_origin: fc.boolean(),
            assets: fc.array(transferFilter, { maxLength: 6 }),
            remote_xcm: inner,
          }),
        ),
        tagged('ExecuteWithOrigin', fc.record({ descendant_origin: opt(junctions), xcm: inner })),
        tagged(
          'SetHints',
          fc.record({ hints: fc.array(tagged('AssetClaimer', fc.record({ location })), { maxLength: 1 }) }),
        ),
      );
    else
      list.push(
        tagged('Transact', fc.record({ origin_kind: originKind, require_weight_at_most: weight, call })),
      );
    return fc.oneof(...list);
  };
  return {
    network,
    junction,
    junctions,
    location,
    assetId,
    asset,
    assets,
    filter,
    response,
    error,
    instruction,
    xcm,
  };
}

export const versionedXcm = (depth = 3) =>
  fc.oneof(
    ...([3, 4, 5] as const).map((v) =>
      arbitraries(v)
        .xcm(depth)
        .map((value) => ({ type: `V${v}` as const, value })),
    ),
  );
