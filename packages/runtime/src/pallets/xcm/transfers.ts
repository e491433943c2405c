/**
 * pallet-xcm's asset transfers (`transfer_assets`, `limited_reserve_transfer_assets`, `limited_teleport_assets`) and
 * `claim_assets`, as polkadot-sdk builds them: each asset's transfer type is found from the executor's `IsTeleporter`
 * / `IsReserve` (`XcmAssetTransfers::determine_for`); a local XCM program moves or burns the assets here (executed
 * with its own weight as credit) and a remote program tells the destination what arrived, buys execution with the
 * fee asset and deposits the rest to the beneficiary. The remote program's delivery fee is charged to the origin.
 */
import { blake2_256 } from '../../crypto/hashing.ts';
import type { DispatchFailure, PostDispatchInfo } from '../../frame/dispatch-error.ts';
import type { Weight } from '../../frame/weights.ts';
import type { XcmExecutorConfig } from '../../xcm/executor/config.ts';
import { XcmFailure } from '../../xcm/executor/errors.ts';
import { MAX_WEIGHT, prepareAndExecute } from '../../xcm/executor/executor.ts';
import type { WeightBounds } from '../../xcm/executor/traits.ts';
import {
  type Asset,
  type Instruction,
  type Junctions,
  type Location,
  type VersionedAssets,
  type VersionedLocation,
  type WeightLimit,
  type Xcm,
  type XcmError,
  XcmCodec,
  assetsFrom,
  isHere,
  locationEquals,
  reanchor,
  reanchorAsset,
  reanchorAssets,
  toLatestAssets,
  toLatestLocation,
  versionOf,
} from '../../xcm/index.ts';
import { MAX_ASSETS_FOR_TRANSFER, type PalletXcmConfig } from './types.ts';

export type TransferType =
  | { type: 'Teleport' }
  | { type: 'LocalReserve' }
  | { type: 'DestinationReserve' }
  | { type: 'RemoteReserve'; reserve: Location };

type FeesHandling = { type: 'Batched'; fees: Asset } | { type: 'Separate'; local: Xcm; remote: Xcm };

export interface TransferContext {
  cfg(): PalletXcmConfig;
  executor(): XcmExecutorConfig;
  universal(): Junctions;
  weigher(): WeightBounds;
  fail(error: string, post?: PostDispatchInfo): DispatchFailure;
  incompleteWithError(index: number, error: XcmError, post: Weight): DispatchFailure;
  chargeFees(location: Location, fees: Asset[]): void;
  deposit(event: unknown): void;
}

/** `Location::chain_location`: the location up to the chain that holds it (a parachain or a consensus). */
export function chainLocation(l: Location): Location {
  const interior = [...l.interior];
  while (interior.length > 0) {
    const last = interior[interior.length - 1];
    if (last.type === 'Parachain' || last.type === 'GlobalConsensus') return { parents: l.parents, interior };
    interior.pop();
  }
  return { parents: l.parents, interior: [] };
}

const sameType = (a: TransferType, b: TransferType) =>
  a.type === b.type && (a.type !== 'RemoteReserve' || locationEquals(a.reserve, (b as typeof a).reserve));

export function palletXcmTransfers(ctx: TransferContext) {
  const ctxUniversal = () => ctx.universal();
  const asLatest = <T>(f: () => T): T => {
    try {
      return f();
    } catch {
      throw ctx.fail('BadVersion');
    }
  };
  const reanchored = (a: Asset, dest: Location): Asset => {
    const r = reanchorAsset(a, dest, ctxUniversal());
    if (!r) throw ctx.fail('CannotReanchor');
    return r;
  };
  const reanchoredAll = (list: Asset[], dest: Location): Asset[] => {
    const r = reanchorAssets(list, dest, ctxUniversal());
    if (!r) throw ctx.fail('CannotReanchor');
    return r;
  };
  const allCounted = (n: number) => ({ type: 'Wild', value: { type: 'AllCounted', value: n } }) as const;
  const reserveFilter = (pair: [Location, Asset[]]) => ctx.cfg().xcmReserveTransferFilter?.(pair) ?? true;
  const teleportFilter = (pair: [Location, Asset[]]) => ctx.cfg().xcmTeleportFilter?.(pair) ?? true;

  /** `XcmAssetTransfers::determine_for`. */
  function determineFor(asset: Asset, dest: Location): TransferType {
    const ex = ctx.executor();
    if (ex.isTeleporter(asset, dest)) return { type: 'Teleport' };
    if (ex.isReserve(asset, dest)) return { type: 'DestinationReserve' };
    const home = chainLocation(asset.id);
    if (isHere(home) || ex.isTeleporter(asset, home)) return { type: 'LocalReserve' };
    if (ex.isReserve(asset, home)) return { type: 'RemoteReserve', reserve: home };
    throw ctx.fail('InvalidAssetUnknownReserve');
  }

  /** `find_fee_and_assets_transfer_types`. */
  function findTypes(assets: Asset[], feeIndex: number, dest: Location): [TransferType, TransferType] {
    let fees: TransferType | undefined;
    let rest: TransferType | undefined;
    assets.forEach((asset, i) => {
      if (asset.fun.type === 'Fungible' && asset.fun.value === 0n) throw ctx.fail('Empty');
      const t = determineFor(asset, dest);
      if (i === feeIndex) fees = t;
      else if (rest && !sameType(rest, t)) throw ctx.fail('TooManyReserves');
      else rest = t;
    });
    if (assets.length === 1) rest = fees;
    if (!fees || !rest) throw ctx.fail('Empty');
    return [fees, rest];
  }

  function addFees(
    dest: Location,
    fees: FeesHandling,
    weightLimit: WeightLimit,
    local: Xcm,
    remote: Xcm,
  ): [Xcm, Xcm] {
    if (fees.type === 'Batched') {
      return [
        local,
        [
          ...remote,
          { type: 'BuyExecution', value: { fees: reanchored(fees.fees, dest), weight_limit: weightLimit } },
        ],
      ];
    }
    // Fees first (the remote side's barrier wants BuyExecution early), then the assets.
    return [
      [...fees.local, ...local],
      [...fees.remote, ...remote],
    ];
  }

  function localReserveFees(
    origin: Location,
    dest: Location,
    fees: Asset,
    weightLimit: WeightLimit,
  ): [Xcm, Xcm] {
    if (!reserveFilter([origin, [fees]])) throw ctx.fail('Filtered');
    const remoteFees = reanchored(fees, dest);
    return [
      [{ type: 'TransferAsset', value: { assets: [fees], beneficiary: dest } }],
      [
        { type: 'ReserveAssetDeposited', value: [remoteFees] },
        { type: 'BuyExecution', value: { fees: remoteFees, weight_limit: weightLimit } },
      ],
    ];
  }

  function destinationReserveFees(
    origin: Location,
    dest: Location,
    fees: Asset,
    weightLimit: WeightLimit,
  ): [Xcm, Xcm] {
    if (!reserveFilter([origin, [fees]])) throw ctx.fail('Filtered');
    const remoteFees = reanchored(fees, dest);
    return [
      [
        { type: 'WithdrawAsset', value: [fees] },
        { type: 'BurnAsset', value: [fees] },
      ],
      [
        { type: 'WithdrawAsset', value: [remoteFees] },
        { type: 'BuyExecution', value: { fees: remoteFees, weight_limit: weightLimit } },
      ],
    ];
  }

  function checkOut(dest: Location, assets: Asset[]): void {
    const t = ctx.executor().assetTransactor;
    const dummy = { origin: undefined, messageId: new Uint8Array(32), topic: undefined };
    for (const a of assets) {
      try {
        if (!t.canCheckOut) throw new XcmFailure({ type: 'Unimplemented' });
        t.canCheckOut(dest, a, dummy);
      } catch (err) {
        if (err instanceof XcmFailure) throw ctx.fail('CannotCheckOutTeleport');
        throw err;
      }
    }
    // Safe here: the whole call is one storage layer, rolled back on any later error.
    for (const a of assets) t.checkOut?.(dest, a, dummy);
  }

  function teleportFees(origin: Location, dest: Location, fees: Asset, weightLimit: WeightLimit): [Xcm, Xcm] {
    if (!teleportFilter([origin, [fees]])) throw ctx.fail('Filtered');
    const remoteFees = reanchored(fees, dest);
    checkOut(dest, [fees]);
    return [
      [
        { type: 'WithdrawAsset', value: [fees] },
        { type: 'BurnAsset', value: [fees] },
      ],
      [
        { type: 'ReceiveTeleportedAsset', value: [remoteFees] },
        { type: 'BuyExecution', value: { fees: remoteFees, weight_limit: weightLimit } },
      ],
    ];
  }

  const maxAssetsOf = (assets: Asset[], fees: FeesHandling) =>
    assets.length + (fees.type === 'Batched' ? 0 : 1);

  function localReservePrograms(
    origin: Location,
    dest: Location,
    beneficiary: Location,
    list: Asset[],
    fees: FeesHandling,
    weightLimit: WeightLimit,
  ): [Xcm, Xcm] {
    if (!reserveFilter([origin, list])) throw ctx.fail('Filtered');
    const assets = assetsFrom(list);
    const [local, remote] = addFees(
      dest,
      fees,
      weightLimit,
      [{ type: 'TransferAsset', value: { assets, beneficiary: dest } }],
      [{ type: 'ReserveAssetDeposited', value: reanchoredAll(assets, dest) }, { type: 'ClearOrigin' }],
    );
    return [
      local,
      [
        ...remote,
        { type: 'DepositAsset', value: { assets: allCounted(maxAssetsOf(list, fees)), beneficiary } },
      ],
    ];
  }

  function destinationReservePrograms(
    origin: Location,
    dest: Location,
    beneficiary: Location,
    list: Asset[],
    fees: FeesHandling,
    weightLimit: WeightLimit,
  ): [Xcm, Xcm] {
    if (!reserveFilter([origin, list])) throw ctx.fail('Filtered');
    const assets = assetsFrom(list);
    const [local, remote] = addFees(
      dest,
      fees,
      weightLimit,
      [
        { type: 'WithdrawAsset', value: assets },
        { type: 'BurnAsset', value: assets },
      ],
      [{ type: 'WithdrawAsset', value: reanchoredAll(assets, dest) }, { type: 'ClearOrigin' }],
    );
    return [
      local,
      [
        ...remote,
        { type: 'DepositAsset', value: { assets: allCounted(maxAssetsOf(list, fees)), beneficiary } },
      ],
    ];
  }

  /** `halve_fees`: half for the reserve, half for the destination. */
  function halveFees(fees: Asset): [Asset, Asset] {
    if (fees.fun.type !== 'Fungible') throw ctx.fail('FeesNotMet');
    const a = fees.fun.value / 2n;
    const b = fees.fun.value - a;
    if (a === 0n || b === 0n) throw ctx.fail('FeesNotMet');
    return [
      { id: fees.id, fun: { type: 'Fungible', value: a } },
      { id: fees.id, fun: { type: 'Fungible', value: b } },
    ];
  }

  function remoteReserveProgram(
    origin: Location,
    reserve: Location,
    dest: Location,
    beneficiary: Location,
    list: Asset[],
    fees: Asset,
    weightLimit: WeightLimit,
  ): Xcm {
    if (!reserveFilter([origin, list])) throw ctx.fail('Filtered');
    const max = list.length;
    const [half1, half2] = halveFees(fees);
    const reserveFees = reanchored(half1, reserve);
    const destFees = reanchored(half2, dest);
    const destFromReserve = reanchor(dest, reserve, ctxUniversal());
    if (!destFromReserve) throw ctx.fail('CannotReanchor');
    const onDest: Xcm = [
      { type: 'BuyExecution', value: { fees: destFees, weight_limit: weightLimit } },
      { type: 'DepositAsset', value: { assets: allCounted(max), beneficiary } },
    ];
    const onReserve: Xcm = [
      { type: 'BuyExecution', value: { fees: reserveFees, weight_limit: weightLimit } },
      { type: 'DepositReserveAsset', value: { assets: allCounted(max), dest: destFromReserve, xcm: onDest } },
    ];
    return [
      { type: 'WithdrawAsset', value: assetsFrom(list) },
      { type: 'SetFeesMode', value: { jit_withdraw: true } },
      { type: 'InitiateReserveWithdraw', value: { assets: allCounted(max), reserve, xcm: onReserve } },
    ];
  }

  function teleportPrograms(
    origin: Location,
    dest: Location,
    beneficiary: Location,
    list: Asset[],
    fees: FeesHandling,
    weightLimit: WeightLimit,
  ): [Xcm, Xcm] {
    if (!teleportFilter([origin, list])) throw ctx.fail('Filtered');
    const assets = assetsFrom(list);
    const remoteAssets = reanchoredAll(assets, dest);
    checkOut(dest, assets);
    const [local, remote] = addFees(
      dest,
      fees,
      weightLimit,
      [
        { type: 'WithdrawAsset', value: assets },
        { type: 'BurnAsset', value: assets },
      ],
      [{ type: 'ReceiveTeleportedAsset', value: remoteAssets }, { type: 'ClearOrigin' }],
    );
    return [
      local,
      [
        ...remote,
        { type: 'DepositAsset', value: { assets: allCounted(maxAssetsOf(list, fees)), beneficiary } },
      ],
    ];
  }

  /** `build_and_execute_xcm_transfer_type` + `execute_xcm_transfer`. */
  function buildAndExecute(
    origin: Location,
    dest: Location,
    beneficiary: Location,
    assets: Asset[],
    type: TransferType,
    fees: FeesHandling,
    weightLimit: WeightLimit,
  ): void {
    let local: Xcm;
    let remote: Xcm | undefined;
    switch (type.type) {
      case 'LocalReserve':
        [local, remote] = localReservePrograms(origin, dest, beneficiary, assets, fees, weightLimit);
        break;
      case 'DestinationReserve':
        [local, remote] = destinationReservePrograms(origin, dest, beneficiary, assets, fees, weightLimit);
        break;
      case 'RemoteReserve':
        if (fees.type !== 'Batched') throw ctx.fail('InvalidAssetUnsupportedReserve');
        local = remoteReserveProgram(origin, type.reserve, dest, beneficiary, assets, fees.fees, weightLimit);
        break;
      case 'Teleport':
        [local, remote] = teleportPrograms(origin, dest, beneficiary, assets, fees, weightLimit);
        break;
    }
    executeTransfer(origin, dest, local, remote);
  }

  function executeTransfer(origin: Location, dest: Location, local: Xcm, remote: Xcm | undefined): void {
    let weight: Weight;
    try {
      weight = ctx.weigher().weight(local, MAX_WEIGHT);
    } catch (err) {
      if (err instanceof XcmFailure) throw ctx.fail('UnweighableMessage');
      throw err;
    }
    const hash = blake2_256(XcmCodec.encode(local));
    const { outcome } = prepareAndExecute(ctx.executor(), origin, local, hash, weight, weight);
    ctx.deposit({ type: 'Attempted', value: { outcome } });
    if (outcome.type !== 'Complete') {
      const e = outcome.type === 'Incomplete' ? outcome.value.error : outcome.value;
      throw ctx.incompleteWithError(e.index, e.error, weight);
    }
    if (!remote) return;
    const router = ctx.cfg().router;
    const v = router.validate(dest, remote);
    if (!v.ok)
      throw ctx.fail(
        v.error.type === 'Fees'
          ? 'FeesNotMet'
          : v.error.type === 'NotApplicable'
            ? 'Unreachable'
            : 'SendFailure',
      );
    if (!isHere(origin)) {
      try {
        ctx.chargeFees(origin, v.price);
      } catch (err) {
        if (err instanceof XcmFailure) throw ctx.fail('FeesNotMet');
        throw err;
      }
    }
    const d = router.deliver(v.ticket);
    if (!d.ok)
      throw ctx.fail(
        d.error.type === 'Fees'
          ? 'FeesNotMet'
          : d.error.type === 'NotApplicable'
            ? 'Unreachable'
            : 'SendFailure',
      );
    ctx.deposit({ type: 'Sent', value: { origin, destination: dest, message: remote, message_id: d.hash } });
  }

  function decodeArgs(
    destV: VersionedLocation,
    beneficiaryV: VersionedLocation,
    assetsV: VersionedAssets,
  ): [Location, Location, Asset[]] {
    const dest = asLatest(() => toLatestLocation(destV));
    const beneficiary = asLatest(() => toLatestLocation(beneficiaryV));
    const assets = asLatest(() => toLatestAssets(assetsV));
    if (assets.length > MAX_ASSETS_FOR_TRANSFER) throw ctx.fail('TooManyAssets');
    return [dest, beneficiary, assets];
  }

  return {
    determineFor,
    /** `do_reserve_transfer_assets`. */
    reserveTransfer(
      origin: Location,
      destV: VersionedLocation,
      beneficiaryV: VersionedLocation,
      assetsV: VersionedAssets,
      feeIndex: number,
      weightLimit: WeightLimit,
    ): void {
      const [dest, beneficiary, assets] = decodeArgs(destV, beneficiaryV, assetsV);
      if (!reserveFilter([origin, assets])) throw ctx.fail('Filtered');
      const fees = assets[feeIndex];
      if (!fees) throw ctx.fail('Empty');
      const [feesType, assetsType] = findTypes(assets, feeIndex, dest);
      if (assetsType.type === 'Teleport') throw ctx.fail('Filtered');
      if (!sameType(assetsType, feesType)) throw ctx.fail('TooManyReserves');
      buildAndExecute(origin, dest, beneficiary, assets, assetsType, { type: 'Batched', fees }, weightLimit);
    },
    /** `do_teleport_assets`. */
    teleport(
      origin: Location,
      destV: VersionedLocation,
      beneficiaryV: VersionedLocation,
      assetsV: VersionedAssets,
      feeIndex: number,
      weightLimit: WeightLimit,
    ): void {
      const [dest, beneficiary, assets] = decodeArgs(destV, beneficiaryV, assetsV);
      if (!teleportFilter([origin, assets])) throw ctx.fail('Filtered');
      for (const a of assets) if (determineFor(a, dest).type !== 'Teleport') throw ctx.fail('Filtered');
      const fees = assets[feeIndex];
      if (!fees) throw ctx.fail('Empty');
      buildAndExecute(
        origin,
        dest,
        beneficiary,
        assets,
        { type: 'Teleport' },
        { type: 'Batched', fees },
        weightLimit,
      );
    },
    /** `transfer_assets`: fees may take another path than the assets (not a remote reserve, though). */
    transferAssets(
      origin: Location,
      destV: VersionedLocation,
      beneficiaryV: VersionedLocation,
      assetsV: VersionedAssets,
      feeIndex: number,
      weightLimit: WeightLimit,
    ): void {
      const [dest, beneficiary, all] = decodeArgs(destV, beneficiaryV, assetsV);
      const assets = [...all];
      const fees = assets[feeIndex];
      if (!fees) throw ctx.fail('Empty');
      const [feesType, assetsType] = findTypes(assets, feeIndex, dest);
      let handling: FeesHandling;
      if (sameType(feesType, assetsType)) handling = { type: 'Batched', fees };
      else {
        if (assetsType.type === 'RemoteReserve') throw ctx.fail('InvalidAssetUnsupportedReserve');
        assets.splice(feeIndex, 1);
        let local: Xcm;
        let remote: Xcm;
        switch (feesType.type) {
          case 'LocalReserve':
            [local, remote] = localReserveFees(origin, dest, fees, weightLimit);
            break;
          case 'DestinationReserve':
            [local, remote] = destinationReserveFees(origin, dest, fees, weightLimit);
            break;
          case 'Teleport':
            [local, remote] = teleportFees(origin, dest, fees, weightLimit);
            break;
          case 'RemoteReserve':
            throw ctx.fail('InvalidAssetUnsupportedReserve');
        }
        handling = { type: 'Separate', local, remote };
      }
      buildAndExecute(origin, dest, beneficiary, assets, assetsType, handling, weightLimit);
    },
    /** `claim_assets`: `ClaimAsset` (ticket: the version the assets were given in) + `DepositAsset` to `beneficiary`. */
    claimAssets(origin: Location, assetsV: VersionedAssets, beneficiaryV: VersionedLocation): void {
      const version = versionOf(assetsV);
      const assets = asLatest(() => toLatestAssets(assetsV));
      const beneficiary = asLatest(() => toLatestLocation(beneficiaryV));
      const message: Xcm = [
        {
          type: 'ClaimAsset',
          value: {
            assets,
            ticket: { parents: 0, interior: [{ type: 'GeneralIndex', value: BigInt(version) }] },
          },
        },
        { type: 'DepositAsset', value: { assets: allCounted(assets.length), beneficiary } } as Instruction,
      ];
      let weight: Weight;
      try {
        weight = ctx.weigher().weight(message, MAX_WEIGHT);
      } catch (err) {
        if (err instanceof XcmFailure) throw ctx.fail('UnweighableMessage');
        throw err;
      }
      const hash = blake2_256(XcmCodec.encode(message));
      const { outcome } = prepareAndExecute(ctx.executor(), origin, message, hash, weight, weight);
      if (outcome.type !== 'Complete') {
        const e = outcome.type === 'Incomplete' ? outcome.value.error : outcome.value;
        throw ctx.incompleteWithError(e.index, e.error, weight);
      }
    },
  };
}
