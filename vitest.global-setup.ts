/**
 * Tests that start `xstorage` as a process run the bundled command users run (packages/cli/dist), built here
 * once per test run from the current sources so it is never stale.
 */
import { buildCli } from './packages/cli/build.ts';

export default async function setup(): Promise<void> {
  await buildCli();
}
