/**
 * pallet_proxy (polkadot-sdk substrate/frame/proxy): an account lets delegates act for it, each within a ProxyType's
 * filter and after an optional announcement delay; pure proxies are fresh keyless accounts controlled only through
 * their spawner's proxy. Deposits are reserved through the Currency the runtime gives (a base plus a factor per
 * proxy / per announcement). The proxied call runs as `Signed(real)` with a filter that applies the proxy type to it
 * and to every call it dispatches in turn (a batch's items), and forbids escalating the proxy's own permissions.
 */
import { blake2_256 } from '../../crypto/hashing.ts';
import { AccountId, AccountIdLookupOf, lookup } from '../../frame/account.ts';
import { type DispatchError, DispatchErrorCodec } from '../../frame/dispatch-error.ts';
import { currentEnv } from '../../frame/env.ts';
import { callInfoOf } from '../../frame/nested-dispatch.ts';
import { ensureSigned, signedOrigin } from '../../frame/origin.ts';
import { call, constant, pallet, type RuntimeCallValue } from '../../frame/pallet.ts';
import { addWeight, type Weight, weight } from '../../frame/weights.ts';
import { H256 } from '../../extrinsic/primitives.ts';
import type { Codec } from '../../scale/codec.ts';
import { option, result, struct, tuple, unit, vec } from '../../scale/composite.ts';
import { compact, u16, u32, u128 } from '../../scale/primitives.ts';
import type { NativeCurrency } from '../balances/adapter.ts';
import { blockNumber, extrinsicIndex } from '../system/block.ts';
import { config as systemConfig } from '../system/pallet.ts';
import { BOXED_CALL_NAME, BoxedCall } from '../utility/nested-call.ts';
import { addFilter, dispatchFiltered } from '../utility/origin-filter.ts';
import { trailingZeroAccount } from '../utility/pallet.ts';
import { type ProxyTypeDef, ProxyTypeRef, type ProxyTypeValue, proxyTypeDef } from './proxy-type.ts';

export interface ProxyConfig {
  /** `T::Currency` (ReservableCurrency). */
  currency: Pick<NativeCurrency, 'reserve' | 'unreserve'>;
  /** `T::ProxyType` with its filters. */
  proxyType: ProxyTypeDef;
  proxyDepositBase: bigint;
  proxyDepositFactor: bigint;
  maxProxies: number;
  maxPending: number;
  announcementDepositBase: bigint;
  announcementDepositFactor: bigint;
}

const p = pallet<ProxyConfig>('Proxy', { module: 'pallet_proxy' });

const BlockNumber = u32;
const Balance = u128;

export interface ProxyDefinition {
  delegate: Uint8Array;
  proxy_type: ProxyTypeValue;
  delay: number;
}

export const ProxyDefinitionCodec: Codec<ProxyDefinition> = struct(
  { delegate: AccountId, proxy_type: ProxyTypeRef, delay: BlockNumber },
  { delegate: 'AccountId', proxy_type: 'ProxyType', delay: 'BlockNumber' },
).named(['pallet_proxy', 'ProxyDefinition'], {
  params: [
    { name: 'AccountId', type: AccountId },
    { name: 'ProxyType', type: ProxyTypeRef },
    { name: 'BlockNumber', type: BlockNumber },
  ],
});

export interface Announcement {
  real: Uint8Array;
  call_hash: Uint8Array;
  height: number;
}

export const AnnouncementCodec: Codec<Announcement> = struct(
  { real: AccountId, call_hash: H256, height: BlockNumber },
  { real: 'AccountId', call_hash: 'Hash', height: 'BlockNumber' },
).named(['pallet_proxy', 'Announcement'], {
  params: [
    { name: 'AccountId', type: AccountId },
    { name: 'Hash', type: H256 },
    { name: 'BlockNumber', type: BlockNumber },
  ],
});

const boundedVec = <T>(of: Codec<T>): Codec<T[]> =>
  vec(of).named(['bounded_collections', 'bounded_vec', 'BoundedVec'], {
    params: [{ name: 'T', type: of }, { name: 'S' }],
  });

export const Proxies = p.map(
  'Proxies',
  ['Twox64Concat', AccountId],
  tuple(boundedVec(ProxyDefinitionCodec), Balance),
  {
    default: [[], 0n] as [ProxyDefinition[], bigint],
    docs: [
      ' The set of account proxies. Maps the account which has delegated to the accounts',
      ' which are being delegated to, together with the amount held on deposit.',
    ],
  },
);

export const Announcements = p.map(
  'Announcements',
  ['Twox64Concat', AccountId],
  tuple(boundedVec(AnnouncementCodec), Balance),
  {
    default: [[], 0n] as [Announcement[], bigint],
    docs: [' The announcements made by the proxy (key).'],
  },
);

const DispatchResultCodec = result(unit, DispatchErrorCodec);

export const ProxyEvent = p.events({
  ProxyExecuted: [
    0,
    struct({ result: DispatchResultCodec }, { result: 'DispatchResult' }),
    [' A proxy was executed correctly, with the given.'],
  ],
  PureCreated: [
    1,
    struct(
      { pure: AccountId, who: AccountId, proxy_type: ProxyTypeRef, disambiguation_index: u16 },
      { pure: 'T::AccountId', who: 'T::AccountId', proxy_type: 'T::ProxyType', disambiguation_index: 'u16' },
    ),
    [' A pure account has been created by new proxy with given', ' disambiguation index and proxy type.'],
  ],
  Announced: [
    2,
    struct(
      { real: AccountId, proxy: AccountId, call_hash: H256 },
      { real: 'T::AccountId', proxy: 'T::AccountId', call_hash: 'CallHashOf<T>' },
    ),
    [' An announcement was placed to make a call in the future.'],
  ],
  ProxyAdded: [
    3,
    struct(
      { delegator: AccountId, delegatee: AccountId, proxy_type: ProxyTypeRef, delay: BlockNumber },
      {
        delegator: 'T::AccountId',
        delegatee: 'T::AccountId',
        proxy_type: 'T::ProxyType',
        delay: 'BlockNumberFor<T>',
      },
    ),
    [' A proxy was added.'],
  ],
  ProxyRemoved: [
    4,
    struct(
      { delegator: AccountId, delegatee: AccountId, proxy_type: ProxyTypeRef, delay: BlockNumber },
      {
        delegator: 'T::AccountId',
        delegatee: 'T::AccountId',
        proxy_type: 'T::ProxyType',
        delay: 'BlockNumberFor<T>',
      },
    ),
    [' A proxy was removed.'],
  ],
});

export const ProxyError = p.errors({
  TooMany: [0, [' There are too many proxies registered or too many announcements pending.']],
  NotFound: [1, [' Proxy registration not found.']],
  NotProxy: [2, [' Sender is not a proxy of the account to be proxied.']],
  Unproxyable: [3, [" A call which is incompatible with the proxy type's filter was attempted."]],
  Duplicate: [4, [' Account is already a proxy.']],
  NoPermission: [5, [' Call may not be made by proxy because it may escalate its privileges.']],
  Unannounced: [6, [' Announcement, if made at all, was made too recently.']],
  NoSelfProxy: [7, [' Cannot add self as proxy.']],
});

function dbReadsWrites(reads: number, writes: number): Weight {
  const db = systemConfig().dbWeight;
  return weight(Number(db.read) * reads + Number(db.write) * writes, 0);
}

/** polkadot-sdk pallet_proxy SubstrateWeight at `p` = MaxProxies, `a` = MaxPending (ref time, proof, db ops). */
export const ProxyWeights = {
  proxy: (p: number) => addWeight(weight(19_655_145 + 36_306 * p, 4706), dbReadsWrites(1, 0)),
  proxyAnnounced: (a: number, p: number) =>
    addWeight(weight(41_812_078 + 163_029 * a + 79_539 * p, 5698), dbReadsWrites(3, 2)),
  removeAnnouncement: (a: number, p: number) =>
    addWeight(weight(22_666_821 + 170_629 * a + 18_799 * p, 5698), dbReadsWrites(2, 2)),
  rejectAnnouncement: (a: number, p: number) =>
    addWeight(weight(22_654_227 + 168_822 * a + 21_839 * p, 5698), dbReadsWrites(2, 2)),
  announce: (a: number, p: number) =>
    addWeight(weight(32_205_445 + 167_596 * a + 67_833 * p, 5698), dbReadsWrites(3, 2)),
  addProxy: (p: number) => addWeight(weight(22_358_457 + 64_322 * p, 4706), dbReadsWrites(1, 1)),
  removeProxy: (p: number) => addWeight(weight(22_579_308 + 62_404 * p, 4706), dbReadsWrites(1, 1)),
  removeProxies: (p: number) => addWeight(weight(21_456_750 + 45_387 * p, 4706), dbReadsWrites(1, 1)),
  createPure: (p: number) => addWeight(weight(23_878_644 + 10_149 * p, 4706), dbReadsWrites(1, 1)),
  killPure: (p: number) => addWeight(weight(22_067_418 + 52_703 * p, 4706), dbReadsWrites(1, 1)),
};

const cfg = () => p.config();
const sameBytes = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((v, i) => v === b[i]);

/** `Ord` of ProxyDefinition (delegate, proxy_type, delay), as its derived ordering and `binary_search` use. */
function compareDefs(a: ProxyDefinition, b: ProxyDefinition): number {
  const c = ProxyDefinitionCodec.compare(a, b);
  return c;
}

/** `T::CallHasher::hash_of(call)`: blake2_256 of the call's encoding. */
export function callHash(c: RuntimeCallValue): Uint8Array {
  const rt = currentEnv('a call hash').runtime;
  return blake2_256(rt.callCodec.encode(c));
}

/**
 * `Pallet::pure_account`: blake2_256(b"modlpy/proxy____" ++ who ++ height ++ ext_index ++ proxy_type ++ index),
 * `height`/`ext_index` the block and extrinsic that created it (default: the current ones).
 */
export function pureAccount(
  who: Uint8Array,
  proxyType: ProxyTypeValue,
  index: number,
  when?: { height: number; extIndex: number },
): Uint8Array {
  const height = when?.height ?? blockNumber();
  const extIndex = when?.extIndex ?? extrinsicIndex() ?? 0;
  const parts = [
    new TextEncoder().encode('modlpy/proxy____'),
    who,
    u32.encode(height),
    u32.encode(extIndex),
    ProxyTypeRef.encode(proxyType),
    u16.encode(index),
  ];
  const data = new Uint8Array(parts.reduce((n, x) => n + x.length, 0));
  let at = 0;
  for (const x of parts) {
    data.set(x, at);
    at += x.length;
  }
  return trailingZeroAccount(blake2_256(data));
}

/** `Pallet::deposit(num_proxies)` */
export function proxyDeposit(count: number): bigint {
  return count === 0 ? 0n : cfg().proxyDepositBase + cfg().proxyDepositFactor * BigInt(count);
}

/** Reserves or unreserves the difference between the held and the needed deposit. */
function rejigDeposit(who: Uint8Array, held: bigint, needed: bigint): void {
  if (needed > held) cfg().currency.reserve(who, needed - held);
  else if (needed < held) cfg().currency.unreserve(who, held - needed);
}

function addProxyDelegate(delegator: Uint8Array, def: ProxyDefinition): void {
  if (sameBytes(delegator, def.delegate)) throw ProxyError.fail('NoSelfProxy');
  const [proxies, deposit] = Proxies.get(delegator);
  let i = 0;
  while (i < proxies.length && compareDefs(proxies[i], def) < 0) i++;
  if (i < proxies.length && compareDefs(proxies[i], def) === 0) throw ProxyError.fail('Duplicate');
  if (proxies.length >= cfg().maxProxies) throw ProxyError.fail('TooMany');
  proxies.splice(i, 0, def);
  const needed = proxyDeposit(proxies.length);
  rejigDeposit(delegator, deposit, needed);
  Proxies.set(delegator, [proxies, needed]);
  ProxyEvent.deposit({
    type: 'ProxyAdded',
    value: { delegator, delegatee: def.delegate, proxy_type: def.proxy_type, delay: def.delay },
  });
}

function removeProxyDelegate(delegator: Uint8Array, def: ProxyDefinition): void {
  if (!Proxies.contains(delegator)) throw ProxyError.fail('NotFound');
  const [proxies, deposit] = Proxies.get(delegator);
  const i = proxies.findIndex((x) => compareDefs(x, def) === 0);
  if (i < 0) throw ProxyError.fail('NotFound');
  proxies.splice(i, 1);
  const needed = proxyDeposit(proxies.length);
  rejigDeposit(delegator, deposit, needed);
  if (proxies.length > 0) Proxies.set(delegator, [proxies, needed]);
  else Proxies.remove(delegator);
  ProxyEvent.deposit({
    type: 'ProxyRemoved',
    value: { delegator, delegatee: def.delegate, proxy_type: def.proxy_type, delay: def.delay },
  });
}

/** `find_proxy`: the first of `real`'s proxy definitions for `delegate` (of `forceType` if given), or NotProxy. */
export function findProxy(
  real: Uint8Array,
  delegate: Uint8Array,
  forceType: ProxyTypeValue | undefined,
): ProxyDefinition {
  const def = Proxies.get(real)[0].find(
    (x) =>
      sameBytes(x.delegate, delegate) && (forceType === undefined || x.proxy_type.type === forceType.type),
  );
  if (!def) throw ProxyError.fail('NotProxy');
  return def;
}

/**
 * `edit_announcements`: keeps the delegate's announcements `keep` accepts; NotFound if there were none or none was
 * dropped; the announcement deposit follows the count.
 */
function editAnnouncements(delegate: Uint8Array, keep: (a: Announcement) => boolean): void {
  if (!Announcements.contains(delegate)) throw ProxyError.fail('NotFound');
  const [pending, deposit] = Announcements.get(delegate);
  const kept = pending.filter(keep);
  if (kept.length === pending.length) throw ProxyError.fail('NotFound');
  const needed =
    kept.length === 0
      ? 0n
      : cfg().announcementDepositBase + cfg().announcementDepositFactor * BigInt(kept.length);
  rejigDeposit(delegate, deposit, needed);
  if (kept.length === 0) Announcements.remove(delegate);
  else Announcements.set(delegate, [kept, needed]);
}

/** The filter a proxied call (and everything it dispatches) must pass. */
function proxyFilter(def: ProxyDefinition): (c: RuntimeCallValue) => boolean {
  const kind = def.proxy_type.type;
  return (c) => {
    const types = proxyTypeDef();
    if (c.type === 'Proxy') {
      const inner = c.value;
      // A proxy may not add or remove a proxy with more permissions than its own.
      if (
        (inner.type === 'add_proxy' || inner.type === 'remove_proxy') &&
        !types.isSuperset(kind, inner.value.proxy_type.type)
      )
        return false;
      // Nor remove all proxies or kill a pure proxy, unless it has full permissions.
      if ((inner.type === 'remove_proxies' || inner.type === 'kill_pure') && kind !== types.default)
        return false;
    }
    return types.filter(kind, c);
  };
}

/** `do_proxy`: dispatches `inner` as `Signed(real)` under the proxy's filter; the outcome goes in ProxyExecuted. */
function doProxy(def: ProxyDefinition, real: Uint8Array, inner: RuntimeCallValue): void {
  // A freshly authenticated origin: the caller's own filters do not carry over, the proxy's applies.
  const origin = addFilter(signedOrigin(real), proxyFilter(def));
  const outcome = dispatchFiltered(inner, origin);
  const res: { ok: undefined } | { err: DispatchError } = outcome.ok
    ? { ok: undefined }
    : { err: outcome.error };
  ProxyEvent.deposit({ type: 'ProxyExecuted', value: { result: res } });
}

const ProxyTypeOption = option(ProxyTypeRef);

export const Proxy = p.build({
  docs: [],
  calls: {
    proxy: call(
      0,
      { real: AccountIdLookupOf, force_proxy_type: ProxyTypeOption, call: BoxedCall },
      {
        weight: ({ call: inner }) =>
          addWeight(
            addWeight(ProxyWeights.proxy(cfg().maxProxies), dbReadsWrites(1, 1)),
            callInfoOf(inner).weight,
          ),
        dispatch(origin, { real, force_proxy_type, call: inner }) {
          const who = ensureSigned(origin);
          const realId = lookup(real);
          const def = findProxy(realId, who, force_proxy_type ?? undefined);
          if (def.delay !== 0) throw ProxyError.fail('Unannounced');
          doProxy(def, realId, inner);
        },
        typeNames: {
          real: 'AccountIdLookupOf<T>',
          force_proxy_type: 'Option<T::ProxyType>',
          call: BOXED_CALL_NAME,
        },
        docs: [
          ' Dispatch the given `call` from an account that the sender is authorised for through',
          ' `add_proxy`.',
          '',
          ' The dispatch origin for this call must be _Signed_.',
        ],
      },
    ),
    add_proxy: call(
      1,
      { delegate: AccountIdLookupOf, proxy_type: ProxyTypeRef, delay: BlockNumber },
      {
        weight: () => ProxyWeights.addProxy(cfg().maxProxies),
        dispatch(origin, { delegate, proxy_type, delay }) {
          const who = ensureSigned(origin);
          addProxyDelegate(who, { delegate: lookup(delegate), proxy_type, delay });
        },
        typeNames: {
          delegate: 'AccountIdLookupOf<T>',
          proxy_type: 'T::ProxyType',
          delay: 'BlockNumberFor<T>',
        },
        docs: [
          ' Register a proxy account for the sender that is able to make calls on its behalf.',
          '',
          ' The dispatch origin for this call must be _Signed_.',
        ],
      },
    ),
    remove_proxy: call(
      2,
      { delegate: AccountIdLookupOf, proxy_type: ProxyTypeRef, delay: BlockNumber },
      {
        weight: () => ProxyWeights.removeProxy(cfg().maxProxies),
        dispatch(origin, { delegate, proxy_type, delay }) {
          const who = ensureSigned(origin);
          removeProxyDelegate(who, { delegate: lookup(delegate), proxy_type, delay });
        },
        typeNames: {
          delegate: 'AccountIdLookupOf<T>',
          proxy_type: 'T::ProxyType',
          delay: 'BlockNumberFor<T>',
        },
        docs: [
          ' Unregister a proxy account for the sender.',
          '',
          ' The dispatch origin for this call must be _Signed_.',
        ],
      },
    ),
    remove_proxies: call(
      3,
      {},
      {
        weight: () => ProxyWeights.removeProxies(cfg().maxProxies),
        dispatch(origin) {
          const who = ensureSigned(origin);
          const [, deposit] = Proxies.take(who);
          cfg().currency.unreserve(who, deposit);
        },
        docs: [
          ' Unregister all proxy accounts for the sender.',
          '',
          ' The dispatch origin for this call must be _Signed_.',
          '',
          ' WARNING: This may be called on accounts created by `pure`, however if done, then',
          ' the unreserved fees will be inaccessible. **All access to this account will be lost.**',
        ],
      },
    ),
    create_pure: call(
      4,
      { proxy_type: ProxyTypeRef, delay: BlockNumber, index: u16 },
      {
        weight: () => ProxyWeights.createPure(cfg().maxProxies),
        dispatch(origin, { proxy_type, delay, index }) {
          const who = ensureSigned(origin);
          const pure = pureAccount(who, proxy_type, index);
          if (Proxies.contains(pure)) throw ProxyError.fail('Duplicate');
          if (cfg().maxProxies < 1) throw ProxyError.fail('TooMany');
          const deposit = cfg().proxyDepositBase + cfg().proxyDepositFactor;
          cfg().currency.reserve(who, deposit);
          Proxies.set(pure, [[{ delegate: who, proxy_type, delay }], deposit]);
          ProxyEvent.deposit({
            type: 'PureCreated',
            value: { pure, who, proxy_type, disambiguation_index: index },
          });
        },
        typeNames: { proxy_type: 'T::ProxyType', delay: 'BlockNumberFor<T>', index: 'u16' },
        docs: [
          ' Spawn a fresh new account that is guaranteed to be otherwise inaccessible, and',
          ' initialize it with a proxy of `proxy_type` for `origin` sender.',
          '',
          ' Requires a `Signed` origin.',
        ],
      },
    ),
    kill_pure: call(
      5,
      {
        spawner: AccountIdLookupOf,
        proxy_type: ProxyTypeRef,
        index: u16,
        height: compact(BlockNumber),
        ext_index: compact(u32),
      },
      {
        weight: () => ProxyWeights.killPure(cfg().maxProxies),
        dispatch(origin, { spawner, proxy_type, index, height, ext_index }) {
          const who = ensureSigned(origin);
          const spawnerId = lookup(spawner);
          const pure = pureAccount(spawnerId, proxy_type, index, { height, extIndex: ext_index });
          if (!sameBytes(pure, who)) throw ProxyError.fail('NoPermission');
          const [, deposit] = Proxies.take(who);
          cfg().currency.unreserve(spawnerId, deposit);
        },
        typeNames: {
          spawner: 'AccountIdLookupOf<T>',
          proxy_type: 'T::ProxyType',
          index: 'u16',
          height: 'BlockNumberFor<T>',
          ext_index: 'u32',
        },
        docs: [
          ' Removes a previously spawned pure proxy.',
          '',
          ' WARNING: **All access to this account will be lost.** Any funds held in it will be',
          ' inaccessible.',
        ],
      },
    ),
    announce: call(
      6,
      { real: AccountIdLookupOf, call_hash: H256 },
      {
        weight: () => ProxyWeights.announce(cfg().maxPending, cfg().maxProxies),
        dispatch(origin, { real, call_hash }) {
          const who = ensureSigned(origin);
          const realId = lookup(real);
          if (!Proxies.get(realId)[0].some((x) => sameBytes(x.delegate, who)))
            throw ProxyError.fail('NotProxy');
          const [pending, deposit] = Announcements.get(who);
          if (pending.length >= cfg().maxPending) throw ProxyError.fail('TooMany');
          pending.push({ real: realId, call_hash, height: blockNumber() });
          const needed =
            cfg().announcementDepositBase + cfg().announcementDepositFactor * BigInt(pending.length);
          rejigDeposit(who, deposit, needed);
          Announcements.set(who, [pending, needed]);
          ProxyEvent.deposit({ type: 'Announced', value: { real: realId, proxy: who, call_hash } });
        },
        typeNames: { real: 'AccountIdLookupOf<T>', call_hash: 'CallHashOf<T>' },
        docs: [
          ' Publish the hash of a proxy-call that will be made in the future.',
          '',
          ' The dispatch origin for this call must be _Signed_ and a proxy of `real`.',
        ],
      },
    ),
    remove_announcement: call(
      7,
      { real: AccountIdLookupOf, call_hash: H256 },
      {
        weight: () => ProxyWeights.removeAnnouncement(cfg().maxPending, cfg().maxProxies),
        dispatch(origin, { real, call_hash }) {
          const who = ensureSigned(origin);
          const realId = lookup(real);
          editAnnouncements(who, (a) => !sameBytes(a.real, realId) || !sameBytes(a.call_hash, call_hash));
        },
        typeNames: { real: 'AccountIdLookupOf<T>', call_hash: 'CallHashOf<T>' },
        docs: [' Remove a given announcement.', '', ' The dispatch origin for this call must be _Signed_.'],
      },
    ),
    reject_announcement: call(
      8,
      { delegate: AccountIdLookupOf, call_hash: H256 },
      {
        weight: () => ProxyWeights.rejectAnnouncement(cfg().maxPending, cfg().maxProxies),
        dispatch(origin, { delegate, call_hash }) {
          const who = ensureSigned(origin);
          const delegateId = lookup(delegate);
          editAnnouncements(delegateId, (a) => !sameBytes(a.real, who) || !sameBytes(a.call_hash, call_hash));
        },
        typeNames: { delegate: 'AccountIdLookupOf<T>', call_hash: 'CallHashOf<T>' },
        docs: [
          ' Remove the given announcement of a delegate.',
          '',
          ' The dispatch origin for this call must be _Signed_.',
        ],
      },
    ),
    proxy_announced: call(
      9,
      {
        delegate: AccountIdLookupOf,
        real: AccountIdLookupOf,
        force_proxy_type: ProxyTypeOption,
        call: BoxedCall,
      },
      {
        weight: ({ call: inner }) =>
          addWeight(
            addWeight(ProxyWeights.proxyAnnounced(cfg().maxPending, cfg().maxProxies), dbReadsWrites(1, 1)),
            callInfoOf(inner).weight,
          ),
        dispatch(origin, { delegate, real, force_proxy_type, call: inner }) {
          ensureSigned(origin);
          const delegateId = lookup(delegate);
          const realId = lookup(real);
          const def = findProxy(realId, delegateId, force_proxy_type ?? undefined);
          const hash = callHash(inner);
          const now = blockNumber();
          try {
            editAnnouncements(
              delegateId,
              (a) =>
                !sameBytes(a.real, realId) || !sameBytes(a.call_hash, hash) || now - a.height < def.delay,
            );
          } catch {
            throw ProxyError.fail('Unannounced');
          }
          doProxy(def, realId, inner);
        },
        typeNames: {
          delegate: 'AccountIdLookupOf<T>',
          real: 'AccountIdLookupOf<T>',
          force_proxy_type: 'Option<T::ProxyType>',
          call: BOXED_CALL_NAME,
        },
        docs: [
          ' Dispatch the given `call` from an account that the sender is authorized for through',
          ' `add_proxy`.',
          '',
          ' Removes any corresponding announcement(s).',
          '',
          ' The dispatch origin for this call must be _Signed_.',
        ],
      },
    ),
  },
  constants: {
    ProxyDepositBase: constant(Balance, (c: ProxyConfig) => c.proxyDepositBase, [
      ' The base amount of currency needed to reserve for creating a proxy.',
    ]),
    ProxyDepositFactor: constant(Balance, (c: ProxyConfig) => c.proxyDepositFactor, [
      ' The amount of currency needed per proxy added.',
    ]),
    MaxProxies: constant(u32, (c: ProxyConfig) => c.maxProxies, [
      ' The maximum amount of proxies allowed for a single account.',
    ]),
    MaxPending: constant(u32, (c: ProxyConfig) => c.maxPending, [
      ' The maximum amount of time-delayed announcements that are allowed to be pending.',
    ]),
    AnnouncementDepositBase: constant(Balance, (c: ProxyConfig) => c.announcementDepositBase, [
      ' The base amount of currency needed to reserve for creating an announcement.',
    ]),
    AnnouncementDepositFactor: constant(Balance, (c: ProxyConfig) => c.announcementDepositFactor, [
      ' The amount of currency needed per announcement made.',
    ]),
  },
});
