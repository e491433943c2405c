#!/usr/bin/env node
/**
 * The `xstorage` command. Each sub-command lives in its own file under ./commands and is listed once here.
 */
import type { Command } from './command.ts';

const commands: Record<string, () => Promise<{ default: Command }>> = {
  // one line per sub-command, alphabetical
  devnet: () => import('./commands/devnet.ts'),
  node: () => import('./commands/node.ts'),
  'storage-node': () => import('./commands/storage-node.ts'),
};

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    printHelp();
    return name ? 0 : 1;
  }
  const load = commands[name];
  if (!load) {
    console.error(`xstorage: unknown command '${name}'. Run 'xstorage --help' for the list.`);
    return 2;
  }
  const command = (await load()).default;
  return command.run(rest);
}

function printHelp(): void {
  console.log('usage: xstorage <command> [options]\n\ncommands:');
  for (const name of Object.keys(commands)) console.log(`  ${name}`);
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
