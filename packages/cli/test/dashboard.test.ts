/**
 * The dashboard in a real headless browser (Debian's chromium driven by playwright-core): `xstorage devnet` serves
 * it, the page follows the chains over their WebSocket RPC, an order placed with the CLI appears as one row that moves
 * from the user's chain through the relay to Crust and back, then to its replicas; the CID's own page shows the file.
 * A screenshot is kept in .xstorage/artifacts/ (gitignored).
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SpawnedDevnet, spawnDevnet } from '../../node/test/devnet/spawn-devnet.ts';
import { runCli } from './run-cli.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARTIFACTS = join(import.meta.dirname, '../../../.xstorage/artifacts');
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

let net: SpawnedDevnet;
let browser: Browser;
let dashboard: string;
let dir: string;

beforeAll(async () => {
  if (!existsSync(CHROMIUM))
    throw new Error(
      `${CHROMIUM} is missing: apt-get update && apt-get install -y chromium (.ci/run does it)`,
    );
  dir = await mkdtemp(join(tmpdir(), 'xstorage-dashboard-'));
  [net, browser] = await Promise.all([
    spawnDevnet({
      parachains: ['crust', 'acala'],
      blockTimeMs: 500,
      storageNodes: 4,
      readyTimeoutMs: 55_000,
    }),
    chromium.launch({ executablePath: CHROMIUM, args: FLAGS }),
  ]);
  dashboard = net.events.find((e) => e.event === 'ready')!.dashboard as string;
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await net?.dispose();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('the dashboard', () => {
  it('shows the chains live and an order placed with the CLI reaching its replicas', async () => {
    expect(dashboard).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(dashboard);
    // Every chain's best block, from its own RPC.
    for (const chain of ['relay', 'crust', 'acala'])
      await page.waitForSelector(`tr[data-chain="${chain}"] td.best:text-matches("#\\\\d+")`, {
        timeout: 20_000,
      });
    await page.waitForSelector('tr[data-node="storage-4"]', { timeout: 10_000 });
    const file = join(dir, 'shown.bin');
    await writeFile(file, Buffer.from(`the dashboard test ${Date.now()}\n`.repeat(2000)));
    const store = await runCli(
      [
        'store',
        file,
        '--from',
        'acala',
        '--replicas',
        '2',
        '--endpoints',
        join(net.basePath, 'endpoints.json'),
        '--json',
      ],
      { timeoutMs: 40_000 },
    );
    expect(store.code).toBe(0);
    const cid = store.json[0]!.cid as string;
    const row = `#orders tr[data-cid="${cid}"]`;
    await page.waitForSelector(row, { timeout: 15_000 });
    // The row follows the order: sent on acala, on the relay, executed on Crust, confirmed home, replicas.
    await page.waitForSelector(`${row}[data-stage="executed"], ${row}[data-stage="replicated"]`, {
      timeout: 20_000,
    });
    await page.waitForFunction(
      (sel) =>
        Number((globalThis as any).document.querySelector(sel)?.getAttribute('data-replicas') ?? 0) >= 2,
      row,
      { timeout: 25_000 },
    );
    const cells = await page.locator(`${row} td`).allTextContents();
    expect(cells[2]).toBe('acala');
    expect(cells[3]).toMatch(/#\d+/);
    expect(cells[4]).toMatch(/#\d+/);
    expect(cells[5]).toMatch(/#\d+/);
    expect(cells[6]).toMatch(/#\d+/);
    await mkdir(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard.png'), fullPage: true });
    // The CID's own page reads the file from Crust.
    await page.click(`${row} a`);
    await page.waitForSelector(`#cid-page dl[data-cid="${cid}"]`, { timeout: 10_000 });
    expect(Number(await page.getAttribute('#cid-page dl', 'data-replicas'))).toBeGreaterThanOrEqual(2);
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-cid.png'), fullPage: true });
    expect(errors).toEqual([]);
  }, 60_000);
});
