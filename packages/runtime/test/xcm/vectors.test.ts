/**
 * Real XCM bytes and polkadot-sdk's own test vectors: what real chains sent decodes and re-encodes byte for byte,
 * its id is blake2_256 of the bytes, and its trailing `SetTopic` is the topic id the monitors saw.
 */
import { describe, expect, test } from 'vitest';
import {
  LocationCodec,
  VersionedAssetCodec,
  VersionedAssetIdCodec,
  VersionedAssetsCodec,
  VersionedInteriorLocationCodec,
  VersionedLocationCodec,
  VersionedResponseCodec,
  VersionedXcmCodec,
  XcmCodec,
  decodeVersionedXcm,
  trailingTopic,
  v4,
  xcmHash,
  xcmHashOfEncoded,
  type Xcm,
} from '../../src/xcm/index.ts';
import { hex, unhex } from '../scale/helpers.ts';

/**
 * A two-hop swap seen on Polkadot (sodazone/ocelloids-services, packages/server/src/testing/2-hop-swap.ts): the relay
 * chain's V3 message (block 26878097), Hydration's V4 hop (block 8339191), Asset Hub's V5 delivery (block 9276283).
 * `messageHash` is what the chains' events carried; `topic` the `SetTopic` id.
 */
const REAL = [
  {
    version: 'V3',
    bytes:
      '031801040001000003005ed0b20a130001000003005ed0b2000f0101000100000400010300a10f043205011f00f2a641000010010100010300a10f043205011f00010100a10f0813000002043205011f00eaa64100000e0101000002043205011f00010100591f081300010300a10f043205011f00b6e13600000d010100010300a10f043205011f0000010100246044e82dcb430908830f90e8c668b02544004d66eab58af5124b953ef57d372c7b234b757a973d3ffcfeca9e1a077e2c83dca86667c4d375b4eac52ab108d60c',
    messageHash: '061a3362ddb6134f0b804f5bfffb78cce67070a21ea88d541d68e26e6889239d',
    topic: '7b234b757a973d3ffcfeca9e1a077e2c83dca86667c4d375b4eac52ab108d60c',
    instructions: [
      'ReserveAssetDeposited',
      'ClearOrigin',
      'BuyExecution',
      'ExchangeAsset',
      'InitiateReserveWithdraw',
      'SetTopic',
    ],
  },
  {
    version: 'V4',
    bytes:
      '041400040002043205011f00f2a641000a130002043205011f00eaa64100000e01010002043205011f00010100591f0813010300a10f043205011f00b6e13600000d0101010300a10f043205011f0000010100246044e82dcb430908830f90e8c668b02544004d66eab58af5124b953ef57d372c3378f662306c8af91d26794551182b55e76504431c89e3584139af0f728b6477',
    messageHash: 'e5464e6ca180782f200980a7d8a419e7a73dcbef1342c92a81d55e58212349e3',
    topic: '3378f662306c8af91d26794551182b55e76504431c89e3584139af0f728b6477',
    instructions: ['WithdrawAsset', 'ClearOrigin', 'BuyExecution', 'DepositReserveAsset', 'SetTopic'],
  },
  {
    version: 'V5',
    bytes:
      '05140104010300a10f043205011f003ead38000a13010300a10f043205011f00b6e13600000d0101010300a10f043205011f0000010100246044e82dcb430908830f90e8c668b02544004d66eab58af5124b953ef57d372c3378f662306c8af91d26794551182b55e76504431c89e3584139af0f728b6477',
    messageHash: 'a6a9047ac211d27c2ed28b65e9db76e1dc76266feeabd2b2ee0f46e6bf485648',
    topic: '3378f662306c8af91d26794551182b55e76504431c89e3584139af0f728b6477',
    instructions: ['ReserveAssetDeposited', 'ClearOrigin', 'BuyExecution', 'DepositAsset', 'SetTopic'],
  },
];

describe('messages real chains sent', () => {
  test.each(REAL)('$version: decodes, re-encodes the same bytes, hashes to the id the chain emitted', (m) => {
    const bytes = unhex(m.bytes);
    const value = decodeVersionedXcm(bytes);
    expect(value.type).toBe(m.version);
    expect(value.value.map((i) => i.type)).toEqual(m.instructions);
    expect(hex(VersionedXcmCodec.encode(value))).toBe(m.bytes);
    expect(hex(xcmHash(value))).toBe(m.messageHash);
    expect(hex(xcmHashOfEncoded(bytes))).toBe(m.messageHash);
    expect(hex(trailingTopic(value.value)!)).toBe(m.topic);
  });

  test("V5 delivery read field by field: USDT (Asset Hub asset 1984) deposited to the sender's account on para 2006", () => {
    const value = decodeVersionedXcm(unhex(REAL[2].bytes));
    const xcm = value.value as Xcm;
    const deposited = xcm[0];
    if (deposited.type !== 'ReserveAssetDeposited') throw new Error('shape');
    // (1, [Parachain(1000), PalletInstance(50), GeneralIndex(1984)]): USDT on Asset Hub, 0.928591 USDT (6 decimals).
    expect(deposited.value[0].fun).toEqual({ type: 'Fungible', value: 928591n });
    expect(deposited.value[0].id).toEqual({
      parents: 1,
      interior: [
        { type: 'Parachain', value: 1000 },
        { type: 'PalletInstance', value: 50 },
        { type: 'GeneralIndex', value: 1984n },
      ],
    });
    const deposit = xcm[3];
    if (deposit.type !== 'DepositAsset') throw new Error('shape');
    expect(deposit.value.assets).toEqual({
      type: 'Wild',
      value: { type: 'AllOf', value: { id: deposited.value[0].id, fun: { type: 'Fungible' } } },
    });
    expect(deposit.value.beneficiary).toEqual({
      parents: 0,
      interior: [
        {
          type: 'AccountId32',
          value: {
            network: undefined,
            id: unhex('246044e82dcb430908830f90e8c668b02544004d66eab58af5124b953ef57d37'),
          },
        },
      ],
    });
  });
});

describe("polkadot-sdk's own vectors", () => {
  // polkadot/xcm/src/tests.rs: encode_decode_versioned_* ("encode format changed" if these move).
  const here = { parents: 0, interior: [] };
  const one = (v: 3 | 4 | 5) => ({
    id: v === 3 ? { type: 'Concrete', value: here } : here,
    fun: { type: 'Fungible', value: 1n },
  });
  test.each([
    [
      VersionedAssetIdCodec,
      { type: 'V3', value: { type: 'Abstract', value: new Uint8Array(32).fill(1) } },
      `03${'01'.repeat(33)}`,
    ],
    [VersionedResponseCodec, { type: 'V3', value: { type: 'Null' } }, '0300'],
    [VersionedResponseCodec, { type: 'V4', value: { type: 'Null' } }, '0400'],
    [VersionedResponseCodec, { type: 'V5', value: { type: 'Null' } }, '0500'],
    [VersionedLocationCodec, { type: 'V3', value: here }, '030000'],
    [VersionedLocationCodec, { type: 'V4', value: here }, '040000'],
    [VersionedLocationCodec, { type: 'V5', value: here }, '050000'],
    [VersionedInteriorLocationCodec, { type: 'V3', value: [] }, '0300'],
    [VersionedInteriorLocationCodec, { type: 'V4', value: [] }, '0400'],
    [VersionedInteriorLocationCodec, { type: 'V5', value: [] }, '0500'],
    [VersionedAssetCodec, { type: 'V3', value: one(3) }, '030000000004'],
    [VersionedAssetCodec, { type: 'V4', value: one(4) }, '0400000004'],
    [VersionedAssetCodec, { type: 'V5', value: one(5) }, '0500000004'],
    [VersionedAssetsCodec, { type: 'V3', value: [one(3)] }, '03040000000004'],
    [VersionedAssetsCodec, { type: 'V4', value: [one(4)] }, '040400000004'],
    [VersionedAssetsCodec, { type: 'V5', value: [one(5)] }, '050400000004'],
    [VersionedXcmCodec, { type: 'V3', value: [] }, '0300'],
    [VersionedXcmCodec, { type: 'V4', value: [] }, '0400'],
    [VersionedXcmCodec, { type: 'V5', value: [] }, '0500'],
  ] as const)('tests.rs %#: %s', (codec, value, expected) => {
    expect(hex((codec as any).encode(value))).toBe(expected);
    expect((codec as any).decode(unhex(expected))).toEqual(value);
  });

  test('tests.rs ensure_type_info_is_correct: VersionedXcm and VersionedAssetId keep the `xcm::` path', () => {
    expect(VersionedXcmCodec.info.path).toEqual(['xcm', 'VersionedXcm']);
    expect(VersionedAssetIdCodec.info.path).toEqual(['xcm', 'VersionedAssetId']);
  });

  test('v5/location.rs encode_and_decode_works: (1, [Parachain(42), AccountIndex64 { None, 23 }]) = [1, 2, 0, 168, 2, 0, 92]', () => {
    const m = {
      parents: 1,
      interior: [
        { type: 'Parachain' as const, value: 42 },
        { type: 'AccountIndex64' as const, value: { network: undefined, index: 23n } },
      ],
    };
    expect([...LocationCodec.encode(m)]).toEqual([1, 2, 0, 168, 2, 0, 92]);
    expect(LocationCodec.decode(Uint8Array.of(1, 2, 0, 168, 2, 0, 92))).toEqual(m);
    expect([...v4.LocationCodec.encode(m)]).toEqual([1, 2, 0, 168, 2, 0, 92]);
  });

  test('v4/v5 mod.rs decoding_respects_limit: the 64 × SetAppendix(50 × DepositReserveAsset(100 × ClearOrigin)) message is 342530 bytes and does not decode', () => {
    const maxXcm: Xcm = Array.from({ length: 100 }, () => ({ type: 'ClearOrigin' }));
    const nested: Xcm = Array.from({ length: 50 }, () => ({
      type: 'DepositReserveAsset',
      value: {
        assets: { type: 'Wild', value: { type: 'All' } },
        dest: { parents: 0, interior: [] },
        xcm: maxXcm,
      },
    }));
    const evenMore: Xcm = Array.from({ length: 64 }, () => ({ type: 'SetAppendix', value: nested }));
    const encoded = XcmCodec.encode(evenMore);
    expect(encoded.length).toBe(342530);
    expect(() => XcmCodec.decode(encoded)).toThrow(/Max instructions exceeded/);
    expect(() => XcmCodec.decode(XcmCodec.encode(nested))).toThrow(/Max instructions exceeded/);
    expect(XcmCodec.decode(XcmCodec.encode(maxXcm))).toHaveLength(100);
    expect(() => XcmCodec.decode(XcmCodec.encode([...maxXcm, { type: 'ClearOrigin' }]))).toThrow(
      /Max instructions exceeded/,
    );
  });
});
