/**
 * `xstorage devnet`: the relay chain and the parachains in one process, each with its own database and RPC port.
 * Prints a line per chain until each produces blocks, then the endpoints (also written to
 * `<base-path>/endpoints.json`); Ctrl-C stops everything; a restart on the same base path resumes.
 */
import { parseArgs } from 'node:util';
import { Devnet, type DevnetOptions, type DevnetProgress } from '@xstorage/node/devnet';
import { PARACHAINS } from '@xstorage/runtime/chains';
import type { Command } from '../command.ts';
import { DashboardServer } from '../dashboard/server.ts';

const USAGE = `usage: xstorage devnet [options]

Starts the relay chain and the parachains (${PARACHAINS.map((p) => p.id).join(', ')}) on this machine.

  --parachains <a,b,…>      which parachains (default: all)
  --block-time <ms>         relay block time, one parachain block per relay block (default 6000)
  --rpc-port <p>            the relay on p, the parachains on p+1, p+2, … in the order above (default 9944)
  --rpc-host <host>         default 127.0.0.1
  --base-path <dir>         keep the chains here (restart resumes); default: a temporary directory
  --storage-nodes <n>       storage nodes on Crust in this process (default 4, 0 = none); node 1 is the
                            public gateway; each joins the group of //Alice, //Bob, … (one replica per group)
  --dashboard-port <p|off>  serve the dashboard on http://127.0.0.1:<p>/ (default 9900; 0 with --rpc-port 0: any
                            free port; off: none)
  --crust-production        Crust with its production durations (600-block report slots, 180-day files)
                            instead of the devnet's (10-block slots, 300-block files)
  --json                    one JSON document per line (progress, endpoints, errors)
  -h, --help                this help
`;

export const DEFAULT_DASHBOARD_PORT = 9900;

export function parseDevnetArgs(
  args: string[],
): DevnetOptions & { json: boolean; help: boolean; dashboardPort: number | undefined } {
  const { values } = parseArgs({
    args,
    strict: true,
    allowPositionals: false,
    options: {
      parachains: { type: 'string' },
      'block-time': { type: 'string' },
      'rpc-port': { type: 'string' },
      'rpc-host': { type: 'string' },
      'base-path': { type: 'string' },
      'storage-nodes': { type: 'string' },
      'crust-production': { type: 'boolean' },
      'dashboard-port': { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  let blockTimeMs = 6000;
  if (values['block-time'] !== undefined) {
    blockTimeMs = Number(values['block-time']);
    if (!Number.isInteger(blockTimeMs) || blockTimeMs < 200 || blockTimeMs > 600_000)
      throw new Error(`--block-time must be an integer of 200..600000 ms, got '${values['block-time']}'`);
  }
  let rpcPort = 9944;
  if (values['rpc-port'] !== undefined) {
    rpcPort = Number(values['rpc-port']);
    if (!Number.isInteger(rpcPort) || rpcPort < 0 || rpcPort > 65535 - PARACHAINS.length)
      throw new Error(`--rpc-port must be 0..${65535 - PARACHAINS.length}, got '${values['rpc-port']}'`);
  }
  const parachains = values.parachains
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (parachains) {
    const unknown = parachains.filter((n) => !PARACHAINS.some((p) => p.id === n));
    if (unknown.length > 0)
      throw new Error(
        `unknown parachain '${unknown.join(', ')}' in --parachains; known: ${PARACHAINS.map((p) => p.id).join(', ')}`,
      );
  }
  const storageNodes = values['storage-nodes'] === undefined ? 4 : Number(values['storage-nodes']);
  if (!Number.isInteger(storageNodes) || storageNodes < 0 || storageNodes > 64)
    throw new Error(`--storage-nodes must be an integer of 0..64, got '${values['storage-nodes']}'`);
  const dashboardPort = parseDashboardPort(values['dashboard-port'], rpcPort);
  return {
    parachains,
    dashboardPort,
    storageNodes: parachains && !parachains.includes('crust') ? 0 : storageNodes,
    crustProduction: values['crust-production'] === true,
    blockTimeMs,
    rpcPort,
    rpcHost: values['rpc-host'] ?? '127.0.0.1',
    basePath: values['base-path'],
    tmp: values['base-path'] === undefined,
    json: values.json === true,
    help: values.help === true,
  };
}

/** `--dashboard-port`: a port, `off` (undefined), or the default (0 when the RPC ports are chosen freely). */
export function parseDashboardPort(text: string | undefined, rpcPort: number): number | undefined {
  if (text === 'off') return undefined;
  if (text === undefined) return rpcPort === 0 ? 0 : DEFAULT_DASHBOARD_PORT;
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`--dashboard-port must be 0..65535 or off, got '${text}'`);
  return port;
}

export function printProgress(e: DevnetProgress, json: boolean, dashboard?: string): void {
  if (json) {
    console.log(
      JSON.stringify({
        event: e.kind,
        ...e,
        kind: undefined,
        ...(e.kind === 'ready' && dashboard ? { dashboard } : {}),
      }),
    );
    return;
  }
  if (e.kind === 'starting') console.log(`  ${e.chain.padEnd(11)} starting  ${e.rpcUrl}`);
  else if (e.kind === 'producing') console.log(`  ${e.chain.padEnd(11)} producing blocks (#${e.best})`);
  else {
    console.log(`\nxstorage devnet ready (endpoints in ${e.endpointsFile}):`);
    console.log(`  relay       ${e.endpoints.relay.ws}`);
    for (const [name, p] of Object.entries(e.endpoints.parachains))
      console.log(`  ${name.padEnd(11)} ${p.ws}  (para ${p.paraId})`);
    if (e.endpoints.gateway) console.log(`  gateway     ${e.endpoints.gateway}`);
    for (const n of e.endpoints.storageNodes ?? [])
      console.log(`  ${n.name.padEnd(11)} ${n.http}  ${n.account}`);
    if (dashboard) console.log(`  dashboard   ${dashboard}`);
    console.log('\nCtrl-C stops the devnet.');
  }
}

/**
 * Starts the dashboard server (before the devnet, so its URL is printed with the endpoints); it serves the page once
 * the endpoints are set. Undefined when `port` is undefined (`--dashboard-port off`).
 */
export async function startDashboard(
  port: number | undefined,
  host: string,
): Promise<{ server: DashboardServer; url: string } | undefined> {
  if (port === undefined) return undefined;
  const server = new DashboardServer({ port, host });
  try {
    return { server, url: await server.start() };
  } catch (err) {
    throw new Error(
      `the dashboard cannot listen on ${host}:${port} (${(err as Error).message}): pick --dashboard-port or off`,
    );
  }
}

const devnet: Command = {
  async run(args) {
    let parsed: ReturnType<typeof parseDevnetArgs>;
    try {
      parsed = parseDevnetArgs(args);
    } catch (err) {
      console.error(`xstorage devnet: ${(err as Error).message}\n\n${USAGE}`);
      return 2;
    }
    if (parsed.help) {
      console.log(USAGE);
      return 0;
    }
    const { json, help: _h, dashboardPort, ...opts } = parsed;
    let dashboard: Awaited<ReturnType<typeof startDashboard>>;
    try {
      dashboard = await startDashboard(dashboardPort, opts.rpcHost ?? '127.0.0.1');
    } catch (err) {
      if (json) console.log(JSON.stringify({ event: 'error', message: (err as Error).message }));
      console.error(`xstorage devnet: ${(err as Error).message}`);
      return 1;
    }
    if (!json) console.log('xstorage devnet: starting the relay chain and the parachains …');
    const net = new Devnet({
      ...opts,
      onProgress: (e) => {
        if (e.kind === 'ready') dashboard?.server.setEndpoints(e.endpoints);
        printProgress(e, json, dashboard?.url);
      },
      onStorageLog: json
        ? (node, event, data) =>
            console.log(
              JSON.stringify({ event: 'storage', node, kind: event, ...data }, (_k, v) =>
                typeof v === 'bigint' ? v.toString() : v,
              ),
            )
        : undefined,
      onError: (chain, err) => {
        const message = (err as Error).message;
        if (json) console.log(JSON.stringify({ event: 'error', chain, message }));
        else console.error(`xstorage devnet: ${chain}: ${message}`);
      },
    });
    let stopping = false;
    const stop = new Promise<void>((resolveStop) => {
      const onSignal = () => {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
        stopping = true;
        resolveStop();
      };
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
    });
    try {
      await Promise.race([net.start(), stop]);
    } catch (err) {
      const message = (err as Error).message;
      if (json) console.log(JSON.stringify({ event: 'error', message }));
      console.error(`xstorage devnet: ${message}`);
      await dashboard?.server.stop();
      await net.stop();
      return 1;
    }
    if (!stopping) await stop;
    if (!json) console.log('xstorage devnet: stopping …');
    await dashboard?.server.stop();
    await net.stop();
    if (json) console.log(JSON.stringify({ event: 'stopped' }));
    else console.log('xstorage devnet stopped');
    return 0;
  },
};
export default devnet;
