/**
 * Behaviour of the in-memory trie against an independent model: a Map of the entries and a naive from-scratch
 * root builder written here (recursive grouping by nibble, sharing only the node encoder, which vectors.test.ts
 * pins to sp-trie's byte layout).
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { blake2_256, initCrypto } from '../../src/crypto/hashing.ts';
import { compareBytes, toHex, toNibbles } from '../../src/trie/nibbles.ts';
import { decodeNode, encodeNode, encodeNodeParts, TrieNodeDecodeError } from '../../src/trie/node-codec.ts';
import {
  entriesFromNodes,
  MissingTrieNodeError,
  readFromNodes,
  TrieProofError,
  verifyProof,
} from '../../src/trie/node-reader.ts';
import { EMPTY_TRIE_ROOT, type StateVersion, Trie } from '../../src/trie/trie.ts';

beforeAll(async () => {
  await initCrypto();
});

const hexToBytes = (h: string) => Uint8Array.from(Buffer.from(h.slice(2), 'hex'));

function naiveNode(items: Array<[Uint8Array, Uint8Array]>, depth: number, version: StateVersion): Uint8Array {
  const first = items[0][0];
  const last = items[items.length - 1][0];
  let cp = 0;
  while (depth + cp < first.length && depth + cp < last.length && first[depth + cp] === last[depth + cp])
    cp++;
  const end = depth + cp;
  const storedValue = (v: Uint8Array) =>
    version === 1 && v.length >= 33 ? ([blake2_256(v), true] as const) : ([v, false] as const);
  if (items.length === 1 && first.length === end) {
    const [v, h] = storedValue(items[0][1]);
    return encodeNodeParts(first, depth, cp, v, h, undefined);
  }
  let value: Uint8Array | undefined;
  let rest = items;
  if (first.length === end) {
    value = items[0][1];
    rest = items.slice(1);
  }
  const refs: Array<Uint8Array | undefined> = new Array(16).fill(undefined);
  for (let n = 0; n < 16; n++) {
    const group = rest.filter(([k]) => k[end] === n);
    if (group.length === 0) continue;
    const enc = naiveNode(group, end + 1, version);
    refs[n] = enc.length < 32 ? enc : blake2_256(enc);
  }
  const [v, h] = value === undefined ? [undefined, false] : storedValue(value);
  return encodeNodeParts(first, depth, cp, v, h, refs);
}

function naiveRoot(model: Map<string, Uint8Array>, version: StateVersion): Uint8Array {
  if (model.size === 0) return EMPTY_TRIE_ROOT;
  const items = [...model]
    .map(([k, v]) => [toNibbles(hexToBytes(k)), v] as [Uint8Array, Uint8Array])
    .sort((a, b) => compareBytes(a[0], b[0]));
  return blake2_256(naiveNode(items, 0, version));
}

/** Keys from a tiny alphabet so that shared prefixes, prefix keys and the empty key are common. */
const keyArb = fc.uint8Array({ maxLength: 4 }).map((a) => a.map((b) => b & 0x11));
const valueArb = fc.oneof(
  fc.uint8Array({ minLength: 0, maxLength: 40 }),
  fc.uint8Array({ minLength: 30, maxLength: 70 }),
);
type Op =
  | { kind: 'set'; key: Uint8Array; value: Uint8Array }
  | { kind: 'del'; key: Uint8Array }
  | { kind: 'prefix'; key: Uint8Array; limit?: number };
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('set' as const), key: keyArb, value: valueArb }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('del' as const), key: keyArb }) },
  {
    weight: 1,
    arbitrary: fc.record(
      { kind: fc.constant('prefix' as const), key: keyArb.map((k) => k.subarray(0, 2)), limit: fc.nat(3) },
      { requiredKeys: ['kind', 'key'] },
    ),
  },
);

function applyToModel(model: Map<string, Uint8Array>, op: Op): void {
  if (op.kind === 'set') model.set(toHex(op.key), op.value);
  else if (op.kind === 'del') model.delete(toHex(op.key));
  else {
    const p = toHex(op.key);
    const matching = [...model.keys()].filter((k) => k.startsWith(p)).sort();
    for (const k of op.limit === undefined ? matching : matching.slice(0, op.limit)) model.delete(k);
  }
}

function apply(trie: Trie, op: Op): void {
  if (op.kind === 'set') trie.set(op.key, op.value);
  else if (op.kind === 'del') trie.delete(op.key);
  else trie.deletePrefix(op.key, op.limit);
}

describe('Trie against a model', () => {
  for (const version of [0, 1] as const) {
    it(`incremental root equals a from-scratch root after random operations (V${version})`, () => {
      fc.assert(
        fc.property(fc.array(opArb, { maxLength: 60 }), (ops) => {
          const trie = new Trie({ version });
          const model = new Map<string, Uint8Array>();
          ops.forEach((op, i) => {
            apply(trie, op);
            applyToModel(model, op);
            if (i % 7 === 0) expect(toHex(trie.root())).toBe(toHex(naiveRoot(model, version)));
          });
          expect(toHex(trie.root())).toBe(toHex(naiveRoot(model, version)));
          expect(trie.size).toBe(model.size);
          const sorted = [...model.keys()].sort();
          expect([...trie.entries()].map(([k]) => toHex(k))).toEqual(sorted);
          for (const k of sorted) expect(trie.get(hexToBytes(k))).toEqual(model.get(k));
          expect(toHex(Trie.fromEntries([...trie.entries()], version).root())).toBe(toHex(trie.root()));
        }),
        { numRuns: 150 },
      );
    });
  }

  // Branches keep copies of their children's references and re-read only the replaced ones: roots taken between
  // operations, commits (which copy shared nodes) and clones mutated on both sides must never leave a stale copy.
  it('incremental roots stay exact across interleaved root(), commit() and clones mutated on both sides', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(opArb, fc.nat(9)), { maxLength: 60 }),
        fc.constantFrom(0 as const, 1 as const),
        (steps, version) => {
          const tries = [new Trie({ version })];
          const models = [new Map<string, Uint8Array>()];
          for (const [op, action] of steps) {
            const which = action % tries.length;
            apply(tries[which], op);
            applyToModel(models[which], op);
            if (action === 7 && tries.length < 3) {
              tries.push(tries[which].clone());
              models.push(new Map(models[which]));
            } else if (action === 8) tries[which].commit();
            else if (action === 9) {
              expect(toHex(tries[which].root())).toBe(toHex(naiveRoot(models[which], version)));
            }
          }
          for (let i = 0; i < tries.length; i++) {
            expect(toHex(tries[i].root())).toBe(toHex(naiveRoot(models[i], version)));
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it('entries(prefix, startKey) and nextKey follow key order', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(keyArb, valueArb), { maxLength: 30 }),
        keyArb,
        keyArb,
        (pairs, prefixSrc, start) => {
          const trie = Trie.fromEntries(pairs, 1);
          const prefix = prefixSrc.subarray(0, 1);
          const keys = [...new Set(pairs.map(([k]) => toHex(k)))].sort();
          const ph = toHex(prefix);
          const sh = toHex(start);
          expect([...trie.entries(prefix, start)].map(([k]) => toHex(k))).toEqual(
            keys.filter((k) => k.startsWith(ph) && k >= sh),
          );
          expect([...trie.entries(undefined, start, true)].map(([k]) => toHex(k))).toEqual(
            keys.filter((k) => k > sh),
          );
          const next = trie.nextKey(start);
          expect(next === undefined ? undefined : toHex(next)).toBe(keys.find((k) => k > sh));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('deleting a missing key or prefix changes nothing, not even the commit diff', () => {
    const trie = Trie.fromEntries(
      [
        [new Uint8Array([1, 2]), new Uint8Array(40).fill(7)],
        [new Uint8Array([1, 3]), new Uint8Array([9])],
      ],
      1,
    );
    const c1 = trie.commit();
    expect(trie.delete(new Uint8Array([1]))).toBe(false);
    expect(trie.delete(new Uint8Array([1, 2, 3]))).toBe(false);
    expect(trie.deletePrefix(new Uint8Array([2]))).toEqual({ deleted: 0, complete: true });
    const c2 = trie.commit();
    expect(c2.root).toEqual(c1.root);
    expect(c2.inserted).toEqual([]);
    expect(c2.removed).toEqual([]);
  });

  it('deletePrefix with a limit removes the first keys in order and reports completeness', () => {
    const trie = new Trie({ version: 1 });
    for (let i = 0; i < 10; i++) trie.set(new Uint8Array([5, i]), new Uint8Array([i]));
    trie.set(new Uint8Array([6]), new Uint8Array([1]));
    expect(trie.deletePrefix(new Uint8Array([5]), 4)).toEqual({ deleted: 4, complete: false });
    expect(trie.has(new Uint8Array([5, 3]))).toBe(false);
    expect(trie.has(new Uint8Array([5, 4]))).toBe(true);
    expect(trie.deletePrefix(new Uint8Array([5]), 6)).toEqual({ deleted: 6, complete: true });
    expect(trie.size).toBe(1);
    expect(trie.deletePrefix(new Uint8Array([]))).toEqual({ deleted: 1, complete: true });
    expect(trie.root()).toEqual(EMPTY_TRIE_ROOT);
  });

  it('handles the empty key and keys that are prefixes of other keys', () => {
    const trie = new Trie({ version: 0 });
    trie.set(new Uint8Array(), new Uint8Array([1]));
    // A lone empty key is a leaf with no partial key: header 0x40, compact(1), 0x01.
    expect(trie.root()).toEqual(blake2_256(new Uint8Array([0x40, 0x04, 0x01])));
    trie.set(new Uint8Array([0xab]), new Uint8Array([2]));
    trie.set(new Uint8Array([0xab, 0xcd]), new Uint8Array([3]));
    expect(trie.get(new Uint8Array())).toEqual(new Uint8Array([1]));
    expect(trie.get(new Uint8Array([0xab]))).toEqual(new Uint8Array([2]));
    expect(trie.get(new Uint8Array([0xab, 0xc0]))).toBeUndefined();
    trie.delete(new Uint8Array([0xab]));
    expect(trie.get(new Uint8Array([0xab, 0xcd]))).toEqual(new Uint8Array([3]));
    const model = new Map([
      ['0x', new Uint8Array([1])],
      ['0xabcd', new Uint8Array([3])],
    ]);
    expect(trie.root()).toEqual(naiveRoot(model, 0));
  });
});

describe('encoding boundaries', () => {
  /** Root branch over keys 0x00 and 0x10: each child is a leaf of 1 nibble, encoding = 3 + value length. */
  function rootChildren(valueLength: number): Array<Uint8Array | undefined> {
    const trie = Trie.fromEntries(
      [
        [new Uint8Array([0x00]), new Uint8Array(valueLength).fill(1)],
        [new Uint8Array([0x10]), new Uint8Array([2])],
      ],
      0,
    );
    const root = decodeNode(trie.proof([new Uint8Array([0x10])])[0]);
    if (root.kind !== 'branch') throw new Error('expected a branch');
    expect(blake2_256(encodeNode(root))).toEqual(trie.root());
    return root.children;
  }

  it('inlines children whose encoding is < 32 bytes and hashes those of 32 and more', () => {
    const leaf = (n: number) =>
      encodeNodeParts(new Uint8Array([0]), 0, 1, new Uint8Array(n).fill(1), false, undefined);
    expect(leaf(28).length).toBe(31);
    expect(rootChildren(28)[0]).toEqual(leaf(28)); // 31 bytes: inline
    expect(rootChildren(29)[0]).toEqual(blake2_256(leaf(29))); // 32 bytes: hashed
    expect(rootChildren(30)[0]).toEqual(blake2_256(leaf(30))); // 33 bytes: hashed
  });

  it('V1 stores values of 33 bytes and more by hash, V0 never', () => {
    const key = new Uint8Array([0x12]);
    for (const [len, hashed] of [
      [32, false],
      [33, true],
    ] as const) {
      const value = new Uint8Array(len).fill(9);
      const v1 = Trie.fromEntries([[key, value]], 1);
      const v0 = Trie.fromEntries([[key, value]], 0);
      const node = decodeNode(v1.proof([key]).find((p) => toHex(blake2_256(p)) === toHex(v1.root()))!);
      expect(node.kind).toBe('leaf');
      if (node.kind !== 'leaf') return;
      expect(node.value.hashed).toBe(hashed);
      if (node.value.hashed) {
        expect(node.value.hash).toEqual(blake2_256(value));
        expect(v1.root()).not.toEqual(v0.root());
        // The proof carries the value node; without it the value cannot be proven.
        const proof = v1.proof([key]);
        expect(proof.some((p) => toHex(p) === toHex(value))).toBe(true);
        expect(verifyProof(v1.root(), proof, [key], 1).get(key)).toEqual(value);
        const withoutValue = proof.filter((p) => toHex(p) !== toHex(value));
        expect(() => verifyProof(v1.root(), withoutValue, [key])).toThrow(TrieProofError);
      } else {
        expect(node.value.data).toEqual(value);
        expect(v1.root()).toEqual(v0.root());
      }
    }
  });

  it('encodes partial keys longer than the header field (63 / 318 nibbles) with continuation bytes', () => {
    for (const [bytes, header] of [
      [31, [0x40 | 62]],
      [32, [0x7f, 1]],
      [159, [0x7f, 0xff, 0]],
      [200, [0x7f, 0xff, 82]],
    ] as const) {
      const key = new Uint8Array(bytes).fill(0x5a);
      const trie = Trie.fromEntries([[key, new Uint8Array([1])]], 0);
      const enc = trie.proof([key])[0];
      expect([...enc.subarray(0, header.length)]).toEqual(header);
      expect(encodeNode(decodeNode(enc))).toEqual(enc);
      expect(verifyProof(trie.root(), [enc], [key]).get(key)).toEqual(new Uint8Array([1]));
    }
  });
});

describe('node codec robustness', () => {
  it('decodes random bytes only into nodes that re-encode identically, else TrieNodeDecodeError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 120 }), (bytes) => {
        let node: ReturnType<typeof decodeNode>;
        try {
          node = decodeNode(bytes);
        } catch (e) {
          expect(e).toBeInstanceOf(TrieNodeDecodeError);
          return;
        }
        expect(encodeNode(node)).toEqual(bytes);
      }),
      { numRuns: 3000 },
    );
  });

  it('rejects malformed nodes with precise errors', () => {
    const bad: Array<[string, RegExp]> = [
      ['0x', /empty input/],
      ['0x0000', /trailing bytes after empty/],
      ['0x01', /unknown node header/],
      ['0x43', /truncated partial key/],
      ['0x4310ab04ff', /non-zero padding/],
      ['0x42aa08bb', /truncated value/],
      ['0x42aa04bbcc', /trailing bytes after leaf/],
      ['0x800000', /branch without children/],
      ['0x8001', /truncated children bitmap/],
      ['0x80010084', /child reference of 33 bytes/],
      [
        '0x7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff',
        /exceeds u16::MAX/,
      ],
    ];
    for (const [hex, msg] of bad) {
      expect(() => decodeNode(hexToBytes(hex)), hex).toThrow(msg);
    }
  });
});

describe('proofs', () => {
  it('verify for present and absent keys; tampered or truncated proofs fail with TrieProofError', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.uint8Array({ minLength: 1, maxLength: 6 }), valueArb), {
          minLength: 1,
          maxLength: 40,
        }),
        fc.array(fc.uint8Array({ maxLength: 6 }), { maxLength: 5 }),
        fc.constantFrom(0 as const, 1 as const),
        fc.nat(),
        (pairs, extra, version, pick) => {
          const trie = Trie.fromEntries(pairs, version);
          const keys = [pairs[pick % pairs.length][0], ...extra];
          const root = trie.root();
          const proof = trie.proof(keys);
          const result = verifyProof(root, proof, keys, version);
          for (const k of keys) expect(result.get(k)).toEqual(trie.get(k));
          // Flip one byte of one proof node: that node no longer matches its hash.
          const i = pick % proof.length;
          const tampered = proof.map((p, j) =>
            j === i ? p.map((b, x) => (x === p.length - 1 ? b ^ 1 : b)) : p,
          );
          try {
            const r = verifyProof(root, tampered, keys, version);
            // Only possible when the tampered node was not needed by any lookup (e.g. a value node of another key).
            for (const k of keys) expect(r.get(k)).toEqual(trie.get(k));
          } catch (e) {
            expect(e).toBeInstanceOf(TrieProofError);
          }
          expect(() => verifyProof(root, [], keys, version)).toThrow(TrieProofError);
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('commit and node database', () => {
  /** A reference-counted node store applying commit diffs, as a LevelDB-backed node database would. */
  class NodeDb {
    refs = new Map<string, { count: number; bytes: Uint8Array }>();
    apply(c: { inserted: Array<[Uint8Array, Uint8Array]>; removed: Uint8Array[] }): void {
      for (const [h, bytes] of c.inserted) {
        expect(toHex(blake2_256(bytes))).toBe(toHex(h));
        const e = this.refs.get(toHex(h));
        if (e) e.count++;
        else this.refs.set(toHex(h), { count: 1, bytes });
      }
      for (const h of c.removed) {
        const e = this.refs.get(toHex(h));
        expect(e, `removed unknown node ${toHex(h)}`).toBeDefined();
        e!.count--;
        if (e!.count === 0) this.refs.delete(toHex(h));
      }
    }
    getNode = async (h: Uint8Array) => this.refs.get(toHex(h))?.bytes;
  }

  /** Every node reachable from the root, counted with multiplicity, read back from the db. */
  async function reachable(db: NodeDb, root: Uint8Array): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    if (toHex(root) === toHex(EMPTY_TRIE_ROOT)) return out;
    const visit = async (ref: Uint8Array, inline: boolean) => {
      const bytes = inline ? ref : await db.getNode(ref);
      expect(bytes, `missing node ${toHex(ref)}`).toBeDefined();
      if (!inline) out.set(toHex(ref), (out.get(toHex(ref)) ?? 0) + 1);
      const node = decodeNode(bytes!);
      if (node.kind === 'empty') return;
      if (node.value?.hashed) {
        expect(await db.getNode(node.value.hash)).toBeDefined();
        out.set(toHex(node.value.hash), (out.get(toHex(node.value.hash)) ?? 0) + 1);
      }
      if (node.kind === 'branch') for (const c of node.children) if (c) await visit(c, c.length < 32);
    };
    await visit(root, false);
    return out;
  }

  it('commit diffs keep a ref-counted node store equal to exactly the reachable nodes', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(opArb, { maxLength: 15 }), { minLength: 1, maxLength: 6 }),
        fc.constantFrom(0 as const, 1 as const),
        async (blocks, version) => {
          const trie = new Trie({ version });
          const db = new NodeDb();
          const model = new Map<string, Uint8Array>();
          for (const ops of blocks) {
            for (const op of ops) {
              apply(trie, op);
              applyToModel(model, op);
            }
            const c = trie.commit();
            db.apply(c);
            const live = await reachable(db, c.root);
            expect(new Map([...db.refs].map(([k, v]) => [k, v.count]))).toEqual(live);
            for (const [k, v] of model)
              expect(await readFromNodes(c.root, hexToBytes(k), db.getNode)).toEqual(v);
            const fromDb: string[] = [];
            for await (const [k] of entriesFromNodes(c.root, db.getNode)) fromDb.push(toHex(k));
            expect(fromDb).toEqual([...model.keys()].sort());
          }
        },
      ),
      { numRuns: 80 },
    );
  });

  it('clones are independent and cheap: each side commits its own diff against the shared parent', async () => {
    const base = new Trie({ version: 1 });
    for (let i = 0; i < 50; i++) base.set(new Uint8Array([i, i]), new Uint8Array(40).fill(i));
    const parent = base.commit();
    const fork = base.clone();
    fork.set(new Uint8Array([1, 1]), new Uint8Array([42]));
    base.delete(new Uint8Array([2, 2]));
    expect(base.get(new Uint8Array([1, 1]))).toEqual(new Uint8Array(40).fill(1));
    expect(fork.get(new Uint8Array([2, 2]))).toEqual(new Uint8Array(40).fill(2));
    const a = base.commit();
    const b = fork.commit();
    expect(a.root).not.toEqual(parent.root);
    expect(b.root).not.toEqual(a.root);
    // Each fork's diff applies cleanly on top of the parent's nodes and yields a store serving that fork.
    for (const [c, t] of [
      [a, base],
      [b, fork],
    ] as const) {
      const db = new NodeDb();
      db.apply(parent);
      db.apply(c);
      expect(t.root()).toEqual(naiveRoot(new Map([...t.entries()].map(([k, v]) => [toHex(k), v])), 1));
      for (const [k, v] of t.entries()) expect(await readFromNodes(c.root, k, db.getNode)).toEqual(v);
      expect(await readFromNodes(c.root, new Uint8Array([2, 2]), db.getNode)).toEqual(
        t.get(new Uint8Array([2, 2])),
      );
    }
  });

  it('readFromNodes reports a missing or corrupt node with MissingTrieNodeError', async () => {
    const trie = Trie.fromEntries(
      Array.from(
        { length: 20 },
        (_, i) => [new Uint8Array([i]), new Uint8Array(50).fill(i)] as [Uint8Array, Uint8Array],
      ),
      1,
    );
    const c = trie.commit();
    const db = new Map(c.inserted.map(([h, b]) => [toHex(h), b]));
    const victim = c.inserted.find(([, b]) => b.length === 50)!;
    db.set(toHex(victim[0]), new Uint8Array(50).fill(0xee));
    await expect(
      readFromNodes(c.root, victim[1].subarray(0, 1), async (h) => db.get(toHex(h))),
    ).rejects.toThrow(MissingTrieNodeError);
    await expect(readFromNodes(c.root, new Uint8Array([3]), async () => undefined)).rejects.toThrow(
      MissingTrieNodeError,
    );
    expect(await readFromNodes(EMPTY_TRIE_ROOT, new Uint8Array([3]), async () => undefined)).toBeUndefined();
  });
});
