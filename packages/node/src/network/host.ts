/**
 * The libp2p host of a chain node, built as the storage node builds its own (`ipfs/storage-node.ts`): TCP, noise,
 * yamux, identify; no public bootstrap list, DHT, mDNS, AutoNAT, UPnP or relay — peers come from `--bootnodes` and
 * from whoever dials us. A connection gater refuses banned peers both ways.
 */
import { noise } from '@chainsafe/libp2p-noise';
import { yamux } from '@chainsafe/libp2p-yamux';
import { identify } from '@libp2p/identify';
import type { Libp2p, PrivateKey } from '@libp2p/interface';
import { tcp } from '@libp2p/tcp';
import { createLibp2p } from 'libp2p';

export interface ChainHostOptions {
  privateKey: PrivateKey;
  listen: string[];
  isBanned(peerId: string): boolean;
}

export async function createChainHost(o: ChainHostOptions): Promise<Libp2p> {
  return createLibp2p({
    privateKey: o.privateKey,
    addresses: { listen: o.listen },
    transports: [tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    peerDiscovery: [],
    services: { identify: identify() },
    connectionGater: {
      denyDialPeer: async (peer) => o.isBanned(peer.toString()),
      denyInboundEncryptedConnection: async (peer) => o.isBanned(peer.toString()),
      denyOutboundEncryptedConnection: async (peer) => o.isBanned(peer.toString()),
    },
    connectionManager: {
      // Every local node dials from 127.0.0.1: the default of 5 connections a second per address is too few.
      inboundConnectionThreshold: 100,
      maxConnections: 200,
    },
    start: false,
  });
}
