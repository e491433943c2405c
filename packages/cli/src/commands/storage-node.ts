/**
 * `xstorage storage-node`: runs a storage node's IPFS process (Helia on disk, private libp2p) until SIGINT /
 * SIGTERM. It can also add files and pull CIDs at start, so a parent process or a test drives it through
 * flags and reads one JSON line per event on stdout (`--json`).
 */
import { readFileSync, statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { CRUST_FLAGS, CRUST_USAGE, parseCrustFlags } from '@xstorage/storage-node/cli-flags';
// Single-file entry points (gateway/cli-flags, ipfs/fetch-http, ipfs/import-options): the /gateway and /ipfs
// barrels would load Helia and libp2p before the flags are even read (`storage-node --help` 0.5 s -> 1.7 s).
import {
  GATEWAY_LIMIT_FLAGS,
  GATEWAY_LIMIT_USAGE,
  type GatewayLimitFlags,
  gatewayOptionsFromFlags,
} from '@xstorage/storage-node/gateway/cli-flags';
import type { FetchOutcome, Provider, StorageNode } from '@xstorage/storage-node/ipfs';
import { HttpsTrust } from '@xstorage/storage-node/ipfs/fetch-http';
import { type KuboAddOptions, kuboImporterOptions } from '@xstorage/storage-node/ipfs/import-options';
import type { Command } from '../command.ts';
import { EXIT } from '../exit-codes.ts';

const USAGE = `usage: xstorage storage-node --base-path <dir> [options]

  --base-path <dir>       where blocks, the datastore and the node key live (required)
  --listen <multiaddr>    libp2p listen address, repeatable (default /ip4/127.0.0.1/tcp/0)
  --peer <multiaddr>      peer to dial at start (…/p2p/<id>), repeatable
  --gateway-port <port>   serve the HTTP gateway on 127.0.0.1:<port> (0 = any free port)
  --json                  one JSON object per line on stdout
  --add <file>            add and pin a file at start (Kubo-identical CID), repeatable
      --cid-version 0|1   --raw-leaves true|false   --chunker size-<n>
  --fetch <cid>           pull a DAG at start (verified, resumable) and pin it, repeatable
  --provider <p>          where to pull from: http(s)://gateway or a libp2p multiaddr, repeatable
  --ca <file>             PEM CA certificate(s) to trust for https providers besides Node's defaults
                          (a private CA, a self-signed gateway), repeatable
  --timeout <seconds>     give up a pull after this long (default 3600)
  --exit-when-done        stop after the adds and pulls instead of serving (exit 0 only if all completed)

${GATEWAY_LIMIT_USAGE}

${CRUST_USAGE}`;

/** `http(s)://…` is a trustless gateway, anything starting with `/` a libp2p multiaddr. */
export function parseProvider(text: string): Provider {
  if (/^https?:\/\//i.test(text)) return { kind: 'http', url: text };
  if (text.startsWith('/')) return { kind: 'libp2p', multiaddr: text };
  throw new Error(`--provider must be an http(s) URL or a multiaddr, got '${text}'`);
}

const storageNode: Command = {
  async run(args) {
    let parsed: ReturnType<typeof parse>;
    try {
      parsed = parse(args);
    } catch (err) {
      console.error(`xstorage storage-node: ${(err as Error).message}\n\n${USAGE}`);
      return 2;
    }
    const { values } = parsed;
    if (values.help) {
      console.log(USAGE);
      return 0;
    }
    const json = values.json === true;
    const emit = (event: string, data: Record<string, unknown>) => {
      if (json) console.log(JSON.stringify({ event, ...data }));
      else
        console.log(
          `${event}: ${Object.entries(data)
            .map(([k, v]) => `${k}=${format(v)}`)
            .join(' ')}`,
        );
    };
    // Inputs are checked before anything starts: a missing --add file is a one-line error, not a node that
    // starts and then dies with ENOENT.
    for (const file of values.add ?? []) {
      let isFile = false;
      try {
        isFile = statSync(file).isFile();
      } catch {
        console.error(`xstorage storage-node: --add ${file}: no such file (check the path)`);
        return EXIT.FILE_NOT_FOUND;
      }
      if (!isFile) {
        console.error(`xstorage storage-node: --add ${file}: not a regular file (add files one by one)`);
        return EXIT.FILE_NOT_FOUND;
      }
    }
    let addOptions: KuboAddOptions;
    let providers: Provider[];
    let ca: string[] | undefined;
    let gatewayPort: number | undefined;
    let gatewayLimits: GatewayLimitFlags;
    try {
      gatewayLimits = gatewayOptionsFromFlags(values);
      if (!values['base-path']) throw new Error('--base-path is required');
      addOptions = {
        cidVersion:
          values['cid-version'] === undefined ? undefined : (Number(values['cid-version']) as 0 | 1),
        rawLeaves: values['raw-leaves'] === undefined ? undefined : values['raw-leaves'] === 'true',
        chunker: values.chunker,
      };
      kuboImporterOptions(addOptions);
      providers = (values.provider ?? []).map(parseProvider);
      if ((values.fetch ?? []).length > 0 && providers.length === 0)
        throw new Error('--fetch needs --provider');
      if (values.ca !== undefined) {
        ca = values.ca.map((file) => {
          try {
            return readFileSync(file, 'utf8');
          } catch (err) {
            throw new Error(`--ca ${file}: ${(err as Error).message}`);
          }
        });
        new HttpsTrust(ca).close(); // not a certificate: fail now, not at the first pull
      }
      if (values['gateway-port'] !== undefined) {
        gatewayPort = Number(values['gateway-port']);
        if (!Number.isInteger(gatewayPort) || gatewayPort < 0 || gatewayPort > 65535) {
          throw new Error(`--gateway-port must be 0..65535, got '${values['gateway-port']}'`);
        }
      }
    } catch (err) {
      console.error(`xstorage storage-node: ${(err as Error).message}`);
      return 2;
    }

    if (values.crust !== undefined) {
      // A storage node on Crust: the manager and the worker around the same IPFS node and gateway.
      let crust: ReturnType<typeof parseCrustFlags>;
      try {
        crust = parseCrustFlags(values);
      } catch (err) {
        console.error(`xstorage storage-node: ${(err as Error).message}`);
        return 2;
      }
      const { runCrustStorageNode } = await import('@xstorage/storage-node/cli-run');
      return runCrustStorageNode(
        crust,
        {
          basePath: values['base-path']!,
          listen: values.listen,
          peers: values.peer,
          providers,
          gateway: { ...gatewayLimits, ...(gatewayPort === undefined ? {} : { port: gatewayPort }) },
        },
        emit,
      );
    }
    // Loaded only now: a mistyped flag fails fast, without loading Helia and libp2p.
    const { Fetcher, StorageNode } = await import('@xstorage/storage-node/ipfs');
    const node = new StorageNode({
      basePath: values['base-path']!,
      listen: values.listen,
      peers: values.peer,
    });
    await node.start();
    let gateway: { stop(): Promise<void>; url?: string } | undefined;
    let stopping: Promise<void> | undefined;
    const controller = new AbortController();
    const stop = () => {
      controller.abort();
      stopping ??= (async () => {
        await gateway?.stop().catch(() => {});
        await node.stop();
      })();
      return stopping;
    };
    const onSignal = () => {
      void stop().then(() => {
        emit('stopped', {});
        process.exit(0);
      });
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);

    try {
      if (gatewayPort !== undefined) gateway = await startGateway(node, gatewayPort, gatewayLimits);
      emit('started', {
        peerId: node.peerId.toString(),
        multiaddrs: node.multiaddrs.map(String),
        gateway: gateway?.url ?? null,
      });

      for (const file of values.add ?? []) {
        const result = await node.addFile(file, { ...addOptions, signal: controller.signal });
        emit('added', { file, cid: result.cid.toString(), size: result.size, dagSize: result.dagSize });
      }

      let allComplete = true;
      const fetcher = new Fetcher(node.helia);
      const timeoutMs = values.timeout === undefined ? 3_600_000 : Number(values.timeout) * 1000;
      // Hidden hook for benchmarks: several processes begin their pulls at the same instant.
      const fetchAt = values['fetch-at'] === undefined ? 0 : Number(values['fetch-at']);
      if (fetchAt > Date.now()) await new Promise((r) => setTimeout(r, fetchAt - Date.now()));
      for (const cid of values.fetch ?? []) {
        let lastReport = 0;
        const startedAt = Date.now();
        const started = performance.now();
        const cpuBefore = process.cpuUsage();
        let pulledMs: number | undefined;
        // Pinned from the pull's block list (no second read of the DAG), under the same GC read lock as the
        // pull: a GC meanwhile waits instead of deleting blocks that are not pinned yet.
        const outcome: FetchOutcome = await node.fetchAndPin(
          cid,
          {
            providers,
            ca,
            signal: controller.signal,
            deadline: Date.now() + timeoutMs,
            onProgress: (p) => {
              // Rate-limited: a parent watches these to see a pull advance (and tests kill it mid-way).
              const now = performance.now();
              if (now - lastReport >= 50) {
                lastReport = now;
                emit('progress', { cid, ...p });
              }
            },
            onComplete: () => {
              pulledMs = performance.now() - started;
            },
          },
          fetcher,
        );
        pulledMs ??= performance.now() - started;
        if (outcome.status !== 'complete') allComplete = false;
        const cpu = process.cpuUsage(cpuBefore);
        const { dagBlocks: _, ...summary } = outcome;
        emit('fetched', {
          ...summary,
          cid: outcome.cid.toString(),
          ms: Math.round(performance.now() - started),
          // The pull alone (download, verify, store), then the whole including the pin; CPU of this process.
          pullMs: Math.round(pulledMs),
          cpuMs: Math.round((cpu.user + cpu.system) / 1000),
          cpuSystemMs: Math.round(cpu.system / 1000),
          startedAt,
          endedAt: Date.now(),
        });
      }

      if (values['exit-when-done']) {
        await stop();
        return allComplete ? 0 : 1;
      }
      await new Promise<never>(() => {}); // serve until a signal ends the process
      return 0;
    } catch (err) {
      if (!controller.signal.aborted) {
        console.error(`xstorage storage-node: ${(err as Error).name}: ${(err as Error).message}`);
      }
      await stop();
      return 1;
    }
  },
};
export default storageNode;

function parse(args: string[]) {
  return parseArgs({
    args,
    strict: true,
    allowPositionals: false,
    options: {
      'base-path': { type: 'string' },
      listen: { type: 'string', multiple: true },
      peer: { type: 'string', multiple: true },
      'gateway-port': { type: 'string' },
      json: { type: 'boolean' },
      add: { type: 'string', multiple: true },
      'cid-version': { type: 'string' },
      'raw-leaves': { type: 'string' },
      chunker: { type: 'string' },
      fetch: { type: 'string', multiple: true },
      provider: { type: 'string', multiple: true },
      ca: { type: 'string', multiple: true },
      timeout: { type: 'string' },
      'exit-when-done': { type: 'boolean' },
      'fetch-at': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
      ...GATEWAY_LIMIT_FLAGS,
      ...CRUST_FLAGS,
    },
  });
}

function format(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/**
 * The HTTP gateway (packages/node/src/gateway) serves the trustless-gateway CAR streams other storage nodes
 * pull from, on the same Helia node. Loaded lazily so a node without `--gateway-port` never pays for it.
 */
async function startGateway(
  node: StorageNode,
  port: number,
  limits: GatewayLimitFlags,
): Promise<{ stop(): Promise<void>; url: string }> {
  const { Gateway } = await import('@xstorage/storage-node/gateway');
  const gateway = new Gateway({ helia: node.helia as never, port, host: '127.0.0.1', ...limits });
  const { url } = await gateway.start();
  return { stop: () => gateway.stop(), url };
}
