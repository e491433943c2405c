/**
 * `xstorage demo [--once]`: the whole journey on this machine in one command. Starts the devnet in this process
 * (relay, Crust, the seven parachains, four storage nodes, the dashboard), stores a sample file from a parachain
 * paying with that chain's token, shows each hop until 4 replicas, prints a summary, then keeps serving until
 * Ctrl-C (`--once`: exits, 0 when the file reached its replicas). `npm start` runs it.
 */
import { randomBytes } from 'node:crypto';
import { Devnet } from '@xstorage/node/devnet';
import { PARACHAINS } from '@xstorage/runtime/chains';
import { DEVNET, formatAmount, XstorageClient } from '@xstorage/sdk';
import type { Command } from '../command.ts';
import { EXIT, exitCodeTable } from '../exit-codes.ts';
import { followOrder } from '../order-view.ts';
import { bytes, jsonLine, makeOut, parseFlags, quietPolkadotJs, runCommand, UsageError } from '../output.ts';
import { parseDashboardPort, startDashboard } from './devnet.ts';
import { parseCount } from './store.ts';

const USAGE = `usage: xstorage demo [--once] [options]

Starts the devnet here (relay chain, Crust, ${PARACHAINS.length - 1} parachains, 4 storage nodes, the dashboard), stores a
sample file from a parachain with that chain's own token, and shows it travel to Crust and reach 4 replicas.

  --once                    exit after the summary (0 once the file has its replicas)
  --from <chain>            the parachain to store from (default acala; moonbeam and darwinia use Ethereum keys)
  --size <bytes>            the sample file's size (default 262144)
  --block-time <ms>         relay block time (default 1000)
  --rpc-port <p>            relay on p, parachains on p+1… (default 9944, so other commands find it; 0 = any)
  --dashboard-port <p|off>  the dashboard (default 9900; 0 with --rpc-port 0)
  --timeout <seconds>       give up waiting for the replicas after this long (default 120)
  --json                    one JSON document per line
  -h, --help                this help

exit codes:
${exitCodeTable()}
`;

const demo: Command = {
  async run(args) {
    let json = args.includes('--json');
    return runCommand(
      'demo',
      USAGE,
      () => json,
      async () => {
        const { values } = parseFlags({
          args,
          strict: true,
          allowPositionals: false,
          options: {
            once: { type: 'boolean' },
            from: { type: 'string' },
            size: { type: 'string' },
            'block-time': { type: 'string' },
            'rpc-port': { type: 'string' },
            'dashboard-port': { type: 'string' },
            timeout: { type: 'string' },
            json: { type: 'boolean' },
            help: { type: 'boolean', short: 'h' },
          },
        });
        json = values.json === true;
        if (values.help) {
          console.log(USAGE);
          return EXIT.OK;
        }
        const from = values.from ?? 'acala';
        const chain = DEVNET.chains.find((c) => c.id === from);
        if (!chain || chain.id === DEVNET.crust.id)
          throw new UsageError(
            `--from must be a parachain other than crust: ${DEVNET.chains
              .filter((c) => c.id !== DEVNET.crust.id)
              .map((c) => c.id)
              .join(', ')}`,
          );
        const size = parseCount('--size', values.size, 262_144, 64 * 1024 * 1024);
        const blockTimeMs = parseCount('--block-time', values['block-time'], 1000, 60_000);
        if (blockTimeMs < 200) throw new UsageError('--block-time must be at least 200 ms');
        const rpcPort = parseCount('--rpc-port', values['rpc-port'], 9944, 65535 - PARACHAINS.length);
        const timeoutS = parseCount('--timeout', values.timeout, 120, 86_400);
        let dashboardPort: number | undefined;
        try {
          dashboardPort = parseDashboardPort(values['dashboard-port'], rpcPort);
        } catch (err) {
          throw new UsageError((err as Error).message);
        }
        quietPolkadotJs();
        const out = makeOut(json);
        const t0 = performance.now();
        const secs = () => ((performance.now() - t0) / 1000).toFixed(1);

        const dashboard = await startDashboard(dashboardPort, '127.0.0.1');
        out.say(
          `xstorage demo: starting the devnet (relay, ${PARACHAINS.map((p) => p.id).join(', ')}, 4 storage nodes) …`,
        );
        const net = new Devnet({
          tmp: true,
          blockTimeMs,
          rpcPort,
          storageNodes: 4,
          onProgress: (e) => {
            if (e.kind === 'ready') {
              dashboard?.server.setEndpoints(e.endpoints);
              out.emit(
                'ready',
                {
                  endpoints: e.endpoints,
                  endpointsFile: e.endpointsFile,
                  dashboard: dashboard?.url,
                  seconds: Number(secs()),
                },
                `  ready in ${secs()} s: relay ${e.endpoints.relay.ws}, ${Object.keys(e.endpoints.parachains).length} parachains, ${e.endpoints.storageNodes?.length ?? 0} storage nodes, gateway ${e.endpoints.gateway}\n  endpoints ${e.endpointsFile}${dashboard ? `\n  dashboard ${dashboard.url}` : ''}`,
              );
            }
          },
          onError: (c, err) => {
            if (json)
              console.log(jsonLine({ event: 'devnet-error', chain: c, message: (err as Error).message }));
            else console.error(`xstorage demo: ${c}: ${(err as Error).message}`);
          },
        });
        let interrupted = false;
        let wake: (() => void) | undefined;
        const onSignal = () => {
          interrupted = true;
          wake?.();
        };
        process.once('SIGINT', onSignal);
        process.once('SIGTERM', onSignal);
        let client: XstorageClient | undefined;
        try {
          const endpoints = await net.start();
          client = new XstorageClient(endpoints, DEVNET);
          const signer = await client.signer(chain.accounts === 'ethereum' ? 'Alith' : '//Alice', from);
          const content = new Uint8Array(size);
          const head = new TextEncoder().encode(
            `hello from ${chain.name} through xstorage, ${new Date().toISOString()}\n`,
          );
          content.set(randomBytes(size));
          content.set(head.subarray(0, size));
          out.say(`\nstoring a ${bytes(size)} sample file from ${chain.name} as ${signer.address}`);
          const {
            cid,
            size: orderSize,
            receipt,
          } = await client.store([{ path: 'xstorage-demo.bin', content }], {
            from,
            signer,
            onUploadProgress: (p) => out.progress(`  uploading           ${p.sent}/${p.total} bytes`),
          });
          out.endProgress();
          out.emit('uploaded', { cid, size: orderSize }, `  ✓ uploaded          ${cid} (${orderSize} bytes)`);
          const r = await followOrder(client, receipt, out, { replicas: 4, timeoutMs: timeoutS * 1000 });
          const f = receipt.fee;
          if (r.failed) {
            out.emit(
              'summary',
              { cid, ok: false, reason: r.failed.reason, seconds: Number(secs()) },
              `\nthe demo order failed: ${r.failed.reason}`,
            );
            if (values.once) return EXIT.ORDER_FAILED;
          } else {
            out.emit(
              'summary',
              {
                cid,
                size: orderSize,
                from,
                route: receipt.route,
                fee: f.total,
                feeToken: f.token,
                replicas: r.replicaCount,
                seconds: Number(secs()),
                dashboard: dashboard?.url,
              },
              `\n${cid} (${bytes(orderSize)}) stored from ${chain.name} for ${formatAmount(f.total, f.decimals, f.token)}: ${r.replicaCount} replicas on Crust, ${secs()} s after start.\n  xstorage status ${cid}${rpcPort === 9944 ? '' : ` --endpoints ${net.basePath}/endpoints.json`}\n  xstorage get ${cid} -o copy.bin${rpcPort === 9944 ? '' : ` --endpoints ${net.basePath}/endpoints.json`}${dashboard ? `\n  ${dashboard.url}#/cid/${cid}` : ''}`,
            );
          }
          if (values.once || interrupted) return r.failed ? EXIT.ORDER_FAILED : EXIT.OK;
          out.say(
            '\nthe devnet keeps running: store more with `xstorage store FILE --from <chain>`; Ctrl-C stops it.',
          );
          await new Promise<void>((res) => {
            wake = res;
            if (interrupted) res();
          });
          return EXIT.OK;
        } finally {
          process.off('SIGINT', onSignal);
          process.off('SIGTERM', onSignal);
          out.say('xstorage demo: stopping …');
          await client?.disconnect();
          await dashboard?.server.stop();
          await net.stop();
        }
      },
    );
  },
};
export default demo;
