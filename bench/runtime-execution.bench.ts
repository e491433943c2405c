/**
 * Block execution throughput: 10,000 signed balance transfers (sr25519, standard extensions, fees, events) imported
 * with `executeBlock` (re-execution plus state/extrinsics root checks) in blocks of 2,000, compared with merely
 * verifying the same 10,000 sr25519 signatures over the same signing payloads, in the same run.
 * The transfers go through the real Balances pallet (pallets/balances, transfer_keep_alive at Polkadot's indices)
 * with fees withdrawn through its currency.
 */
import { sr25519PairFromSeed, sr25519Sign } from '@polkadot/util-crypto';
import { type Header, headerHash } from '@xstorage/runtime/block';
import { blake2_256, initCrypto, sr25519Verify } from '@xstorage/runtime/crypto';
import { encodeExtrinsic, IMMORTAL, signingPayload } from '@xstorage/runtime/extrinsic';
import { weight } from '@xstorage/runtime/frame';
import { MemoryBackend, Overlay } from '@xstorage/runtime/state';
import { makeBalancesRuntime, systemConfigWith } from '../packages/runtime/test/executive/test-runtime.ts';
import { type BenchSuite, result } from './lib.ts';

const TRANSFERS = 10_000;
const PER_BLOCK = 2_000;
const SENDERS = 1_000;

const suite: BenchSuite = {
  name: 'runtime execution',
  async run(signal) {
    await initCrypto();
    const pairs = Array.from({ length: SENDERS }, (_, i) =>
      sr25519PairFromSeed(blake2_256(new Uint8Array([i & 0xff, i >> 8]))),
    );
    // Relay-chain-like limits (2 s of ref time, proof size not binding), so 2,000 transfers fit one block.
    const chain = makeBalancesRuntime(
      pairs.map((p) => [p.publicKey, 10n ** 18n] as [Uint8Array, bigint]),
      systemConfigWith(weight(2_000_000_000_000, 1e15)),
    );
    const { runtime, executive, backend, genesisHash } = chain;
    const format = executive.format;
    const implicit = format.extensions.implicit.encode([
      undefined,
      runtime.version.spec_version,
      runtime.version.transaction_version,
      genesisHash,
      genesisHash,
      undefined,
      undefined,
      undefined,
    ]);

    // Sign 10k transfers (not timed): sender i % SENDERS, nonce i / SENDERS, to the next sender.
    const payloads: Uint8Array[] = [];
    const signatures: Uint8Array[] = [];
    const signers: Uint8Array[] = [];
    const xts: Uint8Array[] = [];
    for (let i = 0; i < TRANSFERS; i++) {
      const from = pairs[i % SENDERS];
      const to = pairs[(i + 1) % SENDERS];
      const call = {
        type: 'Balances',
        value: {
          type: 'transfer_keep_alive',
          value: { dest: { type: 'Id', value: to.publicKey }, value: 1_000_000n + BigInt(i) },
        },
      };
      const extra = [
        undefined,
        undefined,
        undefined,
        undefined,
        IMMORTAL,
        Math.floor(i / SENDERS),
        undefined,
        0n,
      ];
      const payload = signingPayload(
        format.call.encode(call as never),
        format.extensions.extra.encode(extra),
        implicit,
      );
      const signature = sr25519Sign(payload, from);
      payloads.push(payload);
      signatures.push(signature);
      signers.push(from.publicKey);
      xts.push(
        encodeExtrinsic(format, {
          call: call as never,
          signed: {
            address: { type: 'Id', value: from.publicKey },
            signature: { type: 'Sr25519', value: signature },
            extra,
          },
        }),
      );
    }

    // Author the blocks once (apply path) to get headers with the right roots.
    const blocks: Array<{ header: Header; extrinsics: Uint8Array[] }> = [];
    {
      const authoring = new MemoryBackend(backend.entries());
      let parent = genesisHash;
      for (let b = 0; b < TRANSFERS / PER_BLOCK; b++) {
        signal.throwIfAborted();
        const extrinsics = xts.slice(b * PER_BLOCK, (b + 1) * PER_BLOCK);
        const overlay = new Overlay(authoring);
        const header = executive.run(overlay, () => {
          executive.initializeBlock({
            parentHash: parent,
            number: b + 1,
            stateRoot: new Uint8Array(32),
            extrinsicsRoot: new Uint8Array(32),
            digest: { logs: [] },
          });
          for (const x of extrinsics) {
            const r = executive.applyExtrinsic(x);
            if (!('ok' in r) || !('ok' in r.ok)) throw new Error(`transfer failed: ${JSON.stringify(r)}`);
          }
          return executive.finalizeBlock();
        });
        authoring.apply(overlay.drainChanges());
        blocks.push({ header, extrinsics });
        parent = headerHash(header);
      }
    }

    // Timed: import (executeBlock with root checks) of all blocks on a fresh copy of genesis.
    const importBackend = new MemoryBackend(backend.entries());
    const t0 = performance.now();
    for (const block of blocks) {
      const overlay = new Overlay(importBackend);
      executive.run(overlay, () => executive.executeBlock(block));
      importBackend.apply(overlay.drainChanges());
    }
    const execMs = performance.now() - t0;

    // Timed: sr25519 verification only, same 10k (signature, payload, key) triples.
    const t1 = performance.now();
    for (let i = 0; i < TRANSFERS; i++) {
      if (!sr25519Verify(signatures[i], payloads[i], signers[i])) throw new Error('verify failed');
    }
    const verifyMs = performance.now() - t1;

    const execTps = (TRANSFERS * 1000) / execMs;
    const verifyTps = (TRANSFERS * 1000) / verifyMs;
    return [
      result(
        'runtime.execute_10k_transfers',
        execTps,
        'tx/s',
        { name: 'sr25519 verify only (same 10k signatures)', value: verifyTps },
        0.6,
        'higher',
      ),
    ];
  },
};

export default suite;
