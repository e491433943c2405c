/**
 * `sp_runtime::generic::Era`: the lifetime of a transaction. Immortal is one byte 0x00; mortal is a little-endian
 * u16 whose low 4 bits are log2(period) - 1 (clamped to 1..15) and whose upper 12 bits are the phase divided by the
 * quantize factor (period >> 12, at least 1). Encode/decode/birth/death follow sp_runtime `generic/era.rs`.
 */
import { Codec, type Reader, type Writer, U64_MAX, u8 } from '../scale/index.ts';
import type { VariantInfo } from '../scale/index.ts';

export type Era = { kind: 'immortal' } | { kind: 'mortal'; period: number; phase: number };

export const IMMORTAL: Era = { kind: 'immortal' };

/** `Era::mortal(period, current)`: period rounded up to a power of two in 4..65536, phase quantized. */
export function mortalEra(period: number, current: number): Era {
  let p = period <= 1 ? 1 : 2 ** Math.ceil(Math.log2(period));
  // checked_next_power_of_two overflows only above 2^63; anything that large clamps to 65536 anyway.
  p = Math.min(Math.max(p, 4), 1 << 16);
  const phase = current % p;
  const quantize = Math.max(p >> 12, 1);
  return { kind: 'mortal', period: p, phase: Math.floor(phase / quantize) * quantize };
}

/** First block of the era that `current` belongs to (0 for immortal). */
export function eraBirth(era: Era, current: number): number {
  if (era.kind === 'immortal') return 0;
  const { period, phase } = era;
  return Math.floor((Math.max(current, phase) - phase) / period) * period + phase;
}

/** First block at which the era has ended (u64::MAX for immortal). */
export function eraDeath(era: Era, current: number): bigint {
  if (era.kind === 'immortal') return U64_MAX;
  return BigInt(eraBirth(era, current) + era.period);
}

function trailingZeros(n: number): number {
  let z = 0;
  while (n > 1 && (n & 1) === 0) {
    n >>>= 1;
    z++;
  }
  return z;
}

function writeEra(w: Writer, era: Era): void {
  if (era.kind === 'immortal') {
    w.byte(0);
    return;
  }
  const quantize = Math.max(era.period >> 12, 1);
  const low = Math.min(Math.max(trailingZeros(era.period) - 1, 1), 15);
  const encoded = (low | (Math.floor(era.phase / quantize) << 4)) & 0xffff;
  w.byte(encoded & 0xff);
  w.byte(encoded >>> 8);
}

function readEra(r: Reader): Era {
  const first = r.byte('Era');
  if (first === 0) return IMMORTAL;
  const encoded = first + (r.byte('Era') << 8);
  const period = 2 << (encoded % 16);
  const quantize = Math.max(period >> 12, 1);
  const phase = (encoded >> 4) * quantize;
  if (period >= 4 && phase < period) return { kind: 'mortal', period, phase };
  return r.fail('Era: invalid period and phase');
}

// scale-info describes the two-byte mortal form as 255 variants `MortalN(u8)`, N being the first byte.
const eraVariants = (): VariantInfo[] => {
  const variants: VariantInfo[] = [{ name: 'Immortal', index: 0, fields: [] }];
  for (let i = 1; i <= 255; i++) variants.push({ name: `Mortal${i}`, index: i, fields: [{ type: u8 }] });
  return variants;
};

export const EraCodec = new Codec<Era>(
  writeEra,
  readEra,
  () => ({
    path: ['sp_runtime', 'generic', 'era', 'Era'],
    params: [],
    def: { kind: 'variant', variants: eraVariants() },
    docs: [],
  }),
  1,
);
