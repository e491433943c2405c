/**
 * How client commands talk to people and scripts: text lines, or with `--json` one JSON document per line
 * (bigints as decimal strings); errors as one line on stderr (and an `error` document with `--json`) with the exit
 * code of the SDK error; a progress bar that redraws in place on a terminal.
 */
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { XstorageError } from '@xstorage/sdk';
import { EXIT, type ExitCode, exitCodeOf } from './exit-codes.ts';

export class UsageError extends Error {
  override name = 'UsageError';
}

export interface Out {
  json: boolean;
  /** A text line (text mode only). */
  say(line: string): void;
  /** A JSON document (json mode) or the text line given (text mode). */
  emit(event: string, data: Record<string, unknown>, text?: string): void;
  /** Redraws a progress line on a terminal; nothing in json mode or when stdout is not a terminal. */
  progress(line: string): void;
  /** Ends a progress line. */
  endProgress(): void;
}

export function jsonLine(value: unknown): string {
  return JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? v.toString() : v));
}

export function makeOut(json: boolean): Out {
  const tty = process.stdout.isTTY === true;
  let drawing = false;
  return {
    json,
    say(line) {
      if (json) return;
      if (drawing) this.endProgress();
      console.log(line);
    },
    emit(event, data, text) {
      if (json) console.log(jsonLine({ event, ...data }));
      else if (text !== undefined) this.say(text);
    },
    progress(line) {
      if (json || !tty) return;
      drawing = true;
      process.stdout.write(`\r${line}\x1b[K`);
    },
    endProgress() {
      if (!drawing) return;
      drawing = false;
      process.stdout.write('\n');
    },
  };
}

export function progressBar(done: number, total: number, width = 30): string {
  const f = total <= 0 ? 1 : Math.min(1, done / total);
  const full = Math.round(f * width);
  return `[${'#'.repeat(full)}${'.'.repeat(width - full)}] ${String(Math.floor(f * 100)).padStart(3)}%`;
}

export function bytes(n: number | bigint): string {
  const v = Number(n);
  if (v < 1024) return `${v} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let x = v / 1024;
  let i = 0;
  while (x >= 1024 && i < units.length - 1) {
    x /= 1024;
    i++;
  }
  return `${x.toFixed(1)} ${units[i]}`;
}

/** `parseArgs`, with its errors as UsageError. */
export function parseFlags<T extends ParseArgsConfig>(config: T): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

/**
 * polkadot-js logs connection trouble (`API-WS: disconnected from …`) on the console; a command reports it once,
 * as its own one-line error, so those lines are dropped.
 */
export function quietPolkadotJs(): void {
  if (process.env.XSTORAGE_DEBUG) return; // keep them when debugging
  const noisy =
    /^(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\s+)?(API|RPC-CORE|REGISTRY|API-WS|API\/INIT|WS)[\w/-]*:/;
  for (const level of ['log', 'warn', 'error', 'info'] as const) {
    const orig = console[level].bind(console);
    console[level] = (...args: unknown[]) => {
      // @polkadot/util's logger passes the timestamp and the section as separate arguments.
      const head = args
        .slice(0, 2)
        .filter((a) => typeof a === 'string')
        .join(' ');
      if (noisy.test(head)) return;
      orig(...args);
    };
  }
}

/**
 * Runs a command body; turns errors into one line on stderr (plus a JSON `error` document with --json) and the
 * exit code for the error's kind. `usage` is printed after a usage error.
 */
export async function runCommand(
  name: string,
  usage: string,
  json: () => boolean,
  body: () => Promise<ExitCode | number>,
): Promise<number> {
  try {
    return await body();
  } catch (err) {
    const e = err as Error;
    let code: ExitCode;
    if (err instanceof UsageError) code = EXIT.USAGE;
    else if (err instanceof XstorageError) code = exitCodeOf(err.code);
    else code = EXIT.FAILURE;
    const message = e.message.split('\n')[0]!;
    if (json())
      console.log(
        jsonLine({ event: 'error', code: (err as XstorageError).code ?? e.name, exitCode: code, message }),
      );
    console.error(`xstorage ${name}: ${message}`);
    if (err instanceof UsageError) console.error(`\n${usage}`);
    return code;
  }
}
