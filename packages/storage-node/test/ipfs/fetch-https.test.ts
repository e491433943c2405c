/**
 * The https side of fetch-http.ts and of the fetcher's `https://` gateways, against real `node:https`
 * servers on 127.0.0.1 with certificates made by the `openssl` CLI at test time: a private CA and a leaf
 * for IP 127.0.0.1 signed by it, a leaf for another address, a self-signed leaf, and a leaf from a CA
 * nobody trusts. A body arrives byte-exact over TLS; a certificate that does not verify is refused with a
 * TlsCertificateError before any request is sent; a pull trusts the private CA only when told (`ca`).
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { get as httpGetRaw } from 'node:http';
import { createServer as createHttpsServer, type Server, type ServerOptions } from 'node:https';
import { type AddressInfo, createServer as createNetServer } from 'node:net';
import { join } from 'node:path';
import type { CID } from 'multiformats/cid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  HttpsTrust,
  httpGet,
  InvalidCaError,
  type StreamGetOptions,
  streamGet,
  TlsCertificateError,
} from '../../src/ipfs/fetch-http.ts';
import { Fetcher, type Provider } from '../../src/ipfs/fetcher.ts';
import type { StorageNode } from '../../src/ipfs/storage-node.ts';
import {
  contentSha256,
  deterministicBytes,
  sha256Hex,
  startTempStorageNode,
  startTrustlessGateway,
  tempDir,
} from './helpers.ts';
import { killStorageNodeProcesses, xstorage } from './storage-node-process.ts';

const BODY = deterministicBytes(8 * 1024 * 1024 + 4321, 31);
const cleanups: Array<() => Promise<void>> = [];

interface Pems {
  ca: string;
  leaf: { key: string; cert: string };
  otherHost: { key: string; cert: string };
  selfSigned: { key: string; cert: string };
  strangerLeaf: { key: string; cert: string };
}
let pems: Pems;
let certDir: string;

/** The certificates, made fresh with `openssl` (P-256 keys, valid for a day). */
function makeCertificates(dir: string): Pems {
  const ssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  const read = (name: string) => readFileSync(join(dir, name), 'utf8');
  const key = (name: string) =>
    ssl('genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', name);
  const ca = (name: string, cn: string) => {
    key(`${name}.key`);
    ssl(
      'req',
      '-x509',
      '-new',
      '-key',
      `${name}.key`,
      '-out',
      `${name}.pem`,
      '-days',
      '1',
      '-subj',
      `/CN=${cn}`,
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    );
  };
  const leaf = (name: string, san: string, issuer: string) => {
    key(`${name}.key`);
    ssl('req', '-new', '-key', `${name}.key`, '-out', `${name}.csr`, '-subj', '/CN=xstorage test gateway');
    const ext = join(dir, `${name}.ext`);
    execFileSync('sh', [
      '-c',
      `printf 'subjectAltName=${san}\\nbasicConstraints=CA:FALSE\\nextendedKeyUsage=serverAuth\\n' > '${ext}'`,
    ]);
    ssl(
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      `${issuer}.pem`,
      '-CAkey',
      `${issuer}.key`,
      '-CAcreateserial',
      '-out',
      `${name}.pem`,
      '-days',
      '1',
      '-extfile',
      ext,
    );
    return { key: read(`${name}.key`), cert: read(`${name}.pem`) };
  };
  ca('ca', 'xstorage test CA');
  ca('stranger', 'a CA nobody trusts');
  key('self.key');
  ssl(
    'req',
    '-x509',
    '-new',
    '-key',
    'self.key',
    '-out',
    'self.pem',
    '-days',
    '1',
    '-subj',
    '/CN=127.0.0.1',
    '-addext',
    'subjectAltName=IP:127.0.0.1',
  );
  return {
    ca: read('ca.pem'),
    leaf: leaf('leaf', 'IP:127.0.0.1', 'ca'),
    otherHost: leaf('other', 'IP:127.0.0.2,DNS:gateway.example', 'ca'),
    selfSigned: { key: read('self.key'), cert: read('self.pem') },
    strangerLeaf: leaf('strangerleaf', 'IP:127.0.0.1', 'stranger'),
  };
}

/** An https server on 127.0.0.1; `handled` counts requests that got past the TLS handshake. */
async function httpsServer(
  tls: ServerOptions,
  handler: (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => void,
): Promise<{ url: string; server: Server; handled: () => number }> {
  let handled = 0;
  const server = createHttpsServer(tls, (req, res) => {
    handled++;
    handler(req, res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanups.push(
    () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  );
  return {
    url: `https://127.0.0.1:${(server.address() as AddressInfo).port}`,
    server,
    handled: () => handled,
  };
}

/** Serves BODY: with a Content-Length, or chunked in uneven pieces when the path is /chunked. */
function serveBody(req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse): void {
  if (req.url?.startsWith('/chunked')) {
    res.writeHead(200, { 'content-type': 'application/octet-stream' });
    let at = 0;
    let size = 1;
    const pump = () => {
      while (at < BODY.length) {
        const piece = BODY.subarray(at, at + size);
        at += piece.length;
        size = (size * 7 + 13) % 200_000 || 1;
        if (!res.write(piece)) return void res.once('drain', pump);
      }
      res.end();
    };
    pump();
    return;
  }
  res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': BODY.length }).end(BODY);
}

/** Collects a streamGet body (copying each view, as the API asks). */
async function streamBody(
  url: string,
  extra: Partial<StreamGetOptions> = {},
): Promise<{ bytes: number; sha256: string }> {
  const hash = createHash('sha256');
  let bytes = 0;
  await streamGet(new URL(url), {
    accept: '*/*',
    signal: AbortSignal.timeout(20_000),
    idleMs: 10_000,
    onBody: (chunk) => {
      bytes += chunk.byteLength;
      hash.update(chunk);
    },
    ...extra,
  }).done;
  return { bytes, sha256: hash.digest('hex') };
}

let trust: HttpsTrust;
let good: Awaited<ReturnType<typeof httpsServer>>;
const deprecations: string[] = [];
const onWarning = (w: Error & { code?: string }) => {
  if (w.code) deprecations.push(w.code);
};

beforeAll(async () => {
  const dir = await tempDir('https-certs');
  cleanups.push(() => dir.remove());
  certDir = dir.path;
  pems = makeCertificates(dir.path);
  trust = new HttpsTrust(pems.ca);
  cleanups.push(async () => trust.close());
  good = await httpsServer(pems.leaf, serveBody);
  process.on('warning', onWarning);
});

afterAll(async () => {
  killStorageNodeProcesses();
  process.off('warning', onWarning);
  for (const c of cleanups.reverse()) await c().catch(() => {});
});

describe('streamGet over TLS', () => {
  it('delivers a multi-MiB body byte-exact, framed by Content-Length and chunked', async () => {
    const expected = { bytes: BODY.length, sha256: sha256Hex(BODY) };
    expect(await streamBody(`${good.url}/body`, { trust })).toEqual(expected);
    expect(await streamBody(`${good.url}/chunked`, { trust })).toEqual(expected);
    // An IP host gets no SNI (RFC 6066 §3): Node warns (DEP0123) when it is given one.
    expect(deprecations).not.toContain('DEP0123');
  });

  it('pauses and resumes (backpressure) without losing a byte', async () => {
    const hash = createHash('sha256');
    let bytes = 0;
    const request = streamGet(new URL(`${good.url}/body`), {
      accept: '*/*',
      signal: AbortSignal.timeout(20_000),
      idleMs: 10_000,
      trust,
      onBody: (chunk) => {
        bytes += chunk.byteLength;
        hash.update(chunk);
        request.pause();
        setTimeout(() => request.resume(), 0);
      },
    });
    await request.done;
    expect({ bytes, sha256: hash.digest('hex') }).toEqual({ bytes: BODY.length, sha256: sha256Hex(BODY) });
  });

  it('refuses certificates it does not trust, before sending the request', async () => {
    const unknownIssuer = /^UNABLE_TO_(VERIFY_LEAF_SIGNATURE|GET_ISSUER_CERT_LOCALLY)$/;
    const cases: Array<{ name: string; tls: { key: string; cert: string }; trusted: boolean; code: RegExp }> =
      [
        // Node's default roots do not know the private CA.
        { name: 'private CA, not given', tls: pems.leaf, trusted: false, code: unknownIssuer },
        { name: 'self-signed', tls: pems.selfSigned, trusted: true, code: /^DEPTH_ZERO_SELF_SIGNED_CERT$/ },
        { name: 'another CA', tls: pems.strangerLeaf, trusted: true, code: unknownIssuer },
        {
          name: 'trusted CA, other host',
          tls: pems.otherHost,
          trusted: true,
          code: /^ERR_TLS_CERT_ALTNAME_INVALID$/,
        },
      ];
    for (const c of cases) {
      const server = c.tls === pems.leaf ? good : await httpsServer(c.tls, serveBody);
      const handledBefore = server.handled();
      const err = await streamBody(`${server.url}/body`, c.trusted ? { trust } : {}).catch((e) => e);
      expect(err, c.name).toBeInstanceOf(TlsCertificateError);
      expect((err as TlsCertificateError).code, c.name).toMatch(c.code);
      expect((err as Error).message).toContain(
        `TLS certificate of ${new URL(server.url).host} is not trusted`,
      );
      expect(server.handled(), c.name).toBe(handledBefore);
    }
  });

  it('a server that does not speak TLS fails fast with a connection error, not a certificate one', async () => {
    const sockets = new Set<import('node:net').Socket>();
    const plain = createNetServer((socket) => {
      sockets.add(socket);
      socket.on('error', () => {});
      socket.end('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi');
    });
    await new Promise<void>((r) => plain.listen(0, '127.0.0.1', r));
    cleanups.push(
      () =>
        new Promise<void>((r) => {
          for (const socket of sockets) socket.destroy();
          plain.close(() => r());
        }),
    );
    const url = `https://127.0.0.1:${(plain.address() as AddressInfo).port}/`;
    const started = Date.now();
    const err = await streamBody(url, { trust }).catch((e) => e);
    expect(err).toBeInstanceOf(Error);
    expect(err).not.toBeInstanceOf(TlsCertificateError);
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});

describe('httpGet (node:https) with the same trust', () => {
  async function body(url: string, withTrust?: HttpsTrust): Promise<Buffer> {
    const res = await httpGet(new URL(url), '*/*', AbortSignal.timeout(20_000), 10_000, withTrust);
    const parts: Buffer[] = [];
    for await (const chunk of res) parts.push(chunk as Buffer);
    return Buffer.concat(parts);
  }

  it('gets a body byte-exact with the CA, and a TlsCertificateError without it', async () => {
    expect(sha256Hex(await body(`${good.url}/body`, trust))).toBe(sha256Hex(BODY));
    const err = await body(`${good.url}/body`).catch((e) => e);
    expect(err).toBeInstanceOf(TlsCertificateError);
    expect((err as TlsCertificateError).code).toMatch(
      /^UNABLE_TO_(VERIFY_LEAF_SIGNATURE|GET_ISSUER_CERT_LOCALLY)$/,
    );
  });
});

describe('HttpsTrust input', () => {
  it('accepts PEM text, PEM bytes, DER bytes, and lists of them', () => {
    const der = Buffer.from(
      pems.ca.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, ''),
      'base64',
    );
    for (const ca of [
      pems.ca,
      Buffer.from(pems.ca),
      der,
      [pems.ca, pems.selfSigned.cert],
      `${pems.ca}${pems.selfSigned.cert}`,
    ]) {
      new HttpsTrust(ca).close();
    }
  });

  it('refuses what is not a certificate with InvalidCaError (Node would silently ignore it)', () => {
    const truncated = pems.ca.replace(/\n[A-Za-z0-9+/=]{20,}\n-----END/, '\n-----END');
    const bad: unknown[] = [
      '',
      'not a certificate',
      `-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n`,
      truncated,
      [],
      [pems.ca, 'garbage'],
      Buffer.from([1, 2, 3]),
      Buffer.alloc(0),
      [42],
      pems.leaf.key, // a private key is not a certificate
    ];
    for (const ca of bad) {
      expect(() => new HttpsTrust(ca as never), String(ca).slice(0, 40)).toThrow(InvalidCaError);
    }
  });
});

describe('the fetcher with https:// gateways', () => {
  let source: StorageNode;
  let fileCid: CID;
  let fileHash: string;
  let tlsGateway: Awaited<ReturnType<typeof httpsServer>>;
  let plainGatewayUrl: string;

  beforeAll(async () => {
    source = await startTempStorageNode('https-source', cleanups);
    const bytes = deterministicBytes(3 * 1024 * 1024 + 99, 37);
    fileHash = sha256Hex(bytes);
    fileCid = (await source.add(bytes)).cid;
    const gateway = await startTrustlessGateway(source.helia);
    cleanups.push(() => gateway.close());
    plainGatewayUrl = gateway.url;
    // TLS in front of the gateway, as a reverse proxy (nginx, a CDN) would put it.
    tlsGateway = await httpsServer(pems.leaf, (req, res) => {
      const upstream = httpGetRaw(
        new URL(req.url ?? '/', plainGatewayUrl),
        { headers: req.headers },
        (up) => {
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
        },
      );
      upstream.on('error', () => res.destroy());
      res.on('close', () => upstream.destroy());
    });
  });

  it.each(['car', 'block'] as const)(
    'pulls a whole DAG over https when given the CA (httpMode %s)',
    async (httpMode) => {
      const sink = await startTempStorageNode(`https-sink-${httpMode}`, cleanups);
      const out = await new Fetcher(sink.helia).fetch(fileCid, {
        providers: [{ kind: 'http', url: tlsGateway.url }],
        ca: pems.ca,
        httpMode,
        deadline: Date.now() + 30_000,
      });
      expect(out.status).toBe('complete');
      expect(out.ignoredProviders).toEqual([]);
      expect(await contentSha256(sink.helia.blockstore, fileCid)).toBe(fileHash);
    },
  );

  it.each(['car', 'block'] as const)(
    'drops an untrusted gateway at once and reports it; another gateway still serves the file (httpMode %s)',
    async (httpMode) => {
      const sink = await startTempStorageNode(`https-untrusted-${httpMode}`, cleanups);
      const untrusted: Provider = { kind: 'http', url: tlsGateway.url };
      const started = Date.now();
      const alone = await new Fetcher(sink.helia).fetch(fileCid, {
        providers: [untrusted],
        httpMode,
        deadline: Date.now() + 30_000,
      });
      // Not retried until the deadline: a certificate does not start verifying on the next try.
      expect(alone.status).toBe('not-found');
      expect(alone.ignoredProviders).toEqual([untrusted]);
      expect(Date.now() - started).toBeLessThan(5_000);

      const out = await new Fetcher(sink.helia).fetch(fileCid, {
        providers: [untrusted, { kind: 'http', url: plainGatewayUrl }],
        httpMode,
        deadline: Date.now() + 30_000,
      });
      expect(out.status).toBe('complete');
      expect(out.ignoredProviders).toEqual([untrusted]);
      expect(await contentSha256(sink.helia.blockstore, fileCid)).toBe(fileHash);
    },
  );

  it('`xstorage storage-node --fetch` pulls and pins over https with --ca, and ends at once without it', async () => {
    const work = await tempDir('https-cli');
    cleanups.push(() => work.remove());
    const args = (name: string, extra: string[]) => [
      '--base-path',
      join(work.path, name),
      '--json',
      '--fetch',
      fileCid.toString(),
      '--provider',
      tlsGateway.url,
      '--timeout',
      '30',
      '--exit-when-done',
      ...extra,
    ];
    const trusted = xstorage(args('trusted', ['--ca', join(certDir, 'ca.pem')]));
    expect(await trusted.exit, trusted.stderr()).toBe(0);
    expect(await trusted.next('fetched')).toMatchObject({ status: 'complete', cid: fileCid.toString() });
    const started = Date.now();
    const untrusted = xstorage(args('untrusted', []));
    expect(await untrusted.exit).toBe(1);
    expect(await untrusted.next('fetched')).toMatchObject({
      status: 'not-found',
      ignoredProviders: [{ kind: 'http', url: tlsGateway.url }],
    });
    expect(Date.now() - started).toBeLessThan(15_000);
    // A file that is not a certificate is a usage error, before the node starts.
    const bad = xstorage(args('bad-ca', ['--ca', join(certDir, 'leaf.key')]));
    expect(await bad.exit).toBe(2);
    expect(bad.stderr()).toContain('no PEM certificate');
  });

  it('a bad `ca` fails the fetch before it starts', async () => {
    const sink = await startTempStorageNode('https-bad-ca', cleanups);
    await expect(
      new Fetcher(sink.helia).fetch(fileCid, {
        providers: [{ kind: 'http', url: tlsGateway.url }],
        ca: 'not a certificate',
      }),
    ).rejects.toBeInstanceOf(InvalidCaError);
  });
});
