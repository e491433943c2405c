/**
 * Proofs of validity for real dev-runtime blocks: a node's chain (database, runtime host with the node's own
 * `trieStorageRoot`) builds blocks of transfers signed by @polkadot/types over a recording backend; the storage
 * proof worked out from the recording lets `validateBlockStateless` re-execute the block from the parent state
 * root alone, and the node imports the same sealed blocks. A block with a tampered state root, a tampered
 * extrinsic or a proof missing any node fails with its reason. Proof sizes against the whole state are printed
 * (dev genesis state, and a state of 10,000 endowed accounts).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Keyring } from '@polkadot/keyring';
import type { KeyringPair } from '@polkadot/keyring/types';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { extrinsicsRoot, type Header, headerHash } from '@xstorage/runtime/block';
import { blake2_256, initCrypto } from '@xstorage/runtime/crypto';
import { Account } from '@xstorage/runtime/pallets/system';
import { timestampInherentData } from '@xstorage/runtime/pallets/timestamp';
import {
  devAccounts,
  devGenesisConfig,
  makeDevRuntime,
  type StatelessValidationResult,
  UNIT,
  validateBlockStateless,
} from '@xstorage/runtime/runtimes';
import { MemoryBackend, Overlay, proofStorageRoot } from '@xstorage/runtime/state';
import { IncompleteProofError, Trie, toHex } from '@xstorage/runtime/trie';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DevChain, pjsRegistry, signTx } from '../../../runtime/test/runtimes/dev-chain.ts';
import {
  Chain,
  devAuthorityKey,
  headerSlot,
  InstantFinality,
  makeRuntimeHost,
  type RuntimeHost,
  sealHeader,
  slotDigest,
  TrieBackend,
  UnknownBlockHashError,
} from '../../src/chain/index.ts';
import {
  buildStorageProof,
  proveBlock,
  proveChainBlock,
  RecordingTrieBackend,
} from '../../src/chain/pov-recorder.ts';
import { devChainSpec } from '../../src/chain-spec/index.ts';
import { ChainDb } from '../../src/db/index.ts';
import { TxPool } from '../../src/txpool/index.ts';

const dirs: string[] = [];
let db: ChainDb | undefined;
let chain: Chain | undefined;
afterAll(async () => {
  await chain?.close();
  await db?.close();
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

const SLOT_MS = 6000n;
let clock = 1_800_000_000_000;
const alice = () => devAuthorityKey('//Alice');
const bytesOf = (items: Uint8Array[]) => items.reduce((n, x) => n + x.length, 0);
/** The whole state as proof bytes: every node and value node of the trie. */
const stateBytes = (t: Trie) => bytesOf(t.proof([...t.keys()]));

/** A validator's runtime: the dev profile with the proof host function, made once and reused. */
let validatorRuntime: ReturnType<typeof makeDevRuntime>;
let keyring: Keyring;
let signer: DevChain;

interface Built {
  /** Unsealed: what the runtime computed. */
  block: { header: Header; extrinsics: Uint8Array[] };
  proof: Uint8Array[];
  parentTrie: Trie;
}

/**
 * Builds a block as Chain.author does (aura slot digest, timestamp inherent, then `xts`, all of which must
 * apply), over a recording backend, and proves it.
 */
function buildRecorded(
  host: RuntimeHost,
  parentTrie: Trie,
  parent: Header,
  parentHash: Uint8Array,
  xts: Uint8Array[],
): Built {
  const parentSlot = headerSlot(parent);
  const slot = parentSlot === undefined ? BigInt(Math.floor(clock / 6000)) : parentSlot + 1n;
  const backend = new RecordingTrieBackend(parentTrie);
  const overlay = new Overlay(backend);
  const extrinsics: Uint8Array[] = [];
  const header = host.runtime.execute(overlay, () => {
    host.executive.initializeBlock({
      parentHash,
      number: parent.number + 1,
      stateRoot: new Uint8Array(32),
      extrinsicsRoot: new Uint8Array(32),
      digest: { logs: [slotDigest(slot)] },
    });
    for (const inh of host.executive.inherentExtrinsics(new Map([timestampInherentData(slot * SLOT_MS)]))) {
      expect(host.executive.applyExtrinsic(inh)).toEqual({ ok: { ok: undefined } });
      extrinsics.push(inh);
    }
    xts.forEach((xt, i) => {
      const r = host.executive.applyExtrinsic(xt);
      if (!('ok' in r) || !('ok' in r.ok)) throw new Error(`extrinsic ${i}: ${JSON.stringify(r)}`);
      extrinsics.push(xt);
    });
    return host.executive.finalizeBlock();
  });
  const changes = overlay.drainChanges();
  const proof = buildStorageProof(parentTrie, backend.recording(), changes);
  return { block: { header, extrinsics }, proof, parentTrie };
}

const validate = (b: Built, over: Partial<Parameters<typeof validateBlockStateless>[0]> = {}) =>
  validateBlockStateless({
    runtime: validatorRuntime,
    parentStateRoot: b.parentTrie.root(),
    block: b.block,
    proof: b.proof,
    ...over,
  });
const reasonOf = (r: StatelessValidationResult<unknown>) => (r.ok ? 'ok' : r.error.reason);
const freeIn = (r: StatelessValidationResult<unknown>, who: Uint8Array) => {
  if (!r.ok) throw r.error;
  return validatorRuntime.runtime.execute(new Overlay(r.postState), () =>
    Account.contains(who) ? Account.get(who).data.free : undefined,
  );
};

const freeOfBest = (c: Chain, who: Uint8Array) =>
  c.runtime.runtime.execute(new Overlay(new TrieBackend(c.bestTrie)), () => Account.get(who).data.free);

const transfer = (from: KeyringPair, to: Uint8Array, value: bigint, nonce: number) =>
  signTx(signer, from, 'Balances', 'transfer_keep_alive', [{ Id: to }, value], { nonce });

beforeAll(async () => {
  await initCrypto();
  await cryptoWaitReady();
  keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
  validatorRuntime = makeDevRuntime({ storageRoot: proofStorageRoot });
});

describe('a node-built dev block of 100 transfers, proven and validated statelessly', () => {
  let host: RuntimeHost;
  let pairs: Record<string, KeyringPair>;
  let doomed: KeyringPair[];
  let fresh: Uint8Array[];
  let block1: Built;
  let block2: Built;

  beforeAll(async () => {
    const dir = await mkdtemp(join(tmpdir(), 'xstorage-pov-'));
    dirs.push(dir);
    db = await ChainDb.open(dir, { statePruningWindow: 256 });
    host = makeRuntimeHost('dev');
    chain = await Chain.open({
      db,
      spec: devChainSpec(),
      runtime: host,
      authorities: [alice().publicKey],
      finality: new InstantFinality(),
      now: () => clock,
    });
    signer = {
      registry: pjsRegistry(host),
      genesisHash: chain.genesisHash,
      dev: host,
    } as unknown as DevChain;
    pairs = Object.fromEntries(
      ['Alice', 'Bob', 'Charlie', 'Dave', 'Eve', 'Ferdie'].map((n) => [n, keyring.addFromUri(`//${n}`)]),
    );
    doomed = Array.from({ length: 10 }, (_, i) => keyring.addFromUri(`//Doomed${i}`));
    fresh = Array.from({ length: 60 }, (_, i) => blake2_256(Uint8Array.from([0xf0, i])));

    // Block 1: //Alice funds ten accounts that block 2 empties.
    block1 = buildRecorded(
      host,
      chain.bestTrie,
      chain.bestHeader,
      chain.bestHash,
      doomed.map((d, i) => transfer(pairs.Alice, d.publicKey, 2n * UNIT, i)),
    );
    clock += 6000;
    await chain.importBlock({ ...block1.block, header: sealHeader(block1.block.header, alice()) });
    expect(chain.bestNumber).toBe(1);

    // Block 2, 100 transfers: 60 to new accounts (trie inserts that split nodes), 10 transfer_all that reap
    // their sender (deletions), 30 between the other dev accounts.
    const xts: Uint8Array[] = fresh.map((to, i) => transfer(pairs.Alice, to, UNIT, 10 + i));
    for (const d of doomed)
      xts.push(
        signTx(signer, d, 'Balances', 'transfer_all', [{ Id: pairs.Bob.publicKey }, false], { nonce: 0 }),
      );
    const ring = ['Bob', 'Charlie', 'Dave', 'Eve', 'Ferdie'];
    for (let i = 0; i < 30; i++) {
      const from = ring[i % 5];
      const to = ring[(i + 1) % 5];
      xts.push(transfer(pairs[from], pairs[to].publicKey, BigInt(i + 1) * UNIT, Math.floor(i / 5)));
    }
    expect(xts.length).toBe(100);
    block2 = buildRecorded(host, chain.bestTrie, chain.bestHeader, chain.bestHash, xts);
    clock += 6000;
  });

  it('block 1 and block 2 pass from their proofs alone; the post-state shows the transfers and the reaped accounts', () => {
    const r1 = validate(block1);
    expect(reasonOf(r1)).toBe('ok');
    expect(freeIn(r1, doomed[3].publicKey)).toBe(2n * UNIT);
    const r2 = validate(block2);
    expect(reasonOf(r2)).toBe('ok');
    if (!r2.ok) return;
    expect(toHex(r2.stateRoot)).toBe(toHex(block2.block.header.stateRoot));
    // Minimal: the validation used every item of the proof.
    expect(r2.proofItemsUsed).toBe(block2.proof.length);
    expect(freeIn(r2, fresh[59])).toBe(UNIT);
    for (const d of doomed) expect(freeIn(r2, d.publicKey)).toBeUndefined();
    expect(r2.changes.filter(([, v]) => v === null).length).toBeGreaterThanOrEqual(10);
  });

  it('the node imports the same sealed block (its own re-execution agrees)', async () => {
    const imported = await chain!.importBlock({
      ...block2.block,
      header: sealHeader(block2.block.header, alice()),
    });
    expect(imported.number).toBe(2);
    expect(toHex(chain!.bestTrie.root())).toBe(toHex(block2.block.header.stateRoot));
  });

  it('proving by re-execution (proveBlock, proveChainBlock) gives the same proof bytes as recording while building', async () => {
    const again = proveBlock(host, block2.parentTrie, block2.block);
    expect(again.proof.map(toHex)).toEqual(block2.proof.map(toHex));
    expect(again.proofBytes).toBe(bytesOf(block2.proof));
    const stored = await proveChainBlock(chain!, chain!.bestHash);
    expect(stored.proof.map(toHex)).toEqual(block2.proof.map(toHex));
    expect(toHex(headerHash(stored.block.header))).toBe(toHex(headerHash(block2.block.header)));
  });

  it('a block chain.author() built (its pool transactions included) is proven from the chain and passes', async () => {
    const c = chain!;
    const pool = new TxPool({
      best: { hash: c.bestHash, number: c.bestNumber },
      validate: (tx, at, source) => c.validateTransaction(tx, at, source),
    });
    c.attachPool(pool);
    for (let i = 0; i < 5; i++) await pool.submit(transfer(pairs.Alice, fresh[i], UNIT, 70 + i));
    clock += 6000;
    const authored = await c.author(alice());
    expect(authored.poolTransactions).toBe(5);
    const proven = await proveChainBlock(c, authored.hash);
    const parent = await c.getHeader(authored.header.parentHash);
    const r = validateBlockStateless({
      runtime: validatorRuntime,
      parentStateRoot: parent!.stateRoot,
      block: proven.block,
      proof: proven.proof,
    });
    expect(reasonOf(r)).toBe('ok');
    expect(freeIn(r, fresh[0])).toBe(2n * UNIT);
    await expect(proveChainBlock(c, new Uint8Array(32))).rejects.toThrow(UnknownBlockHashError);

    // Outputs the validator reads after executing: //Ferdie's account was not touched by this block, so its
    // post-state read needs the parent's proof of it, which `outputKeys` adds.
    const ferdieKey = validatorRuntime.runtime.execute(new Overlay(new MemoryBackend()), () =>
      Account.keyOf([pairs.Ferdie.publicKey]),
    );
    const absentKey = Uint8Array.from([0x99, 0x01]);
    if (!r.ok) return;
    expect(() => r.postState.get(ferdieKey)).toThrow(IncompleteProofError);
    const withOutputs = await proveChainBlock(c, authored.hash, { outputKeys: [ferdieKey, absentKey] });
    const r2 = validateBlockStateless({
      runtime: validatorRuntime,
      parentStateRoot: parent!.stateRoot,
      block: withOutputs.block,
      proof: withOutputs.proof,
    });
    if (!r2.ok) throw r2.error;
    expect(toHex(r2.postState.get(ferdieKey)!)).toBe(toHex(c.bestTrie.get(ferdieKey)!));
    expect(r2.postState.get(absentKey)).toBeUndefined();

    // The same through the runtime: the validator reads outputs in the runtime env (as it would call
    // parachain-system's candidateOutputs); the collator proves them by running the same reader.
    const readOutputs = () => ({ ferdie: Account.get(pairs.Ferdie.publicKey).data.free });
    const unproven = validateBlockStateless({
      runtime: validatorRuntime,
      parentStateRoot: parent!.stateRoot,
      block: proven.block,
      proof: proven.proof,
      readOutputs,
    });
    expect(reasonOf(unproven)).toBe('IncompleteProof');
    const withReader = await proveChainBlock(c, authored.hash, { readOutputs });
    const r3 = validateBlockStateless({
      runtime: validatorRuntime,
      parentStateRoot: parent!.stateRoot,
      block: withReader.block,
      proof: withReader.proof,
      readOutputs,
    });
    if (!r3.ok) throw r3.error;
    expect(r3.outputs.ferdie).toBe(freeOfBest(c, pairs.Ferdie.publicKey));
  });

  it('a tampered state root: StateRootMismatch; a tampered extrinsic: InvalidExtrinsic; a dropped one: StateRootMismatch', () => {
    const header = { ...block2.block.header, stateRoot: blake2_256(Uint8Array.from([1])) };
    expect(reasonOf(validate(block2, { block: { ...block2.block, header } }))).toBe('StateRootMismatch');
    const extrinsics = block2.block.extrinsics.slice();
    const x = extrinsics[50].slice();
    x[x.length - 2] ^= 0x10;
    extrinsics[50] = x;
    const tampered = validate(block2, { block: { ...block2.block, extrinsics } });
    expect(reasonOf(tampered)).toBe('InvalidExtrinsic');
    expect(!tampered.ok && tampered.error.message).toContain('extrinsic 50');
    const dropped = validate(block2, {
      block: { ...block2.block, extrinsics: block2.block.extrinsics.slice(0, -1) },
    });
    expect(reasonOf(dropped)).toBe('StateRootMismatch');
  });

  it('a proof missing any one node: IncompleteProof (every node of block 1; an even spread of block 2)', () => {
    for (let i = 0; i < block1.proof.length; i++) {
      const r = validate(block1, { proof: block1.proof.filter((_, j) => j !== i) });
      expect(reasonOf(r)).toBe('IncompleteProof');
    }
    const n = block2.proof.length;
    for (let s = 0; s < 12; s++) {
      const i = Math.floor((s * (n - 1)) / 11);
      const r = validate(block2, { proof: block2.proof.filter((_, j) => j !== i) });
      expect(reasonOf(r)).toBe('IncompleteProof');
      expect(!r.ok && r.error.cause).toBeInstanceOf(IncompleteProofError);
    }
  });

  it('proof size of the 100-transfer block against the whole state', () => {
    const proofBytes = bytesOf(block2.proof);
    const whole = stateBytes(block2.parentTrie);
    console.log(
      `[pov] dev state (${block2.parentTrie.size} keys, ${whole} B of nodes): block of 100 transfers ` +
        `proof ${block2.proof.length} items, ${proofBytes} B (${((100 * proofBytes) / whole).toFixed(1)}% of the state); ` +
        `block body ${bytesOf(block2.block.extrinsics)} B`,
    );
    expect(proofBytes).toBeLessThan(whole);
  });
});

describe('proof size on a larger state', () => {
  it('100 transfers among 10,000 endowed accounts: the proof is a small part of the state', () => {
    const host = makeRuntimeHost('dev');
    const accounts = devAccounts();
    const others = Array.from({ length: 10_000 }, (_, i) =>
      blake2_256(new Uint8Array([i >> 8, i & 0xff, 7])),
    );
    const genesis = host.runtime.buildGenesis(
      devGenesisConfig([...Object.values(accounts), ...others], accounts.Alice) as unknown as Record<
        string,
        unknown
      >,
    );
    const entries = genesis.drainChanges().filter((c): c is [Uint8Array, Uint8Array] => c[1] !== null);
    const trie = Trie.fromEntries(entries, host.executive.stateVersion);
    const header: Header = {
      parentHash: new Uint8Array(32),
      number: 0,
      stateRoot: trie.root(),
      extrinsicsRoot: extrinsicsRoot([], host.runtime.version.system_version),
      digest: { logs: [] },
    };
    const genesisHash = headerHash(header);
    signer = { registry: pjsRegistry(host), genesisHash, dev: host } as unknown as DevChain;
    const alicePair = keyring.addFromUri('//Alice');
    const xts = Array.from({ length: 100 }, (_, i) =>
      transfer(alicePair, i < 50 ? others[i * 199] : blake2_256(Uint8Array.from([0xee, i])), UNIT / 10n, i),
    );
    const built = buildRecorded(host, trie, header, genesisHash, xts);
    let t0 = performance.now();
    const r = validate(built);
    const validateMs = performance.now() - t0;
    expect(reasonOf(r)).toBe('ok');
    t0 = performance.now();
    const reproved = proveBlock(host, trie, built.block);
    const proveMs = performance.now() - t0;
    expect(reproved.proof.map(toHex)).toEqual(built.proof.map(toHex));
    const proofBytes = bytesOf(built.proof);
    const whole = stateBytes(trie);
    console.log(
      `[pov] state of ${trie.size} keys (${whole} B of nodes): block of 100 transfers (50 to existing, 50 to new ` +
        `accounts) proof ${built.proof.length} items, ${proofBytes} B = ${((100 * proofBytes) / whole).toFixed(2)}% ` +
        `of the state; proveBlock ${proveMs.toFixed(0)} ms, validateBlockStateless ${validateMs.toFixed(0)} ms`,
    );
    expect(proofBytes * 10).toBeLessThan(whole);
  });
});
