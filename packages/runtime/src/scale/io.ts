/** Byte cursor and growable buffer shared by every codec. Hot path: keep them monomorphic and allocation-free. */
import { ScaleDecodeError } from './errors.ts';

export class Reader {
  offset = 0;
  /** Nesting depth of recursive types (see `lazy`), to stop stack exhaustion on hostile input. */
  depth = 0;
  readonly bytes: Uint8Array;
  constructor(bytes: Uint8Array) {
    if (!(bytes instanceof Uint8Array)) throw new ScaleDecodeError('input is not a Uint8Array', 0);
    // A Node Buffer's `slice` is a view, not a copy: read through a plain Uint8Array view so decoded byte strings
    // are independent copies of type Uint8Array whatever the caller passed (LevelDB and sockets hand out Buffers).
    this.bytes =
      bytes.constructor === Uint8Array
        ? bytes
        : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get remaining(): number {
    return this.bytes.length - this.offset;
  }

  need(n: number, what: string): void {
    if (this.offset + n > this.bytes.length) {
      throw new ScaleDecodeError(`${what}: needs ${n} bytes, ${this.remaining} left`, this.offset);
    }
  }

  byte(what = 'u8'): number {
    if (this.offset >= this.bytes.length)
      throw new ScaleDecodeError(`${what}: unexpected end of input`, this.offset);
    return this.bytes[this.offset++];
  }

  take(n: number, what = 'bytes'): Uint8Array {
    this.need(n, what);
    const out = this.bytes.subarray(this.offset, this.offset + n);
    this.offset += n;
    return out;
  }

  fail(message: string): never {
    throw new ScaleDecodeError(message, this.offset);
  }
}

export class Writer {
  buf: Uint8Array;
  length = 0;
  constructor(initial = 256) {
    this.buf = new Uint8Array(initial);
  }

  reserve(n: number): void {
    const need = this.length + n;
    if (need <= this.buf.length) return;
    let size = Math.max(this.buf.length * 2, 64); // `new Writer(0)` must grow too
    while (size < need) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
  }

  byte(b: number): void {
    if (this.length >= this.buf.length) this.reserve(1);
    this.buf[this.length++] = b;
  }

  bytes(b: Uint8Array): void {
    const n = b.length;
    if (this.length + n > this.buf.length) this.reserve(n);
    // A loop beats TypedArray#set only for a few bytes (measured: set wins from 32 bytes on).
    if (n <= 8) {
      const buf = this.buf;
      const o = this.length;
      for (let i = 0; i < n; i++) buf[o + i] = b[i];
    } else this.buf.set(b, this.length);
    this.length += n;
  }

  /** A copy of what was written (safe to keep after the writer is reused). */
  finish(): Uint8Array {
    return this.buf.slice(0, this.length);
  }
}
