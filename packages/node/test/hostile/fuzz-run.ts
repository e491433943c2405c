/**
 * The long fuzz run: the targets the suite runs for seconds (packages/node/test/hostile/fuzz-targets.ts), for as
 * long as asked, against a chain node process (the bundled command, built first) and a gateway on a pack store.
 *
 *   npx tsx scripts/fuzz.ts --duration 10m [--target rpc,extrinsics,scale,gateway] [--seed 42]
 *
 * (scripts/fuzz.ts only loads this file, which lives here so that it is type-checked and linted with the
 * targets it runs.)
 *
 * The duration is shared between the targets. Prints the inputs tried per target; exits 1 with fast-check's
 * shrunk counterexample on the first input that is not answered as the protocol says.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { PackBlockstore } from '@xstorage/storage-node/ipfs';
import { buildCli } from '../../../cli/build.ts';
import { startGateway, startHelia, substrateAuth } from '../../../storage-node/test/gateway/helpers.ts';
import { connectApi, killAllStarted, startNode, tempBasePath } from '../integration/node-process.ts';
import { fuzzExtrinsics, fuzzGateway, fuzzRpc, fuzzScaleDecoders } from './fuzz-targets.ts';

const TARGETS = ['rpc', 'extrinsics', 'scale', 'gateway'] as const;
type Target = (typeof TARGETS)[number];

function parseDuration(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text);
  if (!m) throw new Error(`--duration: expected e.g. 90s, 10m, 1h, got '${text}'`);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[(m[2] ?? 's') as 'ms' | 's' | 'm' | 'h'];
  return Number(m[1]) * unit;
}

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '10m' },
    target: { type: 'string', default: TARGETS.join(',') },
    seed: { type: 'string' },
  },
});
const total = parseDuration(values.duration!);
const targets = values.target!.split(',').map((t) => {
  if (!(TARGETS as readonly string[]).includes(t))
    throw new Error(`--target: unknown '${t}' (${TARGETS.join(', ')})`);
  return t as Target;
});
const seed = values.seed === undefined ? undefined : Number(values.seed);
const each = total / targets.length;

const cleanups: Array<() => Promise<void>> = [];
let failed = false;
try {
  let node: Awaited<ReturnType<typeof startNode>> | undefined;
  if (targets.includes('rpc') || targets.includes('extrinsics')) {
    await buildCli();
    const basePath = await tempBasePath('fuzz');
    node = await startNode({ basePath, mode: { blockTimeMs: 1000 } });
    cleanups.push(async () => {
      await node?.stop();
      await killAllStarted();
      await rm(basePath, { recursive: true, force: true });
    });
  }
  for (const target of targets) {
    const started = performance.now();
    let runs = 0;
    if (target === 'rpc') {
      runs = (await fuzzRpc(node!.wsUrl, node!.httpUrl, each, seed)).runs;
    } else if (target === 'extrinsics') {
      await cryptoWaitReady();
      const api = await connectApi(node!.wsUrl);
      const keyring = new Keyring({ type: 'sr25519' });
      const xt = await api.tx.balances
        .transferKeepAlive(keyring.addFromUri('//Bob').address, 10n ** 12n)
        .signAsync(keyring.addFromUri('//Alice'));
      const valid = [xt.toU8a()];
      await api.disconnect();
      runs = (await fuzzExtrinsics(node!.wsUrl, each, valid, seed)).runs;
    } else if (target === 'scale') {
      runs = (await fuzzScaleDecoders(each, seed)).runs;
    } else {
      const dir = await mkdtemp(join(tmpdir(), 'xstorage-fuzz-gw-'));
      const blockstore = new PackBlockstore(join(dir, 'packs'));
      await blockstore.open();
      const helia = await startHelia({ blockstore });
      const internal: unknown[] = [];
      const { gateway, url } = await startGateway(helia, {
        onError: (err) => internal.push(err),
        uploadLimits: { quotaBytes: 0 },
      });
      try {
        const auth = (await substrateAuth('//Alice')).header;
        runs = (await fuzzGateway(url, auth, each, { seed, internalErrors: () => internal.length })).runs;
      } finally {
        await gateway.stop();
        await helia.stop();
        await rm(dir, { recursive: true, force: true });
      }
    }
    console.log(
      `fuzz ${target}: ${runs} inputs in ${Math.round((performance.now() - started) / 1000)} s, no failure`,
    );
  }
} catch (err) {
  failed = true;
  console.error(`fuzz failed: ${(err as Error).stack ?? err}`);
} finally {
  for (const c of cleanups) await c().catch(() => {});
}
process.exit(failed ? 1 : 0);
