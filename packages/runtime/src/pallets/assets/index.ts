/** The dev runtime's `Assets` instance (u32 ids) and the instance factory. */
import { defineAssets } from './pallet.ts';

export {
  type AssetsConfig,
  type AssetsGenesis,
  AssetsGenesisError,
  AssetsWeights,
  defineAssets,
  type Fungibles,
} from './pallet.ts';
export * from './types.ts';

const instance = defineAssets<number>();
export const Assets = instance.pallet;
export const AssetsStorage = instance.storage;
export const AssetsEvent = instance.Event;
export const AssetsError = instance.Error;
export const AssetsFungibles = instance.fungibles;
