/**
 * What Crust's `primitives` crate gives both `market` and `swork` (crustio/crust primitives/src/{lib,constants,
 * traits}.rs): the byte types of CIDs and sWorker keys, the report slot, Perbill arithmetic as sp-arithmetic 3.0
 * computes it, and the typed interfaces the two pallets reach each other through (FRAME's `T::MarketInterface`,
 * `T::SworkerInterface`, `T::BenefitInterface`), so neither touches the other's storage.
 */
import type { Codec } from '../../scale/codec.ts';
import { bytes, u32 } from '../../scale/primitives.ts';

/** `MerkleRoot = Vec<u8>`: a file's CID as its string's bytes (`"Qm…"`), as Crust keys `FilesV2` and reports files. */
export const MerkleRoot = bytes;
/** `SworkerPubKey = Vec<u8>`: the worker key (here a 32-byte sr25519 public key; Crust's SGX key is 64 bytes). */
export const SworkerPubKey = bytes;
/** `SworkerAnchor = SworkerPubKey`: the key an identity was first registered with; kept across A/B upgrades. */
export const SworkerAnchor = bytes;
/** `SworkerSignature = Vec<u8>` */
export const SworkerSignature = bytes;
/** `SworkerCode = Vec<u8>`: the declared code identity of the worker software (allowlisted by root in `Codes`). */
export const SworkerCode = bytes;

/** `REPORT_SLOT` on Crust mainnet: one epoch, 1 hour of 6 s blocks (primitives/src/constants.rs `swork`). */
export const CRUST_REPORT_SLOT = 600;

// ---- Perbill (sp-arithmetic 3.0, as Crust's runtime uses it) ------------------------------------------------------

export const PERBILL_ACCURACY = 1_000_000_000n;

/** `Perbill`: parts per billion, encoded as a u32 (`sp_arithmetic::per_things::Perbill`). */
export const Perbill: Codec<number> = u32.named(['sp_arithmetic', 'per_things', 'Perbill'], {
  docs: [' A fixed point representation of a number in the range [0, 1].', '', ' Parts per Billion'],
});

/**
 * `Perbill * n`: the nearest integer to `n × parts / 10^9`, an exact half rounded down (sp-arithmetic 3.0's
 * `Rounding::Nearest`; later versions call it `NearestPrefDown`). Crust's own test shows the tie: 5% of 950 is 47.
 */
export function perbillMul(parts: number | bigint, n: bigint): bigint {
  const product = BigInt(parts) * n;
  const q = product / PERBILL_ACCURACY;
  const r = product % PERBILL_ACCURACY;
  return r * 2n > PERBILL_ACCURACY ? q + 1n : q;
}

/** `Perbill::from_rational_approximation(p, q)` (rounds down, saturates at one). */
export function perbillFromRational(p: bigint, q: bigint): number {
  if (q === 0n || p >= q) return Number(PERBILL_ACCURACY);
  return Number((p * PERBILL_ACCURACY) / q);
}

export const perbillFromPercent = (x: number): number => Math.min(x, 100) * 10_000_000;

// ---- interfaces between market and swork (primitives/src/traits.rs) -------------------------------------------------

type AccountId = Uint8Array;

/** What swork offers market (`SworkerInterface`). */
export interface SworkerInterface {
  /** Whether `anchor` reported works in the report slot before the one `bn` falls in. */
  isWrReported(anchor: Uint8Array, bn: number): boolean;
  /** Moves `anchor`'s work report spower from `decreased` to `increased`. */
  updateSpower(anchor: Uint8Array, decreased: bigint, increased: bigint): void;
  /** Whether `who`'s identity is anchored at `anchor`. */
  checkAnchor(who: AccountId, anchor: Uint8Array): boolean;
  /** (total reported files size, total free space) of the last slot: the byte fee's used-capacity ratio. */
  filesSizeAndFreeSpace(): [bigint, bigint];
  /** Files added by work reports since the last call, and resets the count (the base fee's added-per-order). */
  addedFilesCountAndClearRecord(): number;
  /** The group owner `who` belongs to, if any. */
  getOwner(who: AccountId): AccountId | undefined;
}

/** What market offers swork (`MarketInterface` as Crust had it before replicas moved to an off-chain service). */
export interface MarketInterface {
  /**
   * A work report added `cid` (`reported_file_size` bytes) to `who`'s worker, counted under group `owner`. Returns
   * the storage power to add to the work report now (the file size for a newly counted replica, else 0) and
   * whether the CID is an order in the market.
   */
  upsertReplica(
    who: AccountId,
    owner: AccountId,
    cid: Uint8Array,
    reportedFileSize: bigint,
    anchor: Uint8Array,
    validAt: number,
  ): { spower: bigint; isValidCid: boolean };
  /** A work report deleted `cid`: returns the storage power to take off the work report and whether it is an order. */
  deleteReplica(
    who: AccountId,
    owner: AccountId,
    cid: Uint8Array,
    anchor: Uint8Array,
  ): { spower: bigint; isValidCid: boolean };
  /** Empties the staking pot down to its existential deposit and returns what it held (staking pays it out). */
  withdrawStakingPot(): bigint;
}

/**
 * The part of Crust's `benefits` pallet the market uses (`BenefitInterface`): a group owner's market collateral
 * (`MarketBenefits.active_funds`) and the file reward it has earned but not yet claimed (`file_reward`).
 */
export interface BenefitInterface {
  /** `(collateral, reward)` of `who`. */
  collateralAndReward(who: AccountId): [bigint, bigint];
  /** Sets `who`'s unclaimed reward to `value`. */
  updateReward(who: AccountId, value: bigint): void;
  /** Whether `who`'s work report is free of fees this time (`maybe_free_count`); default: never. */
  maybeFreeCount?(who: AccountId): boolean;
}

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
