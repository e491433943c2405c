/**
 * Runtime state hot path (what 10,000 transfers per block cost the framework), each next to a bound measured in
 * the same run:
 * - `runtime.state.overlay_ops_per_s`: Overlay setK+getK at transaction depth 1 vs the same on a bare JS Map
 *   (the floor any overlay pays).
 * - `runtime.state.transfer_like_per_s`: per "transfer": two System.Account mutations + two events, each in its own
 *   storage layer, vs the irreducible storage work done by hand on a bare Map (same key hashing and SCALE codecs,
 *   no transactions, no events).
 * - `runtime.state.block_10k_transfer_like_ms`: 10,000 of them in one block (median of 3) vs the 2 s block
 *   execution budget.
 */
import { hashKey, initCrypto, StorageHasher } from '@xstorage/runtime/crypto';
import { AccountId32 } from '@xstorage/runtime/extrinsic';
import { defineRuntime } from '@xstorage/runtime/frame';
import {
  Account,
  AccountInfoCodec,
  defaultSystemConfig,
  initialize,
  noteFinishedInitialize,
  System,
  SystemEvent,
} from '@xstorage/runtime/pallets/system';
import { keyToString, MemoryBackend, Overlay } from '@xstorage/runtime/state';
import { type BenchSuite, opsPerSecond, result } from './lib.ts';

const runtime = defineRuntime({
  pallets: [[0, System, defaultSystemConfig()]],
  version: {
    spec_name: 'bench',
    impl_name: 'bench',
    authoring_version: 1,
    spec_version: 1,
    impl_version: 1,
    transaction_version: 1,
    system_version: 1,
  },
});

const ACCOUNTS = Array.from({ length: 4096 }, (_, i) => {
  const a = new Uint8Array(32);
  a[0] = i & 0xff;
  a[1] = i >> 8;
  return a;
});
const INFO = () => ({
  nonce: 0,
  consumers: 0,
  providers: 1,
  sufficients: 0,
  data: { free: 10n ** 15n, reserved: 0n, frozen: 0n, flags: 0n },
});

function freshBlock(): Overlay {
  const backend = new MemoryBackend();
  const g = runtime.buildGenesis({}, backend);
  runtime.execute(g, () => {
    for (const a of ACCOUNTS) Account.set(a, INFO());
  });
  backend.apply(g.drainChanges());
  const o = new Overlay(backend);
  runtime.execute(o, () => {
    initialize(1, new Uint8Array(32), { logs: [] });
    noteFinishedInitialize();
  });
  return o;
}

function transferLike(o: Overlay, i: number): void {
  const from = ACCOUNTS[i & 4095];
  const to = ACCOUNTS[(i * 7 + 1) & 4095];
  o.transactional(() => {
    Account.mutate(from, (a) => {
      a.data.free -= 1000n;
      a.nonce++;
    });
    Account.mutate(to, (a) => {
      a.data.free += 1000n;
    });
    SystemEvent.deposit({ type: 'NewAccount', value: { account: from } });
    SystemEvent.deposit({ type: 'KilledAccount', value: { account: to } });
  });
}

const suite: BenchSuite = {
  name: 'runtime state overlay and storage items',
  async run(signal) {
    await initCrypto();
    const out = [];

    const keys = Array.from({ length: 1024 }, (_, i) =>
      keyToString(hashKey(StorageHasher.Blake2_256, new Uint8Array([i, i >> 8]))),
    );
    const value = new Uint8Array(80);
    const overlay = new Overlay(new MemoryBackend());
    overlay.startTransaction();
    const overlayOps = opsPerSecond(() => {
      for (const k of keys) {
        overlay.setK(k, value);
        overlay.getK(k);
      }
    }, 2 * keys.length);
    const map = new Map<string, Uint8Array | null>();
    const mapOps = opsPerSecond(() => {
      for (const k of keys) {
        map.set(k, value);
        map.get(k);
      }
    }, 2 * keys.length);
    out.push(
      result(
        'runtime.state.overlay_ops_per_s',
        overlayOps,
        'ops/s',
        { name: 'bare Map', value: mapOps },
        0.3,
        'higher',
      ),
    );
    if (signal.aborted) return out;

    const o = freshBlock();
    let i = 0;
    const framework = runtime.execute(o, () => opsPerSecond(() => transferLike(o, i++), 1, 1000));

    // The irreducible storage work by hand: hash both keys, decode/change/encode both AccountInfos (no events).
    const raw = new Map<string, Uint8Array>();
    for (const a of ACCOUNTS)
      raw.set(keyToString(hashKey(StorageHasher.Blake2_128Concat, a)), AccountInfoCodec.encode(INFO()));
    let j = 0;
    const floor = opsPerSecond(
      () => {
        const from = ACCOUNTS[j & 4095];
        const to = ACCOUNTS[(j++ * 7 + 1) & 4095];
        for (const [who, delta] of [
          [from, -1000n],
          [to, 1000n],
        ] as const) {
          const k = keyToString(hashKey(StorageHasher.Blake2_128Concat, AccountId32.encode(who)));
          const info = AccountInfoCodec.decode(raw.get(k)!);
          info.data.free += delta;
          raw.set(k, AccountInfoCodec.encode(info));
        }
      },
      1,
      1000,
    );
    out.push(
      result(
        'runtime.state.transfer_like_per_s',
        framework,
        'ops/s',
        { name: 'hand-rolled Map + codecs', value: floor },
        0.4,
        'higher',
      ),
    );
    if (signal.aborted) return out;

    // Median of three blocks, each on a fresh overlay over the same genesis (warm JIT, no leftovers).
    const times: number[] = [];
    for (let round = 0; round < 3 && !signal.aborted; round++) {
      const block = freshBlock();
      const start = performance.now();
      runtime.execute(block, () => {
        for (let n = 0; n < 10_000; n++) transferLike(block, n);
      });
      block.drainChanges();
      times.push(performance.now() - start);
    }
    const ms = times.sort((a, b) => a - b)[Math.floor(times.length / 2)];
    out.push(
      result(
        'runtime.state.block_10k_transfer_like_ms',
        ms,
        'ms',
        { name: '2 s block budget', value: 2000 },
        0.25,
        'lower',
      ),
    );
    return out;
  },
};

export default suite;
