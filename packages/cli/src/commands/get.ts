/** `xstorage get <cid> [-o file]`: the file's bytes from the gateway, to a file or to stdout. */
import { createWriteStream } from 'node:fs';
import { rename, unlink } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { checkCid } from '@xstorage/sdk';
import { CLIENT_FLAGS, CLIENT_USAGE, clientFromFlags } from '../client-flags.ts';
import type { Command } from '../command.ts';
import { EXIT, exitCodeTable } from '../exit-codes.ts';
import { jsonLine, parseFlags, runCommand, UsageError } from '../output.ts';

const USAGE = `usage: xstorage get <cid> [-o <file>] [options]

Reads a file back from the gateway (every block verified by the gateway against its CID).

  -o, --output <file>       write here (default: stdout); written to a temporary name, renamed when complete
${CLIENT_USAGE}

exit codes:
${exitCodeTable()}
`;

const get: Command = {
  async run(args) {
    let json = args.includes('--json');
    return runCommand(
      'get',
      USAGE,
      () => json,
      async () => {
        const { values, positionals } = parseFlags({
          args,
          strict: true,
          allowPositionals: true,
          options: { ...CLIENT_FLAGS, output: { type: 'string', short: 'o' } },
        });
        json = values.json === true;
        if (values.help) {
          console.log(USAGE);
          return EXIT.OK;
        }
        if (positionals.length !== 1) throw new UsageError('give one CID');
        const cid = positionals[0]!;
        checkCid(cid);
        if (json && !values.output) throw new UsageError('--json needs -o <file> (stdout carries the JSON)');
        const client = await clientFromFlags(values);
        try {
          const res = await client.gateway.fetchFile(cid);
          const body = Readable.fromWeb(res.body as never);
          let bytes = 0;
          body.on('data', (c: Buffer) => {
            bytes += c.length;
          });
          if (values.output) {
            const temp = `${values.output}.partial-${process.pid}`;
            try {
              await pipeline(body, createWriteStream(temp));
              await rename(temp, values.output);
            } catch (err) {
              await unlink(temp).catch(() => {});
              throw err;
            }
            if (json) console.log(jsonLine({ event: 'saved', cid, path: values.output, bytes }));
            else console.error(`saved ${cid} to ${values.output} (${bytes} bytes)`);
          } else await pipeline(body, process.stdout);
          return EXIT.OK;
        } finally {
          await client.disconnect();
        }
      },
    );
  },
};
export default get;
