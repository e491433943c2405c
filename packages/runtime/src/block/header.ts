/**
 * `sp_runtime::generic::Header<u32, BlakeTwo256>`: parent_hash, Compact<u32> number, state_root, extrinsics_root,
 * digest. The block hash is blake2_256 of its SCALE encoding.
 */
import { blake2_256 } from '../crypto/hashing.ts';
import { Codec, compact, struct, u32 } from '../scale/index.ts';
import { H256 } from '../extrinsic/primitives.ts';
import { type Digest, DigestCodec } from './digest.ts';

/** `sp_runtime::traits::BlakeTwo256`: the hasher type parameter (a unit struct in metadata). */
export const BlakeTwo256 = new Codec<undefined>(
  () => {},
  () => undefined,
  {
    path: ['sp_runtime', 'traits', 'BlakeTwo256'],
    params: [],
    def: { kind: 'composite', fields: [] },
    docs: [],
  },
  0,
  () => 0,
);

export interface Header {
  parentHash: Uint8Array;
  number: number;
  stateRoot: Uint8Array;
  extrinsicsRoot: Uint8Array;
  digest: Digest;
}

const headerStruct = struct(
  {
    parent_hash: H256,
    number: compact(u32),
    state_root: H256,
    extrinsics_root: H256,
    digest: DigestCodec,
  },
  {
    parent_hash: 'Hash::Output',
    number: 'Number',
    state_root: 'Hash::Output',
    extrinsics_root: 'Hash::Output',
    digest: 'Digest',
  },
).named(['sp_runtime', 'generic', 'header', 'Header'], {
  params: [
    { name: 'Number', type: u32 },
    { name: 'Hash', type: BlakeTwo256 },
  ],
});

export const HeaderCodec: Codec<Header> = headerStruct.map(
  (h) => ({
    parentHash: h.parent_hash,
    number: h.number,
    stateRoot: h.state_root,
    extrinsicsRoot: h.extrinsics_root,
    digest: h.digest,
  }),
  (h) => ({
    parent_hash: h.parentHash,
    number: h.number,
    state_root: h.stateRoot,
    extrinsics_root: h.extrinsicsRoot,
    digest: h.digest,
  }),
);

export function headerHash(header: Header): Uint8Array {
  return blake2_256(HeaderCodec.encode(header));
}
