/**
 * XCM execution on one chain, in process, against the same chain's plain transfers (Acala's runtime, the devnet's):
 * - xcm.reserve_transfer_msgs_per_s: reserve-transfer messages from Crust — exactly what `polkadotXcm.transferAssets`
 *   of CRU sends: `ReserveAssetDeposited`, `ClearOrigin`, `BuyExecution`, `DepositAsset`, `SetTopic` — arriving as
 *   XCMP pages (`ConcatenatedVersionedXcm`) through the runtime's own path: XcmpQueue splits and enqueues them,
 *   MessageQueue services them with the runtime's message processor (decode, barrier, weigher, fixed-rate trader,
 *   ForeignAssets deposit, events).
 *   Baseline: signed `balances.transfer_keep_alive` extrinsics applied by the executive (signature check, nonce, fee,
 *   transfer, events), in blocks of the same size. Goal ≥ 0.5.
 * Both run over the same genesis state, alternating, 3 rounds; the medians are compared.
 */
import { Keyring } from '@polkadot/keyring';
import type { KeyringPair } from '@polkadot/keyring/types';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { blake2_256, sr25519Verify } from '@xstorage/runtime/crypto';
import { encodeExtrinsic, IMMORTAL, signingPayload } from '@xstorage/runtime/extrinsic';
import { CODE_KEY, runtimeCode } from '@xstorage/runtime/frame';
import { serviceQueues } from '@xstorage/runtime/pallets/message-queue';
import { BlockHash, Events } from '@xstorage/runtime/pallets/system';
import { handleXcmpMessages } from '@xstorage/runtime/pallets/xcmp-queue';
import { PARACHAIN_PROFILES } from '@xstorage/runtime/runtimes/parachain';
import { MemoryBackend, Overlay } from '@xstorage/runtime/state';
import { VersionedXcmCodec } from '@xstorage/runtime/xcm';
import { type BenchSuite, result } from './lib.ts';

const N = 3_000;
const PER_BLOCK = 500;
const ROUNDS = 3;
const SENDERS = 50;
const CRUST = 2008;
const UNIT = 10n ** 12n;
const MAX = { refTime: Number.MAX_SAFE_INTEGER, proofSize: Number.MAX_SAFE_INTEGER };

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const suite: BenchSuite = {
  name: 'XCM execution vs plain transfers (Acala runtime, in process)',
  async run(signal) {
    await cryptoWaitReady();
    const profile = PARACHAIN_PROFILES.find((p) => p.id === 'acala')!;
    const { runtime, executive, format } = profile.make();
    const keyring = new Keyring({ type: 'sr25519' });
    const senders: KeyringPair[] = Array.from({ length: SENDERS }, (_, i) =>
      keyring.addFromUri(`//bench/${i}`),
    );
    const recipients = Array.from(
      { length: SENDERS },
      (_, i) => keyring.addFromUri(`//bench/to/${i}`).publicKey,
    );

    // Genesis: the devnet's Acala plus funded senders (and recipients, so both sides move money between live accounts).
    const config = profile.genesisConfig() as { Balances: { balances: Array<[Uint8Array, bigint]> } };
    config.Balances.balances.push(
      ...senders.map((s) => [s.publicKey, 1_000_000n * UNIT] as [Uint8Array, bigint]),
      ...recipients.map((r) => [r, UNIT] as [Uint8Array, bigint]),
    );
    const genesis = new MemoryBackend();
    genesis.apply(runtime.buildGenesis(config).drainChanges());
    genesis.apply([[CODE_KEY.slice(), runtimeCode(runtime)]]);
    const genesisHash = executive.run(new Overlay(genesis), () => BlockHash.get(0));

    // Signed transfers (not timed): sender i % SENDERS with nonce i / SENDERS, to recipient (i + 1) % SENDERS.
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
    const transfers: Uint8Array[] = [];
    const signed: Array<[Uint8Array, Uint8Array, Uint8Array]> = [];
    for (let i = 0; i < N; i++) {
      const from = senders[i % SENDERS];
      const call = {
        type: 'Balances',
        value: {
          type: 'transfer_keep_alive',
          value: { dest: { type: 'Id', value: recipients[(i + 1) % SENDERS] }, value: UNIT + BigInt(i) },
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
      const signature = from.sign(payload);
      signed.push([signature, payload, from.publicKey]);
      transfers.push(
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

    // Reserve-transfer XCMs from Crust (not timed), V5 as the devnet's routers wrap them, in XCMP pages per block.
    const cru = { parents: 1, interior: [{ type: 'Parachain', value: CRUST }] };
    const messages: Uint8Array[] = [];
    for (let i = 0; i < N; i++) {
      const asset = { id: cru, fun: { type: 'Fungible', value: UNIT + BigInt(i) } };
      const topic = blake2_256(new Uint8Array([i & 0xff, (i >> 8) & 0xff, 1]));
      messages.push(
        VersionedXcmCodec.encode({
          type: 'V5',
          value: [
            { type: 'ReserveAssetDeposited', value: [asset] },
            { type: 'ClearOrigin' },
            { type: 'BuyExecution', value: { fees: asset, weight_limit: { type: 'Unlimited' } } },
            {
              type: 'DepositAsset',
              value: {
                assets: { type: 'Wild', value: { type: 'AllCounted', value: 1 } },
                beneficiary: {
                  parents: 0,
                  interior: [
                    { type: 'AccountId32', value: { network: undefined, id: recipients[(i + 1) % SENDERS] } },
                  ],
                },
              },
            },
            { type: 'SetTopic', value: topic },
          ],
        } as never),
      );
    }
    const pagesOf = (batch: Uint8Array[]): Array<readonly [number, number, Uint8Array]> => {
      const pages: Array<readonly [number, number, Uint8Array]> = [];
      let page: Uint8Array[] = [];
      let size = 1;
      const flush = () => {
        if (page.length === 0) return;
        const data = new Uint8Array(size);
        data[0] = 0; // ConcatenatedVersionedXcm
        let o = 1;
        for (const m of page) {
          data.set(m, o);
          o += m.length;
        }
        pages.push([CRUST, 1, data] as const);
        page = [];
        size = 1;
      };
      for (const m of batch) {
        if (size + m.length > 1 << 16) flush();
        page.push(m);
        size += m.length;
      }
      flush();
      return pages;
    };

    // Block 1 builds on genesis (System keeps its parent as BlockHash[0], which CheckGenesis signs over).
    const header = (n: number) => ({
      parentHash: n === 1 ? genesisHash : new Uint8Array(32).fill(n & 0xff),
      number: n,
      stateRoot: new Uint8Array(32),
      extrinsicsRoot: new Uint8Array(32),
      digest: { logs: [] },
    });

    /** N signed transfers applied by the executive, PER_BLOCK per block; returns tx/s. */
    const runTransfers = (): number => {
      const backend = new MemoryBackend(genesis.entries());
      let ms = 0;
      for (let b = 0; b < N / PER_BLOCK; b++) {
        const overlay = new Overlay(backend);
        const t0 = performance.now();
        executive.run(overlay, () => {
          executive.initializeBlock(header(b + 1));
          for (const x of transfers.slice(b * PER_BLOCK, (b + 1) * PER_BLOCK)) {
            const r = executive.applyExtrinsic(x);
            if (!('ok' in r) || !('ok' in r.ok)) throw new Error(`transfer failed: ${JSON.stringify(r)}`);
          }
        });
        ms += performance.now() - t0;
        backend.apply(overlay.drainChanges());
      }
      return (N * 1000) / ms;
    };

    /** N XCMs arriving in XCMP pages, split, enqueued and serviced by the runtime's message queue; returns msgs/s. */
    const runXcms = (): number => {
      const backend = new MemoryBackend(genesis.entries());
      let ms = 0;
      let processed = 0;
      for (let b = 0; b < N / PER_BLOCK; b++) {
        const overlay = new Overlay(backend);
        const pages = pagesOf(messages.slice(b * PER_BLOCK, (b + 1) * PER_BLOCK));
        const t0 = performance.now();
        executive.run(overlay, () => {
          executive.initializeBlock(header(b + 1));
          handleXcmpMessages(pages, MAX);
          serviceQueues(MAX);
        });
        ms += performance.now() - t0;
        processed += countProcessed(executive, overlay);
        backend.apply(overlay.drainChanges());
      }
      if (processed !== N) throw new Error(`only ${processed} of ${N} messages were processed successfully`);
      return (N * 1000) / ms;
    };

    /** What the transfers' signature checks alone allow (they dominate a signed transfer's cost). */
    const runVerify = (): number => {
      const t0 = performance.now();
      for (const [sig, msg, pk] of signed) if (!sr25519Verify(sig, msg, pk)) throw new Error('bad signature');
      return (N * 1000) / (performance.now() - t0);
    };

    const xcm: number[] = [];
    const plain: number[] = [];
    const verify: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      signal.throwIfAborted();
      plain.push(runTransfers());
      xcm.push(runXcms());
      verify.push(runVerify());
    }
    const x = median(xcm);
    const t = median(plain);
    console.log(
      `  reserve-transfer XCMs ${xcm.map((v) => v.toFixed(0)).join(', ')} msg/s; transfers ${plain.map((v) => v.toFixed(0)).join(', ')} tx/s; sr25519 verification alone ${verify.map((v) => v.toFixed(0)).join(', ')} /s`,
    );
    return [
      result(
        'xcm.reserve_transfer_msgs_per_s',
        x,
        'msg/s',
        {
          name: 'signed transfer_keep_alive applied by the executive (same runtime, same block size)',
          value: t,
        },
        0.5,
        'higher',
      ),
    ];
  },
};

/** `messageQueue.Processed { success: true }` events in the block just built. */
function countProcessed(executive: { run<T>(o: Overlay, f: () => T): T }, overlay: Overlay): number {
  return executive.run(overlay, () => {
    let n = 0;
    for (const r of Events.get() as any[])
      if (
        r.event.type === 'MessageQueue' &&
        r.event.value.type === 'Processed' &&
        r.event.value.value.success
      )
        n++;
    return n;
  });
}

export default suite;
