/**
 * Sovereign and derived accounts, against xcm-builder's vectors: the `location_conversion_works` tables of
 * polkadot-sdk's Asset Hub Westend runtime tests (cumulus/parachains/runtimes/assets/asset-hub-westend/tests/tests.rs,
 * ALICE = [1; 32]) and of the Rococo relay runtime tests (polkadot/runtime/rococo/src/tests.rs, Alice = the sr25519 dev
 * key), the legacy `ForeignChainAliasAccount` and treasury vectors of xcm-builder/src/location_conversion.rs, and
 * DESIGN.md §5 (para 2000's sibling account).
 */
import { describe, expect, test } from 'vitest';
import { ss58Decode, ss58Encode } from '../../src/crypto/index.ts';
import {
  type Junction,
  type Location,
  accountId32Aliases,
  accountKey20Aliases,
  childParachainConvertsVia,
  describeFamily,
  describeTreasuryVoiceTerminal,
  firstMatch,
  globalConsensusConvertsFor,
  globalConsensusParachainConvertsFor,
  hashedDescription,
  hashedFamilyDescription,
  legacyDescribeForeignChainAccount,
  parachainLocationToAccount,
  parentIsPreset,
  siblingParachainConvertsVia,
} from '../../src/xcm/index.ts';
import { hex, unhex } from '../scale/helpers.ts';

const P = (id: number): Junction => ({ type: 'Parachain', value: id });
const id32 = (id: Uint8Array, network?: any): Junction => ({ type: 'AccountId32', value: { network, id } });
const key20 = (key: Uint8Array, network?: any): Junction => ({
  type: 'AccountKey20',
  value: { network, key },
});
const body = (id: string, part = 'Voice'): Junction => ({
  type: 'Plurality',
  value: { id: { type: id } as any, part: { type: part } as any },
});
const L = (parents: number, interior: Junction[]): Location => ({ parents, interior });
const ss58 = (a: Uint8Array | undefined) => (a ? ss58Encode(a, 42) : undefined);
const ALICE_ONES = new Uint8Array(32).fill(1);
const ALICE_SR25519 = unhex('d43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d');

describe('sovereign accounts', () => {
  test("DESIGN.md §5: para 2000's sibling account is 5Eg2fntJ27qsari4FGrGhrMqKFDRnkNSR6UshkZYBGXmSuC8", () => {
    expect(ss58(siblingParachainConvertsVia(L(1, [P(2000)])))).toBe(
      '5Eg2fntJ27qsari4FGrGhrMqKFDRnkNSR6UshkZYBGXmSuC8',
    );
    const bytes = ss58Decode('5Eg2fntJ27qsari4FGrGhrMqKFDRnkNSR6UshkZYBGXmSuC8').payload;
    expect(hex(bytes)).toBe(`7369626cd0070000${'00'.repeat(24)}`); // "sibl" ++ u32_le(2000) ++ zeros
  });
  test('"para" ++ u32_le for a child, "Parent" ++ zeros for the parent; 20-byte accounts are truncated', () => {
    expect(hex(childParachainConvertsVia(L(0, [P(2008)]))!)).toBe(`70617261d8070000${'00'.repeat(24)}`);
    expect(hex(parentIsPreset(L(1, []))!)).toBe(`506172656e74${'00'.repeat(26)}`);
    expect(hex(parentIsPreset(L(1, []), 20)!)).toBe(`506172656e74${'00'.repeat(14)}`);
    expect(hex(siblingParachainConvertsVia(L(1, [P(2004)]), 20)!)).toBe(`7369626cd4070000${'00'.repeat(12)}`);
    // Only the exact shapes.
    expect(siblingParachainConvertsVia(L(0, [P(2000)]))).toBeUndefined();
    expect(siblingParachainConvertsVia(L(1, [P(2000), P(1)]))).toBeUndefined();
    expect(childParachainConvertsVia(L(1, [P(2000)]))).toBeUndefined();
    expect(parentIsPreset(L(1, [P(1)]))).toBeUndefined();
    expect(parentIsPreset(L(2, []))).toBeUndefined();
  });
});

describe('aliases', () => {
  test('AccountId32Aliases / AccountKey20Aliases: no network or the chain network', () => {
    const polkadot = { type: 'Polkadot' } as const;
    expect(accountId32Aliases(L(0, [id32(ALICE_ONES)]), polkadot)).toEqual(ALICE_ONES);
    expect(accountId32Aliases(L(0, [id32(ALICE_ONES, polkadot)]), polkadot)).toEqual(ALICE_ONES);
    expect(accountId32Aliases(L(0, [id32(ALICE_ONES, { type: 'Kusama' })]), polkadot)).toBeUndefined();
    expect(accountId32Aliases(L(0, [id32(ALICE_ONES, polkadot)]))).toBeUndefined();
    expect(accountId32Aliases(L(1, [id32(ALICE_ONES)]))).toBeUndefined();
    const key = new Uint8Array(20).fill(7);
    expect(accountKey20Aliases(L(0, [key20(key)]))).toEqual(key);
    expect(accountKey20Aliases(L(0, [key20(key, polkadot)]), polkadot)).toEqual(key);
    expect(accountKey20Aliases(L(0, [key20(key, polkadot)]))).toBeUndefined();
  });
});

describe('Asset Hub Westend location_conversion_works (ParentIsPreset, SiblingParachainConvertsVia, AccountId32Aliases, HashedDescription<DescribeFamily<DescribeAllTerminal>>)', () => {
  const convert = parachainLocationToAccount({ type: 'ByGenesis', value: new Uint8Array(32) });
  test.each([
    ['DescribeTerminus Parent', L(1, []), '5Dt6dpkWPwLaH4BBCKJwjiWrFVAGyYk3tLUabvyn4v7KtESG'],
    ['DescribeTerminus Sibling', L(1, [P(1111)]), '5Eg2fnssmmJnF3z1iZ1NouAuzciDaaDQH7qURAy3w15jULDk'],
    [
      'DescribePalletTerminal Parent',
      L(1, [{ type: 'PalletInstance', value: 50 }]),
      '5CnwemvaAXkWFVwibiCvf2EjqwiqBi29S5cLLydZLEaEw6jZ',
    ],
    [
      'DescribePalletTerminal Sibling',
      L(1, [P(1111), { type: 'PalletInstance', value: 50 }]),
      '5GFBgPjpEQPdaxEnFirUoa51u5erVx84twYxJVuBRAT2UP2g',
    ],
    [
      'DescribeAccountId32Terminal Parent',
      L(1, [id32(ALICE_ONES)]),
      '5DN5SGsuUG7PAqFL47J9meViwdnk9AdeSWKFkcHC45hEzVz4',
    ],
    [
      'DescribeAccountId32Terminal Sibling',
      L(1, [P(1111), id32(ALICE_ONES)]),
      '5DGRXLYwWGce7wvm14vX1Ms4Vf118FSWQbJkyQigY2pfm6bg',
    ],
    [
      'DescribeAccountKey20Terminal Parent',
      L(1, [key20(new Uint8Array(20))]),
      '5F5Ec11567pa919wJkX6VHtv2ZXS5W698YCW35EdEbrg14cg',
    ],
    [
      'DescribeAccountKey20Terminal Sibling',
      L(1, [P(1111), key20(new Uint8Array(20))]),
      '5CB2FbUds2qvcJNhDiTbRZwiS3trAy6ydFGMSVutmYijpPAg',
    ],
    [
      'DescribeTreasuryVoiceTerminal Parent',
      L(1, [body('Treasury')]),
      '5CUjnE2vgcUCuhxPwFoQ5r7p1DkhujgvMNDHaF2bLqRp4D5F',
    ],
    [
      'DescribeTreasuryVoiceTerminal Sibling',
      L(1, [P(1111), body('Treasury')]),
      '5G6TDwaVgbWmhqRUKjBhRRnH4ry9L9cjRymUEmiRsLbSE4gB',
    ],
    ['DescribeBodyTerminal Parent', L(1, [body('Unit')]), '5EBRMTBkDisEXsaN283SRbzx9Xf2PXwUxxFCJohSGo4jYe6B'],
    [
      'DescribeBodyTerminal Sibling',
      L(1, [P(1111), body('Unit')]),
      '5DBoExvojy8tYnHgLL97phNH975CyT45PWTZEeGoBZfAyRMH',
    ],
  ])('%s', (_, location, expected) => {
    expect(ss58(convert(location))).toBe(expected);
  });
  test('locations no converter describes give no account', () => {
    expect(convert(L(2, []))).toBeUndefined();
    expect(convert(L(1, [P(1111), { type: 'GeneralIndex', value: 1n }]))).toBeUndefined();
    expect(convert(L(1, [P(1111), id32(ALICE_ONES), id32(ALICE_ONES)]))).toBeUndefined();
    expect(hashedFamilyDescription(L(0, [id32(ALICE_ONES)]))).toBeUndefined();
  });
});

describe('Rococo relay location_conversion_works (ChildParachainConvertsVia, AccountId32Aliases, HashedDescription<DescribeFamily<DescribeAllTerminal>>)', () => {
  const convert = firstMatch(
    (l) => childParachainConvertsVia(l),
    (l) => accountId32Aliases(l),
    hashedFamilyDescription,
  );
  test.each([
    ['DescribeTerminus Child', L(0, [P(1111)]), '5Ec4AhP4h37t7TFsAZ4HhFq6k92usAAJDUC3ADSZ4H4Acru3'],
    [
      'DescribePalletTerminal Child',
      L(0, [P(1111), { type: 'PalletInstance', value: 50 }]),
      '5FjEBrKn3STAFsZpQF4jzwxUYHNGnNgzdZqSQfTzeJ82XKp6',
    ],
    [
      'DescribeAccountId32Terminal Child',
      L(0, [P(1111), id32(ALICE_SR25519)]),
      '5EEMro9RRDpne4jn9TuD7cTB6Amv1raVZ3xspSkqb2BF3FJH',
    ],
    [
      'DescribeAccountKey20Terminal Child',
      L(0, [P(1111), key20(new Uint8Array(20))]),
      '5HohjXdjs6afcYcgHHSstkrtGfxgfGKsnZ1jtewBpFiGu4DL',
    ],
    [
      'DescribeTreasuryVoiceTerminal Child',
      L(0, [P(1111), body('Treasury')]),
      '5GenE4vJgHvwYVcD6b4nBvH5HNY4pzpVHWoqwFpNMFT7a2oX',
    ],
    [
      'DescribeBodyTerminal Child',
      L(0, [P(1111), body('Unit')]),
      '5DPgGBFTTYm1dGbtB1VWHJ3T3ScvdrskGGx6vSJZNP1WNStV',
    ],
  ])('%s', (_, location, expected) => {
    expect(ss58(convert(location))).toBe(expected);
  });
});

describe('xcm-builder location_conversion.rs tests', () => {
  const legacy = (l: Location) => hashedDescription(l, legacyDescribeForeignChainAccount);
  const z32 = new Uint8Array(32);
  const z20 = new Uint8Array(20);
  test.each([
    [
      'para sending para 32 (1)',
      L(1, [P(1), id32(z32)]),
      [
        181, 186, 132, 152, 52, 210, 226, 199, 8, 235, 213, 242, 94, 70, 250, 170, 19, 163, 196, 102, 245, 14,
        172, 184, 2, 148, 108, 87, 230, 163, 204, 32,
      ],
    ],
    [
      'para sending para 32 (1), network ignored',
      L(1, [P(1), id32(z32, { type: 'Polkadot' })]),
      [
        181, 186, 132, 152, 52, 210, 226, 199, 8, 235, 213, 242, 94, 70, 250, 170, 19, 163, 196, 102, 245, 14,
        172, 184, 2, 148, 108, 87, 230, 163, 204, 32,
      ],
    ],
    [
      'para sending para 32 (2)',
      L(1, [P(2), id32(z32)]),
      [
        183, 188, 66, 169, 82, 250, 45, 30, 142, 119, 184, 55, 177, 64, 53, 114, 12, 147, 128, 10, 60, 45, 41,
        193, 87, 18, 86, 49, 127, 233, 243, 143,
      ],
    ],
    [
      'para sending para 20 (1)',
      L(1, [P(1), key20(z20)]),
      [
        210, 60, 37, 255, 116, 38, 221, 26, 85, 82, 252, 125, 220, 19, 41, 91, 185, 69, 102, 83, 120, 63, 15,
        212, 74, 141, 82, 203, 187, 212, 77, 120,
      ],
    ],
    [
      'para sending para 20 (2)',
      L(1, [P(2), key20(z20)]),
      [
        197, 16, 31, 199, 234, 80, 166, 55, 178, 135, 95, 48, 19, 128, 9, 167, 51, 99, 215, 147, 94, 171, 28,
        157, 29, 107, 240, 22, 10, 104, 99, 186,
      ],
    ],
    [
      'para sending relay',
      L(1, [id32(z32)]),
      [
        227, 12, 152, 241, 220, 53, 26, 27, 1, 167, 167, 214, 61, 161, 255, 96, 56, 16, 221, 59, 47, 45, 40,
        193, 88, 92, 4, 167, 164, 27, 112, 99,
      ],
    ],
    [
      'para sending relay ([1; 32])',
      L(1, [id32(ALICE_ONES)]),
      [
        143, 195, 87, 73, 129, 2, 163, 211, 239, 51, 55, 235, 82, 173, 162, 206, 158, 237, 166, 73, 254, 62,
        131, 6, 170, 241, 209, 116, 105, 69, 29, 226,
      ],
    ],
    [
      'relay sending para 20 (1)',
      L(0, [P(1), key20(z20)]),
      [
        25, 251, 15, 92, 148, 141, 236, 238, 50, 108, 133, 56, 118, 11, 250, 122, 81, 160, 104, 160, 97, 200,
        210, 49, 208, 142, 64, 144, 24, 110, 246, 101,
      ],
    ],
    [
      'relay sending para 20 (2)',
      L(0, [P(2), key20(z20)]),
      [
        88, 157, 224, 235, 76, 88, 201, 143, 206, 227, 14, 192, 177, 245, 75, 62, 41, 10, 107, 182, 61, 57,
        239, 112, 43, 151, 58, 111, 150, 153, 234, 189,
      ],
    ],
    [
      'relay sending para 32 (1)',
      L(0, [P(1), id32(z32)]),
      [
        45, 120, 232, 0, 226, 49, 106, 48, 65, 181, 184, 147, 224, 235, 198, 152, 183, 156, 67, 57, 67, 67,
        187, 104, 171, 23, 140, 21, 183, 152, 63, 20,
      ],
    ],
    [
      'relay sending para 32 (2)',
      L(0, [P(2), id32(z32)]),
      [
        97, 119, 110, 66, 239, 113, 96, 234, 127, 92, 66, 204, 53, 129, 33, 119, 213, 192, 171, 100, 139, 51,
        39, 62, 196, 163, 16, 213, 160, 44, 100, 228,
      ],
    ],
  ])('remote_account_convert_on_%s (ForeignChainAliasAccount)', (_, location, expected) => {
    expect([...legacy(location)!]).toEqual(expected);
  });
  test('remote_account_fails_with_bad_location', () => {
    expect(legacy(L(1, [key20(z20)]))).toBeUndefined();
  });
  test('remote_account_convert_on_para_sending_from_remote_para_treasury (ForeignChainAliasTreasuryAccount)', () => {
    const treasury = (l: Location) => hashedDescription(l, describeFamily(describeTreasuryVoiceTerminal));
    expect([...treasury(L(1, [body('Treasury')]))!]).toEqual([
      18, 84, 93, 74, 187, 212, 254, 71, 192, 127, 112, 51, 3, 42, 54, 24, 220, 185, 161, 67, 205, 154, 108,
      116, 108, 166, 226, 211, 29, 11, 244, 115,
    ]);
    expect([...treasury(L(1, [P(1001), body('Treasury')]))!]).toEqual([
      202, 52, 249, 30, 7, 99, 135, 128, 153, 139, 176, 141, 138, 234, 163, 150, 7, 36, 204, 92, 220, 137, 87,
      57, 73, 91, 243, 189, 245, 200, 217, 204,
    ]);
  });

  const gc = (network: any): Junction => ({ type: 'GlobalConsensus', value: network });
  const byGenesis = (b: number) => ({ type: 'ByGenesis', value: new Uint8Array(32).fill(b) });
  test('global_consensus_converts_for_works', () => {
    const u1 = [gc(byGenesis(1)), P(1234)];
    const u2 = [gc(byGenesis(2)), P(1234)];
    const n1 = byGenesis(1);
    const n2 = byGenesis(2);
    const table: Array<[Location, boolean]> = [
      [L(1, []), false],
      [L(0, []), false],
      [L(0, [gc(n1)]), false],
      [L(1, [gc(n1)]), false],
      [L(2, [gc(n1)]), false],
      [L(0, [gc(n2)]), false],
      [L(1, [gc(n2)]), false],
      [L(2, [gc(n2)]), true],
      [L(0, [gc(n2), P(1000)]), false],
      [L(1, [gc(n2), P(1000)]), false],
      [L(2, [gc(n2), P(1000)]), false],
    ];
    for (const [location, ok] of table)
      expect(
        globalConsensusConvertsFor(u1, location) !== undefined,
        JSON.stringify(location, (_, v) => (typeof v === 'bigint' ? String(v) : v)),
      ).toBe(ok);
    const a3 = globalConsensusConvertsFor(u1, L(2, [gc(byGenesis(3))]))!;
    const a4 = globalConsensusConvertsFor(u1, L(2, [gc(byGenesis(4))]))!;
    expect(hex(a3)).not.toBe(hex(a4));
    expect(globalConsensusConvertsFor(u2, L(2, [gc(byGenesis(3))]))).toEqual(a3);
  });
  test('global_consensus_parachain_converts_for_works', () => {
    const u = [gc(byGenesis(9)), P(1234)];
    const n0 = byGenesis(0);
    const table: Array<[Location, boolean]> = [
      [L(1, []), false],
      [L(0, [P(1000)]), false],
      [L(1, [P(1000)]), false],
      [L(2, [gc(n0), P(1000), id32(ALICE_ONES)]), false],
      [L(2, [gc(n0)]), false],
      [L(0, [gc(n0), P(1000)]), false],
      [L(1, [gc(n0), P(1000)]), false],
      [L(2, [gc(n0), P(1000)]), true],
      [L(3, [gc(n0), P(1000)]), false],
      [L(9, [gc(n0), P(1000)]), false],
    ];
    for (const [location, ok] of table)
      expect(globalConsensusParachainConvertsFor(u, location) !== undefined).toBe(ok);
    const a = (b: number, p: number) =>
      hex(globalConsensusParachainConvertsFor(u, L(2, [gc(byGenesis(b)), P(p)]))!);
    expect(new Set([a(3, 1000), a(3, 1001), a(4, 1000), a(4, 1001)]).size).toBe(4);
  });
});
