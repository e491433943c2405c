/**
 * polkadot-sdk's decode limits. Instruction count: `utils::decode_xcm_instructions` (one shared u8 counter for a
 * message and all its nested `Xcm`s, `count.saturating_add(len as u8)`, more than 100 refused). Depth:
 * parity-scale-codec's `decode_with_depth_limit` counts a level per `Vec`/`BoundedVec` of non-primitive items
 * (`decode_vec_from_items` calls `descend_ref` even for an empty one) and per `Arc` (`Box::decode_wrapped`): the V4/V5
 * `Junctions::Xn(Arc<[Junction; n]>)`. xcmp-queue decodes with `MAX_XCM_DECODE_DEPTH` = 8.
 */
import { describe, expect, test } from 'vitest';
import { ScaleDecodeError } from '../../src/scale/index.ts';
import {
  AssetsCodec,
  MAX_INSTRUCTIONS_TO_DECODE,
  MAX_ITEMS_IN_ASSETS,
  MAX_XCM_DECODE_DEPTH,
  VersionedXcmCodec,
  type Xcm,
  XcmCodec,
  decodeAllWithDepthLimit,
  decodeVersionedXcm,
  v3,
  v4,
  validateXcmNesting,
} from '../../src/xcm/index.ts';
import { decodeStateAtRest } from '../../src/xcm/limits.ts';
import { encodeCompact } from '../../src/scale/index.ts';

const clear = (n: number): Xcm => Array.from({ length: n }, () => ({ type: 'ClearOrigin' as const }));
/** `n` instructions, hand-encoded (the encoder has no limit; this is about the decoder). */
const rawClears = (n: number) => Uint8Array.from([...encodeCompact(n), ...new Array(n).fill(0x0a)]);

describe('instruction count', () => {
  test.each([3, 4, 5] as const)('V%i: 100 decode, 101 do not', (v) => {
    const codec = ({ 3: v3.XcmCodec, 4: v4.XcmCodec, 5: XcmCodec } as const)[v];
    expect(codec.decode(rawClears(100))).toHaveLength(100);
    expect(() => codec.decode(rawClears(101))).toThrow(ScaleDecodeError);
    expect(() => codec.decode(rawClears(101))).toThrow(/Max instructions exceeded/);
    expect(decodeStateAtRest()).toBe(true);
  });

  test('nested instructions count against the same limit as the outer ones', () => {
    const inner = (n: number) => ({ type: 'SetAppendix' as const, value: clear(n) });
    expect(XcmCodec.decode(XcmCodec.encode([inner(98), { type: 'ClearOrigin' }]))).toHaveLength(2); // 2 + 98
    expect(() => XcmCodec.decode(XcmCodec.encode([inner(98), ...clear(2)]))).toThrow(/Max instructions/); // 3 + 98
    // Two siblings: 1 + 50 + 1 + 49 = 101.
    expect(() => XcmCodec.decode(XcmCodec.encode([inner(50), inner(49)]))).toThrow(/Max instructions/);
    expect(XcmCodec.decode(XcmCodec.encode([inner(50), inner(48)]))).toHaveLength(2);
  });

  test('a new message starts a new count (two messages decoded one after the other)', () => {
    const bytes = XcmCodec.encode(clear(100));
    for (let i = 0; i < 3; i++) expect(XcmCodec.decode(bytes)).toHaveLength(100);
  });

  test("the u8 counter: a length of 256 adds 0 and one of 357 adds 101, exactly as polkadot-sdk's `len as u8`", () => {
    // Rust accepts these messages; a receiver that refused them would disagree with every other chain. The executor's
    // MaxInstructions (100) still refuses to run them.
    expect(XcmCodec.decode(rawClears(256))).toHaveLength(256);
    expect(XcmCodec.decode(rawClears(300))).toHaveLength(300); // 300 as u8 = 44
    expect(XcmCodec.decode(rawClears(356))).toHaveLength(356); // 100
    expect(() => XcmCodec.decode(rawClears(357))).toThrow(/Max instructions/); // 101
    expect(() => XcmCodec.decode(rawClears(255))).toThrow(/Max instructions/);
  });

  test(`MAX_INSTRUCTIONS_TO_DECODE is ${MAX_INSTRUCTIONS_TO_DECODE}`, () => {
    expect(MAX_INSTRUCTIONS_TO_DECODE).toBe(100);
    expect(MAX_XCM_DECODE_DEPTH).toBe(8);
  });
});

describe('nesting depth (decode_with_depth_limit)', () => {
  /** `levels` nested `Xcm`s: SetAppendix(SetAppendix(… [ClearOrigin] …)). */
  function nested(levels: number): Xcm {
    let x: Xcm = clear(1);
    for (let i = 1; i < levels; i++) x = [{ type: 'SetAppendix', value: x }];
    return x;
  }
  test('8 levels of Xcm decode with the limit, 9 do not; without the limit both do', () => {
    const ok = VersionedXcmCodec.encode({ type: 'V5', value: nested(8) });
    const deep = VersionedXcmCodec.encode({ type: 'V5', value: nested(9) });
    expect(decodeVersionedXcm(ok).value).toHaveLength(1);
    expect(() => decodeVersionedXcm(deep)).toThrow(ScaleDecodeError);
    expect(() => decodeVersionedXcm(deep)).toThrow(/depth limit 8/);
    expect(VersionedXcmCodec.decode(deep).value).toHaveLength(1);
    expect(validateXcmNesting({ type: 'V5', value: nested(8) })).toBe(true);
    expect(validateXcmNesting({ type: 'V5', value: nested(9) })).toBe(false);
    expect(decodeStateAtRest()).toBe(true);
  });

  test('an empty nested Xcm is a level too (descend_ref before the first item)', () => {
    let x: Xcm = [];
    for (let i = 1; i < 9; i++) x = [{ type: 'SetAppendix', value: x }];
    expect(() => decodeVersionedXcm(VersionedXcmCodec.encode({ type: 'V5', value: x }))).toThrow(
      /depth limit/,
    );
  });

  test('Assets are a level, and a V4/V5 location with junctions (an Arc) one more; V3 junctions are not', () => {
    const asset = (interior: any[]) => ({
      id: { parents: 1, interior },
      fun: { type: 'Fungible' as const, value: 1n },
    });
    const withdraw = (interior: any[]): Xcm => [{ type: 'WithdrawAsset', value: [asset(interior)] }];
    const at = (levels: number, inner: Xcm) => {
      let x = inner;
      for (let i = 1; i < levels; i++) x = [{ type: 'SetAppendix', value: x }];
      return { type: 'V5' as const, value: x };
    };
    const para = [{ type: 'Parachain' as const, value: 1000 }];
    // Xcm levels + Assets (1) + Arc (1).
    expect(validateXcmNesting(at(6, withdraw(para)))).toBe(true); // 6 + 1 + 1 = 8
    expect(validateXcmNesting(at(7, withdraw(para)))).toBe(false); // 9
    expect(validateXcmNesting(at(7, withdraw([])))).toBe(true); // Here: no Arc, 8
    expect(validateXcmNesting(at(8, withdraw([])))).toBe(false);
    // The same in V3: tuple junctions, no Arc.
    const v3Withdraw = (levels: number) => {
      let x: any[] = [
        {
          type: 'WithdrawAsset',
          value: [
            {
              id: { type: 'Concrete', value: { parents: 1, interior: para } },
              fun: { type: 'Fungible', value: 1n },
            },
          ],
        },
      ];
      for (let i = 1; i < levels; i++) x = [{ type: 'SetAppendix', value: x }];
      return { type: 'V3' as const, value: x };
    };
    expect(validateXcmNesting(v3Withdraw(7))).toBe(true);
    expect(validateXcmNesting(v3Withdraw(8))).toBe(false);
  });

  test('any codec can be decoded under a depth limit', () => {
    const bytes = AssetsCodec.encode([
      {
        id: { parents: 0, interior: [{ type: 'Parachain', value: 1 }] },
        fun: { type: 'Fungible', value: 1n },
      },
    ]);
    expect(decodeAllWithDepthLimit(AssetsCodec, bytes, 2)).toHaveLength(1);
    expect(() => decodeAllWithDepthLimit(AssetsCodec, bytes, 1)).toThrow(/depth limit 1/);
  });

  test('thousands of levels (the u8 counter lets 256-instruction levels through) end in a typed error, never a crash', () => {
    // Each level: 256 instructions = SetAppendix(next level) + 255 × ClearOrigin; 256 adds 0 to the counter.
    const levels = 5000;
    const head = Uint8Array.from([...encodeCompact(256), 0x16]);
    const tail = new Uint8Array(255).fill(0x0a);
    const bytes = new Uint8Array(1 + levels * (head.length + tail.length) + 1);
    bytes[0] = 0x05;
    let o = 1;
    for (let i = 0; i < levels; i++) {
      bytes.set(head, o);
      o += head.length;
    }
    bytes[o++] = 0x00; // innermost: an empty Xcm
    for (let i = 0; i < levels; i++) {
      bytes.set(tail, o);
      o += tail.length;
    }
    expect(() => decodeVersionedXcm(bytes)).toThrow(/depth limit 8/);
    let outcome: unknown;
    try {
      outcome = VersionedXcmCodec.decode(bytes);
    } catch (err) {
      outcome = err;
    }
    // Without a depth limit Rust would recurse too; here it either decodes or stops with a ScaleDecodeError.
    if (outcome instanceof Error) expect(outcome).toBeInstanceOf(ScaleDecodeError);
    else expect((outcome as { value: unknown[] }).value).toHaveLength(256);
    expect(decodeStateAtRest()).toBe(true);
  });
});

describe('bounded collections', () => {
  const fungible = (i: number) => ({
    id: { parents: 0, interior: [{ type: 'GeneralIndex' as const, value: BigInt(i) }] },
    fun: { type: 'Fungible' as const, value: 1n },
  });
  test(`Assets: ${MAX_ITEMS_IN_ASSETS} decode, ${MAX_ITEMS_IN_ASSETS + 1} do not (v5 asset.rs decoding_respects_limit)`, () => {
    const twenty = Array.from({ length: 20 }, (_, i) => fungible(i));
    expect(AssetsCodec.decode(AssetsCodec.encode(twenty))).toHaveLength(20);
    const bytes = AssetsCodec.encode([...twenty, fungible(20)]);
    expect(() => AssetsCodec.decode(bytes)).toThrow(/BoundedVec exceeds its limit/);
    expect(() => v3.MultiAssetsCodec.decode(bytes)).toThrow(ScaleDecodeError);
  });

  test('PalletInfo names above 48 bytes, MaybeErrorCode above 128, two hints, seven transfer filters: refused both ways', () => {
    const info = {
      index: 0,
      name: new Uint8Array(49),
      module_name: new Uint8Array(),
      major: 0,
      minor: 0,
      patch: 0,
    };
    expect(() => v4.PalletInfoCodec.encode(info)).toThrow(/bound 48/);
    const ok = v4.PalletInfoCodec.encode({ ...info, name: new Uint8Array(48) });
    const tooLong = Uint8Array.from([ok[0], ...encodeCompact(49), ...new Uint8Array(49), ...ok.slice(50)]);
    expect(() => v4.PalletInfoCodec.decode(tooLong)).toThrow(/BoundedVec exceeds its limit/);
    const hint = { type: 'AssetClaimer' as const, value: { location: { parents: 0, interior: [] } } };
    const setHints = (n: number) =>
      XcmCodec.encode([{ type: 'SetHints', value: { hints: new Array(n).fill(hint) } }]).slice();
    expect(XcmCodec.decode(setHints(1))).toHaveLength(1);
    expect(() => setHints(2)).toThrow(/bound 1/);
    const code = (n: number) =>
      Uint8Array.from([0x04, 0x20, 0x01, ...encodeCompact(n), ...new Uint8Array(n)]);
    expect(XcmCodec.decode(code(128))).toHaveLength(1); // ExpectTransactStatus(Error(128 bytes))
    expect(() => XcmCodec.decode(code(129))).toThrow(/BoundedVec exceeds its limit/);
    // InitiateTransfer { destination: Here, remote_fees: None, preserve_origin: false, assets: n × Teleport(Wild(All)), remote_xcm: [] }
    const transfer = (n: number) =>
      Uint8Array.from([
        0x04,
        0x31,
        0x00,
        0x00,
        0x00,
        0x00,
        ...encodeCompact(n),
        ...new Array(n).fill([0x00, 0x01, 0x00]).flat(),
        0x00,
      ]);
    const decoded = XcmCodec.decode(transfer(6));
    expect(decoded[0].type).toBe('InitiateTransfer');
    expect(() => XcmCodec.decode(transfer(7))).toThrow(/BoundedVec exceeds its limit/);
    expect(() =>
      XcmCodec.encode([
        {
          ...decoded[0],
          value: {
            ...(decoded[0].value as any),
            assets: new Array(7).fill((decoded[0].value as any).assets[0]),
          },
        } as any,
      ]),
    ).toThrow(/bound 6/);
  });
});
