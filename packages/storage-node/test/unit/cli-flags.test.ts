/** `xstorage storage-node --crust …` flags: each mistake exits 2 with a reason, before any node or connection starts. */

import command from '@xstorage/cli/commands/storage-node';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseCrustFlags, parseSize } from '../../src/cli-flags.ts';

afterEach(() => vi.restoreAllMocks());

async function run(args: string[]): Promise<{ code: number; stderr: string }> {
  const lines: string[] = [];
  vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => {
    lines.push(a.join(' '));
  });
  const code = await command.run(['--base-path', '/tmp/xstorage-never-created', ...args]);
  return { code, stderr: lines.join('\n') };
}

describe('storage node flags on Crust', () => {
  it('names what is wrong and exits 2', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['--crust', 'http://127.0.0.1:9944', '--key', '//Alice'], /--crust must be a ws:\/\/ or wss:\/\/ URL/],
      [['--crust', 'ws://127.0.0.1:1'], /--key is required with --crust/],
      [['--crust', 'ws://127.0.0.1:1', '--key', '//A', '--capacity', '5XB'], /--capacity must be a size/],
      [
        ['--crust', 'ws://127.0.0.1:1', '--key', '//A', '--max-file-size=-1'],
        /--max-file-size must be a size/,
      ],
      [['--crust', 'ws://127.0.0.1:1', '--key', '//A', '--strategy', 'fast'], /--strategy: strategy must be/],
      [['--crust', 'ws://127.0.0.1:1', '--key', '//A', '--retries', '0'], /--retries must be an integer ≥ 1/],
      [
        ['--crust', 'ws://127.0.0.1:1', '--key', '//A', '--max-pulls', '2.5'],
        /--max-pulls must be an integer/,
      ],
      [
        ['--crust', 'ws://127.0.0.1:1', '--key', '//A', '--pull-timeout-base', 'soon'],
        /--pull-timeout-base must be seconds/,
      ],
      [['--crust', 'ws://127.0.0.1:1', '--key', '//A', '--pull-rate', '0'], /--pull-rate must be above 0/],
      [
        ['--crust', 'ws://127.0.0.1:1', '--key', '//A', '--http-port', '70000'],
        /--http-port must be 0\.\.65535/,
      ],
      [
        ['--crust', 'ws://127.0.0.1:1', '--key', '//A', '--pin-replicas', 'x'],
        /--pin-replicas must be an integer/,
      ],
    ];
    for (const [args, reason] of cases) {
      const { code, stderr } = await run(args);
      expect(code, args.join(' ')).toBe(2);
      expect(stderr, args.join(' ')).toMatch(reason);
    }
  });

  it('reads sizes, timeouts and limits', () => {
    expect(parseSize('capacity', '1048576')).toBe(1048576);
    expect(parseSize('capacity', '100MiB')).toBe(100 * 1024 ** 2);
    expect(parseSize('capacity', '1.5GB')).toBe(1.5e9);
    const f = parseCrustFlags({
      crust: 'ws://127.0.0.1:9944',
      key: '//Alice//storage-1',
      'max-file-size': '1GiB',
      'pull-timeout-base': '2',
      retries: '2',
      'retry-delay': '0.5',
      'check-interval': '60',
      strategy: 'newFileFirst',
      'public-gateway': true,
    });
    expect(f.limits).toEqual({
      maxFileSize: 1024 ** 3,
      pullTimeoutBaseMs: 2000,
      maxAttempts: 2,
      retryDelayMs: 500,
    });
    expect(f.worker).toEqual({ checkIntervalMs: 60_000 });
    expect(f.strategy).toEqual({ dbFilesWeight: 20, newFilesWeight: 80 });
    expect(f.publicGateway).toBe(true);
    expect(f.pinReplicas).toBe(3);
  });
});
