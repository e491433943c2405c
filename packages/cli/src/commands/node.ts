/**
 * `xstorage node`: runs a chain node (block production, LevelDB persistence, transaction pool, Substrate
 * JSON-RPC on one port for WebSocket and HTTP) until SIGINT / SIGTERM. Prints one ready line (JSON with
 * `--json`) that tests, benches and the devnet wait for.
 */
import { parseArgs } from 'node:util';
import { chooseRole, Node, type NodeOptions, type RoleFlags, RoleRunner } from '@xstorage/node';
import { type AuthorityKey, devAuthorityKey, type SealingMode } from '@xstorage/node/chain';
import { loadChainSpec } from '@xstorage/node/chain-spec';
import { RPC_LIMIT_FLAGS, RPC_LIMIT_USAGE, rpcOptionsFromFlags } from '@xstorage/node/rpc';
import { runtimeProfile } from '@xstorage/runtime/runtimes';
import type { Command } from '../command.ts';

const USAGE = `usage: xstorage node [--dev | --chain <spec.json|dev>] [options]

  --dev                     the development chain (same as --chain dev); with no --base-path it uses --tmp
  --chain <spec>            dev, relay, a parachain (crust, acala, …), or a JSON chain spec file
  --base-path <dir>         where chains/<id>/db lives
  --tmp                     a fresh temporary base path, deleted on exit
  --rpc-host <host>         default 127.0.0.1
  --rpc-port <port>         default 9944 (0 = any free port)
  --block-time <ms>         make a block every <ms> (default 6000)
  --sealing <mode>          instant (a block per arriving transaction) | manual (engine_createBlock)
  --json                    print the ready line (and errors) as JSON

Networking (libp2p; on for relay and parachain nodes, and whenever one of these is given):
  --p2p-port <port>         TCP port to listen on (default 30333; 0 = any free port)
  --p2p-host <ip>           address to listen on (default 127.0.0.1)
  --bootnodes <ma,…>        peers to dial and keep dialling: /ip4/…/tcp/…/p2p/<peer id>, comma-separated
  --validator <//Key>       relay chain: seal blocks and validate/back collations with this dev key
  --collator <//Key>        parachain: build a block on each relay block, sealed and signed with this dev key
  --relay-rpc <ws://…>      parachain: the relay node's RPC (a collator's relay chain; a full node's finality)
  --relay-bootnode <ma>     collator: the relay validator node's libp2p address, where collations go

${RPC_LIMIT_USAGE}`;

export interface NodeNetworkFlags extends RoleFlags {
  /** Any networking flag was given. */
  requested: boolean;
  p2pPort?: number;
  p2pHost: string;
  bootnodes: string[];
}

function devKey(flag: string, v: string | undefined): AuthorityKey | undefined {
  if (v === undefined) return undefined;
  if (!/^(\/\/?[^/]+)+$/.test(v)) throw new Error(`${flag} takes a dev key path like //Alice, got '${v}'`);
  return devAuthorityKey(v);
}

function parseNetworkFlags(values: Record<string, unknown>): NodeNetworkFlags {
  let p2pPort: number | undefined;
  if (values['p2p-port'] !== undefined) {
    p2pPort = Number(values['p2p-port']);
    if (!Number.isInteger(p2pPort) || p2pPort < 0 || p2pPort > 65535)
      throw new Error(`--p2p-port must be 0..65535, got '${values['p2p-port']}'`);
  }
  const bootnodes = ((values.bootnodes as string[] | undefined) ?? [])
    .flatMap((b) => b.split(','))
    .map((b) => b.trim())
    .filter(Boolean);
  for (const b of bootnodes)
    if (!/^\/(ip4|ip6|dns4|dns6|dns)\/[^/]+\/tcp\/\d+\/p2p\/\w+$/.test(b))
      throw new Error(`--bootnodes: '${b}' is not a multiaddr like /ip4/127.0.0.1/tcp/30333/p2p/<peer id>`);
  const relayRpcUrl = values['relay-rpc'] as string | undefined;
  if (relayRpcUrl !== undefined && !/^wss?:\/\/.+/.test(relayRpcUrl))
    throw new Error(`--relay-rpc must be a ws:// or wss:// URL, got '${relayRpcUrl}'`);
  const relayValidator = values['relay-bootnode'] as string | undefined;
  if (relayValidator !== undefined && !/\/tcp\/\d+\/p2p\/\w+$/.test(relayValidator))
    throw new Error(
      `--relay-bootnode must be a multiaddr ending in /tcp/<port>/p2p/<peer id>, got '${relayValidator}'`,
    );
  const requested = [
    'p2p-port',
    'p2p-host',
    'bootnodes',
    'validator',
    'collator',
    'relay-rpc',
    'relay-bootnode',
  ].some((f) => values[f] !== undefined);
  return {
    requested,
    p2pPort,
    p2pHost: (values['p2p-host'] as string | undefined) ?? '127.0.0.1',
    bootnodes,
    validator: devKey('--validator', values.validator as string | undefined),
    collator: devKey('--collator', values.collator as string | undefined),
    relayRpcUrl,
    relayValidator,
  };
}

export function parseNodeArgs(
  args: string[],
): NodeOptions & { json: boolean; help: boolean; net: NodeNetworkFlags } {
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
      'p2p-port': { type: 'string' },
      'p2p-host': { type: 'string' },
      bootnodes: { type: 'string', multiple: true },
      validator: { type: 'string' },
      collator: { type: 'string' },
      'relay-rpc': { type: 'string' },
      'relay-bootnode': { type: 'string' },
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
    net: parseNetworkFlags(values),
  };
}

/** Starts a node and serves until a signal; resolves to the exit code. */
export async function runNode(opts: NodeOptions, json: boolean, net?: NodeNetworkFlags): Promise<number> {
  const report = (what: string) => (err: unknown) => {
    const message = (err as Error).message;
    if (json) console.log(JSON.stringify({ event: 'error', message }));
    else console.error(`xstorage node: ${what}: ${message}`);
  };
  let role: RoleRunner;
  let node: Node;
  try {
    // The chain's kind (standalone, relay, parachain) decides the node's role and whether it networks.
    const spec = typeof opts.chain === 'object' ? opts.chain : await loadChainSpec(opts.chain ?? 'dev');
    const kind = runtimeProfile(spec.runtime).role;
    role = new RoleRunner(
      chooseRole(kind, net ?? { requested: false, p2pHost: '127.0.0.1', bootnodes: [] }),
      {
        onError: report('role'),
        onCandidate: (e) => {
          if (e.kind === 'invalid') report('candidate')(new Error(`para ${e.para}: ${e.message}`));
        },
      },
    );
    const networked = net !== undefined && (net.requested || kind.kind !== 'standalone');
    const network = networked
      ? {
          listen: [`/ip4/${net.p2pHost}/tcp/${net.p2pPort ?? 30333}`],
          bootnodes: net.bootnodes,
          // Peers dropped, blocks refused, requests failed: worth seeing on a node that follows others.
          log: (message: string) =>
            json
              ? console.log(JSON.stringify({ event: 'network', message }))
              : console.error(`xstorage node: ${message}`),
        }
      : undefined;
    node = new Node(
      role.nodeOptions({ ...opts, chain: spec, network, onError: report('block production failed') }),
    );
    role.attach(node);
  } catch (err) {
    const message = (err as Error).message;
    if (json) console.log(JSON.stringify({ event: 'error', message }));
    console.error(`xstorage node: ${message}`);
    return 1;
  }
  let info: Awaited<ReturnType<Node['start']>>;
  try {
    info = await node.start();
    await role.start(node);
  } catch (err) {
    const message = (err as Error).message;
    if (json) console.log(JSON.stringify({ event: 'error', message }));
    console.error(`xstorage node: ${message}`);
    await role.stop().catch(() => {});
    await node.stop().catch(() => {});
    return 1;
  }
  if (json) console.log(JSON.stringify({ event: 'ready', ...info, role: role.role.kind }));
  else
    console.log(
      `xstorage node ready: chain ${info.chain}, rpc ${info.rpcUrl} (http ${info.httpUrl}), genesis ${info.genesisHash}, best #${info.bestNumber}, base path ${info.basePath}${info.peerId ? `, ${role.role.kind}, peer id ${info.peerId}, listening on ${info.listenAddresses?.join(' ')}` : ''}`,
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
  await role.stop();
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
    const { json, help: _h, net, ...opts } = parsed;
    return runNode(opts, json, net);
  },
};
export default node;
