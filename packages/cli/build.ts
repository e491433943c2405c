/**
 * Bundles the `xstorage` command into packages/cli/dist/ (`npm run build`; `npm ci` runs it through `prepare`,
 * the test run and `npm run bench` run it before they start processes).
 *
 * Why a bundle: through tsx, resolving and transpiling ~400 source and dependency modules took ~1 s of a
 * node's 1.5 s cold start; one pre-resolved module graph per sub-command starts in about a third of that.
 * Sub-commands stay separate chunks (code splitting), so `xstorage node` never loads Helia or libp2p.
 * External (loaded from node_modules as usual): classic-level, whose native addon is found relative to its own
 * package, and the IPFS stack (Helia, libp2p, IPLD), some of whose modules read their own package.json at load
 * time; `xstorage storage-node` loads them the ordinary way.
 *
 * Several test runs may build while others are starting processes from dist/, so every file is written to a
 * temp name and renamed into place, chunks before the entry point that imports them (chunk names carry a
 * content hash, so a rename never changes a file a running process loaded). Files of older builds are removed
 * once they are a minute old.
 */
import { mkdirSync, readdirSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { CLI_DIST_DIR, CLI_DIST_MAIN } from './dist-path.ts';
import { buildDashboard } from './src/dashboard/bundle.ts';

const IPFS_STACK = [
  'helia',
  '@helia/*',
  'libp2p',
  '@libp2p/*',
  '@chainsafe/*',
  '@multiformats/*',
  '@ipld/*',
  'multiformats',
  'multiformats/*',
  'blockstore-*',
  'datastore-*',
  'interface-*',
  'ipfs-unixfs*',
  'busboy',
];
const STALE_AFTER_MS = 60_000;

export async function buildCli(outdir = CLI_DIST_DIR): Promise<void> {
  const out = await build({
    entryPoints: [join(import.meta.dirname, 'src/main.ts')],
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node22',
    outExtension: { '.js': '.mjs' },
    external: [...IPFS_STACK, 'classic-level'],
    // Some dependencies are CommonJS and call require() for Node built-ins; an ES module has no `require`.
    banner: {
      js: "import { createRequire as __xstorageRequire } from 'node:module'; const require = __xstorageRequire(import.meta.url);",
    },
    sourcemap: 'linked',
    logLevel: 'warning',
    write: false,
  });
  mkdirSync(outdir, { recursive: true });
  const entry = join(outdir, basename(CLI_DIST_MAIN));
  const files = [...out.outputFiles].sort((a, b) => Number(a.path === entry) - Number(b.path === entry));
  for (const file of files) {
    const temp = `${file.path}.${process.pid}.tmp`;
    writeFileSync(temp, file.contents);
    renameSync(temp, file.path);
  }
  // The devnet's dashboard page (dist/dashboard/), served by `xstorage devnet` and `xstorage demo`.
  await buildDashboard(outdir);
  const current = new Set([...files.map((f) => basename(f.path)), 'dashboard']);
  for (const name of readdirSync(outdir)) {
    const path = join(outdir, name);
    if (current.has(name)) continue;
    try {
      if (Date.now() - statSync(path).mtimeMs > STALE_AFTER_MS) unlinkSync(path);
    } catch {
      // Another build removed it first.
    }
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await buildCli();
}
