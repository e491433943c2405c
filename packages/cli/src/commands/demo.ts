/** placeholder until the demo lands */
import type { Command } from '../command.ts';
const demo: Command = {
  async run() {
    console.error('xstorage demo: not yet');
    return 1;
  },
};
export default demo;
