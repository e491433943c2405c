/** What the Substrate RPC method modules need from the node. */
import type { Chain } from '../chain/chain.ts';
import type { Sealing } from '../chain/sealing.ts';
import type { ChainSpec } from '../chain-spec/chain-spec.ts';
import type { NetworkService } from '../network/service.ts';
import type { TxPool } from '../txpool/index.ts';

export interface NodeIdentity {
  /** `system_name` */
  name: string;
  /** `system_version` */
  version: string;
  /** libp2p-style peer id (no networking yet: stable per node). */
  peerId: string;
  roles: string[];
  listenAddresses: string[];
}

export interface RpcContext {
  chain: Chain;
  pool: TxPool;
  sealing: Sealing;
  spec: ChainSpec;
  identity: NodeIdentity;
  /** The libp2p network service (absent: a node without networking). */
  network?: Pick<NetworkService, 'peers' | 'health' | 'syncState' | 'listenAddresses'>;
}
