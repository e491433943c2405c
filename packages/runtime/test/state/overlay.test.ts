import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { keyFromString, keyToString, prefixEnd } from '../../src/state/keys.ts';
import { MemoryBackend } from '../../src/state/memory-backend.ts';
import { Overlay, TransactionError } from '../../src/state/overlay.ts';

const b = (...xs: number[]) => new Uint8Array(xs);
const hex = (u: Uint8Array | undefined) => (u ? Buffer.from(u).toString('hex') : undefined);

function backendWith(entries: Array<[number[], number[]]>) {
  return new MemoryBackend(entries.map(([k, v]) => [b(...k), b(...v)]));
}

function allKeys(o: Overlay, from: Uint8Array = new Uint8Array(0)): string[] {
  const out: string[] = [];
  if (from.length === 0 && o.has(from)) out.push('');
  for (let k = o.nextKey(from); k; k = o.nextKey(k)) out.push(hex(k)!);
  return out;
}

describe('keys', () => {
  it('latin1 key strings round-trip every byte value and sort in byte order', () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    expect(keyFromString(keyToString(all))).toEqual(all);
    const long = new Uint8Array(1000).map((_, i) => (i * 7) & 0xff);
    expect(keyFromString(keyToString(long))).toEqual(long);
    expect(keyToString(b(0x7f)) < keyToString(b(0x80))).toBe(true);
    expect(keyToString(b(0xff)) > keyToString(b(0xfe, 0xff))).toBe(true);
    expect(prefixEnd(keyToString(b(1, 0xff)))).toBe(keyToString(b(2)));
    expect(prefixEnd(keyToString(b(0xff, 0xff)))).toBeUndefined();
  });
});

describe('Overlay', () => {
  it('reads through to the backend and shadows it with writes and deletes', () => {
    const o = new Overlay(
      backendWith([
        [[1], [10]],
        [[2], [20]],
      ]),
    );
    expect(hex(o.get(b(1)))).toBe('0a');
    o.set(b(1), b(11));
    o.delete(b(2));
    o.set(b(3), b(30));
    expect(hex(o.get(b(1)))).toBe('0b');
    expect(o.get(b(2))).toBeUndefined();
    expect(o.has(b(2))).toBe(false);
    expect(hex(o.get(b(3)))).toBe('1e');
    expect(o.drainChanges().map(([k, v]) => [hex(k), hex(v ?? undefined)])).toEqual([
      ['01', '0b'],
      ['02', undefined],
      ['03', '1e'],
    ]);
    expect(o.changes()).toEqual([]);
  });

  it('rolls back nested transactions layer by layer, commit folds into the parent', () => {
    const o = new Overlay(backendWith([[[1], [1]]]));
    o.set(b(2), b(2));
    o.startTransaction();
    o.set(b(1), b(100));
    o.startTransaction();
    o.set(b(1), b(101));
    o.delete(b(2));
    o.set(b(3), b(3));
    o.rollbackTransaction();
    expect(hex(o.get(b(1)))).toBe('64');
    expect(hex(o.get(b(2)))).toBe('02');
    expect(o.get(b(3))).toBeUndefined();
    o.startTransaction();
    o.set(b(4), b(4));
    o.commitTransaction();
    expect(o.transactionDepth).toBe(1);
    o.rollbackTransaction(); // the committed inner write goes with its parent
    expect(hex(o.get(b(1)))).toBe('01');
    expect(o.get(b(4))).toBeUndefined();
    expect(o.drainChanges().map(([k]) => hex(k))).toEqual(['02']);
  });

  it('transactional() keeps writes on return and discards them on throw, even with inner layers left open', () => {
    const o = new Overlay(new MemoryBackend());
    expect(o.transactional(() => (o.set(b(1), b(1)), 'ok'))).toBe('ok');
    expect(() =>
      o.transactional(() => {
        o.set(b(2), b(2));
        o.startTransaction(); // a buggy callee leaves a layer open
        o.set(b(3), b(3));
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(o.transactionDepth).toBe(0);
    expect(o.get(b(2))).toBeUndefined();
    expect(o.get(b(3))).toBeUndefined();
    expect(hex(o.get(b(1)))).toBe('01');
  });

  it('appends SCALE Vec items with correct compact length, onto backend values, and rolls appends back', () => {
    // Vec<u16> [1] in the backend: 0x04 0x0100
    const o = new Overlay(backendWith([[[9], [0x04, 1, 0]]]));
    o.append(b(9), b(2, 0));
    expect(hex(o.get(b(9)))).toBe('0801000200');
    o.startTransaction();
    o.append(b(9), b(3, 0));
    o.append(b(9), b(4, 0));
    expect(hex(o.get(b(9)))).toBe('100100020003000400');
    o.rollbackTransaction();
    expect(hex(o.get(b(9)))).toBe('0801000200');
    // 64 items cross the one-byte compact boundary: length prefix becomes 0x0101.
    const p = new Overlay(new MemoryBackend());
    for (let i = 0; i < 64; i++) p.append(b(1), b(i));
    const v = p.get(b(1))!;
    expect(hex(v.subarray(0, 2))).toBe('0101');
    expect(v.length).toBe(66);
    // An undecodable existing value is replaced by a fresh one-item vector (sp_io::storage::append).
    const q = new Overlay(backendWith([[[5], [0xff]]]));
    q.append(b(5), b(7));
    expect(hex(q.get(b(5)))).toBe('0407');
  });

  it('iterates keys in byte order merging overlay and backend, skipping deleted keys', () => {
    const o = new Overlay(
      backendWith([
        [[1], [1]],
        [[3], [3]],
        [[5], [5]],
        [[5, 1], [5]],
      ]),
    );
    o.set(b(2), b(2));
    o.delete(b(3));
    o.set(b(5, 0), b(5));
    o.set(b(0xff), b(0));
    expect(allKeys(o)).toEqual(['01', '02', '05', '0500', '0501', 'ff']);
    expect(hex(o.nextKey(b(2)))).toBe('05');
    expect(o.nextKey(b(0xff))).toBeUndefined();
    o.startTransaction();
    o.set(b(4), b(4));
    o.rollbackTransaction();
    expect(allKeys(o)).toEqual(['01', '02', '05', '0500', '0501', 'ff']);
  });

  it('clears a prefix across overlay and backend, honouring a limit', () => {
    const o = new Overlay(
      backendWith([
        [[7, 1], [1]],
        [[7, 2], [1]],
        [[8], [1]],
      ]),
    );
    o.set(b(7, 3), b(1));
    o.set(b(7), b(1)); // the prefix itself is a key under the prefix
    expect(o.clearPrefix(b(7), 2)).toEqual({ deleted: 2, complete: false });
    expect(o.clearPrefix(b(7))).toEqual({ deleted: 2, complete: true });
    expect(allKeys(o)).toEqual(['08']);
  });

  it('rejects unbalanced transaction calls with a typed error', () => {
    const o = new Overlay(new MemoryBackend());
    expect(() => o.commitTransaction()).toThrow(TransactionError);
    expect(() => o.rollbackTransaction()).toThrow(TransactionError);
    o.startTransaction();
    expect(() => o.drainChanges()).toThrow(TransactionError);
  });

  it('behaves like a naive model under random operations (fast-check)', () => {
    const key = fc.uint8Array({ minLength: 0, maxLength: 3 }).map((k) => k.map((x) => x % 4));
    const op = fc.oneof(
      fc.record({ t: fc.constant('set' as const), k: key, v: fc.uint8Array({ maxLength: 2 }) }),
      fc.record({ t: fc.constant('del' as const), k: key }),
      fc.record({ t: fc.constant('clear' as const), k: key, limit: fc.integer({ min: 0, max: 3 }) }),
      fc.record({ t: fc.constant('start' as const) }),
      fc.record({ t: fc.constant('commit' as const) }),
      fc.record({ t: fc.constant('rollback' as const) }),
    );
    fc.assert(
      fc.property(
        fc.array(fc.tuple(key, fc.uint8Array({ maxLength: 2 })), { maxLength: 8 }),
        fc.array(op),
        (init, ops) => {
          const backend = new MemoryBackend(init);
          const o = new Overlay(backend);
          // Model: a stack of full snapshots.
          let model = new Map<string, string>(init.map(([k, v]) => [hex(k)!, hex(v)!]));
          const stack: Array<Map<string, string>> = [];
          for (const x of ops) {
            if (x.t === 'set') {
              o.set(x.k, x.v);
              model.set(hex(x.k)!, hex(x.v)!);
            } else if (x.t === 'del') {
              o.delete(x.k);
              model.delete(hex(x.k)!);
            } else if (x.t === 'clear') {
              const p = hex(x.k)!;
              const victims = [...model.keys()]
                .filter((k) => k.startsWith(p))
                .sort()
                .slice(0, x.limit);
              const r = o.clearPrefix(x.k, x.limit);
              expect(r.deleted).toBe(victims.length);
              for (const k of victims) model.delete(k);
            } else if (x.t === 'start') {
              o.startTransaction();
              stack.push(new Map(model));
            } else if (stack.length > 0 && x.t === 'commit') {
              o.commitTransaction();
              stack.pop();
            } else if (stack.length > 0 && x.t === 'rollback') {
              o.rollbackTransaction();
              model = stack.pop()!;
            }
            for (const k of [...model.keys()].slice(0, 3))
              expect(hex(o.get(Buffer.from(k, 'hex')))).toBe(model.get(k));
          }
          expect(allKeys(o)).toEqual([...model.keys()].sort());
          while (o.transactionDepth > 0) o.commitTransaction();
          backend.apply(o.drainChanges());
          expect([...backend.entries()].map(([k, v]) => [hex(k), hex(v)])).toEqual(
            [...model.entries()].sort((a, c) => (a[0] < c[0] ? -1 : 1)),
          );
        },
      ),
      { numRuns: 300 },
    );
  });
});
