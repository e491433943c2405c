/**
 * `polkadot_runtime_parachains::origin`: the `Parachain(ParaId)` origin a para's own requests carry on the relay (an
 * XCM `Transact` from the para with `OriginKind::Native` converts into it). Added to `Origins` by declaration
 * merging, so `Origin` stays one union.
 */
import { badOrigin } from '../../frame/dispatch-error.ts';
import type { Origin } from '../../frame/origin.ts';
import type { ParaId } from '../../parachains/ids.ts';

declare module '../../frame/origin.ts' {
  interface Origins {
    Parachain: { paraId: ParaId };
  }
}

export const parachainOrigin = (paraId: ParaId): Origin => ({ type: 'Parachain', paraId });

/** `ensure_parachain`: the para behind a `Parachain` origin, else `BadOrigin`. */
export function ensureParachain(origin: Origin): ParaId {
  if (origin.type !== 'Parachain') throw badOrigin();
  return origin.paraId;
}
