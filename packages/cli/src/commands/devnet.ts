import type { Command } from '../command.ts';
import { runNode } from './node.ts';

// Grows into the full cross-chain devnet (relay + Crust + parachains + storage nodes). Until those exist it runs
// one development chain node: RPC on ws://127.0.0.1:9944, a block every 6 s, a temporary base path.
const devnet: Command = {
  summary: 'start the local devnet (for now: one dev chain node on ws://127.0.0.1:9944)',
  async run(args) {
    const json = args.includes('--json');
    return runNode({ chain: 'dev', tmp: true, rpcHost: '127.0.0.1', rpcPort: 9944 }, json);
  },
};
export default devnet;
