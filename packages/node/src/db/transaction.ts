/**
 * One atomic write: an overlay of puts/deletes that reads see before they are committed, flushed as a single
 * LevelDB batch. Everything one block changes goes through one of these, so a crash leaves either all of it or
 * none of it on disk.
 */
import type { ClassicLevel } from 'classic-level';

export type Level = ClassicLevel<Buffer, Buffer>;

export class DbTransaction {
  readonly #overlay = new Map<string, Buffer | null>();
  #committed = false;

  constructor(private readonly db: Level) {}

  get size(): number {
    return this.#overlay.size;
  }

  async get(k: Buffer): Promise<Buffer | undefined> {
    const o = this.#overlay.get(k.toString('latin1'));
    if (o !== undefined) return o ?? undefined;
    return this.db.get(k);
  }

  async getMany(keys: Buffer[]): Promise<(Buffer | undefined)[]> {
    const out: (Buffer | undefined)[] = new Array(keys.length);
    const missing: number[] = [];
    keys.forEach((k, i) => {
      const o = this.#overlay.get(k.toString('latin1'));
      if (o === undefined) missing.push(i);
      else out[i] = o ?? undefined;
    });
    if (missing.length > 0) {
      const got = await this.db.getMany(missing.map((i) => keys[i]));
      missing.forEach((i, j) => {
        out[i] = got[j];
      });
    }
    return out;
  }

  put(k: Buffer, v: Uint8Array): void {
    this.#overlay.set(
      k.toString('latin1'),
      Buffer.isBuffer(v) ? v : Buffer.from(v.buffer, v.byteOffset, v.byteLength),
    );
  }

  del(k: Buffer): void {
    this.#overlay.set(k.toString('latin1'), null);
  }

  /** Keys under `prefix`, committed ones merged with this transaction's puts and deletes, in byte order. */
  async keysWithPrefix(prefix: Buffer): Promise<Buffer[]> {
    const end = Buffer.from(prefix);
    end[end.length - 1]++;
    const found = new Map<string, Buffer>();
    for await (const k of this.db.keys({ gte: prefix, lt: end })) found.set(k.toString('latin1'), k);
    const p = prefix.toString('latin1');
    for (const [ks, v] of this.#overlay) {
      if (!ks.startsWith(p)) continue;
      if (v === null) found.delete(ks);
      else found.set(ks, Buffer.from(ks, 'latin1'));
    }
    return [...found.values()].sort(Buffer.compare);
  }

  async commit(sync = false): Promise<void> {
    if (this.#committed) throw new Error('transaction already committed');
    this.#committed = true;
    const ops: Array<{ type: 'put'; key: Buffer; value: Buffer } | { type: 'del'; key: Buffer }> = [];
    for (const [ks, v] of this.#overlay) {
      const key = Buffer.from(ks, 'latin1');
      ops.push(v === null ? { type: 'del', key } : { type: 'put', key, value: v });
    }
    if (ops.length > 0) await this.db.batch(ops, { sync });
  }
}
