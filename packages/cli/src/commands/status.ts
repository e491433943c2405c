/** `xstorage status <cid>`: the file's order on Crust (size, replicas, expiry, prepaid) and whether the gateway has it. */
import { checkCid, FileNotFoundError, formatAmount } from '@xstorage/sdk';
import { CLIENT_FLAGS, CLIENT_USAGE, clientFromFlags } from '../client-flags.ts';
import type { Command } from '../command.ts';
import { EXIT, exitCodeTable } from '../exit-codes.ts';
import { jsonLine, makeOut, parseFlags, runCommand, UsageError } from '../output.ts';
import { parseCount } from './store.ts';

const USAGE = `usage: xstorage status <cid> [options]

The file's storage order on Crust: size, replicas (who, since which block), expiry, renewal fund.

  --watch                   keep printing as replicas change, until --replicas
  --replicas <n>            with --watch: stop at this many (default 4)
${CLIENT_USAGE}

exit codes:
${exitCodeTable()}
`;

const status: Command = {
  async run(args) {
    let json = args.includes('--json');
    return runCommand(
      'status',
      USAGE,
      () => json,
      async () => {
        const { values, positionals } = parseFlags({
          args,
          strict: true,
          allowPositionals: true,
          options: { ...CLIENT_FLAGS, watch: { type: 'boolean' }, replicas: { type: 'string' } },
        });
        json = values.json === true;
        if (values.help) {
          console.log(USAGE);
          return EXIT.OK;
        }
        if (positionals.length !== 1) throw new UsageError('give one CID');
        const cid = positionals[0]!;
        checkCid(cid);
        const target = parseCount('--replicas', values.replicas, 4, 200);
        const out = makeOut(json);
        const client = await clientFromFlags(values);
        try {
          const crust = client.network.crust;
          const s = await client.status(cid);
          if (!s)
            throw new FileNotFoundError(`Crust has no order for ${cid}: store it first (xstorage store)`);
          const expires = s.expiredAt === 0 ? 'pending (no replica yet)' : `block #${s.expiredAt}`;
          if (json) console.log(jsonLine({ event: 'status', ...s }));
          else {
            out.say(`${cid}`);
            out.say(`  size        ${s.size} bytes`);
            out.say(`  replicas    ${s.replicas.length}`);
            for (const r of s.replicas)
              out.say(`    ${r.who}  since block #${r.validAt}${r.isReported ? '' : ' (not yet reported)'}`);
            out.say(`  expires     ${expires}`);
            out.say(`  prepaid     ${formatAmount(s.prepaid, crust.decimals, crust.token)}`);
            out.say(
              `  reward pot  ${formatAmount(s.amount, crust.decimals, crust.token)} (${s.remainingPaidCount} first reporters left to pay)`,
            );
          }
          if (values.watch)
            for await (const e of client.watchOrder(cid, { replicas: target }))
              if (e.kind === 'replicas')
                out.emit(
                  'replicas',
                  { count: e.count, target: e.target, replicas: e.replicas },
                  `  replicas    ${e.count}/${e.target}`,
                );
          return EXIT.OK;
        } finally {
          await client.disconnect();
        }
      },
    );
  },
};
export default status;
