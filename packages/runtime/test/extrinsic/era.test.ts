/** Era vectors from sp_runtime `generic/era.rs` tests and polkadot-js `GenericExtrinsicEra`. */
import { TypeRegistry } from '@polkadot/types';
import { describe, expect, it } from 'vitest';
import { EraCodec, eraBirth, eraDeath, IMMORTAL, mortalEra } from '../../src/extrinsic/era.ts';
import { ScaleDecodeError } from '../../src/scale/index.ts';

describe('Era', () => {
  it('immortal encodes as 0x00 and never dies (era.rs immortal_works)', () => {
    expect([...EraCodec.encode(IMMORTAL)]).toEqual([0]);
    expect(EraCodec.decode(new Uint8Array([0]))).toEqual(IMMORTAL);
    expect(eraBirth(IMMORTAL, 1)).toBe(0);
    expect(eraDeath(IMMORTAL, 1)).toBe((1n << 64n) - 1n);
  });

  it('Era::mortal(64, 42) encodes as [5 + 42 % 16 * 16, 42 / 16] (era.rs mortal_codec_works)', () => {
    const e = mortalEra(64, 42);
    expect(e).toEqual({ kind: 'mortal', period: 64, phase: 42 });
    expect([...EraCodec.encode(e)]).toEqual([5 + (42 % 16) * 16, Math.floor(42 / 16)]);
    expect(EraCodec.decode(EraCodec.encode(e))).toEqual(e);
  });

  it('Era::mortal(32768, 20000) quantizes the phase (era.rs long_period_mortal_codec_works)', () => {
    const e = mortalEra(32768, 20000);
    expect(e).toEqual({ kind: 'mortal', period: 32768, phase: 20000 });
    expect([...EraCodec.encode(e)]).toEqual([14 + (2500 % 16) * 16, Math.floor(2500 / 16)]);
    expect(EraCodec.decode(EraCodec.encode(e))).toEqual(e);
  });

  it('rounds and clamps periods (era.rs era_initialization_works, quantized_clamped_...)', () => {
    expect(mortalEra(200, 513)).toEqual({ kind: 'mortal', period: 256, phase: 1 });
    expect(mortalEra(2, 1)).toEqual({ kind: 'mortal', period: 4, phase: 1 });
    expect(mortalEra(4, 5)).toEqual({ kind: 'mortal', period: 4, phase: 1 });
    expect(mortalEra(1000000, 1000001)).toEqual({
      kind: 'mortal',
      period: 65536,
      phase: Math.floor((1000001 % 65536) / 4) * 4,
    });
  });

  it('birth and death (era.rs mortal_birth_death_works, current_less_than_phase)', () => {
    const e = mortalEra(4, 6);
    for (let i = 6; i < 10; i++) {
      expect(eraBirth(e, i)).toBe(6);
      expect(eraDeath(e, i)).toBe(10n);
    }
    expect(eraBirth(e, 10)).not.toBe(6);
    expect(eraBirth(e, 5)).not.toBe(6);
    expect(() => eraBirth(mortalEra(4, 3), 1)).not.toThrow();
  });

  it('matches polkadot-js ExtrinsicEra for many (period, current) pairs', () => {
    const registry = new TypeRegistry();
    for (const period of [4, 16, 64, 100, 256, 2048, 4096, 8192, 65536]) {
      for (const current of [0, 1, 63, 1000, 123_456, 9_999_999]) {
        const theirs = registry.createType('ExtrinsicEra', { current, period }).toU8a();
        const ours = EraCodec.encode(mortalEra(period, current));
        expect([...ours]).toEqual([...theirs]);
      }
    }
  });

  it('rejects invalid mortal encodings', () => {
    // low nibble 0 → period 2 < 4
    expect(() => EraCodec.decode(new Uint8Array([0x10, 0x00]))).toThrow(ScaleDecodeError);
    // period 4 (nibble 1) with phase 5 >= period
    expect(() => EraCodec.decode(new Uint8Array([0x51, 0x00]))).toThrow(ScaleDecodeError);
    expect(() => EraCodec.decode(new Uint8Array([0x05]))).toThrow(ScaleDecodeError);
  });
});
