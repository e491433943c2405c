/**
 * The chain service on its own (no RPC): genesis of the dev spec, authored blocks with an Aura slot digest and an
 * sr25519 seal that @polkadot/util-crypto verifies, header hashes equal to what @polkadot/types computes, import of
 * another node's blocks with re-execution and named errors for tampered blocks, restart from the database, and
 * historical state read from stored trie nodes.
 * External vectors: the empty trie root blake2_256(0x00) (= sp-trie's empty root, in polkadot-sdk
 * `primitives/trie` tests), dev account addresses from `subkey inspect //Alice`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Keyring } from '@polkadot/keyring';
import { Metadata, TypeRegistry } from '@polkadot/types';
import { u8aToHex } from '@polkadot/util';
import { blake2AsU8a, cryptoWaitReady, encodeAddress, sr25519Verify } from '@polkadot/util-crypto';
import { type Header, HeaderCodec } from '@xstorage/runtime/block';
import { initCrypto } from '@xstorage/runtime/crypto';
import { generateMetadata } from '@xstorage/runtime/metadata';
import { Account } from '@xstorage/runtime/pallets/system';
import { Overlay } from '@xstorage/runtime/state';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AURA_ENGINE_ID,
  BlockImportError,
  Chain,
  ChainSpecMismatchError,
  devAuthorityKey,
  InstantFinality,
  ManualFinality,
  makeRuntimeHost,
  TrieBackend,
} from '../../src/chain/index.ts';
import { devChainSpec } from '../../src/chain-spec/index.ts';
import { ChainDb } from '../../src/db/index.ts';
import { TxPool } from '../../src/txpool/index.ts';

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'xstorage-chain-'));
  dirs.push(d);
  return d;
}
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});
beforeAll(async () => {
  await initCrypto();
  await cryptoWaitReady();
});

const alice = () => devAuthorityKey('//Alice');
const hex = (b: Uint8Array) => u8aToHex(b);
let clock = 1_800_000_000_000;

async function openChain(dir: string, opts: { recentStates?: number; now?: () => number } = {}) {
  const db = await ChainDb.open(dir, { statePruningWindow: 256 });
  const chain = await Chain.open({
    db,
    spec: devChainSpec(),
    runtime: makeRuntimeHost('dev'),
    authorities: [alice().publicKey],
    finality: new InstantFinality(),
    now: opts.now ?? (() => clock),
    recentStates: opts.recentStates,
  });
  return { db, chain };
}

function pjsRegistry(chain: Chain): TypeRegistry {
  const registry = new TypeRegistry();
  registry.setMetadata(new Metadata(registry, generateMetadata(chain.runtime.runtime, 14)));
  return registry;
}

function signTransfer(
  chain: Chain,
  registry: TypeRegistry,
  from: string,
  to: Uint8Array,
  value: bigint,
  nonce: number,
) {
  const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
  const pair = keyring.addFromUri(from);
  const call = registry.createType('Call', { callIndex: [2, 3], args: { dest: { Id: to }, value } });
  const ext = registry.createType('Extrinsic', call);
  const g = hex(chain.genesisHash);
  ext.sign(pair, {
    blockHash: g,
    genesisHash: g,
    nonce,
    runtimeVersion: {
      specVersion: chain.runtime.runtime.version.spec_version,
      transactionVersion: chain.runtime.runtime.version.transaction_version,
    },
  } as never);
  return ext.toU8a();
}

function freeOf(chain: Chain, who: Uint8Array): bigint {
  return chain.runtime.runtime.execute(
    new Overlay(new TrieBackend(chain.bestTrie)),
    () => Account.get(who).data.free,
  );
}

describe('genesis', () => {
  it('block 0 of the dev spec: number 0, zero parent, empty digest, root of no extrinsics, genesis state root', async () => {
    const { db, chain } = await openChain(await tempDir());
    const g = chain.genesisBlock();
    expect(g.header.number).toBe(0);
    expect(hex(g.header.parentHash)).toBe(`0x${'00'.repeat(32)}`);
    expect(g.header.digest.logs).toEqual([]);
    // Empty ordered trie root: blake2_256([0x00]).
    expect(hex(g.header.extrinsicsRoot)).toBe(hex(blake2AsU8a(new Uint8Array([0]))));
    expect(hex(g.header.stateRoot)).toBe(hex(chain.bestTrie.root()));
    expect(hex(chain.genesisHash)).toBe(hex(g.hash));
    expect(chain.bestNumber).toBe(0);
    expect(hex(chain.finalizedHash)).toBe(hex(g.hash));
    // //Alice..//Ferdie endowed; @polkadot/types hashes our header to the same genesis hash.
    const registry = pjsRegistry(chain);
    const pjsHeader = registry.createType('Header', HeaderCodec.encode(g.header));
    expect(pjsHeader.hash.toHex()).toBe(hex(g.hash));
    expect(freeOf(chain, new Keyring({ type: 'sr25519' }).addFromUri('//Ferdie').publicKey)).toBe(10n ** 18n);
    expect(encodeAddress(alice().publicKey, 42)).toBe('5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY');
    await db.close();
  });

  it('a database of another chain is refused with a named error', async () => {
    const dir = await tempDir();
    const { db } = await openChain(dir);
    await db.close();
    const db2 = await ChainDb.open(dir);
    const other = { ...devChainSpec(), id: 'other' };
    await expect(
      Chain.open({ db: db2, spec: other, runtime: makeRuntimeHost('dev'), authorities: [] }),
    ).rejects.toBeInstanceOf(ChainSpecMismatchError);
    await db2.close();
  });
});

describe('authoring and import', () => {
  it('authors sealed blocks with transfers; another node re-executes and imports them to the same state', async () => {
    const a = await openChain(await tempDir());
    const registry = pjsRegistry(a.chain);
    const pool = new TxPool({
      best: { hash: a.chain.bestHash, number: 0 },
      validate: (tx, at, source) => a.chain.validateTransaction(tx, at, source),
    });
    a.chain.attachPool(pool);
    const bob = new Keyring({ type: 'sr25519' }).addFromUri('//Bob').publicKey;
    const bobBefore = freeOf(a.chain, bob);
    await pool.submit(signTransfer(a.chain, registry, '//Alice', bob, 1000n, 0));
    await pool.submit(signTransfer(a.chain, registry, '//Alice', bob, 2000n, 1));
    // Pool admission verified both signatures in full.
    expect(a.chain.runtime.signatureCache.stats()).toMatchObject({ entries: 2, misses: 2, hits: 0 });
    clock += 6000;
    const b1 = await a.chain.author(alice());
    expect(b1.number).toBe(1);
    expect(b1.extrinsics.length).toBe(3); // timestamp + 2 transfers
    // Authoring applied them without verifying again: both checks were answered from the cache.
    expect(a.chain.runtime.signatureCache.stats()).toMatchObject({ misses: 2, hits: 2 });
    expect(pool.status().ready).toBe(0);
    expect(freeOf(a.chain, bob)).toBe(bobBefore + 3000n);
    clock += 6000;
    const b2 = await a.chain.author(alice());
    expect(b2.finalized).toBe(true);
    expect(hex(a.chain.finalizedHash)).toBe(hex(b2.hash));

    // Digest: PreRuntime(aura, slot) then Seal(aura, sig over the pre-seal hash), checked with @polkadot/util-crypto.
    const logs = b1.header.digest.logs;
    expect(logs.map((l) => l.type)).toEqual(['PreRuntime', 'Seal']);
    const [engine, slotBytes] = logs[0].value as [Uint8Array, Uint8Array];
    expect(Buffer.from(engine).toString()).toBe('aura');
    expect(Buffer.from(AURA_ENGINE_ID).toString()).toBe('aura');
    const slot = Buffer.from(slotBytes).readBigUInt64LE();
    expect(slot).toBe(BigInt(Math.floor((clock - 6000) / 6000)));
    const unsealed: Header = { ...b1.header, digest: { logs: [logs[0]] } };
    const preHash = registry.createType('Header', HeaderCodec.encode(unsealed)).hash;
    const sig = (logs[1].value as [Uint8Array, Uint8Array])[1];
    expect(sr25519Verify(preHash, sig, alice().publicKey)).toBe(true);
    // The block hash is @polkadot/types' hash of the sealed header.
    expect(registry.createType('Header', HeaderCodec.encode(b1.header)).hash.toHex()).toBe(hex(b1.hash));

    // Node B imports A's blocks by re-executing them.
    const b = await openChain(await tempDir());
    expect(hex(b.chain.genesisHash)).toBe(hex(a.chain.genesisHash));
    const i1 = await b.chain.importBlock({ header: b1.header, extrinsics: b1.extrinsics });
    expect(hex(i1.hash)).toBe(hex(b1.hash));
    // B never saw these transactions: it verified both signatures in full.
    expect(b.chain.runtime.signatureCache.stats()).toMatchObject({ misses: 2, hits: 0 });
    await b.chain.importBlock({ header: b2.header, extrinsics: b2.extrinsics });
    expect(hex(b.chain.bestTrie.root())).toBe(hex(a.chain.bestTrie.root()));
    expect(freeOf(b.chain, bob)).toBe(bobBefore + 3000n);
    await expect(b.chain.importBlock({ header: b2.header, extrinsics: b2.extrinsics })).rejects.toMatchObject(
      {
        reason: 'AlreadyKnown',
      },
    );
    await a.db.close();
    await b.db.close();
  });

  it('refuses tampered blocks with named reasons and keeps its state', async () => {
    const a = await openChain(await tempDir());
    clock += 6000;
    const blk = await a.chain.author(alice());
    const b = await openChain(await tempDir());
    const rootBefore = hex(b.chain.bestTrie.root());
    const reason = (p: Promise<unknown>) =>
      p.then(
        () => 'imported',
        (e) => (e instanceof BlockImportError ? e.reason : `other: ${(e as Error).message}`),
      );
    const logs = blk.header.digest.logs;
    // No seal.
    expect(
      await reason(
        b.chain.importBlock({
          header: { ...blk.header, digest: { logs: [logs[0]] } },
          extrinsics: blk.extrinsics,
        }),
      ),
    ).toBe('MissingSeal');
    // Seal by someone else (//Bob is not an authority).
    const { sealHeader } = await import('../../src/chain/aura.ts');
    const unsealed = { ...blk.header, digest: { logs: [logs[0]] } };
    expect(
      await reason(
        b.chain.importBlock({
          header: sealHeader(unsealed, devAuthorityKey('//Bob')),
          extrinsics: blk.extrinsics,
        }),
      ),
    ).toBe('BadSeal');
    // A changed state root, re-sealed by the authority: execution disagrees.
    const wrongRoot = { ...unsealed, stateRoot: new Uint8Array(32).fill(1) };
    expect(
      await reason(
        b.chain.importBlock({ header: sealHeader(wrongRoot, alice()), extrinsics: blk.extrinsics }),
      ),
    ).toBe('StateRootMismatch');
    // A changed extrinsics root.
    const wrongXt = { ...unsealed, extrinsicsRoot: new Uint8Array(32).fill(2) };
    expect(
      await reason(b.chain.importBlock({ header: sealHeader(wrongXt, alice()), extrinsics: blk.extrinsics })),
    ).toBe('ExtrinsicsRootMismatch');
    // The seal no longer matches when the header changes after sealing.
    expect(
      await reason(
        b.chain.importBlock({
          header: { ...blk.header, number: 1, stateRoot: new Uint8Array(32) },
          extrinsics: blk.extrinsics,
        }),
      ),
    ).toBe('BadSeal');
    // Unknown parent.
    expect(
      await reason(
        b.chain.importBlock({
          header: { ...blk.header, parentHash: new Uint8Array(32).fill(9) },
          extrinsics: [],
        }),
      ),
    ).toBe('UnknownParent');
    // A timestamp far beyond the importer's clock.
    const late = await openChain(await tempDir(), { now: () => clock - 120_000 });
    expect(await reason(late.chain.importBlock({ header: blk.header, extrinsics: blk.extrinsics }))).toBe(
      'InherentsInvalid',
    );
    expect(hex(b.chain.bestTrie.root())).toBe(rootBefore);
    expect(b.chain.bestNumber).toBe(0);
    // The genuine block still imports.
    await b.chain.importBlock({ header: blk.header, extrinsics: blk.extrinsics });
    expect(b.chain.bestNumber).toBe(1);
    for (const c of [a, b, late]) await c.db.close();
  });
});

describe('a block abandoned for a sibling (a collator building on the head the relay chain included)', () => {
  it('gives its transactions back to the pool, and the next block includes them', async () => {
    const dir = await tempDir();
    const db = await ChainDb.open(dir, { statePruningWindow: 256 });
    // Parachain-style: nothing is final on import (the relay chain decides).
    const chain = await Chain.open({
      db,
      spec: devChainSpec(),
      runtime: makeRuntimeHost('dev'),
      authorities: [alice().publicKey],
      finality: new ManualFinality(),
      now: () => clock,
    });
    const registry = pjsRegistry(chain);
    const pool = new TxPool({
      best: { hash: chain.bestHash, number: 0 },
      validate: (tx, at, source) => chain.validateTransaction(tx, at, source),
    });
    chain.attachPool(pool);
    const bob = new Keyring({ type: 'sr25519' }).addFromUri('//Bob').publicKey;
    const bobBefore = freeOf(chain, bob);
    const genesis = chain.bestHash;
    await pool.submit(signTransfer(chain, registry, '//Alice', bob, 1234n, 0));
    clock += 6000;
    const abandoned = await chain.author(alice());
    expect(abandoned.poolTransactions).toBe(1);
    expect(pool.status().ready).toBe(0);
    // Its sibling, built on genesis with inherents only, takes its place as best.
    clock += 6000;
    const sibling = await chain.author(alice(), { parent: genesis, inherentsOnly: true });
    expect(hex(chain.bestHash)).toBe(hex(sibling.hash));
    expect(freeOf(chain, bob)).toBe(bobBefore);
    // The transfer is back in the pool, valid on the new best chain, and goes into the next block.
    expect(pool.status().ready).toBe(1);
    clock += 6000;
    const next = await chain.author(alice());
    expect(next.poolTransactions).toBe(1);
    expect(freeOf(chain, bob)).toBe(bobBefore + 1234n);
    await chain.close();
    await db.close();
  });
});

describe('finalizing a sibling of the best block (the relay chain included the other one)', () => {
  it('switches best, gives the abandoned block\'s transactions back to the pool, and does not fail', async () => {
    const open = async () => {
      const db = await ChainDb.open(await tempDir(), { statePruningWindow: 256 });
      const chain = await Chain.open({
        db,
        spec: devChainSpec(),
        runtime: makeRuntimeHost('dev'),
        authorities: [alice().publicKey],
        finality: new ManualFinality(),
        now: () => clock,
      });
      return { db, chain };
    };
    const { db, chain } = await open();
    const other = await open();
    const registry = pjsRegistry(chain);
    const pool = new TxPool({
      best: { hash: chain.bestHash, number: 0 },
      validate: (tx, at, source) => chain.validateTransaction(tx, at, source),
    });
    chain.attachPool(pool);
    const bob = new Keyring({ type: 'sr25519' }).addFromUri('//Bob').publicKey;
    await pool.submit(signTransfer(chain, registry, '//Alice', bob, 1234n, 0));
    clock += 6000;
    const mine = await chain.author(alice());
    expect(mine.poolTransactions).toBe(1);
    // The same height built elsewhere (another collator), imported here: same number, so it does not become best.
    const sibling = await other.chain.author(alice(), { inherentsOnly: true });
    await chain.importBlock({ header: sibling.header, extrinsics: sibling.extrinsics });
    expect(hex(chain.bestHash)).toBe(hex(mine.hash));
    // The relay chain included the sibling: finalizing it discards our block's fork (its meta and body with it).
    await chain.finalize(sibling.hash);
    expect(hex(chain.bestHash)).toBe(hex(sibling.hash));
    expect(pool.status().ready).toBe(1);
    clock += 6000;
    const next = await chain.author(alice());
    expect(next.poolTransactions).toBe(1);
    for (const c of [chain, other.chain]) await c.close();
    for (const d of [db, other.db]) await d.close();
  });
});

describe('signature cache at import', () => {
  it('a block carrying a tampered copy of a transaction whose signature is cached fails import', async () => {
    const a = await openChain(await tempDir());
    const registry = pjsRegistry(a.chain);
    const poolA = new TxPool({
      best: { hash: a.chain.bestHash, number: 0 },
      validate: (tx, at, source) => a.chain.validateTransaction(tx, at, source),
    });
    a.chain.attachPool(poolA);
    const bob = new Keyring({ type: 'sr25519' }).addFromUri('//Bob').publicKey;
    const genuine = signTransfer(a.chain, registry, '//Alice', bob, 5000n, 0);
    await poolA.submit(genuine);
    clock += 6000;
    const blk = await a.chain.author(alice());
    expect(blk.extrinsics.length).toBe(2);

    // B has validated the genuine transaction (its signature is cached)...
    const b = await openChain(await tempDir());
    const v = await b.chain.validateTransaction(genuine, b.chain.bestHash, 'External');
    expect(v.ok).toBe(true);
    expect(b.chain.runtime.signatureCache.stats().entries).toBe(1);
    // ...then receives A's block with that transaction's signature (1 + 32 + 1: after the length prefix, version
    // byte, MultiAddress::Id and the MultiSignature tag) or its amount altered, under A's genuine seal.
    const lenPrefix = genuine[0] === 0 ? 1 : (genuine[0] & 3) === 1 ? 2 : 4;
    const sigAt = lenPrefix + 1 + 33 + 1;
    const badSig = genuine.slice();
    badSig[sigAt + 10] ^= 0x01;
    const badAmount = genuine.slice();
    badAmount[badAmount.length - 1] ^= 0x01;
    for (const tampered of [badSig, badAmount]) {
      const err = await b.chain
        .importBlock({ header: blk.header, extrinsics: [blk.extrinsics[0], tampered] })
        .then(
          () => undefined,
          (e) => e as BlockImportError,
        );
      expect(err).toBeInstanceOf(BlockImportError);
      expect(err!.reason).toBe('ExecutionFailed');
      expect(err!.message).toMatch(/BadProof/);
    }
    expect(b.chain.bestNumber).toBe(0);
    // The genuine block imports (its signature answered from B's cache).
    const hitsBefore = b.chain.runtime.signatureCache.stats().hits;
    await b.chain.importBlock({ header: blk.header, extrinsics: blk.extrinsics });
    expect(b.chain.bestNumber).toBe(1);
    expect(b.chain.runtime.signatureCache.stats().hits).toBe(hitsBefore + 1);
    for (const c of [a, b]) await c.db.close();
  });
});

describe('restart and history', () => {
  it('reopens at the best block with a verified state, keeps authoring, and reads old states from stored nodes', async () => {
    const dir = await tempDir();
    let { db, chain } = await openChain(dir, { recentStates: 2 });
    const hashes: Uint8Array[] = [chain.genesisHash];
    const timestamps: bigint[] = [];
    for (let i = 0; i < 6; i++) {
      clock += 6000;
      const b = await chain.author(alice());
      hashes.push(b.hash);
    }
    // Timestamp.Now at each block, from the in-memory trie (best) and from stored nodes (older ones).
    const nowKey = Buffer.from(
      '0xf0c365c3cf59d671eb72da0e7a4113c49f1f0515f462cdcf84e0f1d6045dfcbb'.slice(2),
      'hex',
    ); // twox128("Timestamp") ++ twox128("Now"), as polkadot-js `api.query.timestamp.now.key()`
    for (const h of hashes.slice(1)) {
      const v = await (await chain.stateAt(h)).get(nowKey);
      timestamps.push(Buffer.from(v!).readBigUInt64LE());
    }
    for (let i = 1; i < timestamps.length; i++) expect(timestamps[i] - timestamps[i - 1]).toBe(6000n);
    const bestRoot = hex(chain.bestTrie.root());
    await chain.close();
    await db.close();

    ({ db, chain } = await openChain(dir));
    expect(chain.bestNumber).toBe(6);
    expect(hex(chain.bestHash)).toBe(hex(hashes[6]));
    expect(hex(chain.bestTrie.root())).toBe(bestRoot);
    // Old state after the restart: from stored nodes, with proofs.
    const old = await chain.stateAt(hashes[2]);
    expect(Buffer.from((await old.get(nowKey))!).readBigUInt64LE()).toBe(timestamps[1]);
    expect((await old.proof([nowKey])).length).toBeGreaterThan(0);
    clock += 6000;
    const b7 = await chain.author(alice());
    expect(b7.number).toBe(7);
    expect(hex(b7.header.parentHash)).toBe(hex(hashes[6]));
    await db.close();
  });
});
