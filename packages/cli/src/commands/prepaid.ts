/** `xstorage prepaid <cid> <amount>`: funds a file's automatic renewal (`market.add_prepaid`), in CRU. */

import { FileNotFoundError } from '../../../sdk/src/errors.ts';
import { checkCid } from '../../../sdk/src/orders.ts';
import { formatAmount, parseAmount } from '../../../sdk/src/units.ts';
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
import { makeOut, parseFlags, runCommand, UsageError } from '../output.ts';

const USAGE = `usage: xstorage prepaid <cid> <amount> [--from <chain>] [options]

Adds <amount> CRU (e.g. 0.5) to the file's renewal fund on Crust (market.add_prepaid): on Crust directly, or from
another chain through polkadotXcm.send as the account's own account on Crust.

  --from <chain>            where to send it from (default crust)
${ACCOUNT_USAGE}
${CLIENT_USAGE}

exit codes:
${exitCodeTable()}
`;

const prepaid: Command = {
  async run(args) {
    let json = args.includes('--json');
    return runCommand(
      'prepaid',
      USAGE,
      () => json,
      async () => {
        const { values, positionals } = parseFlags({
          args,
          strict: true,
          allowPositionals: true,
          options: { ...CLIENT_FLAGS, ...ACCOUNT_FLAGS, from: { type: 'string' } },
        });
        json = values.json === true;
        if (values.help) {
          console.log(USAGE);
          return EXIT.OK;
        }
        if (positionals.length !== 2) throw new UsageError('give a CID and an amount of CRU');
        const [cid, amountText] = positionals as [string, string];
        checkCid(cid);
        const out = makeOut(json);
        const client = await clientFromFlags(values);
        try {
          const crust = client.network.crust;
          const amount = parseAmount(amountText, crust.decimals);
          if (amount <= 0n) throw new UsageError('the amount must be above 0');
          const from = client.chain(values.from ?? crust.id);
          const signer = await signerFromFlags(client, values, from.id);
          const before = await client.status(cid);
          if (!before)
            throw new FileNotFoundError(`Crust has no order for ${cid}: store it first (xstorage store)`);
          const r = await client.addPrepaid({ cid, amount, from: from.id, signer });
          // From another chain the call runs on Crust a few blocks later: wait for the fund to move.
          let after = before.prepaid;
          for (let i = 0; i < 120 && after < before.prepaid + amount; i++) {
            await new Promise((res) => setTimeout(res, 250));
            after = (await client.status(cid))?.prepaid ?? after;
          }
          const done = after >= before.prepaid + amount;
          out.emit(
            'prepaid',
            {
              cid,
              amount,
              chain: r.chain,
              block: r.blockNumber,
              messageId: r.messageId,
              prepaid: after,
              applied: done,
            },
            `${done ? '✓' : '…'} ${formatAmount(amount, crust.decimals, crust.token)} added to ${cid}'s renewal fund from ${from.id} (block #${r.blockNumber}); prepaid now ${formatAmount(after, crust.decimals, crust.token)}`,
          );
          return done ? EXIT.OK : EXIT.TIMEOUT;
        } finally {
          await client.disconnect();
        }
      },
    );
  },
};
export default prepaid;
