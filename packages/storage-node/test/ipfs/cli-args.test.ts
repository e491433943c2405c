/** `xstorage storage-node` argument handling, in-process: mistakes exit 2 with a reason, before any node starts. */

import command, { parseProvider } from '@xstorage/cli/commands/storage-node';
import { afterEach, describe, expect, it, vi } from 'vitest';

afterEach(() => vi.restoreAllMocks());

async function runCapturing(args: string[]): Promise<{ code: number; stderr: string }> {
  const lines: string[] = [];
  vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => {
    lines.push(a.join(' '));
  });
  const code = await command.run(args);
  return { code, stderr: lines.join('\n') };
}

describe('xstorage storage-node arguments', () => {
  it('names what is wrong and exits 2', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['--json'], /--base-path is required/],
      [['--base-path', '/tmp/x', '--frobnicate'], /Unknown option '--frobnicate'/],
      [['--base-path', '/tmp/x', '--fetch', 'Qm'], /--fetch needs --provider/],
      [['--base-path', '/tmp/x', '--fetch', 'Qm', '--provider', 'carrier-pigeon'], /--provider must be/],
      [['--base-path', '/tmp/x', '--gateway-port', '70000'], /--gateway-port must be 0\.\.65535/],
      [['--base-path', '/tmp/x', '--gateway-port', 'http'], /--gateway-port must be/],
      [['--base-path', '/tmp/x', '--add', import.meta.filename, '--chunker', 'rabin'], /not supported/],
      [
        ['--base-path', '/tmp/x', '--add', import.meta.filename, '--cid-version', '7'],
        /cid-version must be 0 or 1/,
      ],
    ];
    for (const [args, reason] of cases) {
      const { code, stderr } = await runCapturing(args);
      expect(code, args.join(' ')).toBe(2);
      expect(stderr, args.join(' ')).toMatch(reason);
    }
  });

  it('reads providers: http(s) URLs are gateways, multiaddrs are libp2p peers', () => {
    expect(parseProvider('http://127.0.0.1:8080')).toEqual({ kind: 'http', url: 'http://127.0.0.1:8080' });
    expect(
      parseProvider('/ip4/127.0.0.1/tcp/4001/p2p/12D3KooWAnDM9LtbYK6eBC8bZvyHJb6WtW8SLUrNgWCxWfqEqWkb'),
    ).toEqual({
      kind: 'libp2p',
      multiaddr: '/ip4/127.0.0.1/tcp/4001/p2p/12D3KooWAnDM9LtbYK6eBC8bZvyHJb6WtW8SLUrNgWCxWfqEqWkb',
    });
    expect(() => parseProvider('ftp://x')).toThrow(/--provider must be/);
  });

  it('a bad CID ends the pull with a typed error and exit 1', async () => {
    const { mkdtemp, rm } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = await mkdtemp(join(tmpdir(), 'xstorage-cli-badcid-'));
    vi.spyOn(console, 'log').mockImplementation(() => {});
    try {
      const { code, stderr } = await runCapturing([
        '--base-path',
        dir,
        '--json',
        '--fetch',
        'not-a-cid',
        '--provider',
        'http://127.0.0.1:1',
        '--exit-when-done',
      ]);
      expect(code).toBe(1);
      expect(stderr).toMatch(/InvalidCidError/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
