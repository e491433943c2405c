/**
 * The database's own value encodings (not SCALE: these bytes never leave the node). Little-endian u32 lengths.
 */
import { DbDecodeError } from './errors.ts';

export type StorageChange = readonly [key: Uint8Array, value: Uint8Array | null];

class Writer {
  #chunks: Buffer[] = [];
  u32(n: number): this {
    const b = Buffer.allocUnsafe(4);
    b.writeUInt32LE(n);
    this.#chunks.push(b);
    return this;
  }
  u8(n: number): this {
    this.#chunks.push(Buffer.from([n]));
    return this;
  }
  bytes(b: Uint8Array): this {
    this.u32(b.length);
    this.#chunks.push(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
    return this;
  }
  raw(b: Uint8Array): this {
    this.#chunks.push(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
    return this;
  }
  done(): Buffer {
    return Buffer.concat(this.#chunks);
  }
}

class Reader {
  #o = 0;
  constructor(
    private readonly b: Buffer,
    private readonly what: string,
  ) {}
  #need(n: number): void {
    if (this.#o + n > this.b.length) throw new DbDecodeError(`truncated ${this.what}`);
  }
  u32(): number {
    this.#need(4);
    const v = this.b.readUInt32LE(this.#o);
    this.#o += 4;
    return v;
  }
  u8(): number {
    this.#need(1);
    return this.b[this.#o++];
  }
  raw(n: number): Uint8Array {
    this.#need(n);
    const v = new Uint8Array(this.b.subarray(this.#o, this.#o + n));
    this.#o += n;
    return v;
  }
  bytes(): Uint8Array {
    return this.raw(this.u32());
  }
  end(): void {
    if (this.#o !== this.b.length) throw new DbDecodeError(`trailing bytes in ${this.what}`);
  }
}

export function encodeByteList(items: readonly Uint8Array[]): Buffer {
  const w = new Writer().u32(items.length);
  for (const i of items) w.bytes(i);
  return w.done();
}

export function decodeByteList(b: Buffer, what = 'byte list'): Uint8Array[] {
  const r = new Reader(b, what);
  const n = r.u32();
  const out: Uint8Array[] = [];
  for (let i = 0; i < n; i++) out.push(r.bytes());
  r.end();
  return out;
}

export function encodeChanges(changes: readonly StorageChange[]): Buffer {
  const w = new Writer().u32(changes.length);
  for (const [k, v] of changes) {
    w.bytes(k);
    if (v === null) w.u8(0);
    else w.u8(1).bytes(v);
  }
  return w.done();
}

export function decodeChanges(b: Buffer): StorageChange[] {
  const r = new Reader(b, 'storage changes');
  const n = r.u32();
  const out: StorageChange[] = [];
  for (let i = 0; i < n; i++) {
    const k = r.bytes();
    const tag = r.u8();
    if (tag > 1) throw new DbDecodeError('bad option tag in storage changes');
    out.push([k, tag === 1 ? r.bytes() : null]);
  }
  r.end();
  return out;
}

export interface BlockMeta {
  number: number;
  parentHash: Uint8Array;
  stateRoot: Uint8Array;
}

export function encodeBlockMeta(m: BlockMeta): Buffer {
  return new Writer().u32(m.number).bytes(m.parentHash).bytes(m.stateRoot).done();
}

export function decodeBlockMeta(b: Buffer): BlockMeta {
  const r = new Reader(b, 'block meta');
  const m = { number: r.u32(), parentHash: r.bytes(), stateRoot: r.bytes() };
  r.end();
  return m;
}

export interface StateJournal {
  inserted: Uint8Array[];
  removed: Uint8Array[];
}

export function encodeJournal(j: StateJournal): Buffer {
  return Buffer.concat([encodeByteList(j.inserted), encodeByteList(j.removed)]);
}

export function decodeJournal(b: Buffer): StateJournal {
  const r = new Reader(b, 'state journal');
  const read = () => {
    const n = r.u32();
    const out: Uint8Array[] = [];
    for (let i = 0; i < n; i++) out.push(r.bytes());
    return out;
  };
  const j = { inserted: read(), removed: read() };
  r.end();
  return j;
}
