#!/usr/bin/env node
/**
 * The `xstorage` command. Each sub-command lives in its own file under ./commands and is listed once here.
 */
import type { Command } from './command.ts';
import { EXIT, exitCodeTable } from './exit-codes.ts';

/** One entry per sub-command, alphabetical: what `--help` says of it, and its module (loaded only when run). */
const commands: Record<string, { summary: string; load: () => Promise<{ default: Command }> }> = {
  chains: {
    summary: 'list the chains (names for --from, para ids, tokens, accounts), their RPC and best block',
    load: () => import('./commands/chains.ts'),
  },
  demo: {
    summary:
      'start the devnet, store a sample file from a parachain, watch it reach 4 replicas (--once: then exit)',
    load: () => import('./commands/demo.ts'),
  },
  devnet: {
    summary:
      'start the local devnet: relay chain + Crust + the seven parachains, and the dashboard, on this machine',
    load: () => import('./commands/devnet.ts'),
  },
  fee: {
    summary: 'what storing <size> bytes from a chain costs now',
    load: () => import('./commands/fee.ts'),
  },
  get: {
    summary: 'read a file back by CID from the gateway (-o file)',
    load: () => import('./commands/get.ts'),
  },
  node: {
    summary: 'run one chain node (block production, persistence, tx pool, Substrate JSON-RPC)',
    load: () => import('./commands/node.ts'),
  },
  orders: {
    summary: "an account's storage orders on a chain, with their replicas",
    load: () => import('./commands/orders.ts'),
  },
  prepaid: {
    summary: "add CRU to a file's renewal fund (market.add_prepaid)",
    load: () => import('./commands/prepaid.ts'),
  },
  status: {
    summary: "a CID's order on Crust: size, replicas, expiry, renewal fund (--watch)",
    load: () => import('./commands/status.ts'),
  },
  store: {
    summary: 'upload a file or directory and order its storage from your chain; follow it to its replicas',
    load: () => import('./commands/store.ts'),
  },
  'storage-node': {
    summary:
      'run a storage node: IPFS (Helia + libp2p, HTTP gateway); with --crust, picks orders, pulls, reports, answers challenges',
    load: () => import('./commands/storage-node.ts'),
  },
};

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    printHelp();
    return name ? EXIT.OK : EXIT.USAGE;
  }
  const load = commands[name]?.load;
  if (!load) {
    console.error(`xstorage: unknown command '${name}'. Run 'xstorage --help' for the list.`);
    return EXIT.USAGE;
  }
  const command = (await load()).default;
  return command.run(rest);
}

function printHelp(): void {
  console.log('usage: xstorage <command> [options]\n\ncommands:');
  for (const [name, { summary }] of Object.entries(commands)) console.log(`  ${name.padEnd(14)} ${summary}`);
  console.log(`
Commands that talk to chains take --endpoints <endpoints.json> (default: a devnet on the default ports) and --json
(one JSON document per line). Run 'xstorage <command> --help' for a command's options.

exit codes:
${exitCodeTable()}`);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    console.error(`xstorage: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = EXIT.FAILURE;
  },
);
