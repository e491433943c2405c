/**
 * The `xstorage` command's exit codes, defined once: scripts can tell a missing file from an unreachable node from
 * an order Crust refused. `xstorage --help` prints this table.
 */
import type { XstorageErrorCode } from '@xstorage/sdk';

export const EXIT = {
  OK: 0,
  FAILURE: 1,
  USAGE: 2,
  UNKNOWN_CHAIN: 3,
  FILE_NOT_FOUND: 4,
  INSUFFICIENT_BALANCE: 5,
  FEE_ABOVE_MAX: 6,
  NODE_UNREACHABLE: 7,
  ORDER_FAILED: 8,
  TIMEOUT: 9,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export const EXIT_CODE_HELP: ReadonlyArray<[ExitCode, string]> = [
  [EXIT.OK, 'done'],
  [EXIT.FAILURE, 'an unexpected failure'],
  [EXIT.USAGE, 'a bad flag or argument (a CID, an amount, a key)'],
  [EXIT.UNKNOWN_CHAIN, 'unknown chain (see xstorage chains)'],
  [EXIT.FILE_NOT_FOUND, 'the file or directory does not exist, or the gateway/Crust has no such CID'],
  [EXIT.INSUFFICIENT_BALANCE, 'the account cannot pay the fee'],
  [EXIT.FEE_ABOVE_MAX, 'the fee is above --max-fee'],
  [EXIT.NODE_UNREACHABLE, 'a chain node or the gateway is not reachable'],
  [EXIT.ORDER_FAILED, 'the order failed (on Crust, with the reason that came back)'],
  [EXIT.TIMEOUT, 'not done in time (e.g. replicas within --timeout)'],
];

const BY_CODE: Record<XstorageErrorCode, ExitCode> = {
  BAD_INPUT: EXIT.USAGE,
  UNKNOWN_CHAIN: EXIT.UNKNOWN_CHAIN,
  FILE_NOT_FOUND: EXIT.FILE_NOT_FOUND,
  INSUFFICIENT_BALANCE: EXIT.INSUFFICIENT_BALANCE,
  FEE_ABOVE_MAX: EXIT.FEE_ABOVE_MAX,
  NODE_UNREACHABLE: EXIT.NODE_UNREACHABLE,
  ORDER_FAILED: EXIT.ORDER_FAILED,
  TIMEOUT: EXIT.TIMEOUT,
};

/** The exit code of an SDK error code (FAILURE for anything else). */
export function exitCodeOf(code: string | undefined): ExitCode {
  return (code ? BY_CODE[code as XstorageErrorCode] : undefined) ?? EXIT.FAILURE;
}

export function exitCodeTable(): string {
  return EXIT_CODE_HELP.map(([c, what]) => `  ${String(c).padStart(2)}  ${what}`).join('\n');
}
