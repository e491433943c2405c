/**
 * Stateless execution of dev-runtime blocks (transactions signed by @polkadot/types against our metadata): the
 * state backend over a proof, the `storage_root` host function over it (the same root as over the full state),
 * and `validateBlockStateless` with a proof worked out from what the block's building read: valid blocks pass
 * with a readable post-state; a wrong state root, extrinsics root, parent hash, a tampered extrinsic, a missing
 * proof node, a malformed or oversized proof each fail with their own reason.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Header } from '../../src/block/header.ts';
import { Account } from '../../src/pallets/system/pallet.ts';
import { timestampInherentData } from '../../src/pallets/timestamp/index.ts';
import { makeDevRuntime, memoryStorageRoot, UNIT } from '../../src/runtimes/index.ts';
import { validateBlockStateless } from '../../src/runtimes/stateless-validation.ts';
import { type KeyString, keyFromString, keyToString } from '../../src/state/keys.ts';
import { MemoryBackend } from '../../src/state/memory-backend.ts';
import { Overlay } from '../../src/state/overlay.ts';
import {
  ProofBackend,
  proofStorageRoot,
  StorageRootHostError,
  withProofStorageRoot,
} from '../../src/state/proof-backend.ts';
import { toHex } from '../../src/trie/nibbles.ts';
import { proveStateAccess } from '../../src/trie/proof-recording.ts';
import { IncompleteProofError } from '../../src/trie/proof-trie.ts';
import { Trie } from '../../src/trie/trie.ts';
import { type DevChain, newDevChain, ready, signTx } from '../runtimes/dev-chain.ts';

beforeAll(() => ready);

/** The full parent state, noting what the runtime asks of it (what a collator's recorder does). */
class RecordingMemoryBackend extends MemoryBackend {
  readonly reads = new Set<KeyString>();
  readonly nexts = new Set<KeyString>();
  override get(key: Uint8Array) {
    this.reads.add(keyToString(key));
    return super.get(key);
  }
  override getK(key: KeyString) {
    this.reads.add(key);
    return super.getK(key);
  }
  override nextKey(key: Uint8Array) {
    this.nexts.add(keyToString(key));
    return super.nextKey(key);
  }
}

interface BuiltBlock {
  block: { header: Header; extrinsics: Uint8Array[] };
  parentRoot: Uint8Array;
  proof: Uint8Array[];
  changes: Array<[Uint8Array, Uint8Array | null]>;
}

/** Builds the next block on `chain` over a recording backend and proves it; the chain is left where it was. */
function buildProven(chain: DevChain, xts: Uint8Array[]): BuiltBlock {
  const parentEntries = [...chain.backend.entries()];
  const parentTrie = Trie.fromEntries(parentEntries, 1);
  const backend = new RecordingMemoryBackend(parentEntries);
  const { executive, runtime } = chain.dev;
  const overlay = new Overlay(backend);
  const extrinsics: Uint8Array[] = [];
  const header = runtime.execute(overlay, () => {
    executive.initializeBlock({
      parentHash: chain.headHash,
      number: chain.head.number + 1,
      stateRoot: new Uint8Array(32),
      extrinsicsRoot: new Uint8Array(32),
      digest: { logs: [] },
    });
    for (const inh of executive.inherentExtrinsics(new Map([timestampInherentData(chain.nextTime)]))) {
      expect(executive.applyExtrinsic(inh)).toEqual({ ok: { ok: undefined } });
      extrinsics.push(inh);
    }
    for (const xt of xts) {
      expect(executive.applyExtrinsic(xt)).toEqual({ ok: { ok: undefined } });
      extrinsics.push(xt);
    }
    return executive.finalizeBlock();
  });
  const changes = overlay.drainChanges();
  const proof = proveStateAccess(parentTrie, {
    reads: [...backend.reads].map(keyFromString),
    nextKeys: [...backend.nexts].map(keyFromString),
    changeSets: [changes],
  });
  expect(toHex(parentTrie.root())).toBe(toHex(chain.head.stateRoot));
  return { block: { header, extrinsics }, parentRoot: parentTrie.root(), proof, changes };
}

let chain: DevChain;
let built: BuiltBlock;
const freshAccount = new Uint8Array(32).fill(0x42);

beforeAll(() => {
  chain = newDevChain();
  const { alice, bob, charlie } = chain.pairs;
  const xts = [
    signTx(chain, alice, 'Balances', 'transfer_keep_alive', [{ Id: bob.publicKey }, 5n * UNIT], { nonce: 0 }),
    signTx(chain, bob, 'Balances', 'transfer_allow_death', [{ Id: freshAccount }, 3n * UNIT], { nonce: 0 }),
    signTx(chain, charlie, 'Balances', 'transfer_all', [{ Id: alice.publicKey }, false], { nonce: 0 }),
  ];
  built = buildProven(chain, xts);
});

const validate = (over: Partial<Parameters<typeof validateBlockStateless>[0]> = {}) =>
  validateBlockStateless({
    runtime: makeDevRuntime,
    parentStateRoot: built.parentRoot,
    block: built.block,
    proof: built.proof,
    ...over,
  });

const reasonOf = (r: ReturnType<typeof validateBlockStateless>) => (r.ok ? 'ok' : r.error.reason);

describe('proofStorageRoot', () => {
  it('is the root over the full state for the same overlay (sets, new keys, deletions)', () => {
    const full = new MemoryBackend([...chain.backend.entries()]);
    const all = [...full.entries()];
    const proofOverlay = new Overlay(
      ProofBackend.fromProof(chain.head.stateRoot, Trie.fromEntries(all, 1).proof(all.map(([k]) => k)), 1),
    );
    const fullOverlay = new Overlay(full);
    for (const o of [proofOverlay, fullOverlay]) {
      o.set(all[0][0], new Uint8Array(40).fill(1));
      o.set(Uint8Array.from([0xee, 1]), Uint8Array.from([2]));
      o.delete(all[1][0]);
      o.delete(all[2][0]);
      o.delete(Uint8Array.from([0x01]));
    }
    expect(toHex(proofStorageRoot(proofOverlay, 1))).toBe(toHex(memoryStorageRoot(fullOverlay, 1)));
  });

  it('refuses another backend or another state version; withProofStorageRoot falls back', () => {
    const mem = new Overlay(new MemoryBackend());
    expect(() => proofStorageRoot(mem, 1)).toThrow(StorageRootHostError);
    const overProof = new Overlay(ProofBackend.fromProof(chain.head.stateRoot, [], 1));
    expect(() => proofStorageRoot(overProof, 0)).toThrow(StorageRootHostError);
    const both = withProofStorageRoot(memoryStorageRoot);
    expect(toHex(both(mem, 1))).toBe(toHex(memoryStorageRoot(mem, 1)));
    expect(toHex(both(overProof, 1))).toBe(toHex(chain.head.stateRoot));
  });

  it('a read the proof cannot answer throws and is remembered, even if the caller swallows it', () => {
    const backend = ProofBackend.fromProof(chain.head.stateRoot, [], 1);
    const overlay = new Overlay(backend);
    expect(() => overlay.get(Uint8Array.from([1, 2]))).toThrow(IncompleteProofError);
    expect(backend.missing).toBeInstanceOf(IncompleteProofError);
  });
});

describe('validateBlockStateless on a dev-runtime block', () => {
  it('passes from the proof alone; the post-state reads the block outputs', () => {
    const r = validate();
    if (!r.ok) throw r.error;
    expect(toHex(r.stateRoot)).toBe(toHex(built.block.header.stateRoot));
    expect(r.changes.map(([k, v]) => [toHex(k), v && toHex(v)])).toEqual(
      built.changes.map(([k, v]) => [toHex(k), v && toHex(v)]),
    );
    const { runtime } = makeDevRuntime();
    const post = <T>(fn: () => T) => runtime.execute(new Overlay(r.postState), fn);
    expect(post(() => Account.get(freshAccount).data.free)).toBe(3n * UNIT);
    // transfer_all emptied //Charlie: the account is gone from the post-state.
    expect(post(() => Account.contains(chain.pairs.charlie.publicKey))).toBe(false);
    expect(post(() => Account.contains(chain.pairs.alice.publicKey))).toBe(true);
    // The whole state is far larger than what the block touched.
    const stateBytes = Trie.fromEntries([...chain.backend.entries()], 1)
      .proof([...chain.backend.entries()].map(([k]) => k))
      .reduce((n, x) => n + x.length, 0);
    expect(r.proofBytes).toBeLessThan(stateBytes);
    expect(r.proofItems).toBe(built.proof.length);
  });

  it('a wrong state root in the header: StateRootMismatch', () => {
    const header = { ...built.block.header, stateRoot: new Uint8Array(32).fill(7) };
    expect(reasonOf(validate({ block: { ...built.block, header } }))).toBe('StateRootMismatch');
  });

  it('a wrong extrinsics root: ExtrinsicsRootMismatch; a wrong parent hash fails too', () => {
    const header = { ...built.block.header, extrinsicsRoot: new Uint8Array(32).fill(7) };
    expect(reasonOf(validate({ block: { ...built.block, header } }))).toBe('ExtrinsicsRootMismatch');
    // frame_system::initialize records the header's parent as block #0's hash, which the signed transactions'
    // immortal era signs: they no longer verify. (The relay also checks the parent head itself.)
    const orphan = { ...built.block.header, parentHash: new Uint8Array(32).fill(7) };
    expect(reasonOf(validate({ block: { ...built.block, header: orphan } }))).toBe('InvalidExtrinsic');
  });

  it('a tampered extrinsic (one byte of the amount): InvalidExtrinsic with its index', () => {
    const extrinsics = built.block.extrinsics.slice();
    const x = extrinsics[1].slice();
    x[x.length - 1] ^= 1;
    extrinsics[1] = x;
    const r = validate({ block: { ...built.block, extrinsics } });
    expect(reasonOf(r)).toBe('InvalidExtrinsic');
    expect(!r.ok && r.error.message).toContain('extrinsic 1');
  });

  it('a proof without any one of its nodes: IncompleteProof, never a pass', () => {
    expect(built.proof.length).toBeGreaterThan(10);
    for (let i = 0; i < built.proof.length; i++) {
      const r = validate({ proof: built.proof.filter((_, j) => j !== i) });
      expect(reasonOf(r)).toBe('IncompleteProof');
      expect(!r.ok && r.error.cause).toBeInstanceOf(IncompleteProofError);
    }
  });

  it('malformed and oversized proofs: InvalidProof; a runtime without the host function: ExecutionFailed', () => {
    expect(reasonOf(validate({ proof: 'x' as never }))).toBe('InvalidProof');
    expect(reasonOf(validate({ limits: { maxBytes: 100 } }))).toBe('InvalidProof');
    expect(reasonOf(validate({ parentStateRoot: new Uint8Array(3) }))).toBe('InvalidProof');
    const r = validate({ runtime: makeDevRuntime() });
    expect(reasonOf(r)).toBe('ExecutionFailed');
    // A runtime made with the proof host function can be reused across validations.
    expect(reasonOf(validate({ runtime: makeDevRuntime({ storageRoot: proofStorageRoot }) }))).toBe('ok');
  });
});
