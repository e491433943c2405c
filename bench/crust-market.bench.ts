/**
 * Storage orders placed directly on Crust against plain transfers on the same chain, in process with the Crust
 * runtime the devnet runs (packages/runtime/src/runtimes/crust, `crust` profile):
 * - crust.orders_vs_transfers: signed `market.place_storage_order` extrinsics (sr25519, real signatures, the
 *   standard extensions, fees, events; a distinct CID per order) applied per second in Crust blocks. Baseline:
 *   signed `balances.transfer_keep_alive` per second, measured the same way in the same run. Goal ≥ 0.5.
 * Both go through the path of bench/runtime-execution.bench.ts, but as a collator's full parachain block: authored
 * (initialize with the Aura slot digest, the timestamp and ParachainSystem validation-data inherents, the signed
 * extrinsics until the block's weight is exhausted, finalize), then imported on a fresh copy of genesis with
 * `executeBlock` (re-execution plus state and extrinsics root checks). The figure is extrinsics per second of
 * authoring + import (both timed, each printed); best of ROUNDS interleaved rounds, as the machine is shared.
 * The relay state the validation data proves comes from the runtime tests' TestRelay (a relay trie with the host
 * configuration at polkadot-sdk's well-known keys), one relay block per Crust block.
 */
import { Keyring } from '@polkadot/keyring';
import type { KeyringPair } from '@polkadot/keyring/types';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { slotDigest } from '@xstorage/node/chain';
import { type Header, HeaderCodec, headerHash } from '@xstorage/runtime/block';
import { initCrypto } from '@xstorage/runtime/crypto';
import { encodeExtrinsic, IMMORTAL, signingPayload } from '@xstorage/runtime/extrinsic';
import { CODE_KEY, runtimeCode } from '@xstorage/runtime/frame';
import { parachainInherentDataEntry } from '@xstorage/runtime/pallets/parachain-system';
import { BlockHash } from '@xstorage/runtime/pallets/system';
import { timestampInherentData } from '@xstorage/runtime/pallets/timestamp';
import { crustProfile } from '@xstorage/runtime/runtimes/crust';
import { PARACHAIN_SLOT_MS } from '@xstorage/runtime/runtimes/parachain';
import { MemoryBackend, Overlay } from '@xstorage/runtime/state';
import { TestRelay } from '../packages/runtime/test/pallets/parachain-system/test-relay.ts';
import { type BenchSuite, result } from './lib.ts';

const N = Number(process.env.XSTORAGE_BENCH_CRUST_ORDERS ?? 2_000);
const SENDERS = 100;
const ROUNDS = 3;
const CRUST = 2008;
const UNIT = 10n ** 12n;
const MIB = 1_048_576n;
const GOAL_ORDERS_VS_TRANSFERS = 0.5;

interface Block {
  header: Header;
  extrinsics: Uint8Array[];
}

const suite: BenchSuite = {
  name: 'Crust storage orders vs transfers (Crust runtime, blocks authored and imported in process)',
  async run(signal) {
    await cryptoWaitReady();
    // The runtime's WASM sr25519 verifier (the path the node runs), not the pure-JS fallback.
    await initCrypto();
    const { runtime, executive, format } = crustProfile.make();
    const keyring = new Keyring({ type: 'sr25519' });
    const senders: KeyringPair[] = Array.from({ length: SENDERS }, (_, i) =>
      keyring.addFromUri(`//bench/crust/${i}`),
    );
    const recipients = Array.from(
      { length: SENDERS },
      (_, i) => keyring.addFromUri(`//bench/crust/to/${i}`).publicKey,
    );

    // Genesis: the devnet's Crust plus funded senders (and live recipients, so transfers move money between accounts).
    const config = crustProfile.genesisConfig() as { Balances: { balances: Array<[Uint8Array, bigint]> } };
    config.Balances.balances.push(
      ...senders.map((s) => [s.publicKey, 1_000_000n * UNIT] as [Uint8Array, bigint]),
      ...recipients.map((r) => [r, UNIT] as [Uint8Array, bigint]),
    );
    const genesis = new MemoryBackend();
    genesis.apply(runtime.buildGenesis(config).drainChanges());
    genesis.apply([[CODE_KEY.slice(), runtimeCode(runtime)]]);
    const genesisHash = executive.run(new Overlay(genesis), () => BlockHash.get(0));

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
    /** Signs `call(i)` from sender i % SENDERS with nonce i / SENDERS (not timed). */
    const signAll = (call: (i: number) => unknown): Uint8Array[] =>
      Array.from({ length: N }, (_, i) => {
        const from = senders[i % SENDERS];
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
        const c = call(i);
        const payload = signingPayload(
          format.call.encode(c as never),
          format.extensions.extra.encode(extra),
          implicit,
        );
        return encodeExtrinsic(format, {
          call: c as never,
          signed: {
            address: { type: 'Id', value: from.publicKey },
            signature: { type: 'Sr25519', value: from.sign(payload) },
            extra,
          },
        });
      });
    const te = new TextEncoder();
    const orders = signAll((i) => ({
      type: 'Market',
      value: {
        type: 'place_storage_order',
        value: {
          // A base32 CIDv1 of the usual length, distinct per order: every order is a new file.
          cid: te.encode(`bafybeig${base32(i).padStart(8, 'a')}${'q'.repeat(51)}`),
          reported_file_size: MIB + BigInt(i),
          tips: 0n,
          memo: new Uint8Array(0),
        },
      },
    }));
    const transfers = signAll((i) => ({
      type: 'Balances',
      value: {
        type: 'transfer_keep_alive',
        value: { dest: { type: 'Id', value: recipients[(i + 1) % SENDERS] }, value: UNIT + BigInt(i) },
      },
    }));

    /**
     * Authors blocks on genesis holding all of `xts` (each block until its weight is exhausted), then imports them on
     * a fresh copy of genesis. Returns the ms of each and the blocks.
     */
    const run = (xts: Uint8Array[], what: string): { buildMs: number; importMs: number; blocks: number } => {
      const relay = new TestRelay();
      const backend = new MemoryBackend(genesis.entries());
      const blocks: Block[] = [];
      let parent = genesisHash;
      let parentHeader: Header | undefined;
      let next = 0;
      let buildMs = 0;
      for (let n = 1; next < xts.length; n++) {
        signal.throwIfAborted();
        relay.number = n;
        const slot = BigInt(n);
        const draft: Header = {
          parentHash: parent,
          number: n,
          stateRoot: new Uint8Array(32),
          extrinsicsRoot: new Uint8Array(32),
          digest: { logs: [slotDigest(slot)] },
        };
        const inherentData = new Map([
          timestampInherentData(slot * PARACHAIN_SLOT_MS),
          parachainInherentDataEntry(
            relay.inherentFor(CRUST, parentHeader ? HeaderCodec.encode(parentHeader) : new Uint8Array(0)),
          ),
        ]);
        const overlay = new Overlay(backend);
        const t0 = performance.now();
        const block = executive.run(overlay, () => {
          executive.initializeBlock(draft);
          const extrinsics: Uint8Array[] = [];
          for (const inh of executive.inherentExtrinsics(inherentData)) {
            const r = executive.applyExtrinsic(inh);
            if ('err' in r) throw new Error(`inherent failed: ${JSON.stringify(r.err)}`);
            extrinsics.push(inh);
          }
          const first = next;
          while (next < xts.length) {
            const r = executive.applyExtrinsic(xts[next]) as any;
            if ('err' in r) {
              if (r.err?.value?.type === 'ExhaustsResources' && next > first) break;
              throw new Error(`${what} ${next} refused: ${JSON.stringify(r.err)}`);
            }
            if (!('ok' in r.ok)) throw new Error(`${what} ${next} failed: ${stringify(r.ok)}`);
            extrinsics.push(xts[next++]);
          }
          return { header: executive.finalizeBlock(), extrinsics };
        });
        buildMs += performance.now() - t0;
        backend.apply(overlay.drainChanges());
        blocks.push(block);
        parentHeader = block.header;
        parent = headerHash(block.header);
      }

      const importing = new MemoryBackend(genesis.entries());
      let importMs = 0;
      for (const block of blocks) {
        signal.throwIfAborted();
        const overlay = new Overlay(importing);
        const t0 = performance.now();
        executive.run(overlay, () => executive.executeBlock(block));
        importMs += performance.now() - t0;
        importing.apply(overlay.drainChanges());
      }
      return { buildMs, importMs, blocks: blocks.length };
    };

    let ordersPerS = 0;
    let transfersPerS = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const o = run(orders, 'order');
      const t = run(transfers, 'transfer');
      const rate = (x: typeof o) => (N * 1000) / (x.buildMs + x.importMs);
      console.log(
        `  round ${round + 1}: ${N} orders in ${o.blocks} blocks: authored ${o.buildMs.toFixed(0)} ms, imported ${o.importMs.toFixed(0)} ms (${rate(o).toFixed(0)}/s); ${N} transfers in ${t.blocks} blocks: authored ${t.buildMs.toFixed(0)} ms, imported ${t.importMs.toFixed(0)} ms (${rate(t).toFixed(0)}/s)`,
      );
      ordersPerS = Math.max(ordersPerS, rate(o));
      transfersPerS = Math.max(transfersPerS, rate(t));
    }
    return [
      result(
        'crust.orders_vs_transfers',
        ordersPerS,
        'orders/s',
        {
          name: `signed balances.transfer_keep_alive in Crust blocks (same ${N}, authored + imported)`,
          value: transfersPerS,
        },
        GOAL_ORDERS_VS_TRANSFERS,
        'higher',
      ),
    ];
  },
};

/** `i` in RFC 4648 base32 letters (lower case): distinct CIDs within the base32 alphabet. */
function base32(i: number): string {
  return [...i.toString(32)].map((d) => 'abcdefghijklmnopqrstuvwxyz234567'[Number.parseInt(d, 32)]).join('');
}

function stringify(v: unknown): string {
  return JSON.stringify(v, (_k, x) =>
    typeof x === 'bigint' ? x.toString() : x instanceof Uint8Array ? Buffer.from(x).toString('hex') : x,
  );
}

export default suite;
