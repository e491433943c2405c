/**
 * `npm start -- --once` (what the README's first command runs after `npm ci`): the devnet with all chains and four
 * storage nodes in one process, a sample file stored from a parachain, 4 replicas, a summary, exit 0, within 90 s.
 * Run as a child process exactly as users run it (`npm start`, which builds first).
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../../..');

describe('npm start -- --once', () => {
  it('reaches 4 replicas and exits 0 within 90 s', async () => {
    const t0 = performance.now();
    // --rpc-port 0: other devnets may hold the default ports on a shared machine.
    const child = spawn('npm', ['start', '--silent', '--', '--once', '--rpc-port', '0'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.stderr.on('data', (d) => {
      err += d;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
    const code = await new Promise<number | null>((r) => child.once('close', r));
    clearTimeout(timer);
    const seconds = (performance.now() - t0) / 1000;
    expect(code, `${out}\n${err}`).toBe(0);
    expect(seconds).toBeLessThan(90);
    expect(out).toMatch(/ready in [\d.]+ s: relay ws:\/\/127\.0\.0\.1:\d+, 8 parachains, 4 storage nodes/);
    for (const hop of ['uploaded', 'order sent', 'on the relay', 'executed on Crust', 'confirmed home'])
      expect(out).toContain(`✓ ${hop}`);
    expect(out).toContain('✓ replicas          4/4');
    expect(out).toMatch(/Qm\w{44} \([\d.]+ KiB\) stored from Acala for [\d.]+ ACA: 4 replicas on Crust/);
    expect(out).toMatch(/dashboard http:\/\/127\.0\.0\.1:\d+\//);
  }, 95_000);
});
