import { u8aConcat, u8aToHex } from '@polkadot/util';
import { blake2AsU8a, xxhashAsU8a } from '@polkadot/util-crypto';
import { describe, expect, it } from 'vitest';
import { AccountId32 } from '../../src/extrinsic/primitives.ts';
import {
  CODE_KEY,
  EXTRINSIC_INDEX_KEY,
  HEAP_PAGES_KEY,
  pallet,
  StorageDecodeError,
  withEnv,
} from '../../src/frame/index.ts';
import { Account, BlockHash, Events, Number as SystemNumber } from '../../src/pallets/system/index.ts';
import { bytes, option, ScaleDefinitionError, str, u32, u64, unit } from '../../src/scale/index.ts';
import { MemoryBackend } from '../../src/state/memory-backend.ts';
import { Overlay } from '../../src/state/overlay.ts';
import { Counter, Owners, Pairs, runtime, Something, Triples } from './mini-runtime.ts';

const hex = (u: Uint8Array) => u8aToHex(u);
const ALICE = Uint8Array.from(
  Buffer.from('d43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d', 'hex'),
);

function fresh<T>(fn: (o: Overlay) => T, backend = new MemoryBackend()): T {
  const o = new Overlay(backend);
  return runtime.execute(o, () => fn(o));
}

describe('storage keys against published vectors', () => {
  it('System keys match the ones Substrate docs and polkadot-js show', () => {
    // System.Account(//Alice): substrate docs "Querying storage" / polkadot-js examples.
    expect(hex(Account.key(ALICE))).toBe(
      '0x26aa394eea5630e07c48ae0c9558cef7b99d880ec681799c0cf30e8886371da9de1e86a9a8c739864cf3cc5ec2bea59fd43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d',
    );
    // System.Number and System.Events: the well-known keys every block explorer polls.
    expect(hex(SystemNumber.key())).toBe(
      '0x26aa394eea5630e07c48ae0c9558cef702a5c1b19ab7a04f536c519aca4983ac',
    );
    expect(hex(Events.key())).toBe('0x26aa394eea5630e07c48ae0c9558cef780d41e5e16056765bc8461851072c9d7');
    // BlockHash(0): Twox64Concat of u32 0, the key of `system.blockHash(0)` (genesis hash) on every chain.
    expect(hex(BlockHash.key(0))).toBe(
      hex(
        u8aConcat(
          xxhashAsU8a('System', 128),
          xxhashAsU8a('BlockHash', 128),
          xxhashAsU8a(u32.encode(0), 64),
          u32.encode(0),
        ),
      ),
    );
  });

  it('well-known raw keys are the ASCII strings of sp_core::storage::well_known_keys', () => {
    expect(hex(CODE_KEY)).toBe('0x3a636f6465');
    expect(hex(HEAP_PAGES_KEY)).toBe('0x3a686561707061676573');
    expect(hex(EXTRINSIC_INDEX_KEY)).toBe('0x3a65787472696e7369635f696e646578');
  });

  it('map keys are twox128(pallet) ++ twox128(item) ++ hasher(key), per @polkadot/util-crypto', () => {
    const prefix = u8aConcat(xxhashAsU8a('Template', 128), xxhashAsU8a('Owners', 128));
    expect(hex(Owners.key(ALICE))).toBe(hex(u8aConcat(prefix, blake2AsU8a(ALICE, 128), ALICE)));
    const encoded9 = u32.encode(9);
    const pairsPrefix = u8aConcat(xxhashAsU8a('Template', 128), xxhashAsU8a('Pairs', 128));
    expect(hex(Pairs.key(9, ALICE))).toBe(
      hex(u8aConcat(pairsPrefix, xxhashAsU8a(encoded9, 64), encoded9, blake2AsU8a(ALICE, 128), ALICE)),
    );
  });
});

describe('typed storage items', () => {
  it('OptionQuery returns undefined when absent; ValueQuery returns its default; both decode what was set', () => {
    fresh(() => {
      expect(Something.get()).toBeUndefined();
      expect(Something.exists()).toBe(false);
      Something.set(3);
      expect(Something.take()).toBe(3);
      expect(Something.exists()).toBe(false);
      expect(Counter.get()).toBe(0n);
      expect(Owners.get(ALICE)).toBe(0n);
      expect(Owners.contains(ALICE)).toBe(false);
      // Defaults are fresh values each time: mutating one does not leak into the next read.
      const a = Account.get(ALICE);
      a.nonce = 5;
      expect(Account.get(ALICE).nonce).toBe(0);
    });
  });

  it('mutate: ValueQuery keeps in-place changes or the returned value; OptionQuery stores the return, undefined removes', () => {
    fresh(() => {
      Counter.mutate((c) => c + 2n);
      expect(Counter.get()).toBe(2n);
      Account.mutate(ALICE, (a) => {
        a.providers = 1;
      });
      expect(Account.get(ALICE).providers).toBe(1);
      Something.mutate((v) => (v ?? 0) + 1);
      expect(Something.get()).toBe(1);
      Something.mutate(() => undefined);
      expect(Something.exists()).toBe(false);
      // Nothing is written when the closure throws.
      expect(() =>
        Owners.tryMutate(ALICE, () => {
          throw new Error('no');
        }),
      ).toThrow('no');
      expect(Owners.contains(ALICE)).toBe(false);
    });
  });

  it('iterates map, double map (all and by first key) and n-map entries, decoding their keys', () => {
    fresh(() => {
      const bob = new Uint8Array(32).fill(2);
      Owners.set(ALICE, 1n);
      Owners.set(bob, 2n);
      const got = new Map([...Owners.iter()].map(([k, v]) => [hex(k), v]));
      expect(got).toEqual(
        new Map([
          [hex(ALICE), 1n],
          [hex(bob), 2n],
        ]),
      );
      expect([...Owners.iterKeys()].length).toBe(2);
      Pairs.set(1, ALICE, 'a');
      Pairs.set(1, bob, 'b');
      Pairs.set(2, bob, 'c');
      expect(new Set([...Pairs.iterPrefix(1)].map(([k, v]) => `${hex(k)}=${v}`))).toEqual(
        new Set([`${hex(ALICE)}=a`, `${hex(bob)}=b`]),
      );
      expect([...Pairs.iter()].length).toBe(3);
      expect(Pairs.clearPrefix(1)).toEqual({ deleted: 2, complete: true });
      expect([...Pairs.iter()].map(([[k1, k2], v]) => [k1, hex(k2), v])).toEqual([[2, hex(bob), 'c']]);
      Triples.setAt([1, 2n, new Uint8Array([9])], 42);
      Triples.setAt([1, 3n, new Uint8Array([])], 43);
      Triples.setAt([2, 2n, new Uint8Array([9])], 44);
      expect([...Triples.entriesUnder([1])].map(([[a, b, c], v]) => [a, b, hex(c), v]).sort()).toEqual([
        [1, 2n, '0x09', 42],
        [1, 3n, '0x', 43],
      ]);
      expect(Owners.clear()).toEqual({ deleted: 2, complete: true });
      expect([...Owners.iter()]).toEqual([]);
    });
  });

  it('reads through to backend state (e.g. the trie) and merges it with pending writes when iterating', () => {
    const backend = new MemoryBackend();
    fresh((o) => {
      Owners.set(ALICE, 7n);
      backend.apply(o.drainChanges());
    }, backend);
    fresh(() => {
      expect(Owners.get(ALICE)).toBe(7n);
      Owners.set(new Uint8Array(32).fill(3), 8n);
      expect([...Owners.iterValues()].sort()).toEqual([7n, 8n]);
    }, backend);
  });

  it('reports undecodable stored bytes as StorageDecodeError naming the item', () => {
    fresh((o) => {
      o.set(Owners.key(ALICE), new Uint8Array([1, 2, 3]));
      expect(() => Owners.get(ALICE)).toThrow(StorageDecodeError);
      expect(() => Owners.get(ALICE)).toThrow(/Template\.Owners/);
      o.set(Owners.prefix, new Uint8Array([0])); // a key too short for the map's key layout
      expect(() => [...Owners.iterKeys()]).toThrow();
    });
  });

  it('refuses to iterate keys of an opaque hasher and to run without an env', () => {
    const p = pallet('Opaque');
    const Hidden = p.map('Hidden', ['Blake2_256', u64], str);
    const Shown = p.map('Shown', ['Identity', bytes], u32);
    fresh(() => {
      Hidden.set(1n, 'x');
      expect(() => [...Hidden.iterKeys()]).toThrow(StorageDecodeError);
      expect([...Hidden.iterValues()]).toEqual(['x']);
      Shown.set(new Uint8Array([1, 2]), 5);
      expect([...Shown.iter()].map(([k, v]) => [hex(k), v])).toEqual([['0x0102', 5]]);
    });
    expect(() => Hidden.get(1n)).toThrow(/runtime externalities/);
    expect(() =>
      withEnv({ state: new Overlay(new MemoryBackend()), runtime }, () => AccountId32),
    ).not.toThrow();
  });
});

describe('storage of () and Option values (FRAME `StorageMap<K, ()>` sets, `Option<Option<T>>`)', () => {
  const p = pallet('Sets');
  // FRAME: `StorageMap<_, Blake2_128Concat, u32, ()>` (OptionQuery): present entries hold the empty value.
  const Members = p.map('Members', ['Blake2_128Concat', u32], unit);
  const Maybe = p.value('Maybe', option(u32));

  it('an inserted () exists as an empty value; get is null when present, undefined when absent', () => {
    fresh((o) => {
      expect(Members.get(7)).toBeUndefined();
      Members.insert(7, undefined);
      expect(Members.contains(7)).toBe(true);
      expect(Members.get(7)).toBeNull();
      // The raw value is the SCALE encoding of (): zero bytes, present (as sp-io `set(key, &[])`).
      expect(o.get(Members.key(7))).toEqual(new Uint8Array());
      expect([...Members.iter()]).toEqual([[7, null]]);
      Members.mutate(7, () => undefined);
      expect(Members.contains(7)).toBe(false);
      Members.mutate(8, () => null);
      expect(Members.get(8)).toBeNull();
      Members.remove(8);
      expect(Members.get(8)).toBeUndefined();
    });
  });

  it('an Option value under OptionQuery keeps Some(None) apart from absent', () => {
    fresh(() => {
      expect(Maybe.get()).toBeUndefined();
      Maybe.set(undefined as never);
      expect(Maybe.exists()).toBe(true);
      expect(Maybe.get()).toBeNull();
      Maybe.set(5);
      expect(Maybe.get()).toBe(5);
      Maybe.kill();
      expect(Maybe.get()).toBeUndefined();
    });
  });

  it('an OptionQuery over Option<()> has no JS form and is refused when declared', () => {
    expect(() => pallet('Bad').value('Flag', option(unit))).toThrow(ScaleDefinitionError);
  });
});
