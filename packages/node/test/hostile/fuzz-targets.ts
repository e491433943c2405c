/**
 * Fuzz targets the suite runs for a few seconds each (hostile/fuzz-*.test.ts) and `scripts/fuzz.ts` runs for as
 * long as asked. Each throws (with fast-check's shrunk input) on the first input that is not answered as the
 * protocol says, and resolves to how many inputs it tried.
 *
 * - `fuzzRpc`: random JSON-RPC requests (every method the node lists, random params, broken JSON, batches)
 *   over one WebSocket and over HTTP: each frame gets exactly one answer (a result or an error object), in
 *   time, and the node keeps serving.
 * - `fuzzExtrinsics`: random and mutated extrinsic bytes into the RPC methods that decode them.
 * - `fuzzScaleDecoders`: the dev runtime's extrinsic, header and block decoders in this process: a value or
 *   the decoder's typed error, nothing else.
 * - `fuzzGateway`: random multipart bodies, paths, queries and W3Auth headers against the gateway: a 2xx/3xx/4xx
 *   answer with the gateway's body shape, never a 5xx, and it keeps serving.
 */

import { BlockCodec, HeaderCodec } from '@xstorage/runtime/block';
import { decodeExtrinsic, ExtrinsicDecodeError } from '@xstorage/runtime/extrinsic';
import { makeDevRuntime } from '@xstorage/runtime/runtimes/dev';
import { ScaleDecodeError } from '@xstorage/runtime/scale';
import fc from 'fast-check';
import WebSocket from 'ws';
import {
  extrinsicLikeBytes,
  type FuzzReport,
  fuzzFor,
  jsonRpcRequest,
  multipartLikeBody,
  mutated,
  openWs,
} from './kit.ts';

export class FuzzFailure extends Error {
  override readonly name = 'FuzzFailure';
}

/** One WebSocket on which each frame sent is answered by exactly one non-notification message. */
class AnsweringSocket {
  #waiting: ((m: unknown) => void) | undefined;
  readonly #early: unknown[] = [];

  constructor(readonly ws: WebSocket) {
    ws.on('message', (d) => {
      let m: unknown;
      try {
        m = JSON.parse(d.toString());
      } catch {
        m = { unparsable: d.toString().slice(0, 200) };
      }
      // Subscription notifications are not answers.
      if (m !== null && typeof m === 'object' && !Array.isArray(m) && 'method' in m && !('id' in m)) return;
      const w = this.#waiting;
      this.#waiting = undefined;
      if (w) w(m);
      else this.#early.push(m);
    });
  }

  async ask(frame: string, timeoutMs: number): Promise<unknown> {
    if (this.#early.length > 0)
      throw new FuzzFailure(`an answer nobody asked for: ${JSON.stringify(this.#early[0])}`);
    if (this.ws.readyState !== WebSocket.OPEN) throw new FuzzFailure('the server closed the connection');
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => {
        this.#waiting = undefined;
        reject(new FuzzFailure(`no answer within ${timeoutMs} ms`));
      }, timeoutMs);
      this.#waiting = (m) => {
        clearTimeout(t);
        resolve(m);
      };
      this.ws.send(frame);
    });
  }
}

/** A JSON-RPC response object (or a batch of them) as the spec shapes it. */
function checkAnswer(frame: string, answer: unknown): void {
  const one = (a: unknown) => {
    if (a === null || typeof a !== 'object' || Array.isArray(a))
      throw new FuzzFailure(`not an object: ${JSON.stringify(a)}`);
    const r = a as Record<string, unknown>;
    if (r.jsonrpc !== '2.0' || !('id' in r))
      throw new FuzzFailure(`not a JSON-RPC response: ${JSON.stringify(a).slice(0, 300)}`);
    if ('error' in r) {
      const e = r.error as Record<string, unknown>;
      if (typeof e?.code !== 'number' || typeof e.message !== 'string')
        throw new FuzzFailure(`malformed error: ${JSON.stringify(r.error)}`);
      // -32603 is our own failure: a hostile input must never reach it. (Except the answer to a subscription
      // over HTTP, which jsonrpsee also gives as -32603.)
      const httpSubscription = typeof e.data === 'string' && /only served over WebSocket/.test(e.data);
      if (e.code === -32603 && !httpSubscription)
        throw new FuzzFailure(`internal error for ${frame.slice(0, 300)}: ${JSON.stringify(e)}`);
    } else if (!('result' in r))
      throw new FuzzFailure(`neither result nor error: ${JSON.stringify(r).slice(0, 300)}`);
  };
  if (Array.isArray(answer)) answer.forEach(one);
  else one(answer);
}

async function methodsOf(wsUrl: string): Promise<string[]> {
  const ws = await openWs(wsUrl);
  if (typeof ws === 'number') throw new FuzzFailure(`refused with ${ws}`);
  const s = new AnsweringSocket(ws);
  const m = (await s.ask('{"jsonrpc":"2.0","id":1,"method":"rpc_methods"}', 5000)) as {
    result: { methods: string[] };
  };
  ws.terminate();
  // Block production on demand would only slow the run down; everything else is fair game.
  return m.result.methods.filter((name) => !name.startsWith('engine_'));
}

/** Random requests to a chain node's RPC (WS, and every 8th over HTTP). */
export async function fuzzRpc(
  wsUrl: string,
  httpUrl: string,
  durationMs: number,
  seed?: number,
): Promise<FuzzReport> {
  const methods = await methodsOf(wsUrl);
  const ws = await openWs(wsUrl);
  if (typeof ws === 'number') throw new FuzzFailure(`refused with ${ws}`);
  const s = new AnsweringSocket(ws);
  let n = 0;
  try {
    return await fuzzFor(
      jsonRpcRequest(methods),
      async (frame) => {
        if (++n % 8 === 0) {
          const res = await fetch(httpUrl, {
            method: 'POST',
            body: frame,
            headers: { 'Content-Type': 'application/json' },
          });
          const text = await res.text();
          if (res.status >= 500)
            throw new FuzzFailure(`HTTP ${res.status} for ${frame.slice(0, 300)}: ${text.slice(0, 300)}`);
          if (res.status === 200) checkAnswer(frame, JSON.parse(text));
          return;
        }
        if (expectsAnswer(frame)) {
          checkAnswer(frame, await s.ask(frame, 10_000));
          return;
        }
        // A notification gets no answer: the next answer on the socket must be that of the next request.
        ws.send(frame);
        const ping = await s.ask('{"jsonrpc":"2.0","id":"fuzz-ping","method":"system_health"}', 10_000);
        if ((ping as { id?: unknown })?.id !== 'fuzz-ping') {
          throw new FuzzFailure(
            `an answer to the notification ${frame.slice(0, 300)}: ${JSON.stringify(ping)}`,
          );
        }
      },
      { durationMs, seed },
    );
  } finally {
    ws.terminate();
  }
}

/** JSON-RPC 2.0: a request object without an `id` member is a notification and gets no answer. */
function expectsAnswer(frame: string): boolean {
  let v: unknown;
  try {
    v = JSON.parse(frame);
  } catch {
    return true;
  }
  const notification = (x: unknown) =>
    x !== null && typeof x === 'object' && !Array.isArray(x) && !('id' in x);
  if (Array.isArray(v)) return v.length === 0 || !v.every(notification);
  return !notification(v);
}

/** Random and mutated extrinsic bytes into every RPC method that decodes one. */
export async function fuzzExtrinsics(
  wsUrl: string,
  durationMs: number,
  valid: Uint8Array[] = [],
  seed?: number,
): Promise<FuzzReport> {
  const ws = await openWs(wsUrl);
  if (typeof ws === 'number') throw new FuzzFailure(`refused with ${ws}`);
  const s = new AnsweringSocket(ws);
  const bytes =
    valid.length > 0 ? fc.oneof(extrinsicLikeBytes(), ...valid.map((v) => mutated(v))) : extrinsicLikeBytes();
  const hex = (b: Uint8Array) => `0x${Buffer.from(b).toString('hex')}`;
  const request = fc
    .tuple(
      fc.constantFrom(
        'author_submitExtrinsic',
        'payment_queryInfo',
        'payment_queryFeeDetails',
        'system_dryRun',
        'state_call:TaggedTransactionQueue_validate_transaction',
        'state_call:TransactionPaymentApi_query_info',
        'state_call:BlockBuilder_apply_extrinsic',
        'state_call:Core_execute_block',
        'state_call:Metadata_metadata_at_version',
      ),
      bytes,
      fc.integer({ min: 1, max: 1e9 }),
    )
    .map(([method, b, id]) => {
      if (!method.startsWith('state_call:'))
        return JSON.stringify({ jsonrpc: '2.0', id, method, params: [hex(b)] });
      return JSON.stringify({ jsonrpc: '2.0', id, method: 'state_call', params: [method.slice(11), hex(b)] });
    });
  try {
    return await fuzzFor(request, async (frame) => checkAnswer(frame, await s.ask(frame, 10_000)), {
      durationMs,
      seed,
    });
  } finally {
    ws.terminate();
  }
}

/** The dev runtime's SCALE decoders on random and mutated bytes, in this process. */
export async function fuzzScaleDecoders(durationMs: number, seed?: number): Promise<FuzzReport> {
  const runtime = makeDevRuntime();
  const typed = (err: unknown) => err instanceof ScaleDecodeError || err instanceof ExtrinsicDecodeError;
  const decoders: Array<[string, (b: Uint8Array) => unknown]> = [
    ['extrinsic', (b) => decodeExtrinsic(runtime.format, b)],
    ['call', (b) => runtime.format.call.decode(b)],
    ['header', (b) => HeaderCodec.decode(b)],
    ['block', (b) => BlockCodec.decode(b)],
  ];
  const input = fc.tuple(
    fc.integer({ min: 0, max: decoders.length - 1 }),
    fc.oneof(extrinsicLikeBytes(), fc.uint8Array({ maxLength: 512 })),
  );
  return fuzzFor(
    input,
    ([which, bytes]) => {
      const [name, decode] = decoders[which]!;
      try {
        decode(bytes);
      } catch (err) {
        if (!typed(err)) {
          throw new FuzzFailure(
            `${name} decoder threw ${(err as Error)?.name}: ${(err as Error)?.message} for 0x${Buffer.from(bytes).toString('hex')}`,
          );
        }
      }
    },
    { durationMs, seed },
  );
}

/** Random requests to the gateway: multipart uploads, content paths, Kubo queries, W3Auth headers. */
export async function fuzzGateway(
  url: string,
  authHeader: string,
  durationMs: number,
  opts: { seed?: number; internalErrors?: () => number } = {},
): Promise<FuzzReport> {
  const seed = opts.seed;
  let internal = opts.internalErrors?.() ?? 0;
  const pathPiece = fc.oneof(
    fc.string({ maxLength: 60 }),
    fc.constantFrom(
      'bafkqaaa',
      'QmbFMke1KXqnYyBBWxB74N4c5SBnJMVAiMNRcGu6x1AwQH',
      'bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi',
      'bagaibqabciqahecyy3zmbs2jfrjtwcsnctxxptappcv4ztwvfb6yjincaeopxai',
      '%',
      '%zz',
      '..',
      '',
      'ipfs',
    ),
  );
  const request = fc.oneof(
    fc.record({
      kind: fc.constant('add' as const),
      body: multipartLikeBody('xyz'),
      query: fc.constantFrom(
        '',
        '?pin=false',
        '?progress=true',
        '?wrap-with-directory=true',
        '?cid-version=1',
        '?chunker=size-0',
        '?chunker=rabin',
      ),
    }),
    fc.record({
      kind: fc.constant('get' as const),
      path: fc.array(pathPiece, { minLength: 1, maxLength: 4 }).map((p) => `/ipfs/${p.join('/')}`),
      query: fc.constantFrom(
        '',
        '?format=raw',
        '?format=car',
        '?format=car&dag-scope=entity',
        '?format=x',
        '?filename=%zz',
      ),
      range: fc.option(fc.constantFrom('bytes=0-1', 'bytes=-5', 'bytes=9-2', 'bytes=x', 'bytes=0-0,2-3')),
    }),
    fc.record({
      kind: fc.constant('rpc' as const),
      command: fc.constantFrom(
        'cat',
        'block/get',
        'pin/ls',
        'pin/add',
        'pin/rm',
        'id',
        'version',
        'repo/stat',
        'nope',
        'add',
      ),
      arg: pathPiece,
      extra: fc.constantFrom(
        '',
        '&offset=-1',
        '&length=x',
        '&offset=99999999999999999999',
        '&recursive=maybe',
      ),
    }),
    fc.record({
      kind: fc.constant('auth' as const),
      header: fc.oneof(
        fc.string({ maxLength: 80 }),
        fc.string({ maxLength: 80 }).map((s) => `Basic ${Buffer.from(s, 'latin1').toString('base64')}`),
        fc.constantFrom('Basic', 'Basic =', 'Basic ZXRoLTB4MTIzOjB4', `Basic ${'A'.repeat(2000)}`),
      ),
    }),
  );
  return fuzzFor(
    request,
    async (r) => {
      let res: Response;
      if (r.kind === 'add') {
        res = await fetch(`${url}/api/v0/add${r.query}`, {
          method: 'POST',
          headers: { Authorization: authHeader, 'Content-Type': 'multipart/form-data; boundary=xyz' },
          body: r.body,
        });
      } else if (r.kind === 'get') {
        res = await fetch(`${url}${r.path}${r.query}`, { headers: r.range ? { Range: r.range } : {} });
      } else if (r.kind === 'rpc') {
        res = await fetch(`${url}/api/v0/${r.command}?arg=${encodeURIComponent(r.arg)}${r.extra}`, {
          method: 'POST',
          headers: { Authorization: authHeader },
        });
      } else {
        res = await fetch(`${url}/api/v0/pin/ls`, {
          method: 'POST',
          headers: { Authorization: r.header },
        }).catch(
          // A header fetch itself refuses to send (not a byte string): nothing reached the gateway.
          () => new Response(null, { status: 400 }),
        );
      }
      const body = await res.text();
      const what = () => `HTTP ${res.status} for ${JSON.stringify(r).slice(0, 400)}: ${body.slice(0, 300)}`;
      // The gateway's own failures are logged through onError: a hostile request must never reach one.
      const now = opts.internalErrors?.() ?? 0;
      if (now > internal) {
        internal = now;
        throw new FuzzFailure(`an internal error: ${what()}`);
      }
      // Kubo's RPC answers a command that fails (a block not stored here, a CID not pinned) with a 500 and
      // Code 0; the path gateway and anything else has no business answering a 5xx.
      const kuboFailure = r.kind !== 'get' && res.status === 500 && /"Code":0,"Type":"error"/.test(body);
      if (res.status >= 500 && !kuboFailure) throw new FuzzFailure(what());
    },
    { durationMs, seed },
  );
}
