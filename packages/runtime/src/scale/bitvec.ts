/**
 * `bitvec::vec::BitVec<Store, Order>` as `boolean[]` (parity-scale-codec src/bit_vec.rs): Compact<u32> bit count,
 * then ceil(bits / store bits) store elements, little-endian, bit i of the sequence at position i % store bits of
 * its element counted from the least (Lsb0) or most (Msb0) significant bit. Polkadot's availability bitfields are
 * `BitVec<u8, Lsb0>`, the default here. Decoding ignores padding bits, as Rust truncates them.
 */
import { Codec } from './codec.ts';
import { compactEnd, readCompactValue } from './compact.ts';
import { struct } from './composite.ts';
import { ScaleEncodeError } from './errors.ts';
import { u16, u32, u64, u8, writeLength } from './primitives.ts';

export type BitStore = 'u8' | 'u16' | 'u32' | 'u64';
export type BitOrder = 'Lsb0' | 'Msb0';

/** scale-info's `bitvec::order::{Lsb0, Msb0}`: unit composites under their Rust paths. */
const orderTypes = {
  Lsb0: struct({}).named(['bitvec', 'order', 'Lsb0']),
  Msb0: struct({}).named(['bitvec', 'order', 'Msb0']),
};
const storeTypes = { u8, u16, u32, u64 };
const storeSizes = { u8: 1, u16: 2, u32: 4, u64: 8 };

/** parity-scale-codec refuses more bits than a 32-bit machine can address (`ARCH32BIT_BITSLICE_MAX_BITS`). */
const MAX_BITS = 0x1fff_ffff;

export function bitvec(store: BitStore = 'u8', order: BitOrder = 'Lsb0'): Codec<boolean[]> {
  const storeBytes = storeSizes[store];
  const storeBits = storeBytes * 8;
  const msb = order === 'Msb0';
  /** Byte offset (within the element bytes) and bit of sequence bit i. */
  const byteOf = (i: number) => {
    const p = i % storeBits;
    const valueBit = msb ? storeBits - 1 - p : p;
    return (i - p) / 8 + (valueBit >> 3);
  };
  const bitOf = (i: number) => {
    const p = i % storeBits;
    return (msb ? storeBits - 1 - p : p) & 7;
  };
  return new Codec<boolean[]>(
    (w, bits) => {
      if (!Array.isArray(bits)) throw new ScaleEncodeError(`BitVec: expected boolean[], got ${typeof bits}`);
      if (bits.length > MAX_BITS)
        throw new ScaleEncodeError(`BitVec: ${bits.length} bits exceed ${MAX_BITS}`);
      writeLength(w, bits.length);
      const n = Math.ceil(bits.length / storeBits) * storeBytes;
      w.reserve(n);
      const o = w.length;
      w.buf.fill(0, o, o + n);
      for (let i = 0; i < bits.length; i++) {
        const b = bits[i];
        if (b === true) w.buf[o + byteOf(i)] |= 1 << bitOf(i);
        else if (b !== false) throw new ScaleEncodeError(`BitVec: item ${i} is not a boolean`);
      }
      w.length = o + n;
    },
    (r) => {
      const start = r.offset;
      const count = readCompactValue(r.bytes, start);
      if (typeof count !== 'number' || count > MAX_BITS)
        return r.fail(`BitVec: ${count} bits exceed ${MAX_BITS}`);
      const n = Math.ceil(count / storeBits) * storeBytes;
      const o = compactEnd.offset;
      if (o + n > r.bytes.length) {
        r.offset = start;
        return r.fail(`BitVec: ${count} bits need ${n} bytes, ${r.bytes.length - o} left`);
      }
      const out = new Array<boolean>(count);
      const b = r.bytes;
      for (let i = 0; i < count; i++) out[i] = ((b[o + byteOf(i)] >> bitOf(i)) & 1) === 1;
      r.offset = o + n;
      return out;
    },
    {
      path: [],
      params: [],
      def: { kind: 'bitSequence', store: storeTypes[store], order: orderTypes[order] },
      docs: [],
    },
    1,
  );
}
