/** Shared reads and calls for xstorage's runtime tests over the in-memory network (network.ts). */
import { expect } from 'vitest';
import { signedOrigin } from '../../../src/frame/origin.ts';
import type { DispatchOutcome } from '../../../src/frame/runtime.ts';
import { type Weight, WeightCodec } from '../../../src/frame/weights.ts';
import { freeBalance, TotalIssuance } from '../../../src/pallets/balances/index.ts';
import type { CurrencyId } from '../../../src/pallets/xstorage/index.ts';
import { Xstorage } from '../../../src/pallets/xstorage/index.ts';
import { siblingSovereignAccount } from '../../../src/parachains/ids.ts';
import { crustProfile } from '../../../src/runtimes/crust/index.ts';
import { devAccounts } from '../../../src/runtimes/dev-accounts.ts';
import { ethDevAccounts } from '../../../src/runtimes/dev-accounts-eth.ts';
import { PARACHAIN_PROFILES, treasuryAccount } from '../../../src/runtimes/parachain/index.ts';
import { ForeignAssets } from '../../../src/runtimes/xcm-shared.ts';
import { result, u128 } from '../../../src/scale/index.ts';
import { Overlay } from '../../../src/state/overlay.ts';
import { hashedFamilyDescription, type Location, VersionedAssetIdCodec } from '../../../src/xcm/index.ts';
import { type SeenEvent, type TestChain, TestNetwork } from './network.ts';

export const ACALA = 2000;
export const MOONBEAM = 2004;
export const CRUST = 2008;
export const MIB = 1_048_576n;
export const CRU = 10n ** 12n;

export const ALICE = devAccounts().Alice;
export const BOB = devAccounts().Bob;
export const ALITH = ethDevAccounts().Alith;

/** A sibling's token (CRU included) as every parachain names it. */
export const tokenOf = (paraId: number): Location => ({
  parents: 1,
  interior: [{ type: 'Parachain', value: paraId }],
});
export const CRU_LOC = tokenOf(CRUST);

export function makeNetwork(): TestNetwork {
  const profile = (id: string) => PARACHAIN_PROFILES.find((p) => p.id === id)!;
  return new TestNetwork([crustProfile, profile('acala'), profile('moonbeam')]);
}

export const utf8 = (s: string) => new TextEncoder().encode(s);

/** The user's account on Crust: HashedDescription<DescribeFamily<DescribeAllTerminal>> of (1, [Parachain, user]). */
export function derivedOnCrust(paraId: number, who: Uint8Array): Uint8Array {
  const user =
    who.length === 20
      ? ({ type: 'AccountKey20', value: { key: who } } as const)
      : ({ type: 'AccountId32', value: { id: who } } as const);
  return hashedFamilyDescription({ parents: 1, interior: [{ type: 'Parachain', value: paraId }, user] })!;
}

export const siblOnCrust = (paraId: number) => siblingSovereignAccount(paraId, 32);
export const crustTreasury = () => treasuryAccount(32);

export function placeOrder(
  chain: TestChain,
  who: Uint8Array,
  currency: CurrencyId['type'],
  cid: Uint8Array,
  size: bigint,
  limits?: { tips: bigint; max_fee: bigint },
): DispatchOutcome {
  const call = limits
    ? Xstorage.tx.place_storage_order_with_limits({
        currency_id: { type: currency },
        cid,
        size,
        tips: limits.tips,
        max_fee: limits.max_fee,
      })
    : Xstorage.tx.place_storage_order({ currency_id: { type: currency }, cid, size });
  return chain.dispatch(call, signedOrigin(who));
}

/** The one event `pallet.name` among `events`. */
export function theEvent(events: SeenEvent[], pallet: string, name: string): any {
  const found = events.filter((e) => e.pallet === pallet && e.name === name);
  expect(found, `${pallet}.${name} in ${events.map((e) => `${e.pallet}.${e.name}`).join(', ')}`).toHaveLength(
    1,
  );
  return found[0].data;
}

export const cruOn = (chain: TestChain, who: Uint8Array) =>
  chain.read(() => ForeignAssets.fungibles.balance(CRU_LOC, who));
export const foreignSupply = (chain: TestChain, token: Location) =>
  chain.read(() => ForeignAssets.fungibles.totalIssuance(token));
export const free = (chain: TestChain, who: Uint8Array) => chain.read(() => freeBalance(who));
export const issuance = (chain: TestChain) => chain.read(() => TotalIssuance.get());

/** The module error a failed dispatch names: `Pallet.Error`. */
export function moduleError(chain: TestChain, outcome: DispatchOutcome): string {
  if (outcome.ok) return 'ok';
  const e = outcome.error as { type: string; value?: { index: number; error: Uint8Array } };
  if (e.type !== 'Module') return e.type;
  const pallet = chain.runtime.pallets.find((p) => p.index === e.value!.index)!;
  const name = pallet.pallet.errors!.codec.decode(e.value!.error.subarray(0, 1)).type;
  return `${pallet.pallet.name}.${name}`;
}

/** What `chain` charges for `weight` in `asset`: its `XcmPaymentApi.query_weight_to_asset_fee`, as a client asks. */
export function priceOf(chain: TestChain, weight: Weight, asset: Location): bigint {
  const args = new Uint8Array([
    ...WeightCodec.encode(weight),
    ...VersionedAssetIdCodec.encode({ type: 'V5', value: asset } as never),
  ]);
  const out = result(u128, u128).decode(
    chain.runtime.callApi(new Overlay(chain.backend), 'XcmPaymentApi_query_weight_to_asset_fee', args),
  );
  if (!('ok' in out)) throw new Error('no price');
  return out.ok;
}

/** The weight `chain` used processing the received XCM whose `SetTopic` is `topic`. */
export function weightUsedFor(chain: TestChain, topic: Uint8Array): Weight {
  const hex = Buffer.from(topic).toString('hex');
  const i = chain.received.findIndex(([, m]) => {
    const last = (m.value as Array<{ type: string; value: unknown }>).at(-1);
    return last?.type === 'SetTopic' && Buffer.from(last.value as Uint8Array).toString('hex') === hex;
  });
  if (i < 0) throw new Error(`no message with topic ${hex}`);
  const o = chain.outcomes[i];
  if (!o.ok) throw new Error('message not processed');
  return o.weightUsed;
}

/** The XCMs `chain` received from `sender` after the first `from` it had received. */
export function receivedSince(chain: TestChain, from: number): Array<{ sender: number; message: any[] }> {
  return chain.received.slice(from).map(([sender, m]) => ({ sender, message: m.value as any[] }));
}

/** `Perbill::from_percent(p) * v`, rounded to the nearest (ties down), as Crust splits an order into its pots. */
export const percentOf = (p: bigint, v: bigint): bigint => {
  const q = (v * p) / 100n;
  return ((v * p) % 100n) * 2n > 100n ? q + 1n : q;
};

/** The outcome of the last refund Crust sent (a message starting with `first`). */
export function lastRefund(
  chain: TestChain,
  first: string,
): { weightUsed: { refTime: number; proofSize: number } } {
  for (let i = chain.received.length - 1; i >= 0; i--) {
    const [sender, m] = chain.received[i];
    if (sender !== CRUST || (m.value as any[])[0].type !== first) continue;
    const o = chain.outcomes[i];
    if (!o.ok || !o.success) throw new Error('refund not processed');
    return o;
  }
  throw new Error(`no ${first} from Crust`);
}
