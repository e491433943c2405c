#!/usr/bin/env node
/**
 * The `xstorage` command. Each sub-command lives in its own file under ./commands and is listed once here.
 */
import type { Command } from './command.ts';

/** One entry per sub-command, alphabetical: what `--help` says of it, and its module (loaded only when run). */
const commands: Record<string, { summary: string; load: () => Promise<{ default: Command }> }> = {
  devnet: {
    summary: 'start the local devnet: relay chain + Crust + the seven parachains, on this machine',
    load: () => import('./commands/devnet.ts'),
  },
  node: {
    summary: 'run one chain node (block production, persistence, tx pool, Substrate JSON-RPC)',
    load: () => import('./commands/node.ts'),
  },
  'storage-node': {
    summary: 'run a storage node (IPFS: Helia + libp2p, optional HTTP gateway)',
    load: () => import('./commands/storage-node.ts'),
  },
};

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    await printHelp();
    return name ? 0 : 1;
  }
  const load = commands[name]?.load;
  if (!load) {
    console.error(`xstorage: unknown command '${name}'. Run 'xstorage --help' for the list.`);
    return 2;
  }
  const command = (await load()).default;
  return command.run(rest);
}

async function printHelp(): Promise<void> {
  console.log('usage: xstorage <command> [options]\n\ncommands:');
  for (const [name, { summary }] of Object.entries(commands)) console.log(`  ${name.padEnd(14)} ${summary}`);
  console.log("\nRun 'xstorage <command> --help' for a command's options.");
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    console.error(`xstorage: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  },
);
