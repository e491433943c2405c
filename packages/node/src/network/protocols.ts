/**
 * Protocol names, namespaced by the chain's genesis hash as Substrate names them (`/<hex genesis, no 0x>/…`), so
 * two chains' nodes sharing a host or a peer never mix their messages; and the timeouts of the protocols.
 */

const genesisHex = (genesis: Uint8Array) => Buffer.from(genesis).toString('hex');

export interface ChainProtocols {
  /** Notifications: new best blocks (`BlockAnnounce`), handshake `BlockAnnouncesHandshake`. */
  blockAnnounces: string;
  /** Request/response: protobuf `BlockRequest` → `BlockResponse`. */
  sync: string;
  /** Notifications: `Vec<OpaqueExtrinsic>`, handshake `Roles`. */
  transactions: string;
}

export function chainProtocols(genesis: Uint8Array): ChainProtocols {
  const g = genesisHex(genesis);
  return {
    blockAnnounces: `/${g}/block-announces/1`,
    sync: `/${g}/sync/2`,
    transactions: `/${g}/transactions/1`,
  };
}

/** The relay chain's collation protocol (request/response: SCALE `Collation` → `CollationResult`). */
export function collationProtocol(relayGenesis: Uint8Array): string {
  return `/${genesisHex(relayGenesis)}/collation/1`;
}

/** Substrate: block requests time out after 20 s; a local devnet answers in milliseconds, so less is plenty. */
export const BLOCK_REQUEST_TIMEOUT_MS = 10_000;
/** How long a notification substream may take to open (dial + protocol + handshake). */
export const SUBSTREAM_OPEN_TIMEOUT_MS = 10_000;
/** How long a peer that broke a protocol is refused. */
export const BAN_DURATION_MS = 60_000;
