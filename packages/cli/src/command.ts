/** A sub-command of the `xstorage` CLI. `run` returns the process exit code. */
export interface Command {
  run(args: string[]): Promise<number>;
}
