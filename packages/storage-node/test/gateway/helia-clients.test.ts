/**
 * `@helia/verified-fetch` (8.x) and `@helia/http` (4.x) reading from our gateway, bytes compared with what was
 * stored. What they ask: `GET /ipfs/<cid>?format=raw` with `Accept: application/vnd.ipld.raw` per block (the
 * trustless gateway block broker), and, for each `routers` URL, `GET /routing/v1/providers/<cid>` (Helia's
 * delegated routing client).
 *
 * Why `createVerifiedFetch({ gateways: ['http://127.0.0.1:…'], routers: [] })` never asks the gateway: the
 * gateways become providers of a fallback router, and the trustless gateway broker keeps a provider only if
 * `filterNonHTTPMultiaddrs(addrs, allowInsecure, allowLocal)` (@helia/trustless-gateway-client `utils.ts`)
 * passes its address: `https` at a DNS name, or a public IP; plain `http` only with `allowInsecure`, loopback
 * and private addresses only with `allowLocal` (both default false, `DEFAULT_ALLOW_INSECURE`/`_LOCAL`). So a
 * loopback http gateway is dropped before any request, by design; with Helia's default libp2p the fetch then
 * waits on bitswap until it times out. Two configurations work, both shown here: `allowLocal` +
 * `allowInsecure` for a gateway on http/loopback (development), and the defaults untouched for a gateway
 * served as `https://<name>` (a deployment behind TLS; here a TLS proxy at https://localhost with a test CA).
 *
 * Only loopback: each verified-fetch gets `libp2pConfig` without listeners, transports, discovery or services
 * (Helia's defaults would start mDNS, UPnP and dial public bootstrappers); none of that is on the HTTP path.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { createServer as createHttpsServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';
import { withHTTP } from '@helia/http';
import { unixfs } from '@helia/unixfs';
import { createVerifiedFetch } from '@helia/verified-fetch';
import { createHeliaLight } from 'helia';
import type { CID } from 'multiformats/cid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/gateway/index.ts';
import { importFiles, pseudoRandom, startGateway, startHelia, type TestHelia } from './helpers.ts';

/** No network beyond the HTTP gateway: what Helia's libp2p would otherwise start. */
const LOOPBACK_ONLY_LIBP2P = { addresses: { listen: [] }, transports: [], peerDiscovery: [], services: {} };

const FILE = pseudoRandom(700 * 1024, 77); // three 256 KiB leaves under a root: several block requests
const PAGE = '<!doctype html><p>xstorage</p>\n';

let helia: TestHelia;
let gateway: Gateway;
let url: string;
let fileCid: CID;
let dirCid: CID;
let siteCid: CID;
const requests: string[] = [];
let certDir: string;
let proxy: Server | undefined;
let originalCAs: string[] | undefined;

function seen(prefix: string): string[] {
  return requests.filter((r) => r.startsWith(prefix));
}

async function bytesOf(res: Response): Promise<Buffer> {
  return Buffer.from(await res.arrayBuffer());
}

beforeAll(async () => {
  helia = await startHelia();
  ({ gateway, url } = await startGateway(helia, {
    routes: [
      (req) => {
        requests.push(`${req.method} ${req.url} accept=${req.headers.accept ?? ''}`);
        return false;
      },
    ],
  }));
  fileCid = (await importFiles(helia, [{ path: 'file.bin', content: FILE }]))[0]!.cid as CID;
  const dir = await importFiles(helia, [
    { path: 'dir/a.txt', content: 'alpha\n' },
    { path: 'dir/sub/b.bin', content: FILE.subarray(0, 300 * 1024) },
  ]);
  dirCid = dir[dir.length - 1]!.cid as CID;
  const site = await importFiles(helia, [{ path: 'site/index.html', content: PAGE }]);
  siteCid = site[site.length - 1]!.cid as CID;
  certDir = await mkdtemp(join(tmpdir(), 'xstorage-vf-tls-'));
});

afterAll(async () => {
  if (originalCAs) tls.setDefaultCACertificates(originalCAs);
  await new Promise<void>((r) => (proxy ? proxy.close(() => r()) : r()));
  await gateway?.stop();
  await helia?.stop();
  if (certDir) await rm(certDir, { recursive: true, force: true });
});

describe('@helia/verified-fetch', () => {
  it('with { gateways: [http loopback gateway], routers: [] } alone it never asks the gateway (its filter, by design)', async () => {
    const before = requests.length;
    const vf = await createVerifiedFetch({
      gateways: [url],
      routers: [],
      libp2pConfig: LOOPBACK_ONLY_LIBP2P as never,
    });
    try {
      const res = await vf(`ipfs://${fileCid}`, { signal: AbortSignal.timeout(10_000) });
      expect(res.ok).toBe(false);
    } finally {
      await vf.stop();
    }
    expect(requests.length).toBe(before);
  });

  it('with allowLocal + allowInsecure: a multi-block file, a file in a directory, a directory index — bytes as stored', async () => {
    const vf = await createVerifiedFetch({
      gateways: [url],
      routers: [],
      allowLocal: true,
      allowInsecure: true,
      libp2pConfig: LOOPBACK_ONLY_LIBP2P as never,
    });
    try {
      const file = await vf(`ipfs://${fileCid}`);
      expect(file.status).toBe(200);
      expect((await bytesOf(file)).equals(Buffer.from(FILE))).toBe(true);
      const inDir = await vf(`ipfs://${dirCid}/sub/b.bin`);
      expect((await bytesOf(inDir)).equals(Buffer.from(FILE.subarray(0, 300 * 1024)))).toBe(true);
      expect(await (await vf(`ipfs://${dirCid}/a.txt`)).text()).toBe('alpha\n');
      const index = await vf(`ipfs://${siteCid}/`);
      expect(index.status).toBe(200);
      expect(await index.text()).toBe(PAGE);
      // The directory itself, verified block by block into a CAR by the client.
      const car = await vf(`ipfs://${dirCid}`, { headers: { Accept: 'application/vnd.ipld.car' } });
      expect(car.status).toBe(200);
      expect((await bytesOf(car)).length).toBeGreaterThan(300 * 1024);
    } finally {
      await vf.stop();
    }
    const blockRequests = seen(`GET /ipfs/${fileCid}?format=raw`);
    expect(blockRequests[0]).toMatch(/accept=application\/vnd\.ipld\.raw/);
  });

  it('with routers: [our gateway] and no gateways it finds us through /routing/v1/providers', async () => {
    const before = seen('GET /routing/v1/providers/').length;
    const vf = await createVerifiedFetch({
      gateways: [],
      routers: [url],
      allowLocal: true,
      allowInsecure: true,
      libp2pConfig: LOOPBACK_ONLY_LIBP2P as never,
    });
    try {
      const res = await vf(`ipfs://${dirCid}/a.txt`);
      expect(await res.text()).toBe('alpha\n');
    } finally {
      await vf.stop();
    }
    expect(seen('GET /routing/v1/providers/').length).toBeGreaterThan(before);
  });

  it('with its defaults untouched ({ gateways: ["https://localhost:…"], routers: [] }) behind TLS', async () => {
    const ssl = (...args: string[]) => execFileSync('openssl', args, { cwd: certDir, stdio: 'pipe' });
    const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
    ssl(
      'req',
      '-x509',
      ...ec,
      '-keyout',
      'ca.key',
      '-out',
      'ca.pem',
      '-days',
      '1',
      '-subj',
      '/CN=xstorage test CA',
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    );
    ssl('req', ...ec, '-keyout', 'leaf.key', '-out', 'leaf.csr', '-subj', '/CN=localhost');
    execFileSync(
      'sh',
      ['-c', 'printf "subjectAltName=DNS:localhost\\nbasicConstraints=CA:FALSE\\n" > leaf.ext'],
      {
        cwd: certDir,
      },
    );
    ssl(
      'x509',
      '-req',
      '-in',
      'leaf.csr',
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-out',
      'leaf.pem',
      '-days',
      '1',
      '-extfile',
      'leaf.ext',
    );
    const read = (n: string) => readFileSync(join(certDir, n), 'utf8');
    // A TLS proxy in front of the gateway, as a deployment would have (it says so with X-Forwarded-Proto).
    const upstream = new URL(url);
    const server = createHttpsServer({ key: read('leaf.key'), cert: read('leaf.pem') }, (req, res) => {
      const up = httpRequest(
        {
          host: upstream.hostname,
          port: upstream.port,
          path: req.url,
          method: req.method,
          headers: { ...req.headers, 'x-forwarded-proto': 'https' },
        },
        (u) => {
          res.writeHead(u.statusCode ?? 502, u.headers);
          u.pipe(res);
        },
      );
      up.on('error', () => res.destroy());
      req.pipe(up);
    });
    proxy = server;
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    originalCAs = tls.getCACertificates('default');
    tls.setDefaultCACertificates([...originalCAs, read('ca.pem')]);
    const vf = await createVerifiedFetch({
      gateways: [`https://localhost:${port}`],
      routers: [],
      libp2pConfig: LOOPBACK_ONLY_LIBP2P as never,
    });
    try {
      const res = await vf(`ipfs://${fileCid}`, { signal: AbortSignal.timeout(20_000) });
      expect((await bytesOf(res)).equals(Buffer.from(FILE))).toBe(true);
    } finally {
      await vf.stop();
    }
  });
});

/**
 * `@helia/http` 4 with `recursiveGateways` alone (`delegatedRouters: []`) never asks anyone: helia 7.1.15's
 * `Routing.findProviders` (dist/src/routing.js) first merges the non-fallback routers with a lookup queue that
 * only goes idle when one of those routers finishes; with none, it waits forever and the fallback router (the
 * gateways) is never reached. Its documented default has a delegated router (delegated-ipfs.dev); pointing that at
 * our gateway (`delegatedRouters: [ours]`, served by /routing/v1) is the configuration that works.
 */
describe('@helia/http', () => {
  const options = (delegatedRouters: string[]) => ({
    delegatedRouters,
    recursiveGateways: [url],
    allowLocal: true,
    allowInsecure: true,
  });

  it('withHTTP(createHeliaLight(), { delegatedRouters: [ours], recursiveGateways: [ours] }): unixfs cat and ls', async () => {
    const before = seen('GET /routing/v1/providers/').length;
    const node = await withHTTP(createHeliaLight(), options([url])).start();
    try {
      const fs = unixfs(node);
      const chunks: Uint8Array[] = [];
      for await (const c of fs.cat(fileCid as never)) chunks.push(c);
      expect(Buffer.concat(chunks).equals(Buffer.from(FILE))).toBe(true);
      const names: string[] = [];
      for await (const e of fs.ls(dirCid as never)) names.push(e.name);
      expect(names).toEqual(['a.txt', 'sub']);
      const inner: Uint8Array[] = [];
      for await (const c of fs.cat(dirCid as never, { path: 'a.txt' } as never)) inner.push(c);
      expect(Buffer.concat(inner).toString()).toBe('alpha\n');
    } finally {
      await node.stop();
    }
    expect(seen('GET /routing/v1/providers/').length).toBeGreaterThan(before);
  });

  it('with delegatedRouters: [] the gateways are never reached (Helia routing waits for routers it has none of)', async () => {
    const before = requests.length;
    const node = await withHTTP(createHeliaLight(), options([])).start();
    const cat = (async () => {
      for await (const _ of unixfs(node).cat(fileCid as never)) {
        // never reached
      }
      return 'done';
    })();
    cat.catch(() => {});
    const outcome = await Promise.race([cat, new Promise((r) => setTimeout(() => r('waiting'), 1500))]);
    await node.stop();
    expect(outcome).toBe('waiting');
    expect(requests.length).toBe(before);
  });
});
