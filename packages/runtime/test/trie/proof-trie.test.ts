/**
 * The partial trie a validator builds from a storage proof, against the full in-memory trie (whose roots and
 * node layout vectors.test.ts pins to sp-trie, sp-state-machine and smoldot vectors): random tries, V0 and V1,
 * random changes (sets that split nodes, deletes that merge a branch into its surviving child, prefix deletes with
 * and without a limit). With every node, or the minimal proof the recorder works out, the roots, reads and
 * next-key answers are the full trie's; with any needed node missing the answer is an IncompleteProofError,
 * never a wrong one. Outside vectors: the Polkadot genesis proof and smoldot's small-values proof
 * (smoldot lib/src/trie/proof_decode/tests.rs), re-encoded node by node back to their published roots.
 */
import { hexToU8a } from '@polkadot/util';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { blake2_256, initCrypto } from '../../src/crypto/hashing.ts';
import { readCompactNumber } from '../../src/scale/compact.ts';
import { compareBytes, toHex } from '../../src/trie/nibbles.ts';
import { encodeNodeParts } from '../../src/trie/node-codec.ts';
import { TrieProofError } from '../../src/trie/node-reader.ts';
import { proveStateAccess } from '../../src/trie/proof-recording.ts';
import {
  InvalidProofError,
  ProofDatabase,
  type TrieNodeSource,
  trieNodeSource,
} from '../../src/trie/proof-source.ts';
import { IncompleteProofError, ProofTrie } from '../../src/trie/proof-trie.ts';
import { EMPTY_TRIE_ROOT, type StateVersion, Trie } from '../../src/trie/trie.ts';

beforeAll(async () => {
  await initCrypto();
});

const hex = (b: Uint8Array | undefined) => (b === undefined ? undefined : toHex(b));
const bytes = (...b: number[]) => Uint8Array.from(b);
const filled = (n: number, v: number) => new Uint8Array(n).fill(v);

/** Keys from a tiny alphabet (shared prefixes, keys that are prefixes of others, the empty key), some long ones. */
const keyArb = fc.oneof(
  { weight: 5, arbitrary: fc.uint8Array({ maxLength: 4 }).map((a) => a.map((b) => b & 0x13)) },
  {
    weight: 1,
    arbitrary: fc.uint8Array({ minLength: 30, maxLength: 34 }).map((a) => a.map((b) => b & 0xf1)),
  },
);
/** Short values (inline nodes), values around 32 bytes (hashed nodes; hashed values from 33 bytes in V1). */
const valueArb = fc.oneof(
  fc.uint8Array({ minLength: 0, maxLength: 3 }),
  fc.uint8Array({ minLength: 28, maxLength: 40 }),
);
const versionArb = fc.constantFrom<StateVersion>(0, 1);
const entriesArb = fc.array(fc.tuple(keyArb, valueArb), { maxLength: 40 });

type Op =
  | { kind: 'set'; key: Uint8Array; value: Uint8Array }
  | { kind: 'del'; key: Uint8Array }
  | { kind: 'prefix'; key: Uint8Array; limit?: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('set' as const), key: keyArb, value: valueArb }) },
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('del' as const), key: keyArb }) },
  {
    weight: 2,
    arbitrary: fc.record(
      { kind: fc.constant('prefix' as const), key: keyArb.map((k) => k.subarray(0, 1)), limit: fc.nat(3) },
      { requiredKeys: ['kind', 'key'] },
    ),
  },
);

function apply(t: Trie | ProofTrie, op: Op): unknown {
  if (op.kind === 'set') return t.set(op.key, op.value);
  if (op.kind === 'del') return t.delete(op.key);
  return t.deletePrefix(op.key, op.limit);
}

/** Every stored node and value node of `t`. */
function fullProof(t: Trie): Uint8Array[] {
  return t.proof([...t.keys()]);
}

/** Net changes (last write per key wins), as an overlay hands them to storage_root. */
function netChanges(changes: Array<[Uint8Array, Uint8Array | null]>): Array<[Uint8Array, Uint8Array | null]> {
  const m = new Map<string, [Uint8Array, Uint8Array | null]>();
  for (const c of changes) m.set(toHex(c[0]), c);
  return [...m.values()].sort(([a], [b]) => compareBytes(a, b));
}

/** The root the full trie gives for `changes` (applied in key order). */
function expectedRoot(t: Trie, changes: Array<[Uint8Array, Uint8Array | null]>): string {
  const c = t.clone();
  for (const [k, v] of changes) {
    if (v === null) c.delete(k);
    else c.set(k, v);
  }
  return toHex(c.root());
}

describe('partial trie with every node: the same answers and roots as Trie', () => {
  it('random tries and random changes, V0 and V1: roots, results, reads and next keys agree', () => {
    fc.assert(
      fc.property(
        versionArb,
        entriesArb,
        fc.array(opArb, { maxLength: 25 }),
        fc.array(keyArb, { maxLength: 6 }),
        (version, entries, ops, queries) => {
          const t = Trie.fromEntries(entries, version);
          const root = t.root();
          const p = ProofTrie.fromProof(root, fullProof(t), version);
          expect(hex(p.root())).toBe(hex(root));
          for (const q of queries) {
            expect(hex(p.get(q))).toBe(hex(t.get(q)));
            expect(hex(p.nextKey(q))).toBe(hex(t.nextKey(q)));
          }
          for (const op of ops) {
            expect(apply(p, op)).toEqual(apply(t, op));
            expect(hex(p.root())).toBe(hex(t.root()));
          }
          for (const q of queries) {
            expect(hex(p.get(q))).toBe(hex(t.get(q)));
            expect(hex(p.nextKey(q))).toBe(hex(t.nextKey(q)));
          }
          expect([...p.keys()].map(toHex)).toEqual([...t.keys()].map(toHex));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('a clone takes changes without touching the original (what storage_root relies on)', () => {
    const t = Trie.fromEntries(
      [
        [bytes(1, 2), filled(40, 1)],
        [bytes(1, 3), filled(40, 2)],
        [bytes(2), bytes(3)],
      ],
      1,
    );
    const p = ProofTrie.fromProof(t.root(), fullProof(t), 1);
    const c = p.clone();
    c.delete(bytes(1, 2));
    c.set(bytes(9), bytes(9));
    expect(hex(p.root())).toBe(hex(t.root()));
    expect(hex(p.get(bytes(1, 2)))).toBe(hex(filled(40, 1)));
    const t2 = t.clone();
    t2.delete(bytes(1, 2));
    t2.set(bytes(9), bytes(9));
    expect(hex(c.root())).toBe(hex(t2.root()));
  });

  it('the empty trie: root, reads, inserts from nothing', () => {
    const p = ProofTrie.fromProof(EMPTY_TRIE_ROOT, [], 1);
    expect(hex(p.root())).toBe(hex(EMPTY_TRIE_ROOT));
    expect(p.get(bytes(1))).toBeUndefined();
    expect(p.nextKey(new Uint8Array(0))).toBeUndefined();
    expect(p.delete(bytes(1))).toBe(false);
    p.set(bytes(1), filled(50, 7));
    expect(hex(p.root())).toBe(hex(Trie.fromEntries([[bytes(1), filled(50, 7)]], 1).root()));
    p.delete(bytes(1));
    expect(hex(p.root())).toBe(hex(EMPTY_TRIE_ROOT));
  });
});

describe('the minimal proof of an access: complete, and every item needed', () => {
  const accessArb = fc.record({
    version: versionArb,
    entries: entriesArb,
    reads: fc.array(keyArb, { maxLength: 4 }),
    nextKeys: fc.array(keyArb, { maxLength: 3 }),
    changes: fc.array(fc.tuple(keyArb, fc.option(valueArb, { nil: null, freq: 3 })), { maxLength: 8 }),
  });

  function replay(
    root: Uint8Array,
    proof: Uint8Array[],
    version: StateVersion,
    a: { reads: Uint8Array[]; nextKeys: Uint8Array[]; changes: Array<[Uint8Array, Uint8Array | null]> },
  ) {
    const p = ProofTrie.fromProof(root, proof, version);
    const reads = a.reads.map((k) => hex(p.get(k)));
    const nexts = a.nextKeys.map((k) => hex(p.nextKey(k)));
    const c = p.clone();
    c.applyChanges(a.changes);
    return { reads, nexts, root: toHex(c.root()) };
  }

  it('replaying reads, next-key seeks and the root of the changes gives the full trie answers; any item removed fails', () => {
    let removals = 0;
    fc.assert(
      fc.property(accessArb, ({ version, entries, reads, nextKeys, changes }) => {
        const t = Trie.fromEntries(entries, version);
        const net = netChanges(changes);
        const access = { reads, nextKeys, changes: net };
        const proof = proveStateAccess(t, { reads, nextKeys, changeSets: [net] });
        // Deterministic, sorted, no duplicates, and a subset of the full trie's nodes.
        expect(proof.map(toHex)).toEqual([...new Set(proof.map(toHex))].sort());
        const all = new Set(fullProof(t).map(toHex));
        for (const item of proof) expect(all.has(toHex(item))).toBe(true);
        const got = replay(t.root(), proof, version, access);
        expect(got.reads).toEqual(reads.map((k) => hex(t.get(k))));
        expect(got.nexts).toEqual(nextKeys.map((k) => hex(t.nextKey(k))));
        expect(got.root).toBe(expectedRoot(t, net));
        for (let i = 0; i < proof.length; i++) {
          const without = proof.filter((_, j) => j !== i);
          expect(() => replay(t.root(), without, version, access)).toThrow(IncompleteProofError);
          removals++;
        }
      }),
      { numRuns: 300 },
    );
    expect(removals).toBeGreaterThan(300);
  });

  it('any subset of the nodes: each answer is the full trie answer or an IncompleteProofError', () => {
    let incomplete = 0;
    let answered = 0;
    fc.assert(
      fc.property(
        versionArb,
        entriesArb,
        fc.array(opArb, { maxLength: 12 }),
        fc.array(keyArb, { maxLength: 4 }),
        fc.infiniteStream(fc.boolean()),
        (version, entries, ops, queries, keep) => {
          const t = Trie.fromEntries(entries, version);
          const proof = fullProof(t).filter(() => keep.next().value);
          const p = ProofTrie.fromProof(t.root(), proof, version);
          try {
            for (const q of queries) {
              expect(hex(p.get(q))).toBe(hex(t.get(q)));
              expect(hex(p.nextKey(q))).toBe(hex(t.nextKey(q)));
            }
            for (const op of ops) {
              const r = apply(p, op);
              expect(r).toEqual(apply(t, op));
              expect(hex(p.root())).toBe(hex(t.root()));
            }
            answered++;
          } catch (e) {
            if (!(e instanceof IncompleteProofError)) throw e;
            incomplete++;
          }
        },
      ),
      { numRuns: 300 },
    );
    expect(incomplete).toBeGreaterThan(20);
    expect(answered).toBeGreaterThan(20);
  });
});

describe('what a partial trie needs, case by case', () => {
  // Two hashed leaves under a root branch: keys 0x10.. and 0x20.. with 40-byte values (V0: inline, >= 32 bytes).
  const a = bytes(0x10);
  const b = bytes(0x20);
  const c = bytes(0x30);
  const t = Trie.fromEntries(
    [
      [a, filled(40, 1)],
      [b, filled(40, 2)],
    ],
    0,
  );

  it("a deletion that collapses a branch needs the surviving sibling's node, named with its path", () => {
    const p = ProofTrie.fromProof(t.root(), t.proof([a]), 0);
    expect(p.get(a)).toEqual(filled(40, 1));
    let err: unknown;
    try {
      p.delete(a);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(IncompleteProofError);
    expect(err).toBeInstanceOf(TrieProofError);
    const e = err as IncompleteProofError;
    expect([...e.path]).toEqual([2]);
    expect(e.kind).toBe('node');
    // Independently encoded: leaf with partial key [0] (nibble after the branch's 2) and the 40-byte value.
    const siblingLeaf = encodeNodeParts(bytes(0), 0, 1, filled(40, 2), false, undefined);
    expect(hex(e.hash)).toBe(hex(blake2_256(siblingLeaf)));
    expect(e.message).toContain('at key path 0x2');
    // The recorder adds it: with it the root is the full trie's.
    const proof = proveStateAccess(t, { reads: [], nextKeys: [], changeSets: [[[a, null]]] });
    expect(proof.map(toHex)).toContain(toHex(siblingLeaf));
    const q = ProofTrie.fromProof(t.root(), proof, 0);
    q.delete(a);
    expect(hex(q.root())).toBe(hex(Trie.fromEntries([[b, filled(40, 2)]], 0).root()));
  });

  it('a deletion that leaves two children needs no sibling; an insert beside stubs needs none either', () => {
    const three = Trie.fromEntries(
      [
        [a, filled(40, 1)],
        [b, filled(40, 2)],
        [c, filled(40, 3)],
      ],
      0,
    );
    const p = ProofTrie.fromProof(three.root(), three.proof([a]), 0);
    p.delete(a);
    p.set(bytes(0x40), filled(40, 4));
    const expected = three.clone();
    expected.delete(a);
    expected.set(bytes(0x40), filled(40, 4));
    expect(hex(p.root())).toBe(hex(expected.root()));
  });

  it("an insert that splits a node's partial key needs that node", () => {
    const long = Trie.fromEntries(
      [
        [bytes(0x10, 0x11, 0x12), filled(40, 1)],
        [b, filled(40, 2)],
      ],
      0,
    );
    // A proof of the root alone: the leaf under nibble 1 is a stub.
    const p = ProofTrie.fromProof(long.root(), long.proof([c]), 0);
    expect(() => p.set(bytes(0x10, 0x11, 0x99), bytes(1))).toThrow(IncompleteProofError);
    const q = ProofTrie.fromProof(long.root(), long.proof([bytes(0x10, 0x11, 0x99)]), 0);
    q.set(bytes(0x10, 0x11, 0x99), bytes(1));
    long.set(bytes(0x10, 0x11, 0x99), bytes(1));
    expect(hex(q.root())).toBe(hex(long.root()));
  });

  it('V1: a hashed value is fetched only when read; writes and deletes work without it', () => {
    const v1 = Trie.fromEntries(
      [
        [a, filled(40, 1)],
        [b, filled(40, 2)],
        [c, filled(40, 3)],
      ],
      1,
    );
    const valueNode = filled(40, 1);
    const proof = v1.proof([a]);
    expect(proof.map(toHex)).toContain(toHex(valueNode));
    const noValue = proof.filter((x) => toHex(x) !== toHex(valueNode));
    const p = ProofTrie.fromProof(v1.root(), noValue, 1);
    expect(p.has(a)).toBe(true);
    let err: unknown;
    try {
      p.get(a);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(IncompleteProofError);
    expect((err as IncompleteProofError).kind).toBe('value');
    expect(hex((err as IncompleteProofError).hash)).toBe(hex(blake2_256(valueNode)));
    expect([...(err as IncompleteProofError).path]).toEqual([1, 0]);
    p.delete(a);
    p.set(bytes(0x11), filled(60, 9));
    v1.delete(a);
    v1.set(bytes(0x11), filled(60, 9));
    expect(hex(p.root())).toBe(hex(v1.root()));
  });

  it('a prefix delete without a limit counts the keys, so it needs the whole subtree', () => {
    const keys = [bytes(0x10, 1), bytes(0x10, 2), bytes(0x10, 3), b];
    const full = Trie.fromEntries(
      keys.map((k, i) => [k, filled(40, i)]),
      0,
    );
    const partial = ProofTrie.fromProof(full.root(), full.proof([bytes(0x10, 1), b]), 0);
    expect(() => partial.deletePrefix(bytes(0x10))).toThrow(IncompleteProofError);
    const p = ProofTrie.fromProof(full.root(), fullProof(full), 0);
    expect(p.deletePrefix(bytes(0x10))).toEqual(full.deletePrefix(bytes(0x10)));
    expect(hex(p.root())).toBe(hex(full.root()));
  });

  it('next key across a stub fails instead of skipping it', () => {
    const keys = [bytes(0x10), bytes(0x20), bytes(0x30)];
    const full = Trie.fromEntries(
      keys.map((k, i) => [k, filled(40, i)]),
      0,
    );
    const p = ProofTrie.fromProof(full.root(), full.proof([bytes(0x10), bytes(0x30)]), 0);
    expect(() => p.nextKey(bytes(0x10))).toThrow(IncompleteProofError);
    const proof = proveStateAccess(full, { reads: [], nextKeys: [bytes(0x10)], changeSets: [] });
    expect(ProofTrie.fromProof(full.root(), proof, 0).nextKey(bytes(0x10))).toEqual(bytes(0x20));
  });

  it('applyChanges applies in key order, whatever order it is given', () => {
    // Deleting 0x10 before inserting 0x40 collapses nothing here, but the order must not matter to the result.
    const p = ProofTrie.fromProof(t.root(), fullProof(t), 0);
    const q = ProofTrie.fromProof(t.root(), fullProof(t), 0);
    const changes: Array<[Uint8Array, Uint8Array | null]> = [
      [bytes(0x40), bytes(4)],
      [a, null],
      [b, null],
    ];
    p.applyChanges(changes);
    q.applyChanges([...changes].reverse());
    expect(hex(p.root())).toBe(hex(q.root()));
    expect(hex(p.root())).toBe(hex(Trie.fromEntries([[bytes(0x40), bytes(4)]], 0).root()));
  });

  it('the full trie as a node source: a node is found where it sits, not elsewhere', () => {
    const src = trieNodeSource(t);
    const leafB = encodeNodeParts(bytes(0), 0, 1, filled(40, 2), false, undefined);
    expect(hex(src.fetch(blake2_256(leafB), bytes(2), 'node'))).toBe(hex(leafB));
    expect(src.fetch(blake2_256(leafB), bytes(1), 'node')).toBeUndefined();
    expect(hex(blake2_256(src.fetch(t.root(), new Uint8Array(0), 'node')!))).toBe(hex(t.root()));
  });
});

describe('proofs from outside sources', () => {
  /** A proof as smoldot/Substrate ship it: SCALE Vec<Vec<u8>>. */
  function decodeProofVec(b: Uint8Array): Uint8Array[] {
    let [n, o] = readCompactNumber(b, 0);
    const out: Uint8Array[] = [];
    while (n-- > 0) {
      const [len, next] = readCompactNumber(b, o);
      out.push(b.slice(next, next + len));
      o = next + len;
    }
    return out;
  }

  // smoldot lib/src/trie/proof_decode/tests.rs EXAMPLE_PROOF ("Key/value taken from the Polkadot genesis
  // block"), as in vectors.test.ts.
  const POLKADOT_GENESIS_PROOF = hexToU8a(
    '0x' +
      '18d47d01542596adb05d6140c170ac479edf7cfd5aa35357590acfe5d11a804d944e500d1456fdda7b8ec7f9e5c794cd8319' +
      '4f0593e4ea3505803f93804e4c6c4222b747e507008ef1def063bb0d2deeadf17ef4b10e71624d3a0cf81c80241f2c06f22e' +
      'c58968fb68d432319e25e6c8faa3ad2c5ca9ee48f2e8ed158e2480ad8a68234932269846bc40240a47cfd8d8857b1d81e167' +
      'bfb24c947a4cdad9e680c84590e39f8b79a2694ad2bf7e7258af686b472f38b064bbce7d08404931a430805c72f25b1b6304' +
      'd16667e2766fa1a906cb081788eb4502787df7c3597412b17b806e21c5f1a24a196615b4e5b36d21280cdcc80098c1e2bce8' +
      'eeaf301e9951767480424f1acd80ba074a2ce8d180bf3488a5ca91cb81fba96c8c3c1d33eacbb18160805e849d5c148ca361' +
      'a55a2c9b384e17ce919e936ccb8011a4f72504e9f93db8cd80edd005a1495c70250d77f81c24c15a9919f034f7983df8e505' +
      'e53a5af7b402138012a0dd90497b65312bda67ea15996578eeb3891bca8666951a326612418e3143b10480555d8043fb497c' +
      '1b2a7b9e4feb59f410c1a29e28b2a628ff9c6003e080f6b9fadd95f9806e8d911b6818038eb7c8534af8e78e9920a1ab8d93' +
      '9c36d3e69b0a1e5928110b80ba4d3f543957f422b40c8e74af9de00acbeba8154afca57a7f80fbbcfebb1e4a803d1b8f5cf1' +
      '788b294537b8fd2d34acec4646a7627c6cd3d2039af64ff5d1976d80e7620f21cf13964f29d34ba708c3b44ea45ea11c58fb' +
      'bedda29d13470bc80ca080f98aae4f83d81bf15d88019e5c303d7c19d0524e84c714e05f61517cde0b138280d518faf566fd' +
      'c4d045094abe372bb3bbecd4753f76db8c41ba9fc015558bf23a80908f991126d12ce7acd55508ff1e7dffa56f742401e181' +
      '4fc1469658a78c7a7f8001b0a08da0c83253d5c0cb877286c062da2f530ae424fe2545377941fd016913350580b3a780a29f' +
      'ac7f7dfae21d05d9506e7da6515b7fa1ad970ff876de35f1bec2599ec002805b6772dc6a4e7604c8d0652479f95b343607c2' +
      'd9138c59eeb799d85bf43b6bbf803d12becb6a4b9919ddc7c5973d04eed7696c834f90c779fc1fcf7350ccc28d6b805f33eb' +
      'cf191fddcf3b3f346ec336c105c74b40a4d35dfda0c592f2bea00084e980f764c733d6e35771a9b26a1fa86b9bec59742b04' +
      '6f698be6c140af1073897d3d80cd3bc8c3ce3cf8359f7371a13316f02fd22b02a3d327684a2b61f4a47e0022b880da752afa' +
      'eb925d5300e45b851052c5f8a9c5aae884f15d64764edf961b8b22c880bf1fa9c7e4c94340dbafd75cbe016c980d0e5d5b4e' +
      '76823fa11e61629014c34b804f54a15e5d51d02b84e8cae94c9833ae81e56b8f0b684d257f6f722ee66cadf98094833fb2dc' +
      'e8c78d443cd6786e0c01d8974a4b779c178ef5e66b49e021dd7f1ae1029f0c5d795d0297be56027a4b2464e33397609280f3' +
      '32ff556abf5daf0d34523df7c8cd1369bcb6adbb23a48093bf070a9711bf3480382934134aa919b59c16ff8de8d97a7fdcc2' +
      '448ea327b26f44005d756d1785878081d634140b36ce031c4b6c6266e2a7c19d9a88e38fdd8ad23abd3db20e714f6980fde1' +
      '7041f22f09609d79dbe38dcccefcaac139c7a10fb23bd284c1c492b004fd80d287ad1d0ade65e64d3969f4ab85a370768160' +
      '31438cea0bf8c33b7b2bc6c3308d089f03e6d3c1fb15805edfd024172ea4817dffff80152833e34a852e9751cfc0f954aeb8' +
      '35e1f843936ba9979853a40e439937255f806a36e0ad23fb3224fff6e6db62048463a7f27ccb92f65b4e348acd5a7aa3a068' +
      '8027b6e099c11581fb2e8acf3b6b94eaed442277b9a74ce7f922f6e3bf2959867b80fd0cc2c846db6a9ed19a715d6c3cd46a' +
      '48b7f409883c70b2d4c978b306de379e80ab008a78c340f5cc75d99cdb905951936686445c834719be21f7620b950dcd5c80' +
      '6d86af54d5dfb1c06f3fefdd5a430861c0d19e25fad4bad07c6e70d4a679f0b880f35edc5400b6661fb1e6fba7c599c8ba89' +
      '1458d14400030fa506999a1972369f80746cdaa0b7da2e9c3864971f50f12d9b4281f804d5a2dba6ebe06959b2a9fb47802e' +
      'cfde11456423c87fed8068f414a5ba44ebe3ae91b06d14cc231a78d4aba68e80f655291833a49cf23d057bb15c42d377c55d' +
      '50f5885329060b0aaab22283cbb1808c95fb2b62baf30718b8330ef68a527c97c1bc9960304353224d8a8ae88a79d58045c1' +
      'b6d9904ae171d573bdcebaa05142d81648bdbeb16ceeddc54a0ed15d3e2b80a8ea193282fe85b6481707091c77c9218ea19d' +
      'e914e75950925fe86400fb0cb080c222ceab5355eaa41da807146f2e2df7ff648c3e8bbb6d8ee23274ba724551b18008f142' +
      'dc3c59bf1151c829ecefea35919e80453db5e9669f5a73899aaa5166ee804f1d21fbdc0180c4de886bf40f91dfc2202b3eb6' +
      'd42548d476908041dd617bb8',
  );
  const POLKADOT_GENESIS_ROOT = hexToU8a(
    '0x29d0d972cd27cbc511e9589fcb7a4506d5eb6a9e8df205f00472e5ab354a4e17',
  );
  const GENESIS_KEY = hexToU8a(
    '0x9c5d795d0297be56027a4b2464e3339763e6d3c1fb15805edfd024172ea4817d7081542596adb05d6140c170ac479edf7cfd5aa35357590acfe5d11a804d944e',
  );
  const GENESIS_VALUE = '0x0d1456fdda7b8ec7f9e5c794cd83194f0593e4ea';

  it('reads the Polkadot genesis proof; a change and its undo re-encode the real path back to the real root', () => {
    const proof = decodeProofVec(POLKADOT_GENESIS_PROOF);
    const p = ProofTrie.fromProof(POLKADOT_GENESIS_ROOT, proof, 0);
    expect(hex(p.get(GENESIS_KEY))).toBe(GENESIS_VALUE);
    expect(p.get(hexToU8a(`${toHex(GENESIS_KEY)}25`))).toBeUndefined();
    expect(() =>
      p.get(hexToU8a('0x9c5d795d0297be56027a4b2464e3339763e6d3c1fb15805edfd024172ea4817d7000')),
    ).toThrow(IncompleteProofError);
    p.set(GENESIS_KEY, bytes(1, 2, 3));
    expect(hex(p.root())).not.toBe(hex(POLKADOT_GENESIS_ROOT));
    p.set(GENESIS_KEY, hexToU8a(GENESIS_VALUE));
    expect(hex(p.root())).toBe(hex(POLKADOT_GENESIS_ROOT));
    // Deleting and re-inserting rebuilds the leaf from nothing (its sibling-free path stays as it was).
    const q = ProofTrie.fromProof(POLKADOT_GENESIS_ROOT, proof, 0);
    q.delete(GENESIS_KEY);
    q.set(GENESIS_KEY, hexToU8a(GENESIS_VALUE));
    expect(hex(q.root())).toBe(hex(POLKADOT_GENESIS_ROOT));
  });

  it("reads smoldot's node_values_smaller_than_32bytes proof (inline nodes) and re-encodes it to its root", () => {
    const proof = decodeProofVec(
      hexToU8a(
        '0x' +
          '0c11019ec365c3cf59d671eb72da0e7a4113c40003585f078d434d6125b40443fe11fd292d13a41002000000685f0f1f0515' +
          'f462cdcf84e0f1d6045dfcbb2050527f2977010000b90580afbc800f7e8909bdcc1d75f47cc209b5d6776a5b375592657025' +
          '2e1f2a854865263c42801cba764c6a6fe8cc6a5834da71024c7784accad782c6b8e6ce862cab1956f37980e90a91325f6411' +
          'd5931c098e385f212838092703c14fa9cf73503dd9046aac98800cfff19df9db65218bb2ae79a521af00e8e6811759db1523' +
          '173012997c605142801eaec2e3649561ed17ee72b26a9eee30a65213d2817a46a55eba1f1c501d49fc801038139ebcb2c0ea' +
          '0cfbdd6b77f34a9b6f35246bb7ccaefdb7434dc72f79b9a28011d9e2c3f07190c981b8f0edcc4f44bfa51ddbaa9886a099f5' +
          '26b58353d1f5c28089d9035401e034c770d5962a33d667c2e1e0d25454351f9f52c9036876d46e0780f0fb51be7e503c8b58' +
          '982799e7b21fb8382c851f2f62ea6b0ff8404e2459099580e94bee78d495df8730aed3dbdfd914acd4ac03ea368237e13f11' +
          'ffd996fc5d0f805936fe63ca50321b5c3039ae08d32c3a6ccf81f58150aa398250a6fad6289cb5150180410080b6cc473d53' +
          '4c55a61316d4f2ece5335810bfe37dd936071f24b0d36f48dcb5f18095020c1a5f09c173cffd5ada00298c77bda665f44aab' +
          '35f852714f6e19483e41',
      ),
    );
    const key = hexToU8a('0xf0c365c3cf59d671eb72da0e7a4113c49f1f0515f462cdcf84e0f1d6045dfcbb');
    const root = hexToU8a('0x2b64c6ae01421a5f5d772bf205b09986c14a9fd7860ffc874381151014d361d9');
    const p = ProofTrie.fromProof(root, proof, 0);
    const value = bytes(80, 82, 127, 41, 119, 1, 0, 0);
    expect(p.get(key)).toEqual(value);
    p.set(key, bytes(0));
    p.set(key, value);
    expect(hex(p.root())).toBe(hex(root));
  });
});

describe('malformed and hostile proofs: typed errors', () => {
  const kind = (fn: () => unknown): string => {
    try {
      fn();
    } catch (e) {
      if (e instanceof InvalidProofError) return `invalid:${e.reason}`;
      if (e instanceof IncompleteProofError) return 'incomplete';
      return `other:${(e as Error).name}`;
    }
    return 'ok';
  };

  it('a root node that does not decode', () => {
    for (const garbage of [bytes(0xff, 1, 2), bytes(0x45, 1), bytes(0x80, 0, 0), filled(40, 0x7f)]) {
      const p = ProofTrie.fromProof(blake2_256(garbage), [garbage], 1);
      expect(kind(() => p.get(bytes(1)))).toBe('invalid:malformed-node');
    }
  });

  it('a child reference to bytes that do not decode, and an inline child that is the empty node', () => {
    const garbage = filled(45, 0xff);
    const branch = encodeNodeParts(new Uint8Array(0), 0, 0, undefined, false, [
      blake2_256(garbage),
      ...new Array(15).fill(undefined),
    ]);
    const p = ProofTrie.fromProof(blake2_256(branch), [branch, garbage], 0);
    expect(kind(() => p.get(bytes(0x01)))).toBe('invalid:malformed-node');
    expect(kind(() => p.get(bytes(0x11)))).toBe('ok');
    const withEmpty = encodeNodeParts(new Uint8Array(0), 0, 0, undefined, false, [
      bytes(0),
      ...new Array(15).fill(undefined),
    ]);
    const q = ProofTrie.fromProof(blake2_256(withEmpty), [withEmpty], 0);
    expect(kind(() => q.get(bytes(0x01)))).toBe('invalid:malformed-node');
  });

  it('a source whose answers are not the node asked for (the only way to a cycle) is caught by the hash check', () => {
    const t = Trie.fromEntries(
      [
        [bytes(0x10), filled(40, 1)],
        [bytes(0x20), filled(40, 2)],
      ],
      0,
    );
    const rootNode = t.proof([bytes(0x10)]).find((x) => hex(blake2_256(x)) === hex(t.root()))!;
    // Answers every hash with the root node: a child that "is" its own parent.
    const cyclic: TrieNodeSource = { fetch: () => rootNode };
    const p = new ProofTrie(t.root(), cyclic, 0);
    expect(kind(() => p.get(bytes(0x10)))).toBe('invalid:hash-mismatch');
    const liar: TrieNodeSource = { fetch: () => bytes(1, 2, 3) };
    expect(kind(() => new ProofTrie(t.root(), liar, 0).get(bytes(0x10)))).toBe('invalid:hash-mismatch');
  });

  it('a hashed value node in a version 0 proof', () => {
    const v1 = Trie.fromEntries([[bytes(1), filled(50, 1)]], 1);
    const p = ProofTrie.fromProof(v1.root(), fullProof(v1), 0);
    expect(kind(() => p.get(bytes(1)))).toBe('invalid:hashed-value-in-v0');
    expect(ProofTrie.fromProof(v1.root(), fullProof(v1), 1).get(bytes(1))).toEqual(filled(50, 1));
  });

  it('oversized proofs, wrong shapes and bad roots are refused before any hashing', () => {
    expect(kind(() => ProofTrie.fromProof(EMPTY_TRIE_ROOT, [filled(1000, 1)], 1, { maxBytes: 999 }))).toBe(
      'invalid:too-large',
    );
    expect(
      kind(() => ProofTrie.fromProof(EMPTY_TRIE_ROOT, new Array(11).fill(bytes(1)), 1, { maxItems: 10 })),
    ).toBe('invalid:too-large');
    expect(kind(() => ProofTrie.fromProof(EMPTY_TRIE_ROOT, 'nope' as never, 1))).toBe('invalid:not-a-proof');
    expect(kind(() => ProofTrie.fromProof(EMPTY_TRIE_ROOT, [bytes(1), 7 as never], 1))).toBe(
      'invalid:not-a-proof',
    );
    expect(kind(() => ProofTrie.fromProof(new Uint8Array(31), [], 1))).toBe('invalid:bad-root');
    expect(kind(() => ProofTrie.fromProof('0x00' as never, [], 1))).toBe('invalid:bad-root');
    // The default cap: 10 MiB (polkadot-sdk MAX_POV_SIZE).
    expect(kind(() => new ProofDatabase([new Uint8Array(10 * 1024 * 1024 + 1)]))).toBe('invalid:too-large');
  });

  it('random bytes as a proof: typed errors or answers, never anything else', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ maxLength: 80 }), { minLength: 1, maxLength: 6 }),
        fc.nat(5),
        keyArb,
        (items, pick, key) => {
          const root = blake2_256(items[pick % items.length]);
          const p = ProofTrie.fromProof(root, items, 1);
          for (const fn of [
            () => p.get(key),
            () => p.nextKey(key),
            () => p.set(key, bytes(1)),
            () => p.root(),
          ]) {
            const k = kind(fn);
            expect(k === 'ok' || k === 'incomplete' || k.startsWith('invalid:')).toBe(true);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
