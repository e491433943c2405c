/**
 * Builds the dashboard page into `<outdir>/dashboard/` (index.html, style.css, app.js bundled for the browser with
 * esbuild: the SDK and @polkadot/api, minified). Called by packages/cli/build.ts.
 */
import { copyFile, mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { build } from 'esbuild';

export async function buildDashboard(outdir: string): Promise<void> {
  const dir = join(outdir, 'dashboard');
  await mkdir(dir, { recursive: true });
  const page = join(import.meta.dirname, 'page');
  const out = await build({
    entryPoints: [join(page, 'app.ts')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    // The SDK's Node-only helpers (endpoints files, files on disk) are dynamic imports the page never takes.
    external: ['node:*'],
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'warning',
    write: false,
  });
  const write = async (name: string, contents: Uint8Array | string) => {
    const temp = join(dir, `${name}.${process.pid}.tmp`);
    await writeFile(temp, contents);
    await rename(temp, join(dir, name));
  };
  await write('app.js', out.outputFiles[0]!.contents);
  for (const name of ['index.html', 'style.css']) {
    const temp = join(dir, `${name}.${process.pid}.tmp`);
    await copyFile(join(page, name), temp);
    await rename(temp, join(dir, name));
  }
}
