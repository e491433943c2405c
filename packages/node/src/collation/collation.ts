/**
 * A collation: what a parachain's collator hands the relay chain's validators for one parachain block — the
 * candidate receipt (descriptor signed by the collator, commitments) and the proof of validity: the block itself
 * (sealed header and extrinsics) and the storage proof of the parent state its execution touches. The PoV's
 * blake2_256 is the descriptor's `pov_hash`. Encoded as polkadot-sdk's `PoV { block_data }` with our block data:
 * SCALE `(Block, Vec<Vec<u8>>)` (cumulus' `ParachainBlockData` without its compact proof encoding).
 */
import { type Block, BlockCodec } from '@xstorage/runtime/block';
import { blake2_256 } from '@xstorage/runtime/crypto';
import { type CommittedCandidateReceipt, CommittedCandidateReceiptCodec } from '@xstorage/runtime/parachains';
import { bytes, type Codec, struct, vec } from '@xstorage/runtime/scale';

export interface ParachainBlockData {
  block: Block;
  proof: Uint8Array[];
}

export const ParachainBlockDataCodec: Codec<ParachainBlockData> = struct({
  block: BlockCodec,
  proof: vec(bytes),
});

/** `PoV { block_data: BlockData }`: the block data as one byte vector. */
export const PovCodec: Codec<{ block_data: Uint8Array }> = struct({ block_data: bytes });

export interface Collation {
  receipt: CommittedCandidateReceipt;
  /** The encoded `PoV` (its hash is `receipt.descriptor.pov_hash`). */
  pov: Uint8Array;
}

export const CollationCodec: Codec<Collation> = struct({
  receipt: CommittedCandidateReceiptCodec,
  pov: bytes,
});

export function encodePov(data: ParachainBlockData): Uint8Array {
  return PovCodec.encode({ block_data: ParachainBlockDataCodec.encode(data) });
}

/** Throws ScaleDecodeError on malformed bytes. */
export function decodePov(pov: Uint8Array): ParachainBlockData {
  return ParachainBlockDataCodec.decode(PovCodec.decode(pov).block_data);
}

export function povHash(pov: Uint8Array): Uint8Array {
  return blake2_256(pov);
}
