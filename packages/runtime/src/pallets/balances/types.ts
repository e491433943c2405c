/**
 * pallet_balances' storage and event types under the Rust paths polkadot-js knows them by
 * (polkadot-sdk substrate/frame/balances/src/types.rs and frame_support::traits::tokens::misc).
 */
import { currentEnv } from '../../frame/env.ts';
import { Codec } from '../../scale/codec.ts';
import { enumeration, struct } from '../../scale/composite.ts';
import { bytesFixed, u128 } from '../../scale/primitives.ts';

export type Balance = bigint;
export const BalanceCodec = u128;

/** `pallet_balances::types::Reasons`: which withdrawals a (legacy) lock restricts. */
export type LockReasons = 'Fee' | 'Misc' | 'All';
export const ReasonsCodec: Codec<LockReasons> = enumeration({ Fee: [0], Misc: [1], All: [2] })
  .named(['pallet_balances', 'types', 'Reasons'])
  .map(
    (v) => v.type,
    (type) => ({ type }),
  );

/** `LockIdentifier = [u8; 8]` */
export const LockIdentifierCodec = bytesFixed(8);

export interface BalanceLock {
  id: Uint8Array;
  amount: Balance;
  reasons: LockReasons;
}
export const BalanceLockCodec: Codec<BalanceLock> = struct(
  { id: LockIdentifierCodec, amount: u128, reasons: ReasonsCodec },
  { id: 'LockIdentifier', amount: 'Balance', reasons: 'Reasons' },
).named(['pallet_balances', 'types', 'BalanceLock'], { params: [{ name: 'Balance', type: u128 }] });

/** `ReserveIdentifier = [u8; 8]` on Polkadot-style runtimes. */
export const ReserveIdentifierCodec = bytesFixed(8);

export interface ReserveData {
  id: Uint8Array;
  amount: Balance;
}
export const ReserveDataCodec: Codec<ReserveData> = struct(
  { id: ReserveIdentifierCodec, amount: u128 },
  { id: 'ReserveIdentifier', amount: 'Balance' },
).named(['pallet_balances', 'types', 'ReserveData'], {
  params: [
    { name: 'ReserveIdentifier', type: ReserveIdentifierCodec },
    { name: 'Balance', type: u128 },
  ],
});

/** A hold reason or freeze id: a variant of the runtime's `RuntimeHoldReason` / `RuntimeFreezeReason`. */
export interface Reason {
  type: string;
  value?: unknown;
}

/** `frame_support::traits::tokens::misc::IdAmount<Id, Balance>` */
export interface IdAmount {
  id: Reason;
  amount: Balance;
}
export function idAmountCodec(id: Codec<Reason>): Codec<IdAmount> {
  return struct({ id, amount: u128 }, { id: 'Id', amount: 'Balance' }).named(
    ['frame_support', 'traits', 'tokens', 'misc', 'IdAmount'],
    {
      params: [
        { name: 'Id', type: id },
        { name: 'Balance', type: u128 },
      ],
    },
  );
}

/** `frame_support::traits::tokens::misc::BalanceStatus` */
export type BalanceStatus = 'Free' | 'Reserved';
export const BalanceStatusCodec: Codec<BalanceStatus> = enumeration({ Free: [0], Reserved: [1] })
  .named(['frame_support', 'traits', 'tokens', 'misc', 'BalanceStatus'])
  .map(
    (v) => v.type,
    (type) => ({ type }),
  );

/** `pallet_balances::types::AdjustmentDirection` */
export type AdjustmentDirection = 'Increase' | 'Decrease';
export const AdjustmentDirectionCodec: Codec<AdjustmentDirection> = enumeration({
  Increase: [0],
  Decrease: [1],
})
  .named(['pallet_balances', 'types', 'AdjustmentDirection'])
  .map(
    (v) => v.type,
    (type) => ({ type }),
  );

/** A runtime without hold/freeze reasons still names the outer enums; they have no variants. */
const emptyReason = (name: string) =>
  (enumeration({}) as unknown as Codec<Reason>).named([currentCrate(), name]);

function currentCrate(): string {
  // The outer enums live in the runtime crate (`<crate>::RuntimeHoldReason`), as construct_runtime! puts them.
  const env = currentEnv('RuntimeHoldReason');
  const path = env.runtime.callCodec.info.path;
  return path.length > 1 ? path[0] : 'runtime';
}

/**
 * The runtime's `RuntimeHoldReason` / `RuntimeFreezeReason`, resolved from the Balances config of the current runtime
 * (so the storage items can be declared before any runtime exists, as System's Events are).
 */
class ReasonRef extends Codec<Reason> {
  constructor(readonly pick: () => Codec<Reason>) {
    super(
      (w, v) => pick().write(w, v),
      (r) => pick().read(r),
      () => pick().info,
      1,
      (a, b) => pick().compare(a, b),
    );
  }
  override get info() {
    return this.pick().info;
  }
}

const reasonCache = new WeakMap<object, Map<string, Codec<Reason>>>();
function reasonFromConfig(key: 'holdReason' | 'freezeReason', name: string): () => Codec<Reason> {
  return () => {
    const env = currentEnv(name);
    const cfg = env.runtime.palletConfig('Balances') as {
      holdReason?: Codec<Reason>;
      freezeReason?: Codec<Reason>;
    };
    const given = cfg?.[key];
    if (given) return given;
    let perRuntime = reasonCache.get(env.runtime);
    if (!perRuntime) reasonCache.set(env.runtime, (perRuntime = new Map()));
    let c = perRuntime.get(name);
    if (!c) perRuntime.set(name, (c = emptyReason(name)));
    return c;
  };
}

/** Hold reason codecs are per runtime; these two follow the current one. */
export const RuntimeHoldReasonRef: Codec<Reason> = new ReasonRef(
  reasonFromConfig('holdReason', 'RuntimeHoldReason'),
);
export const RuntimeFreezeReasonRef: Codec<Reason> = new ReasonRef(
  reasonFromConfig('freezeReason', 'RuntimeFreezeReason'),
);

export function sameReason(a: Reason, b: Reason, codec: Codec<Reason>): boolean {
  const x = codec.encode(a);
  const y = codec.encode(b);
  return x.length === y.length && x.every((v, i) => v === y[i]);
}
