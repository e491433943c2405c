/**
 * Storage nodes on Crust, end to end: a devnet (relay + Crust, 500 ms blocks, no storage nodes of its own), a
 * source gateway holding a 100 MiB file (an IPFS-only `xstorage storage-node`), and four `xstorage storage-node
 * --crust …` processes in their own groups, each pulling from the source and from the others. //Alice orders the
 * file with `market.placeStorageOrder`.
 * - `storage.order_to_4_copies_vs_cpu`: wall time from the order's block being seen to the fourth node's copy
 *   verified and pinned, vs the four pulls' CPU time (the four processes' user + system time over that window,
 *   from /proc) spread over this machine's cores: the least time the cores could do that work in. Goal ≤ 1.2.
 * - `storage.order_to_4_copies_vs_cpu_with_serving`: the same wall time vs the pulls' CPU plus the CPU the source
 *   gateway spent serving them, over the cores: the floor once the serving side is counted (no goal; context).
 * - `storage.order_to_4_replicas_slots`: report slots from the order's slot to the slot of the block that holds
 *   the fourth replica in `market.filesV2(cid).replicas`, vs one slot (the next report slot). Goal ≤ 1.
 *
 * Run as `npx tsx bench/run.ts storage-replicas`.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import {
  connectApi,
  fileBytes,
  killStorageNodeProcesses,
  type Running,
  replicasOf,
  sendInBlock,
  spawnDevnet,
  status,
  waitUntil,
  xstorage,
} from '../packages/storage-node/test/helpers.ts';
import { type BenchResult, type BenchSuite, result } from './lib.ts';

const MIB = 1024 * 1024;
const REPORT_SLOT = 10;
const OWNERS = ['Alice', 'Bob', 'Charlie', 'Dave'];

/** utime + stime of a process, in ms (from /proc/<pid>/stat; clock ticks of 10 ms). */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

const suite: BenchSuite = {
  name: 'storage-replicas',
  async run() {
    await cryptoWaitReady();
    const dir = await mkdtemp(join(tmpdir(), 'xstorage-bench-storage-'));
    const net = await spawnDevnet({
      parachains: ['crust'],
      blockTimeMs: 500,
      storageNodes: 0,
      readyTimeoutMs: 60_000,
    });
    const api = await connectApi(net.endpoints.parachains.crust.ws);
    const nodes: Running[] = [];
    try {
      const keyring = new Keyring({ type: 'sr25519', ss58Format: 66 });
      const uris = OWNERS.map((o) => `//${o}//bench-storage`);
      // Each owner funds its node and allowlists it in its group (one replica per group on Crust).
      await Promise.all(
        OWNERS.map((o, i) =>
          sendInBlock(
            api,
            api.tx.utility.batchAll([
              api.tx.swork.createGroup(),
              api.tx.balances.transferKeepAlive(keyring.addFromUri(uris[i]).address, 10n ** 15n),
              api.tx.swork.addMemberIntoAllowlist(keyring.addFromUri(uris[i]).address),
            ]),
            keyring.addFromUri(`//${o}`),
          ),
        ),
      );
      await writeFile(join(dir, 'file.bin'), fileBytes(100 * MIB, 31));
      const source = xstorage([
        '--base-path',
        join(dir, 'source'),
        '--gateway-port',
        '0',
        '--json',
        '--add',
        join(dir, 'file.bin'),
      ]);
      nodes.push(source);
      const sourceUrl = (await source.next('started')).gateway as string;
      const added = await source.next('added');
      const started: Array<{ http: string }> = [];
      for (const [i, uri] of uris.entries()) {
        const n = xstorage([
          '--base-path',
          join(dir, `node-${i}`),
          '--crust',
          net.endpoints.parachains.crust.ws,
          '--key',
          uri,
          '--group',
          keyring.addFromUri(`//${OWNERS[i]}`).address,
          '--gateway-port',
          '0',
          '--json',
          '--provider',
          sourceUrl,
        ]);
        nodes.push(n);
        started.push((await n.next('started')) as { http: string });
      }
      await waitUntil(
        'every node in its group',
        async () => (await Promise.all(started.map((s) => status(s.http)))).every((s) => s.ready.ready),
        60_000,
        300,
      );
      const storageNodes = nodes.slice(1);
      const cpuBefore = storageNodes.map((n) => cpuMs(n.child.pid!));
      const sourceCpuBefore = cpuMs(source.child.pid!);
      const order = await new Promise<{ blockNumber: number; at: number }>((resolve, reject) => {
        api.tx.market
          .placeStorageOrder(added.cid, added.dagSize, 0, '')
          .signAndSend(keyring.addFromUri('//Alice'), (r: any) => {
            if (r.dispatchError) reject(new Error(String(r.dispatchError)));
            else if (r.status.isInBlock) {
              const at = performance.now();
              void api.rpc.chain
                .getHeader(r.status.asInBlock)
                .then((h) => resolve({ blockNumber: h.number.toNumber(), at }));
            }
          })
          .catch(reject);
      });
      const valid = await Promise.all(
        storageNodes.map((n) => n.next('valid', (e) => e.cid === added.cid).then(() => performance.now())),
      );
      const copiesMs = Math.max(...valid) - order.at;
      if (process.env.XSTORAGE_BENCH_TIMELINE) {
        const t0 = Date.now() - (performance.now() - order.at);
        for (const [i, n] of storageNodes.entries())
          for (const e of n.events.filter((x) => ['order', 'pull', 'valid'].includes(x.event)))
            console.error(`node ${i} ${e.event} +${e.t - t0} ms`);
      }
      const cpu = storageNodes.reduce((s, n, i) => s + cpuMs(n.child.pid!) - cpuBefore[i], 0);
      const floorMs = cpu / availableParallelism();
      const servedMs = cpuMs(source.child.pid!) - sourceCpuBefore;
      const fourth = await waitUntil(
        'four replicas',
        async () => {
          const r = await replicasOf(api, added.cid);
          if (r.length < 4) return undefined;
          return ((await api.rpc.chain.getHeader()) as any).number.toNumber() as number;
        },
        120_000,
        100,
      );
      // The block holding the fourth report: the latest report's block among the four nodes.
      const reports = await Promise.all(
        storageNodes.map((n) =>
          n.next('reported', (e) => Array.isArray(e.added) && e.added.includes(added.cid)),
        ),
      );
      const lastReportBlock = Math.max(...reports.map((r) => r.at as number), 0) || fourth;
      const slots = Math.floor(lastReportBlock / REPORT_SLOT) - Math.floor(order.blockNumber / REPORT_SLOT);
      const results: BenchResult[] = [
        result(
          'storage.order_to_4_copies_vs_cpu',
          copiesMs,
          'ms',
          { name: `the four pulls' CPU time over ${availableParallelism()} cores (ms)`, value: floorMs },
          1.2,
          'lower',
        ),
        result(
          'storage.order_to_4_copies_vs_cpu_with_serving',
          copiesMs,
          'ms',
          {
            name: `the pulls' and the source gateway's CPU time over ${availableParallelism()} cores (ms)`,
            value: (cpu + servedMs) / availableParallelism(),
          },
          null,
          'lower',
        ),
        result(
          'storage.order_to_4_replicas_slots',
          slots,
          'slots',
          { name: 'the next report slot', value: 1 },
          1,
          'lower',
        ),
      ];
      return results;
    } finally {
      killStorageNodeProcesses();
      await api.disconnect().catch(() => {});
      await net.dispose();
      await rm(dir, { recursive: true, force: true });
    }
  },
};
export default suite;
