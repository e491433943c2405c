/**
 * Regression guard: the trie against a frozen copy of its previous implementation (support/oracle-trie.ts). Same
 * random set/delete/deletePrefix sequences on both, with roots, commit diffs, clones, proofs and iteration compared
 * along the way. This compares our code with itself only; the byte layout is pinned by vectors.test.ts (sp-trie,
 * sp-state-machine, smoldot), and trie.test.ts checks roots against an independent from-scratch builder.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { initCrypto, selectCryptoBackend } from '../../src/crypto/hashing.ts';
import { toHex } from '../../src/trie/nibbles.ts';
import { entriesFromNodes, keysFromNodes, nextKeyFromNodes } from '../../src/trie/node-reader.ts';
import { type StateVersion, Trie } from '../../src/trie/trie.ts';
import { Trie as OracleTrie } from './support/oracle-trie.ts';

beforeAll(async () => {
  await initCrypto();
});

/** Mostly keys from a tiny alphabet (shared prefixes, prefix keys, the empty key), some long random ones. */
const keyArb = fc.oneof(
  { weight: 4, arbitrary: fc.uint8Array({ maxLength: 4 }).map((a) => a.map((b) => b & 0x13)) },
  {
    weight: 1,
    arbitrary: fc.uint8Array({ minLength: 30, maxLength: 34 }).map((a) => a.map((b) => b & 0xf1)),
  },
);
const valueArb = fc.oneof(
  fc.uint8Array({ minLength: 0, maxLength: 3 }),
  fc.uint8Array({ minLength: 28, maxLength: 40 }),
);

type Step =
  | { kind: 'set'; key: Uint8Array; value: Uint8Array }
  | { kind: 'del'; key: Uint8Array }
  | { kind: 'prefix'; key: Uint8Array; limit?: number }
  | { kind: 'root' }
  | { kind: 'commit' }
  | { kind: 'clone' }
  | { kind: 'switch'; to: number }
  | { kind: 'read'; keys: Uint8Array[]; start: Uint8Array; exclusive: boolean };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { weight: 12, arbitrary: fc.record({ kind: fc.constant('set' as const), key: keyArb, value: valueArb }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('del' as const), key: keyArb }) },
  {
    weight: 1,
    arbitrary: fc.record(
      { kind: fc.constant('prefix' as const), key: keyArb.map((k) => k.subarray(0, 1)), limit: fc.nat(3) },
      { requiredKeys: ['kind', 'key'] },
    ),
  },
  { weight: 2, arbitrary: fc.constant({ kind: 'root' as const }) },
  { weight: 2, arbitrary: fc.constant({ kind: 'commit' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'clone' as const }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('switch' as const), to: fc.nat(3) }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('read' as const),
      keys: fc.array(keyArb, { maxLength: 4 }),
      start: keyArb,
      exclusive: fc.boolean(),
    }),
  },
);

type Diff = { root: string; inserted: string[]; removed: string[] };

/** Commit diffs as multisets: a ref-counting node store depends on the counts, not on the order. */
function diff(c: ReturnType<Trie['commit']>): Diff {
  return {
    root: toHex(c.root),
    inserted: c.inserted.map(([h, enc]) => `${toHex(h)}:${toHex(enc)}`).sort(),
    removed: c.removed.map(toHex).sort(),
  };
}

const hexes = (xs: Iterable<[Uint8Array, Uint8Array]>) => [...xs].map(([k, v]) => `${toHex(k)}=${toHex(v)}`);

function compareReads(
  t: Trie,
  o: OracleTrie,
  keys: Uint8Array[],
  start: Uint8Array,
  exclusive: boolean,
): void {
  expect(t.size).toBe(o.size);
  expect(t.proof(keys).map(toHex)).toEqual(o.proof(keys).map(toHex));
  for (const k of keys) expect(t.get(k)).toEqual(o.get(k));
  expect(hexes(t.entries())).toEqual(hexes(o.entries()));
  const prefix = start.subarray(0, 1);
  expect(hexes(t.entries(prefix, start, exclusive))).toEqual(hexes(o.entries(prefix, start, exclusive)));
  const next = t.nextKey(start);
  const oracleNext = o.nextKey(start);
  expect(next === undefined ? undefined : toHex(next)).toBe(
    oracleNext === undefined ? undefined : toHex(oracleNext),
  );
}

function run(steps: Step[], version: StateVersion): void {
  const tries = [new Trie({ version })];
  const oracles = [new OracleTrie({ version })];
  let at = 0;
  for (const step of steps) {
    const t = tries[at];
    const o = oracles[at];
    switch (step.kind) {
      case 'set':
        t.set(step.key, step.value);
        o.set(step.key, step.value);
        break;
      case 'del':
        expect(t.delete(step.key)).toBe(o.delete(step.key));
        break;
      case 'prefix':
        expect(t.deletePrefix(step.key, step.limit)).toEqual(o.deletePrefix(step.key, step.limit));
        break;
      case 'root':
        expect(toHex(t.root())).toBe(toHex(o.root()));
        break;
      case 'commit':
        expect(diff(t.commit())).toEqual(diff(o.commit()));
        break;
      case 'clone':
        if (tries.length < 4) {
          tries.push(t.clone());
          oracles.push(o.clone());
        }
        break;
      case 'switch':
        at = step.to % tries.length;
        break;
      case 'read':
        compareReads(t, o, step.keys, step.start, step.exclusive);
        break;
    }
  }
  for (let i = 0; i < tries.length; i++) {
    expect(diff(tries[i].commit())).toEqual(diff(oracles[i].commit()));
    compareReads(tries[i], oracles[i], [], new Uint8Array(0), false);
  }
}

describe('Trie against its previous implementation', () => {
  for (const version of [0, 1] as const) {
    it(`same roots, commit diffs, proofs and iteration after random operations, clones and commits (V${version})`, () => {
      fc.assert(
        fc.property(fc.array(stepArb, { maxLength: 80 }), (steps) => run(steps, version)),
        { numRuns: 300 },
      );
    });
  }

  it('same results with the JS hashing backend (nodes are then encoded into a JS buffer, not wasm memory)', () => {
    selectCryptoBackend('js');
    try {
      fc.assert(
        fc.property(fc.array(stepArb, { maxLength: 60 }), fc.constantFrom(0 as const, 1 as const), run),
        { numRuns: 60 },
      );
    } finally {
      selectCryptoBackend('wasm');
    }
  });

  it('same results on a larger random state with updates in rounds (as the node applies blocks)', () => {
    let s = 0x12345678;
    const next = () => {
      s ^= s << 13;
      s ^= s >>> 17;
      s ^= s << 5;
      return s >>> 0;
    };
    const bytes = (n: number) => Uint8Array.from({ length: n }, () => next() & 0xff);
    const t = new Trie({ version: 1 });
    const o = new OracleTrie({ version: 1 });
    const keys: Uint8Array[] = [];
    for (let i = 0; i < 3000; i++) {
      const k = bytes(1 + (next() % 40));
      const v = bytes(next() % 2 ? 32 : 1 + (next() % 60));
      keys.push(k);
      t.set(k, v);
      o.set(k, v);
    }
    expect(diff(t.commit())).toEqual(diff(o.commit()));
    for (let round = 0; round < 6; round++) {
      const fork = t.clone();
      const oracleFork = o.clone();
      for (let i = 0; i < 200; i++) {
        const k = keys[next() % keys.length];
        if (next() % 5 === 0) {
          expect(fork.delete(k)).toBe(oracleFork.delete(k));
        } else {
          const v = bytes(next() % 70);
          fork.set(k, v);
          oracleFork.set(k, v);
        }
      }
      expect(diff(fork.commit())).toEqual(diff(oracleFork.commit()));
      const probe = keys.slice(round * 10, round * 10 + 10);
      compareReads(fork, oracleFork, probe, keys[round], round % 2 === 0);
      compareReads(t, o, probe, keys[round], false);
    }
  });

  it('walks over stored nodes (entriesFromNodes, keysFromNodes, nextKeyFromNodes) agree with the old in-memory walk', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(keyArb, valueArb), { maxLength: 40 }),
        fc.array(fc.tuple(keyArb, fc.boolean()), { minLength: 1, maxLength: 5 }),
        fc.constantFrom(0 as const, 1 as const),
        async (pairs, bounds, version) => {
          const t = Trie.fromEntries(pairs, version);
          const o = OracleTrie.fromEntries(pairs, version);
          const store = new Map<string, Uint8Array>();
          const c = t.commit();
          for (const [h, enc] of c.inserted) store.set(toHex(h), enc);
          const getNode = async (h: Uint8Array) => store.get(toHex(h));
          for (const [start, exclusive] of bounds) {
            const prefix = start.subarray(0, 1);
            const fromNodes: Array<[Uint8Array, Uint8Array]> = [];
            for await (const e of entriesFromNodes(c.root, getNode, {
              prefix,
              startKey: start,
              startExclusive: exclusive,
              version,
            }))
              fromNodes.push(e);
            expect(hexes(fromNodes)).toEqual(hexes(o.entries(prefix, start, exclusive)));
            const keys: string[] = [];
            for await (const k of keysFromNodes(c.root, getNode, {
              startKey: start,
              startExclusive: exclusive,
            }))
              keys.push(toHex(k));
            expect(keys).toEqual([...o.entries(undefined, start, exclusive)].map(([k]) => toHex(k)));
            const next = await nextKeyFromNodes(c.root, start, getNode, version);
            const oracleNext = o.nextKey(start);
            expect(next === undefined ? undefined : toHex(next)).toBe(
              oracleNext === undefined ? undefined : toHex(oracleNext),
            );
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});
