/** `xstorage chains`: the network's chains (para id, token, decimals, SS58, accounts), their RPC and best block. */
import type { ApiPromise } from '@polkadot/api';
import { hasXstoragePallet } from '@xstorage/sdk';
import { CLIENT_FLAGS, CLIENT_USAGE, clientFromFlags } from '../client-flags.ts';
import type { Command } from '../command.ts';
import { EXIT, exitCodeTable } from '../exit-codes.ts';
import { jsonLine, makeOut, parseFlags, runCommand } from '../output.ts';

const USAGE = `usage: xstorage chains [options]

The chains of the network: names for --from, para ids, tokens, decimals, SS58 prefixes, account kinds, RPC
endpoints, and (when reachable) best block and whether the chain has the xstorage pallet.

  --offline                 do not connect; print the description only
${CLIENT_USAGE}

exit codes:
${exitCodeTable()}
`;

const chains: Command = {
  async run(args) {
    let json = args.includes('--json');
    return runCommand(
      'chains',
      USAGE,
      () => json,
      async () => {
        const { values } = parseFlags({
          args,
          strict: true,
          allowPositionals: false,
          options: { ...CLIENT_FLAGS, offline: { type: 'boolean' } },
        });
        json = values.json === true;
        if (values.help) {
          console.log(USAGE);
          return EXIT.OK;
        }
        const out = makeOut(json);
        const client = await clientFromFlags(values);
        try {
          const live = async (id: string) => {
            if (values.offline) return undefined;
            try {
              const api: ApiPromise = await Promise.race([
                client.api(id),
                new Promise<never>((_, rej) => setTimeout(() => rej(new Error('timeout')), 3000)),
              ]);
              const best = (await api.rpc.chain.getHeader()).number.toNumber();
              return { best, xstoragePallet: id === 'relay' ? false : hasXstoragePallet(api) };
            } catch {
              return null;
            }
          };
          const rows = [
            {
              id: 'relay',
              name: client.network.relay.name,
              paraId: null,
              token: client.network.relay.token,
              decimals: client.network.relay.decimals,
              ss58: client.network.relay.ss58,
              accounts: 'sr25519',
              ws: client.endpoints.relay.ws,
            },
            ...client.chains().map((c) => ({ ...c, ws: client.endpoints.parachains[c.id]!.ws })),
          ];
          const states = await Promise.all(rows.map((r) => live(r.id)));
          if (!json)
            out.say(
              `${'chain'.padEnd(11)} ${'para'.padEnd(5)} ${'token'.padEnd(6)} dec ${'ss58'.padEnd(5)} ${'accounts'.padEnd(9)} ${'rpc'.padEnd(24)} state`,
            );
          rows.forEach((r, i) => {
            const s = states[i];
            const state =
              s === undefined
                ? ''
                : s === null
                  ? 'unreachable'
                  : `#${s.best}${s.xstoragePallet ? ', xstorage pallet' : ''}`;
            if (json)
              console.log(
                jsonLine({
                  event: 'chain',
                  ...r,
                  best: s?.best ?? null,
                  reachable: s === undefined ? null : s !== null,
                  xstoragePallet: s?.xstoragePallet ?? null,
                }),
              );
            else
              out.say(
                `${r.id.padEnd(11)} ${String(r.paraId ?? '-').padEnd(5)} ${r.token.padEnd(6)} ${String(r.decimals).padStart(3)} ${String(r.ss58).padEnd(5)} ${r.accounts.padEnd(9)} ${r.ws.padEnd(24)} ${state}`,
              );
          });
          if (!json && client.endpoints.gateway) out.say(`gateway     ${client.endpoints.gateway}`);
          return EXIT.OK;
        } finally {
          await client.disconnect();
        }
      },
    );
  },
};
export default chains;
