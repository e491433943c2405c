/**
 * The few pieces of the protocol buffers wire format (proto3) the block request protocol needs: varints,
 * length-delimited fields, and skipping fields this node does not know (as proto3 decoders do). The reader is for
 * untrusted bytes: truncated varints, varints longer than 10 bytes, lengths past the end, and group wire types are
 * errors (`NetworkMessageError`), never a crash or an out-of-range read.
 */
import { NetworkMessageError } from './errors.ts';

export const WireType = { Varint: 0, Fixed64: 1, LengthDelimited: 2, Fixed32: 5 } as const;

export class ProtoWriter {
  #chunks: Uint8Array[] = [];
  #length = 0;

  #push(b: Uint8Array): void {
    this.#chunks.push(b);
    this.#length += b.length;
  }

  varint(value: number): this {
    if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`varint out of range: ${value}`);
    const out: number[] = [];
    let v = value;
    while (v >= 0x80) {
      out.push((v % 0x80) | 0x80);
      v = Math.floor(v / 0x80);
    }
    out.push(v);
    this.#push(Uint8Array.from(out));
    return this;
  }

  #tag(field: number, wire: number): void {
    this.varint(field * 8 + wire);
  }

  /** A varint field; proto3 leaves out zero (the default). */
  uint(field: number, value: number): this {
    if (value === 0) return this;
    this.#tag(field, WireType.Varint);
    return this.varint(value);
  }

  bool(field: number, value: boolean): this {
    return this.uint(field, value ? 1 : 0);
  }

  /** A bytes field; `always` writes it even when empty (a member of a `oneof` or a repeated item). */
  bytes(field: number, value: Uint8Array, always = false): this {
    if (value.length === 0 && !always) return this;
    this.#tag(field, WireType.LengthDelimited);
    this.varint(value.length);
    this.#push(value);
    return this;
  }

  finish(): Uint8Array {
    const out = new Uint8Array(this.#length);
    let o = 0;
    for (const c of this.#chunks) {
      out.set(c, o);
      o += c.length;
    }
    return out;
  }
}

export interface ProtoField {
  field: number;
  wire: number;
  /** Varint fields: the value (at most 2^53 - 1; larger ones are refused). */
  int: number;
  /** Length-delimited fields: the bytes (a view into the input). */
  bytes: Uint8Array;
}

/** Reads the fields of one message in order; `what` names it in errors. */
export function* readFields(input: Uint8Array, what: string): Generator<ProtoField> {
  let o = 0;
  const varint = (): number => {
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      if (o >= input.length) throw new NetworkMessageError(what, 'truncated varint');
      const b = input[o++];
      result += (b & 0x7f) * scale;
      if ((b & 0x80) === 0) {
        if (!Number.isSafeInteger(result)) throw new NetworkMessageError(what, 'varint above 2^53');
        return result;
      }
      scale *= 0x80;
    }
    throw new NetworkMessageError(what, 'varint longer than 10 bytes');
  };
  while (o < input.length) {
    const key = varint();
    const field = Math.floor(key / 8);
    const wire = key % 8;
    if (field === 0) throw new NetworkMessageError(what, 'field number 0');
    if (wire === WireType.Varint) {
      yield { field, wire, int: varint(), bytes: EMPTY };
    } else if (wire === WireType.LengthDelimited) {
      const len = varint();
      if (len > input.length - o) throw new NetworkMessageError(what, `field ${field} runs past the end`);
      yield { field, wire, int: 0, bytes: input.subarray(o, o + len) };
      o += len;
    } else if (wire === WireType.Fixed64 || wire === WireType.Fixed32) {
      const len = wire === WireType.Fixed64 ? 8 : 4;
      if (len > input.length - o) throw new NetworkMessageError(what, `field ${field} runs past the end`);
      o += len;
      yield { field, wire, int: 0, bytes: EMPTY };
    } else {
      throw new NetworkMessageError(what, `unsupported wire type ${wire} (field ${field})`);
    }
  }
}

const EMPTY = new Uint8Array(0);
