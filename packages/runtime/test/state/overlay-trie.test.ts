/** The overlay over the real storage trie (what the node does per block): reads, iteration, and the state root. */
import { describe, expect, it } from 'vitest';
import { defineRuntime } from '../../src/frame/index.ts';
import { Account, defaultSystemConfig, System } from '../../src/pallets/system/index.ts';
import { Overlay } from '../../src/state/overlay.ts';
import { Trie } from '../../src/trie/index.ts';

const runtime = defineRuntime({
  pallets: [[0, System, defaultSystemConfig()]],
  version: {
    spec_name: 'trie-test',
    impl_name: 'x',
    authoring_version: 0,
    spec_version: 1,
    impl_version: 0,
    transaction_version: 1,
    system_version: 1,
  },
});

function applyTo(trie: Trie, changes: Array<[Uint8Array, Uint8Array | null]>): void {
  for (const [k, v] of changes) {
    if (v === null) trie.delete(k);
    else trie.set(k, v);
  }
}

describe('Overlay over Trie', () => {
  it('drained changes give the same root as writing the same final state directly', () => {
    const trie = new Trie();
    applyTo(trie, runtime.buildGenesis({}, trie).drainChanges());
    const accounts = Array.from({ length: 50 }, (_, i) => new Uint8Array(32).fill(i + 1));
    const o = new Overlay(trie);
    runtime.execute(o, () => {
      for (const a of accounts)
        Account.mutate(a, (x) => {
          x.providers = 1;
        });
      o.startTransaction();
      Account.remove(accounts[0]);
      o.rollbackTransaction();
      Account.remove(accounts[1]);
      expect([...Account.iterKeys()].length).toBe(49);
    });
    const changes = o.drainChanges();
    const viaOverlay = trie.clone();
    applyTo(viaOverlay, changes);

    const direct = new Trie();
    applyTo(direct, runtime.buildGenesis({}, direct).drainChanges());
    const d = new Overlay(direct);
    runtime.execute(d, () => {
      for (const a of accounts.filter((_, i) => i !== 1)) Account.set(a, { ...Account.get(a), providers: 1 });
    });
    applyTo(direct, d.drainChanges());
    expect(Buffer.from(viaOverlay.root()).toString('hex')).toBe(Buffer.from(direct.root()).toString('hex'));

    // Reading back through a fresh overlay on the updated trie.
    runtime.execute(new Overlay(viaOverlay), () => {
      expect(Account.get(accounts[0]).providers).toBe(1);
      expect(Account.contains(accounts[1])).toBe(false);
    });
  });
});
