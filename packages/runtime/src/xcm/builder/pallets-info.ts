/**
 * `PalletsInfoAccess` for `QueryPallet` / `ExpectPallet`: every pallet of a runtime with its index, name, module
 * and crate version. Our pallets have no crate versions of their own; a runtime may give polkadot-sdk's
 * (`versions`), otherwise 1.0.0 is reported.
 */
import type { Runtime } from '../../frame/runtime.ts';
import type { PalletInfoEntry } from '../executor/traits.ts';

export type CrateVersion = PalletInfoEntry['crateVersion'];

export function palletInstancesInfo(
  runtime: () => Runtime,
  versions: Record<string, CrateVersion> = {},
): () => readonly PalletInfoEntry[] {
  let cache: { runtime: Runtime; infos: PalletInfoEntry[] } | undefined;
  return () => {
    const r = runtime();
    if (cache?.runtime !== r) {
      cache = {
        runtime: r,
        infos: r.pallets.map(({ index, pallet }) => ({
          index,
          name: pallet.name,
          moduleName: pallet.module,
          crateVersion: versions[pallet.name] ?? { major: 1, minor: 0, patch: 0 },
        })),
      };
    }
    return cache.infos;
  };
}
