/** `xstorage orders --from <chain> [--account …]`: the orders an account placed from a chain, with their replicas. */
import {
  ACCOUNT_FLAGS,
  ACCOUNT_USAGE,
  CLIENT_FLAGS,
  CLIENT_USAGE,
  clientFromFlags,
  signerFromFlags,
} from '../client-flags.ts';
import type { Command } from '../command.ts';
import { EXIT, exitCodeTable } from '../exit-codes.ts';
import { jsonLine, makeOut, parseFlags, runCommand, UsageError } from '../output.ts';
import { parseCount } from './store.ts';

const USAGE = `usage: xstorage orders --from <chain> [--account <secret> | --address <addr>] [options]

The storage orders an account placed from <chain> in its recent blocks, newest first, with each file's replicas.

  --from <chain>            the chain the orders were placed on
  --address <addr>          whose orders (default: the --account's address)
  --depth <blocks>          how many recent blocks to read (default 1000)
${ACCOUNT_USAGE}
${CLIENT_USAGE}

exit codes:
${exitCodeTable()}
`;

const orders: Command = {
  async run(args) {
    let json = args.includes('--json');
    return runCommand(
      'orders',
      USAGE,
      () => json,
      async () => {
        const { values, positionals } = parseFlags({
          args,
          strict: true,
          allowPositionals: false,
          options: {
            ...CLIENT_FLAGS,
            ...ACCOUNT_FLAGS,
            from: { type: 'string' },
            address: { type: 'string' },
            depth: { type: 'string' },
          },
        });
        void positionals;
        json = values.json === true;
        if (values.help) {
          console.log(USAGE);
          return EXIT.OK;
        }
        if (!values.from) throw new UsageError('--from <chain> is required (see xstorage chains)');
        const depth = parseCount('--depth', values.depth, 1000, 100_000);
        const out = makeOut(json);
        const client = await clientFromFlags(values);
        try {
          const from = client.chain(values.from);
          const address = values.address ?? (await signerFromFlags(client, values, from.id)).address;
          const list = await client.orders({ from: from.id, account: address, depth });
          if (json) for (const o of list) console.log(jsonLine({ event: 'order', ...o }));
          else {
            out.say(
              `${list.length} order${list.length === 1 ? '' : 's'} by ${address} on ${from.name} in the last ${depth} blocks`,
            );
            for (const o of list)
              out.say(
                `  #${String(o.blockNumber).padEnd(7)} ${o.cid}  ${String(o.size).padStart(10)} B  ${o.route.padEnd(11)} ${o.file ? `${o.file.replicas.length} replicas` : 'not on Crust'}`,
              );
          }
          return EXIT.OK;
        } finally {
          await client.disconnect();
        }
      },
    );
  },
};
export default orders;
