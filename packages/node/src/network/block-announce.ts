/**
 * The block announces protocol's messages (`/<genesis>/block-announces/1`), as Substrate encodes them
 * (polkadot-sdk `sc-network-common` `sync/message.rs`):
 *
 * - handshake `BlockAnnouncesHandshake { roles: Roles(u8), best_number: u32, best_hash: H256, genesis_hash: H256 }`
 *   (SCALE, derived), sent by each side when the substream opens;
 * - `BlockAnnounce { header, state: Option<BlockState>, data: Option<Vec<u8>> }` with Substrate's custom encoding
 *   (kept for compatibility with protocol v3): the header, then the state byte if any (0 Normal, 1 Best), then the
 *   data if any — each optional part decoded only if it decodes (`.ok()`), so older peers' shorter messages work.
 *
 * Both are bounded (1 MiB, Substrate's block announce notification limit).
 */
import { type Header, HeaderCodec } from '@xstorage/runtime/block';
import { H256 } from '@xstorage/runtime/extrinsic';
import { bytes, struct, u8, u32 } from '@xstorage/runtime/scale';
import { NetworkMessageError } from './errors.ts';

export const MAX_BLOCK_ANNOUNCE_BYTES = 1024 * 1024;

/** `sc_network::Roles` bits. */
export const Role = { Full: 0b1, Light: 0b10, Authority: 0b100 } as const;

/** Substrate's `system_peers` names a peer's roles by its `Roles` Debug form. */
export function rolesName(roles: number): string {
  if (roles & Role.Authority) return 'AUTHORITY';
  if (roles & Role.Light) return 'LIGHT';
  if (roles & Role.Full) return 'FULL';
  return 'NONE';
}

export interface BlockAnnouncesHandshake {
  roles: number;
  bestNumber: number;
  bestHash: Uint8Array;
  genesisHash: Uint8Array;
}

const HandshakeCodec = struct({ roles: u8, best_number: u32, best_hash: H256, genesis_hash: H256 });

export function encodeHandshake(h: BlockAnnouncesHandshake): Uint8Array {
  return HandshakeCodec.encode({
    roles: h.roles,
    best_number: h.bestNumber,
    best_hash: h.bestHash,
    genesis_hash: h.genesisHash,
  });
}

export function decodeHandshake(b: Uint8Array): BlockAnnouncesHandshake {
  try {
    const h = HandshakeCodec.decode(b);
    return { roles: h.roles, bestNumber: h.best_number, bestHash: h.best_hash, genesisHash: h.genesis_hash };
  } catch (err) {
    throw new NetworkMessageError('BlockAnnouncesHandshake', (err as Error).message);
  }
}

export type BlockState = 'Normal' | 'Best';

export interface BlockAnnounce {
  header: Header;
  state?: BlockState;
  data?: Uint8Array;
}

export function encodeBlockAnnounce(a: BlockAnnounce): Uint8Array {
  const parts = [HeaderCodec.encode(a.header)];
  if (a.state) parts.push(Uint8Array.of(a.state === 'Best' ? 1 : 0));
  if (a.data) parts.push(bytes.encode(a.data));
  return Buffer.concat(parts);
}

export function decodeBlockAnnounce(b: Uint8Array): BlockAnnounce {
  if (b.length > MAX_BLOCK_ANNOUNCE_BYTES)
    throw new NetworkMessageError('BlockAnnounce', `${b.length} bytes is above ${MAX_BLOCK_ANNOUNCE_BYTES}`);
  let header: Header;
  let o: number;
  try {
    [header, o] = HeaderCodec.decodeAt(b, 0);
  } catch (err) {
    throw new NetworkMessageError('BlockAnnounce', `header: ${(err as Error).message}`);
  }
  const out: BlockAnnounce = { header };
  // As Substrate: the state and the data are each taken only if they decode.
  if (o < b.length && (b[o] === 0 || b[o] === 1)) {
    out.state = b[o] === 1 ? 'Best' : 'Normal';
    o++;
    try {
      out.data = bytes.decodeAt(b, o)[0];
    } catch {
      // No data.
    }
  }
  return out;
}
