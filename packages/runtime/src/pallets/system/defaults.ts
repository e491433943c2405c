/** A ready System config with the parachain-template limits (2 s / 5 MiB PoV blocks, 75% Normal). */
import {
  blockLengthWithNormalRatio,
  blockWeightsFor,
  ROCKS_DB_WEIGHT,
  WEIGHT_REF_TIME_PER_SECOND,
  weight,
} from '../../frame/weights.ts';
import type { SystemConfig } from './pallet.ts';

export function defaultSystemConfig(overrides: Partial<SystemConfig> = {}): SystemConfig {
  return {
    blockWeights: blockWeightsFor({
      maxBlock: weight(2 * WEIGHT_REF_TIME_PER_SECOND, 5 * 1024 * 1024),
      normalRatio: 0.75,
      avgOnInitializeRatio: 0.05,
    }),
    blockLength: blockLengthWithNormalRatio(5 * 1024 * 1024, 0.75),
    blockHashCount: 4096,
    dbWeight: ROCKS_DB_WEIGHT,
    ss58Prefix: 42,
    maxConsumers: 16,
    ...overrides,
  };
}
