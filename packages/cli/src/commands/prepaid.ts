/**
 * `xstorage prepaid <cid> <amount>`: funds a file's automatic renewal (`market.add_prepaid`), in CRU — now, or with
 * `--at` at a future block of OAK (its `XstorageAutomation` pallet sends it then), following each hop live.
 */

import {
  checkCid,
  FileNotFoundError,
  formatAmount,
  parseAmount,
  type ScheduleAt,
  type XstorageClient,
  type XstorageSigner,
} from '@xstorage/sdk';
import {
  ACCOUNT_FLAGS,
  ACCOUNT_USAGE,
  CLIENT_FLAGS,
  CLIENT_USAGE,
  clientFromFlags,
  signerFromFlags,
} from '../client-flags.ts';
import type { Command } from '../command.ts';
import { EXIT, type ExitCode, exitCodeTable } from '../exit-codes.ts';
import { makeOut, type Out, parseFlags, runCommand, UsageError } from '../output.ts';

const USAGE = `usage: xstorage prepaid <cid> <amount> [--from <chain>] [--at <block|+N>] [options]

Adds <amount> CRU (e.g. 0.5) to the file's renewal fund on Crust (market.add_prepaid): on Crust directly, or from
another chain through polkadotXcm.send as the account's own account on Crust. With --at (only from oak, whose
XstorageAutomation pallet does it) the payment is scheduled for a future block of oak instead: oak sends it then,
paid from the account's CRU on oak, and Crust's answer comes back.

  --from <chain>            where to send it from (default crust)
  --at <block|+N>           schedule it for oak's block number <block>, or N blocks from its best block (+10)
  --detach                  with --at: stop once scheduled instead of following it to Crust's answer
  --timeout <seconds>       with --at: give up following after this long (default: until Crust answers)
${ACCOUNT_USAGE}
${CLIENT_USAGE}

--json lines with --at (amounts are CRU units as decimal strings):
  {"event":"scheduled","taskId","chain","block","at","fee","amount","cid"}
                            the schedule is in oak's block "block"; it fires at "at" and will take "fee" CRU
  {"event":"sent","taskId","block","paid","messageId"}
                            fired at block "at": "paid" CRU taken, the message (id = taskId) on its way to Crust
  {"event":"confirmed","taskId","block","amount","prepaid"}
                            Crust added "amount"; "prepaid" is the file's renewal fund on Crust now
  {"event":"failed","taskId","block","reason","refund"}
                            Crust refused it (reason, e.g. market.FileNotExist); "refund" CRU on its way back
  {"event":"notSent","taskId","block","reason"}
                            nothing was sent at its block (e.g. InsufficientBalance) and nothing was taken
  {"event":"cancelled","taskId","block"}
                            the task was cancelled before its block

exit codes:
${exitCodeTable()}
`;

/** `123` → block 123, `+N` → N blocks from the best block (N ≥ 1); anything else is a usage error. */
export function parseAt(text: string): ScheduleAt {
  const m = /^(\+)?(\d{1,10})$/.exec(text.trim());
  if (!m)
    throw new UsageError(`--at ${text}: give a block number (12345) or a number of blocks from now (+10)`);
  const n = Number(m[2]);
  if (!Number.isSafeInteger(n) || n > 0xffff_ffff)
    throw new UsageError(`--at ${text}: a block number is at most ${0xffff_ffff}`);
  if (m[1]) {
    if (n < 1) throw new UsageError(`--at ${text}: schedule at least +1 block ahead`);
    return { in: n };
  }
  return n;
}

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
          options: {
            ...CLIENT_FLAGS,
            ...ACCOUNT_FLAGS,
            from: { type: 'string' },
            at: { type: 'string' },
            detach: { type: 'boolean' },
            timeout: { type: 'string' },
          },
        });
        json = values.json === true;
        if (values.help) {
          console.log(USAGE);
          return EXIT.OK;
        }
        if (positionals.length !== 2) throw new UsageError('give a CID and an amount of CRU');
        const [cid, amountText] = positionals as [string, string];
        checkCid(cid);
        const at = values.at === undefined ? undefined : parseAt(values.at);
        if (at === undefined && (values.detach || values.timeout !== undefined))
          throw new UsageError('--detach and --timeout go with --at');
        let timeoutMs: number | undefined;
        if (values.timeout !== undefined) {
          const s = Number(values.timeout);
          if (!/^\d+(\.\d+)?$/.test(values.timeout) || !(s > 0))
            throw new UsageError(`--timeout ${values.timeout}: give seconds above 0`);
          timeoutMs = s * 1000;
        }
        const out = makeOut(json);
        const client = await clientFromFlags(values);
        try {
          const crust = client.network.crust;
          const amount = parseAmount(amountText, crust.decimals);
          if (amount <= 0n) throw new UsageError('the amount must be above 0');
          const from = client.chain(values.from ?? crust.id);
          // Before anything else: a chain that cannot schedule says so in one line.
          if (at !== undefined) await client.checkRenewals(from.id);
          const signer = await signerFromFlags(client, values, from.id);
          const before = await client.status(cid);
          if (!before)
            throw new FileNotFoundError(`Crust has no order for ${cid}: store it first (xstorage store)`);
          if (at !== undefined)
            return await schedule(client, out, {
              cid,
              amount,
              from: from.id,
              at,
              signer,
              detach: values.detach === true,
              timeoutMs,
            });
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

/** Schedules the renewal and prints each hop as it happens; the exit code is the task's outcome. */
async function schedule(
  client: XstorageClient,
  out: Out,
  o: {
    cid: string;
    amount: bigint;
    from: string;
    at: ScheduleAt;
    signer: XstorageSigner;
    detach: boolean;
    timeoutMs?: number;
  },
): Promise<ExitCode> {
  const crust = client.network.crust;
  const cru = (n: bigint) => formatAmount(n, crust.decimals, crust.token);
  const r = await client.schedulePrepaid(o.cid, o.amount, {
    from: o.from,
    at: o.at,
    signer: o.signer,
    timeoutMs: o.timeoutMs,
  });
  const taskId = r.taskId;
  for await (const e of r.events) {
    switch (e.kind) {
      case 'scheduled':
        out.emit(
          'scheduled',
          {
            taskId,
            chain: e.chain,
            block: e.blockNumber,
            at: e.atBlock,
            fee: r.fee,
            amount: o.amount,
            cid: o.cid,
          },
          `  ✓ scheduled         ${e.chain} block #${e.blockNumber}: ${cru(o.amount)} for ${o.cid} at block #${e.atBlock} (will take ${cru(r.fee)}), task ${taskId}`,
        );
        if (o.detach) return EXIT.OK;
        break;
      case 'sent':
        out.emit(
          'sent',
          { taskId, block: e.blockNumber, paid: e.paid, messageId: e.messageId },
          `  ✓ sent              ${r.chain} block #${e.blockNumber}, ${cru(e.paid)} paid`,
        );
        break;
      case 'confirmed': {
        const prepaid = (await client.status(o.cid))?.prepaid;
        out.emit(
          'confirmed',
          { taskId, block: e.blockNumber, amount: e.amount, prepaid },
          `  ✓ confirmed         ${cru(e.amount)} added on Crust (answer in ${r.chain} block #${e.blockNumber})${prepaid === undefined ? '' : `; prepaid now ${cru(prepaid)}`}`,
        );
        return EXIT.OK;
      }
      case 'failed':
        out.emit(
          'failed',
          { taskId, block: e.blockNumber, reason: e.reason, refund: e.refund },
          `  ✗ failed on Crust   ${e.reason} (${r.chain} block #${e.blockNumber}), refund of ${cru(e.refund)} on its way back`,
        );
        return EXIT.ORDER_FAILED;
      case 'notSent':
        out.emit(
          'notSent',
          { taskId, block: e.blockNumber, reason: e.reason },
          `  ✗ not sent          ${r.chain} block #${e.blockNumber}: ${e.reason} (nothing taken)`,
        );
        return e.reason === 'InsufficientBalance' ? EXIT.INSUFFICIENT_BALANCE : EXIT.ORDER_FAILED;
      case 'cancelled':
        out.emit(
          'cancelled',
          { taskId, block: e.blockNumber },
          `  - cancelled         ${r.chain} block #${e.blockNumber}`,
        );
        return EXIT.ORDER_FAILED;
    }
  }
  return EXIT.TIMEOUT;
}
