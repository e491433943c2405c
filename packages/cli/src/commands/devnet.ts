import type { Command } from '../command.ts';

// Grows into the full cross-chain devnet (relay + Crust + parachains + storage nodes). Until the chain node
// lands it says so plainly instead of pretending.
const devnet: Command = {
  summary: 'start the local devnet',
  async run() {
    console.error(
      'xstorage devnet: the chain node is not built yet (see the open issues); nothing to start.',
    );
    return 1;
  },
};
export default devnet;
