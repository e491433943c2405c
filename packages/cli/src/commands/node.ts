/**
 * `xstorage node`: runs a chain node (block production, LevelDB persistence, transaction pool, Substrate
 * JSON-RPC on one port for WebSocket and HTTP) until SIGINT / SIGTERM. Prints one ready line (JSON with
 * `--json`) that tests, benches and the devnet wait for.
 */
import { parseArgs } from 'node:util';
import type { SealingMode } from '../../../node/src/chain/sealing.ts';
import { Node, type NodeOptions } from '../../../node/src/node.ts';
import { RPC_LIMIT_FLAGS, RPC_LIMIT_USAGE, rpcOptionsFromFlags } from '../../../node/src/rpc/cli-flags.ts';
import type { Command } from '../command.ts';

const USAGE = `usage: xstorage node [--dev | --chain <spec.json|dev>] [options]

  --dev                     the development chain (same as --chain dev); with no --base-path it uses --tmp
  --chain <spec>            dev, or a JSON chain spec file
  --base-path <dir>         where chains/<id>/db lives
  --tmp                     a fresh temporary base path, deleted on exit
  --rpc-host <host>         default 127.0.0.1
  --rpc-port <port>         default 9944 (0 = any free port)
  --block-time <ms>         make a block every <ms> (default 6000)
  --sealing <mode>          instant (a block per arriving transaction) | manual (engine_createBlock)
  --json                    print the ready line (and errors) as JSON

${RPC_LIMIT_USAGE}`;

export function parseNodeArgs(args: string[]): NodeOptions & { json: boolean; help: boolean } {
  const { values } = parseArgs({
    args,
    strict: true,
    allowPositionals: false,
    options: {
      dev: { type: 'boolean' },
      chain: { type: 'string' },
      'base-path': { type: 'string' },
      tmp: { type: 'boolean' },
      'rpc-host': { type: 'string' },
      'rpc-port': { type: 'string' },
      'block-time': { type: 'string' },
      sealing: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
      ...RPC_LIMIT_FLAGS,
    },
  });
  if (values.dev && values.chain && values.chain !== 'dev')
    throw new Error('--dev and --chain <other> contradict each other');
  let sealing: SealingMode = { kind: 'interval', blockTimeMs: 6000 };
  if (values['block-time'] !== undefined && values.sealing !== undefined)
    throw new Error('--block-time and --sealing are exclusive');
  if (values['block-time'] !== undefined) {
    const ms = Number(values['block-time']);
    if (!Number.isInteger(ms) || ms < 100 || ms > 3_600_000)
      throw new Error(`--block-time must be an integer of 100..3600000 ms, got '${values['block-time']}'`);
    sealing = { kind: 'interval', blockTimeMs: ms };
  }
  if (values.sealing !== undefined) {
    if (values.sealing !== 'instant' && values.sealing !== 'manual')
      throw new Error(`--sealing must be instant or manual, got '${values.sealing}'`);
    sealing = { kind: values.sealing };
  }
  let rpcPort = 9944;
  if (values['rpc-port'] !== undefined) {
    rpcPort = Number(values['rpc-port']);
    if (!Number.isInteger(rpcPort) || rpcPort < 0 || rpcPort > 65535)
      throw new Error(`--rpc-port must be 0..65535, got '${values['rpc-port']}'`);
  }
  const basePath = values['base-path'];
  const tmp = values.tmp === true || (values.dev === true && basePath === undefined);
  if (!tmp && basePath === undefined) throw new Error('--base-path <dir> is required (or --tmp / --dev)');
  return {
    chain: values.dev ? 'dev' : (values.chain ?? 'dev'),
    basePath,
    tmp,
    rpcHost: values['rpc-host'] ?? '127.0.0.1',
    rpcPort,
    rpcLimits: rpcOptionsFromFlags(values),
    sealing,
    json: values.json === true,
    help: values.help === true,
  };
}

/** Starts a node and serves until a signal; resolves to the exit code. */
export async function runNode(opts: NodeOptions, json: boolean): Promise<number> {
  const node = new Node({
    ...opts,
    onError: (err) => {
      const message = (err as Error).message;
      if (json) console.log(JSON.stringify({ event: 'error', message }));
      else console.error(`xstorage node: block production failed: ${message}`);
    },
  });
  let info: Awaited<ReturnType<Node['start']>>;
  try {
    info = await node.start();
  } catch (err) {
    const message = (err as Error).message;
    if (json) console.log(JSON.stringify({ event: 'error', message }));
    console.error(`xstorage node: ${message}`);
    return 1;
  }
  if (json) console.log(JSON.stringify({ event: 'ready', ...info }));
  else
    console.log(
      `xstorage node ready: chain ${info.chain}, rpc ${info.rpcUrl} (http ${info.httpUrl}), genesis ${info.genesisHash}, best #${info.bestNumber}, base path ${info.basePath}`,
    );
  await new Promise<void>((resolveStop) => {
    const onSignal = () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      resolveStop();
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
  await node.stop();
  if (json) console.log(JSON.stringify({ event: 'stopped' }));
  else console.log('xstorage node stopped');
  return 0;
}

const node: Command = {
  async run(args) {
    if (args.includes('--help') || args.includes('-h')) {
      console.log(USAGE);
      return 0;
    }
    let parsed: ReturnType<typeof parseNodeArgs>;
    try {
      parsed = parseNodeArgs(args);
    } catch (err) {
      console.error(`xstorage node: ${(err as Error).message}\n\n${USAGE}`);
      return 2;
    }
    if (parsed.help) {
      console.log(USAGE);
      return 0;
    }
    const { json, help: _h, ...opts } = parsed;
    return runNode(opts, json);
  },
};
export default node;
