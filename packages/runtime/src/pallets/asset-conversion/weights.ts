/**
 * pallet_asset_conversion's `SubstrateWeight` (polkadot-sdk substrate/frame/asset-conversion/src/weights.rs):
 * base ref time and proof size, plus RocksDB reads and writes.
 */
import { addWeight, ROCKS_DB_WEIGHT, type Weight, weight } from '../../frame/weights.ts';

const READ = Number(ROCKS_DB_WEIGHT.read);
const WRITE = Number(ROCKS_DB_WEIGHT.write);
const w = (refTime: number, proof: number, reads: number, writes: number): Weight =>
  addWeight(weight(refTime, proof), weight(reads * READ + writes * WRITE, 0));

export const AssetConversionWeights = {
  createPool: () => w(107_814_000, 6360, 9, 5),
  addLiquidity: () => w(166_146_000, 11426, 11, 10),
  removeLiquidity: () => w(148_314_000, 11426, 9, 8),
  /** `n`: assets in the path. */
  swapExactTokensForTokens: (n: number) => w(100_654_000 + 13_196_089 * n, 990 + 5218 * n, 3 * n, 3 * n),
  swapTokensForExactTokens: (n: number) => w(100_557_000 + 13_110_353 * n, 990 + 5218 * n, 3 * n, 3 * n),
  /** `n`: accounts touched (0..=3). */
  touch: (n: number) => w(57_471_161 + 21_853_452 * n, 6360, 8, 2 * n),
  getReserves: () => w(25_131_000, 6360, 4, 0),
};
