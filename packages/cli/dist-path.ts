/**
 * Where `npm run build` puts the bundled `xstorage` command, for everything that starts it as a process
 * (test helpers, benchmarks, npm scripts), so all of them run the artefact users run.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const CLI_DIST_DIR = join(import.meta.dirname, 'dist');
export const CLI_DIST_MAIN = join(CLI_DIST_DIR, 'main.mjs');

export class CliNotBuiltError extends Error {
  override readonly name = 'CliNotBuiltError';
}

/** The bundled CLI's entry point; throws with the fix when it has not been built. */
export function builtCliMain(): string {
  if (!existsSync(CLI_DIST_MAIN)) {
    throw new CliNotBuiltError(`${CLI_DIST_MAIN} is missing: run \`npm run build\` first`);
  }
  return CLI_DIST_MAIN;
}
