/**
 * xcm-builder adapters one by one, after polkadot-sdk's xcm-builder tests (`tests/origins.rs`, `tests/weight.rs`,
 * `tests/barriers.rs`, `tests/routing.rs`, `fungibles_adapter` teleport checking, pallet-xcm's asset-trap hashing):
 * origin converters, FixedWeightBounds, traders and their refunds, barriers, reserve/teleport filters, routers,
 * version wrapping and the asset trap (its hash checked against @polkadot/util-crypto over @polkadot/types bytes).
 */
import { blake2AsU8a } from '@polkadot/util-crypto';
import { describe, expect, it } from 'vitest';
import { rootOrigin } from '../../../src/frame/origin.ts';
import {
  allowHrmpNotificationsFromRelayChain,
  alwaysVersion,
  assetTrap,
  assetTrapHash,
  caseOf,
  childParachainAsNative,
  denyRecursively,
  denyReserveTransferToRelayChain,
  denyThenTry,
  ensureXcmOrigin,
  everything,
  fixedRateOfFungible,
  fixedWeightBounds,
  fungiblesAdapter,
  locationWithAssetFilters,
  matchedConvertedConcreteId,
  nativeAsset,
  parentAsSuperuser,
  relayChainAsNative,
  respectSuspension,
  siblingParachainAsNative,
  siblingSystemParachainAsSuperuser,
  signedAccountId32AsNative,
  signedAccountKey20AsNative,
  signedToAccountId32,
  sovereignSignedViaLocation,
  takeWeightCredit,
  trailingSetTopicAsId,
  unique,
  usingComponents,
  versionedRouter,
  withUniqueTopic,
  xcmPassthrough,
} from '../../../src/xcm/builder/index.ts';
import {
  AssetsInHolding,
  InstructionSlice,
  originConverters,
  type Properties,
  type SendXcm,
  XcmInstructionFailure,
} from '../../../src/xcm/executor/index.ts';
import {
  type Asset,
  type Instruction,
  type Location,
  LocationCodec,
  parachain,
  parent,
  siblingParachain,
  type Xcm,
  xcmWeight,
} from '../../../src/xcm/index.ts';
import { pjsRegistry } from '../pjs-xcm.ts';
import {
  ALICE,
  Assets_,
  accountLocation,
  BOB,
  CHECKING,
  inBlock,
  locationToAccount,
  native,
  runtime,
  siblingSovereign,
  UNIT_WEIGHT,
  XcmTest,
} from '../executor/mock.ts';
import { transact } from '../executor/helpers.ts';

const K = (type: 'Native' | 'SovereignAccount' | 'Superuser' | 'Xcm') => ({ type }) as const;
const ctx = { origin: undefined, messageId: new Uint8Array(32), topic: undefined };
const props = (): Properties => ({ weightCredit: { refTime: 0, proofSize: 0 } });
const clearOrigin: Instruction = { type: 'ClearOrigin' };

describe('origin converters', () => {
  const converter = originConverters(
    sovereignSignedViaLocation(locationToAccount),
    relayChainAsNative(),
    siblingParachainAsNative,
    parentAsSuperuser,
    signedAccountId32AsNative(),
    xcmPassthrough,
  );

  it('each OriginKind gives what the parachain template gives', () => {
    const sib = siblingParachain(2000);
    expect(converter.convertOrigin(sib, K('SovereignAccount'))).toEqual({
      type: 'Signed',
      who: siblingSovereign(2000),
    });
    expect(converter.convertOrigin(sib, K('Native'))).toEqual({ type: 'SiblingParachain', paraId: 2000 });
    expect(converter.convertOrigin(sib, K('Superuser'))).toBeUndefined();
    expect(converter.convertOrigin(sib, K('Xcm'))).toEqual({ type: 'Xcm', location: sib });
    expect(converter.convertOrigin(parent(), K('Superuser'))).toEqual(rootOrigin());
    expect(converter.convertOrigin(parent(), K('Native'))).toEqual({ type: 'Relay' });
    expect(converter.convertOrigin(accountLocation(ALICE), K('Native'))).toEqual({
      type: 'Signed',
      who: ALICE,
    });
  });

  it('network-qualified accounts convert only on the right network; 20-byte keys; children on the relay', () => {
    const withNet: Location = {
      parents: 0,
      interior: [{ type: 'AccountId32', value: { network: { type: 'Kusama' }, id: ALICE } }],
    };
    expect(signedAccountId32AsNative().convertOrigin(withNet, K('Native'))).toBeUndefined();
    expect(signedAccountId32AsNative({ type: 'Kusama' }).convertOrigin(withNet, K('Native'))).toEqual({
      type: 'Signed',
      who: ALICE,
    });
    const key: Location = {
      parents: 0,
      interior: [{ type: 'AccountKey20', value: { network: undefined, key: new Uint8Array(20).fill(7) } }],
    };
    expect(signedAccountKey20AsNative().convertOrigin(key, K('Native'))).toEqual({
      type: 'Signed',
      who: new Uint8Array(20).fill(7),
    });
    expect(
      childParachainAsNative.convertOrigin({ parents: 0, interior: [parachain(2008)] }, K('Native')),
    ).toEqual({
      type: 'Parachain',
      paraId: 2008,
    });
    expect(siblingSystemParachainAsSuperuser.convertOrigin(siblingParachain(1000), K('Superuser'))).toEqual(
      rootOrigin(),
    );
    expect(
      siblingSystemParachainAsSuperuser.convertOrigin(siblingParachain(2000), K('Superuser')),
    ).toBeUndefined();
  });

  it('local origins to XCM locations (SignedToAccountId32, EnsureXcmOrigin with Root as Here)', () => {
    const toLocation = ensureXcmOrigin(signedToAccountId32());
    expect(toLocation({ type: 'Signed', who: ALICE })).toEqual(accountLocation(ALICE));
    expect(toLocation(rootOrigin())).toEqual({ parents: 0, interior: [] });
    expect(toLocation({ type: 'None' })).toBeUndefined();
  });
});

describe('FixedWeightBounds', () => {
  const w = fixedWeightBounds(UNIT_WEIGHT, 10);
  const max = { refTime: Number.MAX_SAFE_INTEGER, proofSize: Number.MAX_SAFE_INTEGER };

  it('a unit per instruction, nested messages counted, Transact adds its call`s weight', () => {
    inBlock(() => {
      const m: Xcm = [
        clearOrigin,
        { type: 'SetAppendix', value: [clearOrigin, clearOrigin] },
        { type: 'ExecuteWithOrigin', value: { descendant_origin: undefined, xcm: [clearOrigin] } },
        transact(XcmTest.tx.record({ value: 1 }), 'Native'),
      ];
      expect(w.weight(m, max)).toEqual({ refTime: 7e9 + 10_000_000, proofSize: 7 * 65536 + 1_000 });
      expect(w.instrWeight(m[1])).toEqual({ refTime: 3e9, proofSize: 3 * 65536 });
    });
  });

  it('MaxInstructions across nesting, and the weight limit, fail at the instruction that breaks them', () => {
    const eleven = Array.from({ length: 11 }, () => clearOrigin);
    expect(() => w.weight(eleven, max)).toThrow(XcmInstructionFailure);
    try {
      w.weight(
        [clearOrigin, { type: 'SetAppendix', value: Array.from({ length: 9 }, () => clearOrigin) }],
        max,
      );
      expect.unreachable();
    } catch (err) {
      // 1 + 1 + 9 = 11 > 10: the SetAppendix (index 1) is where it broke.
      expect(err).toMatchObject({ index: 1, error: { type: 'ExceedsStackLimit' } });
    }
    try {
      w.weight([clearOrigin, clearOrigin, clearOrigin], { refTime: 2e9, proofSize: max.proofSize });
      expect.unreachable();
    } catch (err) {
      expect(err).toMatchObject({
        index: 2,
        error: { type: 'WeightLimitReached', value: xcmWeight(3e9, 3 * 65536) },
      });
    }
  });
});

describe('traders', () => {
  const here = { parents: 0, interior: [] };

  it('UsingComponents: takes weight_to_fee of the native token, refunds what unused weight cost, keeps the rest', () => {
    const taken: bigint[] = [];
    const trader = usingComponents({
      weightToFee: (x) => BigInt(x.refTime) / 7n,
      assetId: here,
      onUnbalanced: (a) => taken.push(a),
    })();
    const rest = trader.buyWeight(
      { refTime: 7_000, proofSize: 0 },
      AssetsInHolding.from([native(5_000n)]),
      ctx,
    );
    expect(rest.assets()).toEqual([native(4_000n)]);
    expect(() => trader.buyWeight({ refTime: 70_000, proofSize: 0 }, rest, ctx)).toThrow('TooExpensive');
    // Refunds are capped by what was bought.
    expect(trader.refundWeight({ refTime: 700, proofSize: 0 }, ctx)).toEqual(native(100n));
    expect(trader.refundWeight({ refTime: 1_000_000, proofSize: 0 }, ctx)).toEqual(native(900n));
    expect(trader.refundWeight({ refTime: 1, proofSize: 0 }, ctx)).toBeUndefined();
    trader.finish?.();
    expect(taken).toEqual([]);
  });

  it('FixedRateOfFungible: per second of ref time and per MB of proof, each rounded down', () => {
    const revenue: Asset[] = [];
    const id = siblingParachain(2000);
    const trader = fixedRateOfFungible({
      assetId: id,
      unitsPerSecond: 1_000n,
      unitsPerMb: 2_048n,
      takeRevenue: (a) => revenue.push(a),
    })();
    const token = (v: bigint): Asset => ({ id, fun: { type: 'Fungible', value: v } });
    // 1e12 ps = 1000 units; 1 MiB of proof = 2048 units; 1.5e9 ps = 1.5 → 1.
    const rest = trader.buyWeight(
      { refTime: 1.5e9, proofSize: 512 * 1024 },
      AssetsInHolding.from([token(2_000n)]),
      ctx,
    );
    expect(rest.assets()).toEqual([token(2_000n - 1n - 1_024n)]);
    expect(trader.refundWeight({ refTime: 0, proofSize: 256 * 1024 }, ctx)).toEqual(token(512n));
    trader.finish?.();
    expect(revenue).toEqual([token(513n)]);
    // Nothing to pay: the payment comes back whole, even in another asset.
    const free = fixedRateOfFungible({ assetId: id, unitsPerSecond: 1n, unitsPerMb: 0n })();
    expect(
      free.buyWeight({ refTime: 1, proofSize: 0 }, AssetsInHolding.from([native(5n)]), ctx).assets(),
    ).toEqual([native(5n)]);
  });
});

describe('barriers', () => {
  it('TrailingSetTopicAsId takes the topic and hides it from the inner barrier', () => {
    const topic = new Uint8Array(32).fill(3);
    const p = props();
    const seen: number[] = [];
    const inner = {
      name: 'Inner',
      shouldExecute: (_o: Location, s: InstructionSlice) => void seen.push(s.length),
    };
    const b = trailingSetTopicAsId(inner);
    expect(
      b.shouldExecute(
        parent(),
        new InstructionSlice([clearOrigin, { type: 'SetTopic', value: topic }]),
        UNIT_WEIGHT,
        p,
      ),
    ).toBeUndefined();
    expect(p.messageId).toEqual(topic);
    expect(seen).toEqual([1]);
  });

  it('DenyThenTry(DenyRecursively(DenyReserveTransferToRelayChain)) finds reserve transfers to the relay even nested', () => {
    const b = denyThenTry(denyRecursively(denyReserveTransferToRelayChain), takeWeightCredit);
    const toRelay: Instruction = {
      type: 'InitiateReserveWithdraw',
      value: { assets: { type: 'Wild', value: { type: 'All' } }, reserve: parent(), xcm: [] },
    };
    const credit = { weightCredit: { refTime: 1e12, proofSize: 1e9 } };
    const top = b.shouldExecute(accountLocation(ALICE), new InstructionSlice([toRelay]), UNIT_WEIGHT, {
      ...credit,
    });
    expect(top?.inner?.[0]).toMatchObject({ barrier: 'DenyRecursively<DenyReserveTransferToRelayChain>' });
    const nested = b.shouldExecute(
      accountLocation(ALICE),
      new InstructionSlice([{ type: 'SetAppendix', value: [toRelay] }]),
      UNIT_WEIGHT,
      { ...credit },
    );
    expect(nested?.error).toEqual({ type: 'Unsupported' });
    expect(
      b.shouldExecute(accountLocation(ALICE), new InstructionSlice([clearOrigin]), UNIT_WEIGHT, {
        ...credit,
      }),
    ).toBeUndefined();
  });

  it('RespectSuspension yields while suspended; AllowHrmpNotificationsFromRelayChain only for the relay', () => {
    let suspended = true;
    const b = respectSuspension(takeWeightCredit, () => suspended);
    const p = { weightCredit: { refTime: 1e12, proofSize: 1e9 } };
    expect(b.shouldExecute(parent(), new InstructionSlice([clearOrigin]), UNIT_WEIGHT, p)?.error).toEqual({
      type: 'Yield',
    });
    suspended = false;
    expect(b.shouldExecute(parent(), new InstructionSlice([clearOrigin]), UNIT_WEIGHT, p)).toBeUndefined();
    const hrmp: Instruction = { type: 'HrmpChannelAccepted', value: { recipient: 1 } };
    expect(
      allowHrmpNotificationsFromRelayChain.shouldExecute(
        parent(),
        new InstructionSlice([hrmp]),
        UNIT_WEIGHT,
        props(),
      ),
    ).toBeUndefined();
    expect(
      allowHrmpNotificationsFromRelayChain.shouldExecute(
        siblingParachain(1),
        new InstructionSlice([hrmp]),
        UNIT_WEIGHT,
        props(),
      )?.error,
    ).toEqual({ type: 'Unsupported' });
  });
});

describe('reserve and teleport filters', () => {
  it('NativeAsset, Case and LocationWithAssetFilters', () => {
    const sib = siblingParachain(2000);
    const token = { id: sib, fun: { type: 'Fungible', value: 1n } } as const;
    expect(nativeAsset(token, sib)).toBe(true);
    expect(nativeAsset(token, siblingParachain(2001))).toBe(false);
    const c = caseOf(
      { type: 'Wild', value: { type: 'AllOf', value: { id: sib, fun: { type: 'Fungible' } } } },
      parent(),
    );
    expect(c(token, parent())).toBe(true);
    expect(c(token, sib)).toBe(false);
    const f = locationWithAssetFilters(everything, [
      { type: 'Definite', value: [{ id: sib, fun: { type: 'Fungible', value: 10n } }] },
    ]);
    expect(f([parent(), [token]])).toBe(true);
    expect(f([parent(), [{ id: sib, fun: { type: 'Fungible', value: 11n } }]])).toBe(false);
  });
});

describe('routers', () => {
  const recorded: Array<{ route: number; encoded: Uint8Array }> = [];
  const transport = versionedRouter(alwaysVersion(4), {
    route: (dest) =>
      dest.parents === 1 && dest.interior[0]?.type === 'Parachain' ? dest.interior[0].value : undefined,
    validate: (route, encoded) => ({ ticket: { route, encoded }, price: [] }),
    deliver: (ticket) => {
      recorded.push(ticket);
      return blake2AsU8a(ticket.encoded);
    },
  });

  it('versionedRouter wraps in the destination`s version (V4 here) and hands the bytes over; others NotApplicable', () => {
    recorded.length = 0;
    const v = transport.validate(siblingParachain(2000), [clearOrigin]);
    expect(v.ok).toBe(true);
    if (!v.ok) return;
    const d = transport.deliver(v.ticket);
    expect(recorded[0].encoded).toEqual(new Uint8Array([4, 4, 10])); // V4, one instruction, ClearOrigin (10)
    expect(d).toEqual({ ok: true, hash: blake2AsU8a(new Uint8Array([4, 4, 10])) });
    expect(transport.validate(parent(), [clearOrigin])).toEqual({
      ok: false,
      error: { type: 'NotApplicable' },
    });
    // V5-only instructions do not go to a V4 destination.
    expect(transport.validate(siblingParachain(2000), [{ type: 'SetHints', value: { hints: [] } }])).toEqual({
      ok: false,
      error: { type: 'DestinationUnsupported' },
    });
  });

  it('WithUniqueTopic appends SetTopic(unique) and returns it; a message already ending in SetTopic keeps its id', () => {
    inBlock(() => {
      const seen: Xcm[] = [];
      const inner: SendXcm<Xcm> = {
        validate: (_d, m) => {
          seen.push(m);
          return { ok: true, ticket: m, price: [] };
        },
        deliver: () => ({ ok: true, hash: new Uint8Array(32) }),
      };
      const r = withUniqueTopic(inner);
      const a = r.validate(parent(), [clearOrigin]);
      const b = r.validate(parent(), [clearOrigin]);
      if (!a.ok || !b.ok) throw new Error('not routed');
      const idA = r.deliver(a.ticket);
      const idB = r.deliver(b.ticket);
      // The same message twice gets two ids: `unique` folds in the block's running entropy.
      expect(idA.ok && idB.ok && Buffer.compare(Buffer.from(idA.hash), Buffer.from(idB.hash))).not.toBe(0);
      expect(seen[0]).toEqual([clearOrigin, { type: 'SetTopic', value: (idA as { hash: Uint8Array }).hash }]);
      const topic = new Uint8Array(32).fill(5);
      const c = r.validate(parent(), [clearOrigin, { type: 'SetTopic', value: topic }]);
      expect(c.ok && r.deliver(c.ticket)).toEqual({ ok: true, hash: topic });
      expect(unique(new Uint8Array([1])).length).toBe(32);
    });
  });
});

describe('asset trap', () => {
  it('the trap hash is blake2_256((origin, VersionedAssets).encode()), as @polkadot/types encodes both', () => {
    const pjs = pjsRegistry();
    const origin = siblingParachain(2000);
    const assets: Asset[] = [native(1_234n)];
    const theirs = new Uint8Array([
      ...pjs
        .createType('StagingXcmV5Location', { parents: 1, interior: { X1: [{ Parachain: 2000 }] } })
        .toU8a(),
      ...pjs
        .createType('XcmVersionedAssets', {
          V5: [{ id: { parents: 0, interior: 'Here' }, fun: { Fungible: 1_234 } }],
        })
        .toU8a(),
    ]);
    expect(assetTrapHash(origin, { type: 'V5', value: assets })).toEqual(blake2AsU8a(theirs, 256));
    expect(LocationCodec.encode(origin)).toEqual(theirs.subarray(0, LocationCodec.encode(origin).length));
  });

  it('a claim names the version the assets were trapped in (GeneralIndex(v)); the wrong version finds nothing', () => {
    const counts = new Map<string, number>();
    const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
    const t = assetTrap({
      count: (h) => counts.get(hex(h)) ?? 0,
      setCount: (h, n) => void counts.set(hex(h), n),
    });
    const origin = siblingParachain(2000);
    // Trapped back when V4 was the latest: stored under the V4 encoding.
    counts.set(hex(assetTrapHash(origin, { type: 'V4', value: [native(5n)] })), 1);
    const v = (n: bigint): Location => ({ parents: 0, interior: [{ type: 'GeneralIndex', value: n }] });
    expect(t.claimAssets(origin, { parents: 0, interior: [] }, [native(5n)], ctx)).toBe(false);
    expect(t.claimAssets(origin, v(3n), [native(5n)], ctx)).toBe(false);
    expect(t.claimAssets(origin, v(4n), [native(5n)], ctx)).toBe(true);
    expect(t.claimAssets(origin, v(4n), [native(5n)], ctx)).toBe(false);
    expect(t.claimAssets(origin, v(99n), [native(5n)], ctx)).toBe(false);
    expect(t.claimAssets(origin, parent(), [native(5n)], ctx)).toBe(false);
  });
});

describe('fungibles adapter teleport checking', () => {
  it('LocalMint: teleports out accrue in the checking account; in, they are taken from it (never more)', () => {
    inBlock(() => {
      const token = siblingParachain(2000);
      const adapter = fungiblesAdapter({
        assets: Assets_.fungibles,
        matcher: matchedConvertedConcreteId(
          (l) => LocationCodec.compare(l, token) === 0,
          () => 1,
        ),
        accountOf: locationToAccount,
        assetChecking: () => 'Local',
        checkingAccount: CHECKING,
      });
      const asset: Asset = { id: token, fun: { type: 'Fungible', value: 5_000n } };
      expect(() => adapter.canCheckIn!(parent(), asset, ctx)).toThrow('NotWithdrawable');
      adapter.canCheckOut!(parent(), asset, ctx);
      adapter.checkOut!(parent(), asset, ctx);
      expect(Assets_.storage.Account.get(1, CHECKING)?.balance).toBe(5_000n);
      adapter.canCheckIn!(parent(), asset, ctx);
      adapter.checkIn!(parent(), asset, ctx);
      expect(Assets_.storage.Account.get(1, CHECKING)?.balance).toBeUndefined();
      // An asset the matcher does not handle is "not mine" (AssetNotFound), so a tuple moves on.
      expect(() => adapter.depositAsset!(native(1n), accountLocation(BOB), ctx)).toThrow('AssetNotFound');
      expect(runtime.pallets.length).toBeGreaterThan(0);
    });
  });
});
