/** Version conversions, checked against polkadot-sdk's own conversion tests (v4/mod.rs, v5/mod.rs) and TryFrom impls. */
import { describe, expect, test } from 'vitest';
import {
  ROCOCO_GENESIS_HASH,
  WESTEND_GENESIS_HASH,
  XCM_WEIGHT_MAX,
  XcmConversionError,
  assetsIntoVersion,
  intoVersion,
  locationIntoVersion,
  responseIntoVersion,
  toLatestXcm,
  type v3,
  type v4,
  type v5,
  xcmV3ToV4,
  xcmV4ToV3,
  xcmV4ToV5,
  xcmV5ToV4,
} from '../../src/xcm/index.ts';
import { hex } from '../scale/helpers.ts';

const here = { parents: 0, interior: [] };
const one = { id: here, fun: { type: 'Fungible' as const, value: 1n } };
const oneV3 = {
  id: { type: 'Concrete' as const, value: here },
  fun: { type: 'Fungible' as const, value: 1n },
};
const allCounted1 = { type: 'Wild' as const, value: { type: 'AllCounted' as const, value: 1 } };
const w = (r: bigint, p: bigint) => ({ refTime: r, proofSize: p });

describe("polkadot-sdk's round trip tests (v4/mod.rs against V3, v5/mod.rs against V4)", () => {
  // The same messages in each version; polkadot-sdk asserts old == try_from(new) and new == try_into(old).
  const cases: Array<[string, v3.Xcm, v4.Xcm]> = [
    [
      'basic_roundtrip_works',
      [{ type: 'TransferAsset', value: { assets: [oneV3], beneficiary: here } }],
      [{ type: 'TransferAsset', value: { assets: [one], beneficiary: here } }],
    ],
    [
      'teleport_roundtrip_works',
      [
        { type: 'ReceiveTeleportedAsset', value: [oneV3] },
        { type: 'ClearOrigin' },
        { type: 'DepositAsset', value: { assets: allCounted1, beneficiary: here } },
      ],
      [
        { type: 'ReceiveTeleportedAsset', value: [one] },
        { type: 'ClearOrigin' },
        { type: 'DepositAsset', value: { assets: allCounted1, beneficiary: here } },
      ],
    ],
    [
      'reserve_deposit_roundtrip_works',
      [
        { type: 'ReserveAssetDeposited', value: [oneV3] },
        { type: 'ClearOrigin' },
        { type: 'BuyExecution', value: { fees: oneV3, weight_limit: { type: 'Limited', value: w(1n, 1n) } } },
        { type: 'DepositAsset', value: { assets: allCounted1, beneficiary: here } },
      ],
      [
        { type: 'ReserveAssetDeposited', value: [one] },
        { type: 'ClearOrigin' },
        { type: 'BuyExecution', value: { fees: one, weight_limit: { type: 'Limited', value: w(1n, 1n) } } },
        { type: 'DepositAsset', value: { assets: allCounted1, beneficiary: here } },
      ],
    ],
    [
      'deposit_reserve_asset_roundtrip_works',
      [
        { type: 'WithdrawAsset', value: [oneV3] },
        { type: 'DepositReserveAsset', value: { assets: allCounted1, dest: here, xcm: [] } },
      ],
      [
        { type: 'WithdrawAsset', value: [one] },
        { type: 'DepositReserveAsset', value: { assets: allCounted1, dest: here, xcm: [] } },
      ],
    ],
  ];
  test.each(cases)('%s', (_, old, v4msg) => {
    expect(xcmV4ToV3(v4msg)).toEqual(old);
    expect(xcmV3ToV4(old)).toEqual(v4msg);
    // The V5 form is the V4 form here (no Transact, no testnet networks).
    expect(xcmV4ToV5(v4msg)).toEqual(v4msg);
    expect(xcmV5ToV4(v4msg as v5.Xcm)).toEqual(v4msg);
  });

  test('transact_roundtrip_works: a fallback weight is kept; no fallback becomes Weight::MAX and comes back as Some(MAX)', () => {
    const call = { encoded: Uint8Array.of(200, 200, 200) };
    const withFallback: v5.Xcm = [
      { type: 'WithdrawAsset', value: [one] },
      {
        type: 'Transact',
        value: {
          origin_kind: { type: 'SovereignAccount' },
          call,
          fallback_max_weight: w(1_000_000n, 1_024n),
        },
      },
    ];
    const old: v4.Xcm = [
      { type: 'WithdrawAsset', value: [one] },
      {
        type: 'Transact',
        value: {
          origin_kind: { type: 'SovereignAccount' },
          call,
          require_weight_at_most: w(1_000_000n, 1_024n),
        },
      },
    ];
    expect(xcmV5ToV4(withFallback)).toEqual(old);
    expect(xcmV4ToV5(old)).toEqual(withFallback);
    const without: v5.Xcm = [
      withFallback[0],
      {
        type: 'Transact',
        value: { origin_kind: { type: 'SovereignAccount' }, call, fallback_max_weight: undefined },
      },
    ];
    const oldMax = xcmV5ToV4(without);
    expect(oldMax[1]).toEqual({
      type: 'Transact',
      value: { origin_kind: { type: 'SovereignAccount' }, call, require_weight_at_most: XCM_WEIGHT_MAX },
    });
    expect(xcmV4ToV5(oldMax)[1]).toEqual({
      type: 'Transact',
      value: { origin_kind: { type: 'SovereignAccount' }, call, fallback_max_weight: XCM_WEIGHT_MAX },
    });
    // A runtime that can decode the call states its dispatch weight instead (polkadot-sdk's `take_decoded`).
    expect(xcmV5ToV4(without, { callWeight: () => w(7n, 8n) })[1]).toMatchObject({
      value: { require_weight_at_most: w(7n, 8n) },
    });
  });
});

describe('where polkadot-sdk fails', () => {
  test.each([
    { type: 'PayFees', value: { asset: one } },
    {
      type: 'InitiateTransfer',
      value: {
        destination: here,
        remote_fees: undefined,
        preserve_origin: false,
        assets: [],
        remote_xcm: [],
      },
    },
    { type: 'ExecuteWithOrigin', value: { descendant_origin: undefined, xcm: [] } },
    { type: 'SetHints', value: { hints: [] } },
  ] as v5.Instruction[])('V5 $type has no V4 (nor V3) form', (i) => {
    expect(() => xcmV5ToV4([i])).toThrow(XcmConversionError);
    expect(() => intoVersion({ type: 'V5', value: [{ type: 'ClearOrigin' }, i] }, 3)).toThrow(
      XcmConversionError,
    );
    // …also when nested.
    expect(() => xcmV5ToV4([{ type: 'SetAppendix', value: [i] }])).toThrow(XcmConversionError);
  });

  test('the V5 error TooManyAssets has no V4 form; the others keep their name (and their index moves)', () => {
    expect(() => xcmV5ToV4([{ type: 'ExpectError', value: [1, { type: 'TooManyAssets' }] }])).toThrow(
      /TooManyAssets/,
    );
    expect(xcmV5ToV4([{ type: 'ExpectError', value: [1, { type: 'Barrier' }] }])).toEqual([
      { type: 'ExpectError', value: [1, { type: 'Barrier' }] },
    ]);
    expect(
      responseIntoVersion(
        { type: 'V5', value: { type: 'ExecutionResult', value: [0, { type: 'UnhandledXcmVersion' }] } },
        4,
      ),
    ).toEqual({
      type: 'V4',
      value: { type: 'ExecutionResult', value: [0, { type: 'UnhandledXcmVersion' }] },
    });
  });

  test('a V3 abstract asset id has no V4 form', () => {
    const abstract = {
      id: { type: 'Abstract' as const, value: new Uint8Array(32) },
      fun: { type: 'Fungible' as const, value: 1n },
    };
    expect(() => xcmV3ToV4([{ type: 'WithdrawAsset', value: [abstract] }])).toThrow(XcmConversionError);
    expect(() => assetsIntoVersion({ type: 'V3', value: [abstract] }, 5)).toThrow(/Abstract/);
    expect(() =>
      xcmV3ToV4([
        {
          type: 'DepositAsset',
          value: {
            assets: {
              type: 'Wild',
              value: { type: 'AllOf', value: { id: abstract.id, fun: { type: 'Fungible' } } },
            },
            beneficiary: here,
          },
        },
      ]),
    ).toThrow(XcmConversionError);
  });

  test('unknown target versions are refused', () => {
    expect(() => intoVersion({ type: 'V5', value: [] }, 2)).toThrow(XcmConversionError);
    expect(() => intoVersion({ type: 'V5', value: [] }, 6)).toThrow(XcmConversionError);
  });
});

describe('networks (xcm v5 junction.rs: From<v4::NetworkId>)', () => {
  const gc = (network: any) => ({ parents: 2, interior: [{ type: 'GlobalConsensus', value: network }] });
  test('Westend and Rococo become ByGenesis(their genesis hash), Wococo ByGenesis(zeros); others stay', () => {
    expect(hex(WESTEND_GENESIS_HASH)).toBe(
      'e143f23803ac50e8f6f8e62695d1ce9e4e1d68aa36c1cd2cfd15340213f3423e',
    );
    expect(hex(ROCOCO_GENESIS_HASH)).toBe('6408de7737c59c238890533af25896a2c20608d8b380bb01029acb392781063e');
    const to5 = (n: string) => locationIntoVersion({ type: 'V4', value: gc({ type: n }) as never }, 5).value;
    expect(to5('Westend')).toEqual(gc({ type: 'ByGenesis', value: WESTEND_GENESIS_HASH }));
    expect(to5('Rococo')).toEqual(gc({ type: 'ByGenesis', value: ROCOCO_GENESIS_HASH }));
    expect(to5('Wococo')).toEqual(gc({ type: 'ByGenesis', value: new Uint8Array(32) }));
    expect(to5('Kusama')).toEqual(gc({ type: 'Kusama' }));
    // …and back they stay ByGenesis (V4 has ByGenesis too).
    expect(
      locationIntoVersion(
        { type: 'V5', value: gc({ type: 'ByGenesis', value: WESTEND_GENESIS_HASH }) as never },
        4,
      ).value,
    ).toEqual(gc({ type: 'ByGenesis', value: WESTEND_GENESIS_HASH }));
    // Inside account junctions too.
    const account = {
      parents: 0,
      interior: [{ type: 'AccountId32', value: { network: { type: 'Westend' }, id: new Uint8Array(32) } }],
    };
    expect(
      (locationIntoVersion({ type: 'V3', value: account as never }, 5).value as any).interior[0].value
        .network,
    ).toEqual({
      type: 'ByGenesis',
      value: WESTEND_GENESIS_HASH,
    });
  });
});

describe('VersionedXcm::into_version', () => {
  const v3msg: v3.Xcm = [
    { type: 'WithdrawAsset', value: [oneV3] },
    {
      type: 'Transact',
      value: {
        origin_kind: { type: 'Native' },
        require_weight_at_most: w(5n, 6n),
        call: { encoded: Uint8Array.of(1) },
      },
    },
    { type: 'ExpectError', value: [2, { type: 'Trap', value: 9n }] },
    { type: 'SetTopic', value: new Uint8Array(32).fill(7) },
  ];
  test('V3 → V5 goes through V4; V5 → V3 back; same version is the identity', () => {
    const five = intoVersion({ type: 'V3', value: v3msg }, 5);
    expect(five.type).toBe('V5');
    expect(five.value[1]).toEqual({
      type: 'Transact',
      value: {
        origin_kind: { type: 'Native' },
        fallback_max_weight: w(5n, 6n),
        call: { encoded: Uint8Array.of(1) },
      },
    });
    expect(five.value[0]).toEqual({ type: 'WithdrawAsset', value: [one] });
    expect(intoVersion(five, 3)).toEqual({ type: 'V3', value: v3msg });
    expect(intoVersion(five, 5)).toEqual(five);
    expect(toLatestXcm({ type: 'V4', value: xcmV3ToV4(v3msg) })).toEqual(five.value);
  });
});
