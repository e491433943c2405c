/** `xstorage fee <size> --from <chain> --pay <token>`: what an order of that size costs now, and its parts. */
import { formatAmount } from '@xstorage/sdk';
import { CLIENT_FLAGS, CLIENT_USAGE, clientFromFlags, parsePay, parseSize } from '../client-flags.ts';
import type { Command } from '../command.ts';
import { EXIT, exitCodeTable } from '../exit-codes.ts';
import { makeOut, parseFlags, runCommand, UsageError } from '../output.ts';

const USAGE = `usage: xstorage fee <size> --from <chain> [--pay native|cru|<token>] [options]

The fee of storing <size> (bytes, or 10KiB, 1.5MB, 2GiB) from <chain> at today's market prices.

  --from <chain>            the chain the order would be placed on
  --pay <token>             native (or the chain's token symbol) | cru (default as for xstorage store)
${CLIENT_USAGE}

exit codes:
${exitCodeTable()}
`;

const fee: Command = {
  async run(args) {
    let json = args.includes('--json');
    return runCommand(
      'fee',
      USAGE,
      () => json,
      async () => {
        const { values, positionals } = parseFlags({
          args,
          strict: true,
          allowPositionals: true,
          options: { ...CLIENT_FLAGS, from: { type: 'string' }, pay: { type: 'string' } },
        });
        json = values.json === true;
        if (values.help) {
          console.log(USAGE);
          return EXIT.OK;
        }
        if (positionals.length !== 1) throw new UsageError('give a size (bytes, or with a unit: 10KiB, 1MB)');
        if (!values.from) throw new UsageError('--from <chain> is required (see xstorage chains)');
        const size = parseSize(positionals[0]!);
        const out = makeOut(json);
        const client = await clientFromFlags(values);
        try {
          const from = client.chain(values.from);
          const q = await client.estimateFee({
            from: from.id,
            size,
            pay: parsePay(values.pay, client, from.id),
          });
          const crust = client.network.crust;
          out.emit(
            'fee',
            { size, from: from.id, ...q },
            `${formatAmount(q.total, q.decimals, q.token)} to store ${size} bytes from ${from.name} (${q.route})\n  market order     ${formatAmount(q.orderFee, crust.decimals, crust.token)}\n  XCM execution    ${formatAmount(q.executionFee, crust.decimals, crust.token)}`,
          );
          return EXIT.OK;
        } finally {
          await client.disconnect();
        }
      },
    );
  },
};
export default fee;
