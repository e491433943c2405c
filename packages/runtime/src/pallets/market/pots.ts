/**
 * The market's four pots: `ModuleId(*b"crmarket").into_sub_account("coll" | "stor" | "stak" | "rese")`. Substrate
 * derives a sub-account as the SCALE encoding of `(b"modl", module_id, sub)` read into an AccountId with trailing
 * zeros (sp_runtime `AccountIdConversion::into_sub_account`); `sub` is a `&str`, so its bytes carry a compact length
 * prefix: `modl ++ crmarket ++ 0x10 ++ stor ++ 0…`.
 */
import { accountKind } from '../../frame/account.ts';
import { encodeCompact } from '../../scale/compact.ts';
import { config } from './items.ts';

const te = new TextEncoder();

/** `ModuleId(id).into_sub_account(sub)` for a `&str` sub, sized for the current runtime's accounts. */
export function moduleSubAccount(
  moduleId: Uint8Array,
  sub: string,
  length: number = accountKind().length,
): Uint8Array {
  const subBytes = te.encode(sub);
  const encoded = [...te.encode('modl'), ...moduleId, ...encodeCompact(subBytes.length), ...subBytes];
  const out = new Uint8Array(length);
  out.set(encoded.slice(0, length));
  return out;
}

export type PotName = 'collateral' | 'storage' | 'staking' | 'reserved';
const SUB: Record<PotName, string> = {
  collateral: 'coll',
  storage: 'stor',
  staking: 'stak',
  reserved: 'rese',
};

const cache = new WeakMap<Uint8Array, Map<string, Uint8Array>>();

/** The account of one of the market's pots in the current runtime. */
export function pot(name: PotName): Uint8Array {
  const id = config().moduleId;
  const length = accountKind().length;
  let byId = cache.get(id);
  if (!byId) {
    byId = new Map();
    cache.set(id, byId);
  }
  const key = `${name}/${length}`;
  let account = byId.get(key);
  if (!account) {
    account = moduleSubAccount(id, SUB[name], length);
    byId.set(key, account);
  }
  return account;
}

export const collateralPot = (): Uint8Array => pot('collateral');
export const storagePot = (): Uint8Array => pot('storage');
export const stakingPot = (): Uint8Array => pot('staking');
export const reservedPot = (): Uint8Array => pot('reserved');
