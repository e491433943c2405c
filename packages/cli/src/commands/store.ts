/**
 * `xstorage store <file|dir> --from <chain>`: uploads through the gateway (W3Auth-signed by the account), places
 * the order on the user's chain and shows each hop as it happens: uploaded (CID) → order sent (para block) →
 * included on the relay → executed on Crust (fee charged) → confirmed back home → replicas 1…N; then a summary.
 */
import { formatAmount, parseAmount } from '@xstorage/sdk';
import {
  ACCOUNT_FLAGS,
  ACCOUNT_USAGE,
  CLIENT_FLAGS,
  CLIENT_USAGE,
  clientFromFlags,
  parsePay,
  signerFromFlags,
} from '../client-flags.ts';
import type { Command } from '../command.ts';
import { EXIT, exitCodeTable } from '../exit-codes.ts';
import { followOrder } from '../order-view.ts';
import { bytes, makeOut, parseFlags, progressBar, runCommand, UsageError } from '../output.ts';

const USAGE = `usage: xstorage store <file|dir> --from <chain> [options]

Uploads a file or a directory through the gateway, places a storage order for it on <chain> with the account's own
tokens, and follows it to Crust and its replicas.

  --from <chain>            the chain the order is placed on (xstorage chains)
  --pay native|cru          what pays: the chain's own token through its xstorage pallet, or CRU (default: native
                            where the chain has the pallet, else cru through polkadotXcm.send)
  --max-fee <amount>        refuse when the fee is above this (in the pay token, e.g. 0.5)
  --replicas <n>            wait for this many replicas (default 4; 0 = stop once the order is confirmed)
  --timeout <seconds>       give up waiting after this long (default 300)
  --route pallet|polkadotXcm  force how the order travels
${ACCOUNT_USAGE}
${CLIENT_USAGE}

exit codes:
${exitCodeTable()}
`;

function parse(args: string[]) {
  return parseFlags({
    args,
    strict: true,
    allowPositionals: true,
    options: {
      ...CLIENT_FLAGS,
      ...ACCOUNT_FLAGS,
      from: { type: 'string' },
      pay: { type: 'string' },
      'max-fee': { type: 'string' },
      replicas: { type: 'string' },
      timeout: { type: 'string' },
      route: { type: 'string' },
    },
  });
}

export function parseCount(flag: string, text: string | undefined, dflt: number, max: number): number {
  if (text === undefined) return dflt;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0 || n > max)
    throw new UsageError(`${flag} must be an integer 0..${max}, got '${text}'`);
  return n;
}

const store: Command = {
  async run(args) {
    let json = args.includes('--json');
    return runCommand(
      'store',
      USAGE,
      () => json,
      async () => {
        const { values, positionals } = parse(args);
        json = values.json === true;
        if (values.help) {
          console.log(USAGE);
          return EXIT.OK;
        }
        if (positionals.length !== 1) throw new UsageError('give one file or directory to store');
        if (!values.from) throw new UsageError('--from <chain> is required (see xstorage chains)');
        if (values.route !== undefined && values.route !== 'pallet' && values.route !== 'polkadotXcm')
          throw new UsageError(`--route must be pallet or polkadotXcm, got '${values.route}'`);
        const replicas = parseCount('--replicas', values.replicas, 4, 200);
        const timeoutS = parseCount('--timeout', values.timeout, 300, 86_400);
        const path = positionals[0]!;
        const out = makeOut(json);
        const t0 = performance.now();
        const secs = () => ((performance.now() - t0) / 1000).toFixed(1);
        // Check the input before connecting to anything.
        const { entriesFromPath } = await import('@xstorage/sdk/files');
        const entries = await entriesFromPath(path);
        const client = await clientFromFlags(values);
        try {
          const from = client.chain(values.from);
          const signer = await signerFromFlags(client, values, from.id);
          const pay = parsePay(values.pay, client, from.id);
          const contentBytes = entries.reduce((n, e) => n + BigInt(e.size ?? 0), 0n);
          const size = contentBytes > 0n ? contentBytes : 1n;
          const route = values.route as 'pallet' | 'polkadotXcm' | undefined;
          const quote = await client.estimateFee({ from: from.id, size, pay, signer, route });
          const maxFee =
            values['max-fee'] === undefined ? undefined : parseAmount(values['max-fee'], quote.decimals);
          // Balances and --max-fee are checked before the upload.
          await client.preflight({ from: from.id, size, pay, signer, maxFee, route });
          out.say(`xstorage store ${path} from ${from.name} as ${signer.address}`);
          const gw = client.gateway;
          const uploaded = await gw.add(entries, {
            signer,
            onProgress: (p) =>
              out.progress(
                `  uploading           ${progressBar(p.sent, p.total)} ${bytes(p.sent)}/${bytes(p.total)}`,
              ),
          });
          out.endProgress();
          out.emit(
            'uploaded',
            { cid: uploaded.cid, size: uploaded.size, gateway: gw.url, entries: uploaded.entries.length },
            `  ✓ uploaded          ${uploaded.cid} (${uploaded.size} bytes${uploaded.entries.length > 1 ? `, ${uploaded.entries.length} entries` : ''})`,
          );
          const receipt = await client.placeOrder({
            from: from.id,
            cid: uploaded.cid,
            size: uploaded.size,
            pay,
            signer,
            maxFee,
            route,
          });
          const f = receipt.fee;
          let summary: Record<string, unknown> = {
            cid: uploaded.cid,
            size: uploaded.size,
            from: from.id,
            route: receipt.route,
            account: signer.address,
            crustAccount: receipt.crustAccount,
            fee: f.total,
            feeToken: f.token,
          };
          const { failed, replicaCount, executed } = await followOrder(client, receipt, out, {
            replicas,
            timeoutMs: timeoutS * 1000,
          });
          if (executed) summary = { ...summary, crustBlock: executed.crustBlock, orderFee: executed.fee };
          if (failed?.kind === 'failed') {
            const message = `the order of ${uploaded.cid} failed on ${failed.where === 'crust' ? 'Crust' : from.id}: ${failed.reason}`;
            if (json)
              console.log(
                JSON.stringify({
                  event: 'error',
                  code: 'ORDER_FAILED',
                  exitCode: EXIT.ORDER_FAILED,
                  reason: failed.reason,
                  message,
                }),
              );
            console.error(`xstorage store: ${message}`);
            return EXIT.ORDER_FAILED;
          }
          summary = { ...summary, replicas: replicaCount, seconds: Number(secs()) };
          out.emit(
            'summary',
            summary,
            `\nstored ${uploaded.cid} (${bytes(uploaded.size)}) from ${from.name}: ${replicaCount} replica${replicaCount === 1 ? '' : 's'} on Crust, fee ${formatAmount(f.total, f.decimals, f.token)}, ${secs()} s\n  get it back: xstorage get ${uploaded.cid}`,
          );
          return EXIT.OK;
        } finally {
          await client.disconnect();
        }
      },
    );
  },
};
export default store;
