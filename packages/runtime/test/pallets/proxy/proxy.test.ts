/**
 * pallet_proxy's rules, after polkadot-sdk substrate/frame/proxy/src/tests.rs: deposits follow the number of proxies
 * and announcements; no self proxy, no duplicates, at most MaxProxies; delayed proxies need an announcement old
 * enough (announce / proxy_announced / remove_announcement / reject_announcement); a proxy type's filter applies to
 * the proxied call and to everything it dispatches, and a delegate cannot widen its own permissions; pure
 * proxies: the account derivation, Duplicate, kill_pure by the pure account only.
 */
import { blake2AsU8a } from '@polkadot/util-crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { Balances } from '../../../src/pallets/balances/index.ts';
import {
  Announcements,
  callHash,
  Proxies,
  Proxy,
  proxyDeposit,
  pureAccount,
} from '../../../src/pallets/proxy/index.ts';
import { Account, System } from '../../../src/pallets/system/pallet.ts';
import { Utility } from '../../../src/pallets/utility/index.ts';
import { devAccounts, devWalletConfigs, UNIT } from '../../../src/runtimes/index.ts';
import {
  acc,
  CALL_FILTERED,
  hex,
  id,
  type MockChain,
  mockChain,
  moduleError,
  ready,
} from '../utility/mock.ts';

beforeAll(() => ready);

const PROXY = 7;
const err = (i: number) => ({ ok: false, error: moduleError(PROXY, i) });
const cfg = devWalletConfigs.proxy;
const free = (who: Uint8Array) => Account.get(who).data.free;
const reserved = (who: Uint8Array) => Account.get(who).data.reserved;
const Any = { type: 'Any' };
const NonTransfer = { type: 'NonTransfer' };
const CancelProxy = { type: 'CancelProxy' };
const pay = (to: Uint8Array, value: bigint) => Balances.tx.transfer_allow_death({ dest: id(to), value });
const addProxy = (delegate: Uint8Array, proxy_type = Any, delay = 0) =>
  Proxy.tx.add_proxy({ delegate: id(delegate), proxy_type, delay });
const proxied = (real: Uint8Array, call: any, force?: { type: string }) =>
  Proxy.tx.proxy({ real: id(real), force_proxy_type: force, call });
const lastProxyResult = (events: Array<[string, string, any]>) =>
  events.filter(([p, n]) => p === 'Proxy' && n === 'ProxyExecuted').at(-1)?.[2].result;

describe('adding and removing proxies', () => {
  it('reserves ProxyDepositBase + n × ProxyDepositFactor; refuses self, duplicates and more than MaxProxies', () => {
    const { Alice, Bob, Charlie } = devAccounts();
    mockChain().inBlock((b) => {
      expect(b.dispatch(addProxy(Bob), Alice).ok).toBe(true);
      expect(reserved(Alice)).toBe(cfg.proxyDepositBase + cfg.proxyDepositFactor);
      expect(b.dispatch(addProxy(Charlie, NonTransfer, 2), Alice).ok).toBe(true);
      expect(reserved(Alice)).toBe(proxyDeposit(2));
      expect(b.dispatch(addProxy(Bob), Alice)).toMatchObject(err(4));
      expect(b.dispatch(addProxy(Alice), Alice)).toMatchObject(err(7));
      // Sorted as the pallet keeps them (binary search by delegate, type, delay).
      const [defs] = Proxies.get(Alice);
      expect(defs.map((d) => hex(d.delegate))).toEqual([Bob, Charlie].map(hex).sort());
      for (let i = 2; i < cfg.maxProxies; i++) expect(b.dispatch(addProxy(acc(i)), Alice).ok).toBe(true);
      expect(b.dispatch(addProxy(acc(200)), Alice)).toMatchObject(err(0));
      expect(
        b.dispatch(Proxy.tx.remove_proxy({ delegate: id(Bob), proxy_type: NonTransfer, delay: 0 }), Alice),
      ).toMatchObject(err(1));
      expect(
        b.dispatch(Proxy.tx.remove_proxy({ delegate: id(Bob), proxy_type: Any, delay: 0 }), Alice).ok,
      ).toBe(true);
      expect(reserved(Alice)).toBe(proxyDeposit(cfg.maxProxies - 1));
      expect(b.dispatch(Proxy.tx.remove_proxies({}), Alice).ok).toBe(true);
      expect(reserved(Alice)).toBe(0n);
      expect(Proxies.contains(Alice)).toBe(false);
    });
  });
});

describe('proxy', () => {
  it('dispatches as the real account; an unknown delegate is NotProxy; a forced type must match', () => {
    const { Alice, Bob, Charlie } = devAccounts();
    mockChain().inBlock((b) => {
      b.dispatch(addProxy(Bob, NonTransfer), Alice);
      expect(
        b.dispatch(proxied(Alice, System.tx.remark_with_event({ remark: new Uint8Array([7]) })), Bob).ok,
      ).toBe(true);
      expect(
        b.events().some(([p, n, f]) => p === 'System' && n === 'Remarked' && hex(f.sender) === hex(Alice)),
      ).toBe(true);
      expect(lastProxyResult(b.events())).toEqual({ ok: undefined });
      expect(b.dispatch(proxied(Alice, pay(Bob, 1n)), Charlie)).toMatchObject(err(2));
      expect(b.dispatch(proxied(Alice, pay(Bob, 1n), Any), Bob)).toMatchObject(err(2));
    });
  });

  it('applies the proxy type to the call and to what it dispatches; no widening of its own rights', () => {
    const { Alice, Bob, Charlie } = devAccounts();
    mockChain().inBlock((b) => {
      b.dispatch(addProxy(Bob, NonTransfer), Alice);
      const c0 = free(Charlie);
      expect(b.dispatch(proxied(Alice, pay(Charlie, UNIT)), Bob).ok).toBe(true);
      expect(lastProxyResult(b.events())).toEqual({ err: CALL_FILTERED });
      b.dispatch(proxied(Alice, Utility.tx.batch({ calls: [pay(Charlie, UNIT)] })), Bob);
      expect(b.events().find(([, n]) => n === 'BatchInterrupted')?.[2]).toEqual({
        index: 0,
        error: CALL_FILTERED,
      });
      b.dispatch(proxied(Alice, Utility.tx.as_derivative({ index: 0, call: pay(Charlie, UNIT) })), Bob);
      expect(lastProxyResult(b.events())).toEqual({ err: CALL_FILTERED });
      expect(free(Charlie)).toBe(c0);
      // Adding an Any proxy or removing all proxies needs more than NonTransfer.
      b.dispatch(proxied(Alice, addProxy(Charlie, Any)), Bob);
      expect(lastProxyResult(b.events())).toEqual({ err: CALL_FILTERED });
      b.dispatch(proxied(Alice, Proxy.tx.remove_proxies({})), Bob);
      expect(lastProxyResult(b.events())).toEqual({ err: CALL_FILTERED });
      b.dispatch(proxied(Alice, addProxy(Charlie, CancelProxy)), Bob);
      expect(lastProxyResult(b.events())).toEqual({ ok: undefined });
      // CancelProxy may reject announcements and nothing that moves funds.
      b.dispatch(proxied(Alice, pay(Bob, 1n)), Charlie);
      expect(lastProxyResult(b.events())).toEqual({ err: CALL_FILTERED });
    });
  });
});

describe('announcements', () => {
  it('a delayed proxy needs an announcement at least `delay` blocks old; deposits follow the count', () => {
    const { Alice, Bob, Charlie } = devAccounts();
    const chain: MockChain = mockChain();
    const call = pay(Charlie, UNIT);
    let hash: Uint8Array = new Uint8Array();
    chain.inBlock((b) => {
      b.dispatch(addProxy(Bob, Any, 2), Alice);
      expect(b.dispatch(proxied(Alice, call), Bob)).toMatchObject(err(6));
      hash = callHash(call);
      expect(b.dispatch(Proxy.tx.announce({ real: id(Alice), call_hash: hash }), Bob).ok).toBe(true);
      expect(b.events().at(-1)).toEqual(['Proxy', 'Announced', { real: Alice, proxy: Bob, call_hash: hash }]);
      expect(reserved(Bob)).toBe(cfg.announcementDepositBase + cfg.announcementDepositFactor);
      expect(b.dispatch(Proxy.tx.announce({ real: id(Charlie), call_hash: hash }), Bob)).toMatchObject(
        err(2),
      );
    });
    const announce = (b: { dispatch: (c: any, w?: Uint8Array) => any }) =>
      b.dispatch(
        Proxy.tx.proxy_announced({ delegate: id(Bob), real: id(Alice), force_proxy_type: undefined, call }),
        Charlie,
      );
    chain.inBlock((b) => {
      expect(announce(b)).toMatchObject(err(6));
    });
    chain.inBlock((b) => {
      const c0 = free(Charlie);
      expect(announce(b).ok).toBe(true);
      expect(free(Charlie)).toBe(c0 + UNIT);
      expect(Announcements.contains(Bob)).toBe(false);
      expect(reserved(Bob)).toBe(0n);
      // Announce twice: the real account rejects one, the delegate removes the other.
      b.dispatch(Proxy.tx.announce({ real: id(Alice), call_hash: hash }), Bob);
      b.dispatch(Proxy.tx.announce({ real: id(Alice), call_hash: new Uint8Array(32).fill(1) }), Bob);
      expect(reserved(Bob)).toBe(cfg.announcementDepositBase + 2n * cfg.announcementDepositFactor);
      expect(b.dispatch(Proxy.tx.reject_announcement({ delegate: id(Bob), call_hash: hash }), Alice).ok).toBe(
        true,
      );
      expect(
        b.dispatch(Proxy.tx.reject_announcement({ delegate: id(Bob), call_hash: hash }), Alice),
      ).toMatchObject(err(1));
      expect(
        b.dispatch(
          Proxy.tx.remove_announcement({ real: id(Alice), call_hash: new Uint8Array(32).fill(1) }),
          Bob,
        ).ok,
      ).toBe(true);
      expect(reserved(Bob)).toBe(0n);
    });
  });
});

describe('pure proxies', () => {
  it('pure_account is blake2_256(b"modlpy/proxy____" ++ who ++ height ++ ext_index ++ type ++ index); kill_pure', () => {
    const { Alice, Bob } = devAccounts();
    mockChain().inBlock(
      (b) => {
        expect(b.dispatch(Proxy.tx.create_pure({ proxy_type: Any, delay: 0, index: 0 }), Alice).ok).toBe(
          true,
        );
        const ev = b.events().at(-1)!;
        expect(ev[1]).toBe('PureCreated');
        const pure = ev[2].pure as Uint8Array;
        // Block 5, no extrinsic index in this test block (0), ProxyType Any = 0, index 0.
        const expected = blake2AsU8a(
          new Uint8Array([
            ...new TextEncoder().encode('modlpy/proxy____'),
            ...Alice,
            5,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
          ]),
        );
        expect(hex(pure)).toBe(hex(expected));
        expect(hex(pureAccount(Alice, Any, 0, { height: 5, extIndex: 0 }))).toBe(hex(expected));
        expect(reserved(Alice)).toBe(cfg.proxyDepositBase + cfg.proxyDepositFactor);
        expect(
          b.dispatch(Proxy.tx.create_pure({ proxy_type: Any, delay: 0, index: 0 }), Alice),
        ).toMatchObject(err(4));
        const kill = (height: number) =>
          Proxy.tx.kill_pure({ spawner: id(Alice), proxy_type: Any, index: 0, height, ext_index: 0 });
        expect(b.dispatch(kill(5), Bob)).toMatchObject(err(5));
        expect(b.dispatch(proxied(pure, kill(4)), Alice).ok).toBe(true);
        expect(lastProxyResult(b.events())).toEqual({ err: moduleError(PROXY, 5) });
        expect(b.dispatch(proxied(pure, kill(5)), Alice).ok).toBe(true);
        expect(lastProxyResult(b.events())).toEqual({ ok: undefined });
        expect(reserved(Alice)).toBe(0n);
        expect(Proxies.contains(pure)).toBe(false);
      },
      { number: 5 },
    );
  });
});
