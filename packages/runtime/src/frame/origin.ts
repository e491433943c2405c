/**
 * Dispatch origins (frame_system::RawOrigin plus any custom ones). Pallets that add origins (pallet-xcm's
 * `Xcm(location)`, `Response(location)`) extend the `Origins` interface by declaration merging:
 *
 *   declare module '../../frame/origin.ts' { interface Origins { Xcm: { location: Location } } }
 *
 * so `Origin` stays one discriminated union that `switch (origin.type)` narrows.
 */
import { badOrigin } from './dispatch-error.ts';

export interface Origins {
  Root: {};
  Signed: { who: Uint8Array };
  None: {};
}

export type Origin = { [K in keyof Origins]: { type: K } & Origins[K] }[keyof Origins];

export const rootOrigin = (): Origin => ({ type: 'Root' });
export const noneOrigin = (): Origin => ({ type: 'None' });
export const signedOrigin = (who: Uint8Array): Origin => ({ type: 'Signed', who });

/** The signer, or `BadOrigin`. */
export function ensureSigned(origin: Origin): Uint8Array {
  if (origin.type !== 'Signed') throw badOrigin();
  return origin.who;
}

export function ensureRoot(origin: Origin): void {
  if (origin.type !== 'Root') throw badOrigin();
}

export function ensureNone(origin: Origin): void {
  if (origin.type !== 'None') throw badOrigin();
}

/** The signer, or undefined for Root; anything else is `BadOrigin` (FRAME's `ensure_signed_or_root`). */
export function ensureSignedOrRoot(origin: Origin): Uint8Array | undefined {
  if (origin.type === 'Root') return undefined;
  return ensureSigned(origin);
}

/** A custom origin of kind `type`, or `BadOrigin` (e.g. `ensureOrigin(origin, 'Xcm').location`). */
export function ensureOrigin<K extends keyof Origins>(origin: Origin, type: K): { type: K } & Origins[K] {
  if (origin.type !== type) throw badOrigin();
  return origin as { type: K } & Origins[K];
}
