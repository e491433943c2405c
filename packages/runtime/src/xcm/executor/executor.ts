/**
 * The XCM executor (polkadot-sdk `xcm-executor` `XcmExecutor`), running the latest version, V5: a per-message
 * virtual machine with the holding register, origin, error / appendix / error-handler registers, transact status,
 * topic, fees mode and fees register, over the adapters of an `XcmExecutorConfig`. Everything runs in the ambient
 * runtime env like pallet code: effectful instructions open a storage layer (the Config's transactional
 * processor), messages it sends go through the Config's `SendXcm` router with delivery fees charged as polkadot-sdk
 * charges them, and what is left in holding at the end goes to the asset trap.
 *
 * Entry points: `prepareXcm` (weigh), `executeXcm` (barrier, run, post-process), `prepareAndExecute` (both, with a
 * weight limit) and `chargeFees`. Outcomes are V5 `Outcome` values (weights as XcmWeight bigints).
 */
import { dispatchCall } from '../../frame/nested-dispatch.ts';
import { DispatchErrorCodec, type DispatchError } from '../../frame/dispatch-error.ts';
import { addWeight, minWeight, subWeight, type Weight, ZERO_WEIGHT } from '../../frame/weights.ts';
import {
  type Asset,
  type AssetFilter,
  type AssetId,
  AssetIdCodec,
  type AssetTransferFilter,
  type Assets,
  type Instruction,
  type InstructionError,
  type Junctions,
  type Location,
  LocationCodec,
  MAX_DISPATCH_ERROR_LEN,
  MAX_PALLET_NAME_LEN,
  MAX_PALLETS_INFO,
  type MaybeErrorCode,
  type Outcome,
  type PalletInfo,
  type QueryResponseInfo,
  type Response,
  type SendError,
  type Xcm,
  type XcmContext,
  type XcmError,
  type XcmHash,
  appendJunctions,
  fromFrameWeight,
  reanchor,
  reanchorAsset,
  reanchorAssets,
  toFrameWeight,
} from '../index.ts';
import { decodeTransactCall, transactCallInfo } from './call.ts';
import type { XcmExecutorConfig } from './config.ts';
import { XcmFailure, xcmErrorEquals, xcmFail } from './errors.ts';
import { AssetsInHolding, HoldingUnderflow } from './holding.ts';
import { InstructionSlice } from './instruction-slice.ts';
import { frameTransactionalProcessor } from './transactional.ts';
import type { BarrierRejection, FeeReason, LockError, ProcessTransaction, Properties } from './traits.ts';
import { canCheckIn, canCheckOut, depositAsset, transferAsset, withdrawAsset } from './tuples.ts';

/** polkadot-sdk's `RECURSION_LIMIT`: nested instruction processing (ExecuteWithOrigin, executors inside Transact). */
export const RECURSION_LIMIT = 10;

/** `Weight::MAX` in frame numbers. */
export const MAX_WEIGHT: Readonly<Weight> = Object.freeze({
  refTime: Number.MAX_SAFE_INTEGER,
  proofSize: Number.MAX_SAFE_INTEGER,
});

/** A weigher's failure: the instruction (index in the message) it could not weigh, and why. */
export class XcmInstructionFailure extends XcmFailure {
  override name = 'XcmInstructionFailure';
  constructor(
    readonly index: number,
    error: XcmError,
    reason?: string,
  ) {
    super(error, reason);
  }
}

/** `WeighedMessage`: a message and the most weight it may take. */
export interface PreparedXcm {
  weight: Weight;
  message: Xcm;
}

/** What an execution returns: polkadot-sdk's `Outcome`, the id the message ran under, and any barrier rejection. */
export interface ExecutionResult {
  outcome: Outcome;
  /** The message id after the barrier (e.g. a trailing `SetTopic` under `TrailingSetTopicAsId`). */
  messageId: XcmHash;
  /** Why the barrier refused it (the outcome is then `Error(Barrier)`), naming the barriers that said no. */
  barrierRejection?: BarrierRejection;
}

export type PrepareResult = { ok: true; prepared: PreparedXcm } | { ok: false; error: InstructionError };

/** `ExecuteXcm::prepare`: weighs `message`; fails (at the offending instruction) past `weightLimit`. */
export function prepareXcm(
  config: XcmExecutorConfig,
  message: Xcm,
  weightLimit: Weight = MAX_WEIGHT,
): PrepareResult {
  try {
    return { ok: true, prepared: { weight: config.weigher.weight(message, weightLimit), message } };
  } catch (err) {
    if (err instanceof XcmInstructionFailure)
      return { ok: false, error: { index: err.index, error: err.error } };
    if (err instanceof XcmFailure) return { ok: false, error: { index: 0, error: err.error } };
    throw err;
  }
}

/** `ExecuteXcm::prepare_and_execute`. */
export function prepareAndExecute(
  config: XcmExecutorConfig,
  origin: Location,
  message: Xcm,
  messageId: XcmHash,
  weightLimit: Weight,
  weightCredit: Weight,
): ExecutionResult {
  const prepared = prepareXcm(config, message, weightLimit);
  if (!prepared.ok) return { outcome: { type: 'Error', value: prepared.error }, messageId };
  return executeXcm(config, origin, prepared.prepared, messageId, weightCredit);
}

/** `ExecuteXcm::execute`: the barrier, then the message, its error handler / appendix, then post-processing. */
export function executeXcm(
  config: XcmExecutorConfig,
  origin: Location,
  prepared: PreparedXcm,
  messageId: XcmHash,
  weightCredit: Weight,
): ExecutionResult {
  const properties: Properties = { weightCredit, messageId: undefined };
  if (config.recorder?.shouldRecord()) config.recorder.record(prepared.message);
  // The barrier may rewrite instructions (a BuyExecution's limit); the caller's array stays as it was.
  const message = [...prepared.message];
  const rejection = config.barrier.shouldExecute(
    origin,
    new InstructionSlice(message),
    prepared.weight,
    properties,
  );
  if (rejection) {
    return {
      outcome: { type: 'Error', value: { index: 0, error: { type: 'Barrier' } } },
      messageId,
      barrierRejection: rejection,
    };
  }
  const id = properties.messageId ?? messageId;
  const vm = new XcmExecutor(config, origin, id);
  vm.messageWeight = prepared.weight;
  let current: Xcm = message;
  while (current.length > 0) {
    const failure = vm.process(current);
    if (failure) {
      vm.totalSurplus = addWeight(vm.totalSurplus, failure.weight);
      vm.error = [failure.index, failure.error];
      current = vm.takeErrorHandler();
      if (current.length === 0) current = vm.takeAppendix();
    } else {
      vm.dropErrorHandler();
      current = vm.takeAppendix();
    }
  }
  return { outcome: vm.postProcess(prepared.weight), messageId: id };
}

/**
 * `ExecuteXcm::charge_fees`: takes `fees` from `origin`'s account (unless the fee manager waives them) and hands
 * them to the fee manager. Throws `XcmFailure`.
 */
export function chargeFees(config: XcmExecutorConfig, origin: Location, fees: Assets): void {
  const reason: FeeReason = { type: 'ChargeFees' };
  if (config.feeManager?.isWaived(origin, reason)) return;
  for (const asset of fees) withdrawAsset(config.assetTransactor, asset, origin, undefined);
  config.feeManager?.handleFee(fees, undefined, reason);
}

/** The weight an outcome says was used (frame numbers). */
export function outcomeWeightUsed(outcome: Outcome): Weight {
  return outcome.type === 'Error' ? ZERO_WEIGHT : toFrameWeight(outcome.value.used);
}

/** `Outcome::ensure_complete`: the failing instruction, or undefined for `Complete`. */
export function outcomeError(outcome: Outcome): InstructionError | undefined {
  if (outcome.type === 'Complete') return undefined;
  return outcome.type === 'Incomplete' ? outcome.value.error : outcome.value;
}

/** `impl From<SendError> for XcmError`. */
export function sendErrorToXcmError(e: SendError): XcmError {
  switch (e.type) {
    case 'NotApplicable':
    case 'Unroutable':
    case 'MissingArgument':
      return { type: 'Unroutable' };
    case 'Transport':
      return { type: 'Transport' };
    case 'DestinationUnsupported':
      return { type: 'DestinationUnsupported' };
    case 'ExceedsMaxMessageSize':
      return { type: 'ExceedsMaxMessageSize' };
    case 'Fees':
      return { type: 'FeesNotMet' };
  }
}

/** `impl From<Vec<u8>> for MaybeErrorCode` of an encoded `DispatchError` (truncated past 128 bytes). */
export function maybeErrorCodeOf(error: DispatchError): MaybeErrorCode {
  const bytes = DispatchErrorCodec.encode(error);
  return bytes.length <= MAX_DISPATCH_ERROR_LEN
    ? { type: 'Error', value: bytes }
    : { type: 'TruncatedError', value: bytes.slice(0, MAX_DISPATCH_ERROR_LEN) };
}

/** `impl From<LockError> for XcmError`. */
function lockErrorToXcm(e: LockError): XcmFailure {
  switch (e) {
    case 'NotApplicable':
      return xcmFail('AssetNotFound');
    case 'BadOrigin':
      return xcmFail('BadOrigin');
    case 'WouldClobber':
    case 'NotLocked':
    case 'NotEnoughLocked':
    case 'Unimplemented':
    case 'NotTrusted':
    case 'BadOwner':
    case 'UnknownAsset':
    case 'AssetNotOwned':
    case 'NoResources':
    case 'UnexpectedState':
    case 'InUse':
      return xcmFail('LockError', e);
  }
}

/** `Junctions::relative_to(viewer)`: `junctions` (universal) as seen from the universal location `viewer`. */
export function relativeTo(junctions: Junctions, viewer: Junctions): Location {
  let i = 0;
  const rest = [...junctions];
  while (
    rest.length > 0 &&
    i < viewer.length &&
    LocationCodec.compare({ parents: 0, interior: [rest[0]] }, { parents: 0, interior: [viewer[i]] }) === 0
  ) {
    rest.shift();
    i++;
  }
  return { parents: viewer.length - i, interior: rest };
}

/** `Junctions::within_global(relative)`: `relative` (seen from `universal`) as a universal location. */
function withinGlobal(universal: Junctions, relative: Location): Junctions | undefined {
  if (relative.parents > universal.length) return undefined;
  return appendJunctions(universal.slice(0, universal.length - relative.parents), relative.interior);
}

const sameLocation = (a: Location | undefined, b: Location | undefined): boolean =>
  a === undefined || b === undefined ? a === b : LocationCodec.compare(a, b) === 0;
const sameAssetId = (a: AssetId, b: AssetId) => AssetIdCodec.compare(a, b) === 0;
const maybeErrorEquals = (a: MaybeErrorCode, b: MaybeErrorCode): boolean =>
  a.type === b.type &&
  (a.type === 'Success' || Buffer.compare(Buffer.from(a.value!), Buffer.from((b as typeof a).value!)) === 0);

let recursion: number | undefined;
const encoder = new TextEncoder();

/** A failed instruction: its index in the fragment running, its error and the weight of the instructions skipped. */
interface ExecutorError {
  index: number;
  error: XcmError;
  weight: Weight;
}

/** The XCM virtual machine of one message. */
export class XcmExecutor {
  holding = new AssetsInHolding();
  readonly holdingLimit: number;
  readonly context: XcmContext;
  readonly originalOrigin: Location;
  readonly trader;
  /** The last error and the index of the instruction in its fragment. */
  error: [number, XcmError] | undefined;
  /** How much `messageWeight` over-estimated what ran (refunded by RefundSurplus, subtracted from `used`). */
  totalSurplus: Weight = ZERO_WEIGHT;
  totalRefunded: Weight = ZERO_WEIGHT;
  errorHandler: Xcm = [];
  errorHandlerWeight: Weight = ZERO_WEIGHT;
  appendix: Xcm = [];
  appendixWeight: Weight = ZERO_WEIGHT;
  transactStatus: MaybeErrorCode = { type: 'Success' };
  feesMode = { jitWithdraw: false };
  /** The fees register (`PayFees`). */
  fees = new AssetsInHolding();
  assetUsedInBuyExecution: AssetId | undefined;
  messageWeight: Weight = ZERO_WEIGHT;
  assetClaimer: Location | undefined;
  readonly #tx: ProcessTransaction;

  constructor(
    readonly config: XcmExecutorConfig,
    origin: Location,
    messageId: XcmHash,
  ) {
    this.holdingLimit = config.maxAssetsIntoHolding;
    this.context = { origin, messageId, topic: undefined };
    this.originalOrigin = origin;
    this.trader = config.trader();
    this.#tx = config.transactionalProcessor ?? frameTransactionalProcessor;
  }

  /** Runs a fragment; the first failing instruction stops it (the rest is weighed as surplus). */
  process(xcm: Xcm): ExecutorError | undefined {
    let failed: ExecutorError | undefined;
    for (let i = 0; i < xcm.length; i++) {
      const instruction = xcm[i];
      if (failed) {
        try {
          failed.weight = addWeight(failed.weight, this.config.weigher.instrWeight(instruction));
        } catch (err) {
          if (!(err instanceof XcmFailure)) throw err;
        }
        continue;
      }
      const outermost = recursion === undefined;
      if (outermost) recursion = 1;
      try {
        if (recursion! > RECURSION_LIMIT) throw xcmFail('ExceedsStackLimit');
        recursion!++;
        try {
          this.#processInstruction(instruction);
        } finally {
          recursion!--;
        }
      } catch (err) {
        if (!(err instanceof XcmFailure)) throw err;
        failed = { index: i, error: err.error, weight: ZERO_WEIGHT };
      } finally {
        if (outermost) recursion = undefined;
      }
    }
    return failed;
  }

  /** Removes the error handler without refunding its weight. */
  takeErrorHandler(): Xcm {
    const h = this.errorHandler;
    this.errorHandler = [];
    this.errorHandlerWeight = ZERO_WEIGHT;
    return h;
  }

  /** Drops the error handler and refunds its weight. */
  dropErrorHandler(): void {
    this.errorHandler = [];
    this.totalSurplus = addWeight(this.totalSurplus, this.errorHandlerWeight);
    this.errorHandlerWeight = ZERO_WEIGHT;
  }

  takeAppendix(): Xcm {
    const a = this.appendix;
    this.appendix = [];
    this.appendixWeight = ZERO_WEIGHT;
    return a;
  }

  /** `post_process`: refund, pay the trader, trap what is left, report the outcome. */
  postProcess(xcmWeight: Weight): Outcome {
    try {
      this.refundSurplus();
    } catch (err) {
      if (!(err instanceof XcmFailure)) throw err;
    }
    this.trader.finish?.();
    let used = subWeight(xcmWeight, this.totalSurplus);
    if (!this.holding.isEmpty()) {
      const claimer = this.assetClaimer ?? this.context.origin ?? this.originalOrigin;
      used = addWeight(used, this.config.assetTrap.dropAssets(claimer, this.holding, this.context));
    }
    const usedX = fromFrameWeight(used);
    if (!this.error) return { type: 'Complete', value: { used: usedX } };
    const [index, error] = this.error;
    return { type: 'Incomplete', value: { used: usedX, error: { index: Math.min(index, 255), error } } };
  }

  // ---- helpers ------------------------------------------------------------------------------------------------

  #origin(): Location {
    const o = this.context.origin;
    if (!o) throw xcmFail('BadOrigin');
    return o;
  }

  #ensureCanSubsumeAssets(n: number): void {
    // Worst case the holding reaches twice the limit; more is refused before it happens.
    if (this.holding.length + n > this.holdingLimit * 2) throw xcmFail('HoldingWouldOverflow');
  }

  /** Runs `f` in a storage layer; when it fails (and the layer rolled back) the holding is restored too. */
  #withHoldingRollback(f: () => void): void {
    const old = this.holding.clone();
    try {
      this.#tx.process(f);
    } catch (err) {
      if (err instanceof XcmFailure && this.#tx.isTransactional) this.holding = old;
      throw err;
    }
  }

  /** `refund_surplus`: gives back what the unused weight cost, and merges the fees register into holding. */
  refundSurplus(): void {
    const current = subWeight(this.totalSurplus, this.totalRefunded);
    if (current.refTime > 0 || current.proofSize > 0) {
      const w = this.trader.refundWeight(current, this.context);
      if (w) {
        const probe: Asset = { id: w.id, fun: { type: 'Fungible', value: 1n } };
        if (!this.holding.containsAsset(probe) && this.holding.length + 1 > this.holdingLimit * 2) {
          // Buy the weight back rather than overflow the holding (polkadot-sdk does the same).
          try {
            this.trader.buyWeight(current, AssetsInHolding.from([w]), this.context);
          } catch (err) {
            if (!(err instanceof XcmFailure)) throw err;
          }
          throw xcmFail('HoldingWouldOverflow');
        }
        this.totalRefunded = addWeight(this.totalRefunded, current);
        this.holding.subsume(w);
      }
    }
    if (!this.fees.isEmpty()) {
      this.holding.subsumeAssets(this.fees.saturatingTake({ type: 'Wild', value: { type: 'All' } }));
    }
  }

  /** `send`: validates with the router, takes the delivery fee, delivers. */
  #send(dest: Location, message: Xcm, reason: FeeReason): XcmHash {
    const v = this.config.xcmSender.validate(dest, message);
    if (!v.ok) throw new XcmFailure(sendErrorToXcmError(v.error), `router: ${v.error.type}`);
    this.#takeFee(v.price, reason);
    const d = this.config.xcmSender.deliver(v.ticket);
    if (!d.ok) throw new XcmFailure(sendErrorToXcmError(d.error), `router: ${d.error.type}`);
    return d.hash;
  }

  /** `take_fee`: the first fee asset, from the account (jit), the fees register or the holding, swapped if needed. */
  #takeFee(fees: Assets, reason: FeeReason): void {
    if (this.config.feeManager?.isWaived(this.context.origin, reason)) return;
    const needed = fees[0];
    if (!needed) return;
    const toPay = this.#assetForDeliveryFees(needed);
    let withdrawn: AssetsInHolding;
    if (this.feesMode.jitWithdraw) {
      withdrawAsset(this.config.assetTransactor, toPay, this.#origin(), this.context);
      withdrawn = AssetsInHolding.from([toPay]);
    } else {
      const register = this.fees.isEmpty() ? this.holding : this.fees;
      let taken: AssetsInHolding;
      try {
        taken = register.tryTake({ type: 'Definite', value: [toPay] });
      } catch (err) {
        if (err instanceof HoldingUnderflow) throw xcmFail('NotHoldingFees');
        throw err;
      }
      const first = taken.fungibleAssets()[0];
      if (!first) throw xcmFail('NotHoldingFees');
      withdrawn = AssetsInHolding.from([first]);
    }
    let paid: Assets;
    if (!sameAssetId(toPay.id, needed.id)) {
      const swapped = this.config.assetExchanger?.exchangeAsset(
        this.context.origin,
        withdrawn,
        [needed],
        false,
      );
      if (!swapped) throw xcmFail('FeesNotMet', 'delivery fee swap failed');
      paid = swapped.assets();
    } else paid = withdrawn.assets();
    this.config.feeManager?.handleFee(paid, this.context, reason);
  }

  /** `calculate_asset_for_delivery_fees`: the fee in the asset used for PayFees/BuyExecution, if it differs. */
  #assetForDeliveryFees(needed: Asset): Asset {
    const wanted = this.fees.fungible[0]?.id ?? this.assetUsedInBuyExecution;
    if (!wanted || sameAssetId(wanted, needed.id)) return needed;
    const quote = this.config.assetExchanger?.quoteExchangePrice(
      [{ id: wanted, fun: { type: 'Fungible', value: 0n } }],
      [needed],
      false,
    );
    return quote?.[0] ?? needed;
  }

  /** `take_delivery_fee_from_assets`: sets aside, out of the assets being sent, what delivering them will cost. */
  #deliveryFeeFromAssets(
    assets: AssetsInHolding,
    dest: Location,
    kind: 'ReserveAssetDeposited' | 'WithdrawAsset' | 'ReceiveTeleportedAsset',
    xcm: Xcm,
  ): AssetsInHolding | undefined {
    if (!this.fees.isEmpty() || this.feesMode.jitWithdraw) return undefined;
    const toWeigh = assets.reanchored(dest, this.config.universalLocation);
    const probe: Xcm = [{ type: kind, value: toWeigh } as Instruction, { type: 'ClearOrigin' }, ...xcm];
    const v = this.config.xcmSender.validate(dest, probe);
    if (!v.ok) throw new XcmFailure(sendErrorToXcmError(v.error), `router: ${v.error.type}`);
    const needed = v.price[0];
    if (!needed) return undefined;
    return assets.saturatingTake({ type: 'Definite', value: [this.#assetForDeliveryFees(needed)] });
  }

  #toQuerier(localQuerier: Location | undefined, destination: Location): Location | undefined {
    if (!localQuerier) return undefined;
    const q = reanchor(localQuerier, destination, this.config.universalLocation);
    if (!q) throw xcmFail('ReanchorFailed');
    return q;
  }

  /** `respond`: a bare `QueryResponse` to `info.destination`. */
  #respond(
    localQuerier: Location | undefined,
    response: Response,
    info: QueryResponseInfo,
    reason: FeeReason,
  ): void {
    const querier = this.#toQuerier(localQuerier, info.destination);
    this.#send(
      info.destination,
      [
        {
          type: 'QueryResponse',
          value: { query_id: info.query_id, response, max_weight: info.max_weight, querier },
        },
      ],
      reason,
    );
  }

  /** `deposit_assets_with_retry`: each asset once; those that failed once more (a later one may have made room). */
  #depositAssetsWithRetry(toDeposit: AssetsInHolding, beneficiary: Location): void {
    const assets = toDeposit.assets();
    const failed: Asset[] = [];
    let last: unknown;
    for (const asset of assets) {
      try {
        depositAsset(this.config.assetTransactor, asset, beneficiary, this.context);
      } catch (err) {
        if (!(err instanceof XcmFailure)) throw err;
        failed.push(asset);
        last = err;
      }
    }
    if (failed.length > 0 && failed.length === assets.length) throw last;
    for (const asset of failed) depositAsset(this.config.assetTransactor, asset, beneficiary, this.context);
  }

  #doReserveDepositAssets(assets: AssetsInHolding, dest: Location, remote: Xcm): Assets {
    this.#depositAssetsWithRetry(assets, dest);
    const reanchored = assets.reanchored(dest, this.config.universalLocation);
    remote.push({ type: 'ReserveAssetDeposited', value: reanchored });
    return reanchored;
  }

  #doReserveWithdrawAssets(assets: AssetsInHolding, reserve: Location, remote: Xcm): Assets {
    for (const asset of assets.assets()) {
      if (!this.config.isReserve(asset, reserve)) throw xcmFail('UntrustedReserveLocation');
    }
    const reanchored = assets.reanchored(reserve, this.config.universalLocation, this.holding);
    remote.push({ type: 'WithdrawAsset', value: reanchored });
    return reanchored;
  }

  #doTeleportAssets(assets: AssetsInHolding, dest: Location, remote: Xcm): Assets {
    const list = assets.assets();
    for (const asset of list) {
      if (!this.config.isTeleporter(asset, dest)) throw xcmFail('UntrustedTeleportLocation');
      canCheckOut(this.config.assetTransactor, dest, asset, this.context);
    }
    for (const asset of list) this.config.assetTransactor.checkOut?.(dest, asset, this.context);
    const reanchored = assets.reanchored(dest, this.config.universalLocation);
    remote.push({ type: 'ReceiveTeleportedAsset', value: reanchored });
    return reanchored;
  }

  #takeFromHolding(filter: AssetFilter): AssetsInHolding {
    try {
      return this.holding.tryTake(filter);
    } catch (err) {
      if (err instanceof HoldingUnderflow) throw xcmFail('NotHoldingFees');
      throw err;
    }
  }

  #transferFilterAssets(
    filter: AssetTransferFilter,
    taken: AssetsInHolding,
    destination: Location,
    remote: Xcm,
  ): Assets {
    switch (filter.type) {
      case 'Teleport':
        return this.#doTeleportAssets(taken, destination, remote);
      case 'ReserveDeposit':
        return this.#doReserveDepositAssets(taken, destination, remote);
      case 'ReserveWithdraw':
        return this.#doReserveWithdrawAssets(taken, destination, remote);
    }
  }

  #descendOrigin(who: Junctions): void {
    const origin = this.#origin();
    const interior = appendJunctions(origin.interior, who);
    if (!interior) throw xcmFail('LocationFull');
    this.context.origin = { parents: origin.parents, interior };
  }

  // ---- the instructions ---------------------------------------------------------------------------------------

  #processInstruction(instr: Instruction): void {
    const config = this.config;
    const ctx = this.context;
    switch (instr.type) {
      case 'WithdrawAsset': {
        const origin = this.#origin();
        this.#ensureCanSubsumeAssets(instr.value.length);
        this.#tx.process(() => {
          for (const asset of instr.value) withdrawAsset(config.assetTransactor, asset, origin, ctx);
        });
        for (const asset of instr.value) this.holding.subsume(asset);
        return;
      }
      case 'ReserveAssetDeposited': {
        const origin = this.#origin();
        this.#ensureCanSubsumeAssets(instr.value.length);
        for (const asset of instr.value) {
          if (!config.isReserve(asset, origin)) throw xcmFail('UntrustedReserveLocation');
        }
        for (const asset of instr.value) this.holding.subsume(asset);
        return;
      }
      case 'ReceiveTeleportedAsset': {
        const origin = this.#origin();
        this.#ensureCanSubsumeAssets(instr.value.length);
        this.#tx.process(() => {
          for (const asset of instr.value) {
            if (!config.isTeleporter(asset, origin)) throw xcmFail('UntrustedTeleportLocation');
            canCheckIn(config.assetTransactor, origin, asset, ctx);
            config.assetTransactor.checkIn?.(origin, asset, ctx);
          }
        });
        for (const asset of instr.value) this.holding.subsume(asset);
        return;
      }
      case 'TransferAsset': {
        const { assets, beneficiary } = instr.value;
        this.#tx.process(() => {
          const origin = this.#origin();
          for (const asset of assets) transferAsset(config.assetTransactor, asset, origin, beneficiary, ctx);
        });
        return;
      }
      case 'TransferReserveAsset': {
        const { assets, dest, xcm } = instr.value;
        this.#tx.process(() => {
          const origin = this.#origin();
          for (const asset of assets) transferAsset(config.assetTransactor, asset, origin, dest, ctx);
          const reanchored = reanchorAssets(assets, dest, config.universalLocation);
          if (!reanchored) throw xcmFail('LocationFull');
          this.#send(
            dest,
            [{ type: 'ReserveAssetDeposited', value: reanchored }, { type: 'ClearOrigin' }, ...xcm],
            { type: 'TransferReserveAsset' },
          );
        });
        return;
      }
      case 'Transact': {
        const origin = this.#origin();
        const call = decodeTransactCall(instr.value.call);
        if (!config.safeCallFilter(call)) throw xcmFail('NoPermission', 'SafeCallFilter refuses the call');
        const dispatchOrigin = config.originConverter.convertOrigin(origin, instr.value.origin_kind);
        if (!dispatchOrigin) {
          throw xcmFail('BadOrigin', `no ${instr.value.origin_kind.type} origin for this location`);
        }
        const weight = transactCallInfo(instr.value.call).weight;
        const outcome = (config.callDispatcher ?? dispatchCall)(call, dispatchOrigin);
        this.transactStatus = outcome.ok ? { type: 'Success' } : maybeErrorCodeOf(outcome.error);
        const actual = outcome.postInfo.actualWeight
          ? minWeight(outcome.postInfo.actualWeight, weight)
          : weight;
        this.totalSurplus = addWeight(this.totalSurplus, subWeight(weight, actual));
        return;
      }
      case 'QueryResponse': {
        const origin = this.#origin();
        const { query_id, response, max_weight, querier } = instr.value;
        config.responseHandler.onResponse(
          origin,
          query_id,
          querier,
          response,
          toFrameWeight(max_weight),
          ctx,
        );
        return;
      }
      case 'DescendOrigin':
        this.#descendOrigin(instr.value);
        return;
      case 'ClearOrigin':
        this.context.origin = undefined;
        return;
      case 'ExecuteWithOrigin': {
        const { descendant_origin, xcm } = instr.value;
        const previous = this.context.origin;
        if (descendant_origin) this.#descendOrigin(descendant_origin);
        else this.context.origin = undefined;
        const failed = this.process(xcm);
        this.context.origin = previous;
        if (failed)
          throw new XcmFailure(failed.error, `inside ExecuteWithOrigin at instruction ${failed.index}`);
        return;
      }
      case 'ReportError': {
        const value: Response = {
          type: 'ExecutionResult',
          value: this.error ? [this.error[0], this.error[1]] : undefined,
        };
        this.#respond(this.context.origin, value, instr.value, { type: 'Report' });
        return;
      }
      case 'DepositAsset': {
        const { assets, beneficiary } = instr.value;
        this.#withHoldingRollback(() => {
          this.#depositAssetsWithRetry(this.holding.saturatingTake(assets), beneficiary);
        });
        return;
      }
      case 'DepositReserveAsset': {
        const { assets, dest, xcm } = instr.value;
        this.#withHoldingRollback(() => {
          const taken = this.holding.saturatingTake(assets);
          const fee = this.#deliveryFeeFromAssets(taken, dest, 'ReserveAssetDeposited', xcm);
          const message: Xcm = [];
          this.#doReserveDepositAssets(taken, dest, message);
          message.push({ type: 'ClearOrigin' }, ...xcm);
          if (fee) this.holding.subsumeAssets(fee);
          this.#send(dest, message, { type: 'DepositReserveAsset' });
        });
        return;
      }
      case 'InitiateReserveWithdraw': {
        const { assets, reserve, xcm } = instr.value;
        this.#withHoldingRollback(() => {
          const taken = this.holding.saturatingTake(assets);
          const fee = this.#deliveryFeeFromAssets(taken, reserve, 'WithdrawAsset', xcm);
          const message: Xcm = [];
          this.#doReserveWithdrawAssets(taken, reserve, message);
          message.push({ type: 'ClearOrigin' }, ...xcm);
          if (fee) this.holding.subsumeAssets(fee);
          this.#send(reserve, message, { type: 'InitiateReserveWithdraw' });
        });
        return;
      }
      case 'InitiateTeleport': {
        const { assets, dest, xcm } = instr.value;
        this.#withHoldingRollback(() => {
          const taken = this.holding.saturatingTake(assets);
          const fee = this.#deliveryFeeFromAssets(taken, dest, 'ReceiveTeleportedAsset', xcm);
          const message: Xcm = [];
          this.#doTeleportAssets(taken, dest, message);
          message.push({ type: 'ClearOrigin' }, ...xcm);
          if (fee) this.holding.subsumeAssets(fee);
          this.#send(dest, message, { type: 'InitiateTeleport' });
        });
        return;
      }
      case 'InitiateTransfer': {
        const { destination, remote_fees, preserve_origin, assets, remote_xcm } = instr.value;
        this.#withHoldingRollback(() => {
          const message: Xcm = [];
          if (remote_fees) {
            const taken = this.#takeFromHolding(remote_fees.value);
            const reanchored = this.#transferFilterAssets(remote_fees, taken, destination, message);
            if (reanchored.length !== 1) throw xcmFail('TooManyAssets');
            message.push({ type: 'PayFees', value: { asset: reanchored[0] } });
          } else {
            message.push({
              type: 'UnpaidExecution',
              value: { weight_limit: { type: 'Unlimited' }, check_origin: undefined },
            });
          }
          for (const filter of assets) {
            this.#transferFilterAssets(
              filter,
              this.holding.saturatingTake(filter.value),
              destination,
              message,
            );
          }
          if (preserve_origin) {
            const origin = this.context.origin;
            const reanchored = origin && reanchor(origin, destination, config.universalLocation);
            if (!reanchored) throw xcmFail('BadOrigin');
            message.push({ type: 'AliasOrigin', value: reanchored });
          } else message.push({ type: 'ClearOrigin' });
          message.push(...remote_xcm);
          this.#send(destination, message, { type: 'InitiateTransfer' });
        });
        return;
      }
      case 'ReportHolding': {
        const { response_info, assets } = instr.value;
        const held = this.holding.min(assets).reanchored(response_info.destination, config.universalLocation);
        this.#respond(this.context.origin, { type: 'Assets', value: held }, response_info, {
          type: 'Report',
        });
        return;
      }
      case 'BuyExecution': {
        const { fees, weight_limit } = instr.value;
        // Unlimited: some other barrier than paid execution let this in; nothing to buy.
        if (weight_limit.type === 'Unlimited') return;
        const weight = toFrameWeight(weight_limit.value);
        const old = this.holding.clone();
        this.assetUsedInBuyExecution = fees.id;
        const maxFee = this.#takeFromHolding({ type: 'Definite', value: [fees] });
        try {
          this.#tx.process(() => {
            this.holding.subsumeAssets(this.trader.buyWeight(weight, maxFee, ctx));
          });
        } catch (err) {
          if (err instanceof XcmFailure) this.holding = old;
          throw err;
        }
        return;
      }
      case 'PayFees': {
        // An unweighed message has nothing to pay for.
        if (this.messageWeight.refTime === 0 && this.messageWeight.proofSize === 0) return;
        const old = this.holding.clone();
        const maxFee = this.#takeFromHolding({ type: 'Definite', value: [instr.value.asset] });
        try {
          this.#tx.process(() => {
            this.fees.subsumeAssets(this.trader.buyWeight(this.messageWeight, maxFee, ctx));
          });
        } catch (err) {
          if (err instanceof XcmFailure && this.#tx.isTransactional) this.holding = old;
          throw err;
        }
        return;
      }
      case 'RefundSurplus':
        this.refundSurplus();
        return;
      case 'SetErrorHandler': {
        const weight = this.#weighNested(instr.value);
        this.totalSurplus = addWeight(this.totalSurplus, this.errorHandlerWeight);
        this.errorHandler = instr.value;
        this.errorHandlerWeight = weight;
        return;
      }
      case 'SetAppendix': {
        const weight = this.#weighNested(instr.value);
        this.totalSurplus = addWeight(this.totalSurplus, this.appendixWeight);
        this.appendix = instr.value;
        this.appendixWeight = weight;
        return;
      }
      case 'ClearError':
        this.error = undefined;
        return;
      case 'SetHints':
        for (const hint of instr.value.hints) {
          if (hint.type === 'AssetClaimer') this.assetClaimer = hint.value.location;
        }
        return;
      case 'ClaimAsset': {
        const origin = this.#origin();
        const { assets, ticket } = instr.value;
        this.#ensureCanSubsumeAssets(assets.length);
        if (!config.assetClaims.claimAssets(origin, ticket, assets, ctx)) throw xcmFail('UnknownClaim');
        for (const asset of assets) this.holding.subsume(asset);
        return;
      }
      case 'Trap':
        throw new XcmFailure({ type: 'Trap', value: instr.value });
      case 'SubscribeVersion': {
        const origin = this.#origin();
        // Derived origins may not subscribe: it would be a DoS vector.
        if (!sameLocation(this.originalOrigin, origin)) throw xcmFail('BadOrigin');
        config.subscriptionService.start(
          origin,
          instr.value.query_id,
          toFrameWeight(instr.value.max_response_weight),
          ctx,
        );
        return;
      }
      case 'UnsubscribeVersion': {
        const origin = this.#origin();
        if (!sameLocation(this.originalOrigin, origin)) throw xcmFail('BadOrigin');
        config.subscriptionService.stop(origin, ctx);
        return;
      }
      case 'BurnAsset':
        this.holding.saturatingTake({ type: 'Definite', value: instr.value });
        return;
      case 'ExpectAsset':
        if (this.holding.firstMissing(instr.value)) throw xcmFail('ExpectationFalse');
        return;
      case 'ExpectOrigin':
        if (!sameLocation(this.context.origin, instr.value)) throw xcmFail('ExpectationFalse');
        return;
      case 'ExpectError': {
        const want = instr.value;
        const have = this.error;
        const same =
          want === undefined || have === undefined
            ? want === have
            : want[0] === have[0] && xcmErrorEquals(want[1], have[1]);
        if (!same) throw xcmFail('ExpectationFalse');
        return;
      }
      case 'ExpectTransactStatus':
        if (!maybeErrorEquals(this.transactStatus, instr.value)) throw xcmFail('ExpectationFalse');
        return;
      case 'QueryPallet': {
        const { module_name, response_info } = instr.value;
        const pallets: PalletInfo[] = [];
        for (const p of config.palletInstancesInfo()) {
          const moduleName = encoder.encode(p.moduleName);
          if (Buffer.compare(Buffer.from(moduleName), Buffer.from(module_name)) !== 0) continue;
          const name = encoder.encode(p.name);
          if (name.length > MAX_PALLET_NAME_LEN || moduleName.length > MAX_PALLET_NAME_LEN)
            throw xcmFail('Overflow');
          pallets.push({
            index: p.index,
            name,
            module_name: moduleName,
            major: p.crateVersion.major,
            minor: p.crateVersion.minor,
            patch: p.crateVersion.patch,
          });
        }
        if (pallets.length > MAX_PALLETS_INFO) throw xcmFail('Overflow');
        const querier = this.#toQuerier(this.context.origin, response_info.destination);
        this.#send(
          response_info.destination,
          [
            {
              type: 'QueryResponse',
              value: {
                query_id: response_info.query_id,
                response: { type: 'PalletsInfo', value: pallets },
                max_weight: response_info.max_weight,
                querier,
              },
            },
          ],
          { type: 'QueryPallet' },
        );
        return;
      }
      case 'ExpectPallet': {
        const { index, name, module_name, crate_major, min_crate_minor } = instr.value;
        const p = config.palletInstancesInfo().find((x) => x.index === index);
        if (!p) throw xcmFail('PalletNotFound');
        if (Buffer.compare(Buffer.from(encoder.encode(p.name)), Buffer.from(name)) !== 0)
          throw xcmFail('NameMismatch');
        if (Buffer.compare(Buffer.from(encoder.encode(p.moduleName)), Buffer.from(module_name)) !== 0)
          throw xcmFail('NameMismatch');
        if (p.crateVersion.major !== crate_major) throw xcmFail('VersionIncompatible');
        if (p.crateVersion.minor < min_crate_minor) throw xcmFail('VersionIncompatible');
        return;
      }
      case 'ReportTransactStatus':
        this.#respond(
          this.context.origin,
          { type: 'DispatchResult', value: this.transactStatus },
          instr.value,
          { type: 'Report' },
        );
        return;
      case 'ClearTransactStatus':
        this.transactStatus = { type: 'Success' };
        return;
      case 'UniversalOrigin': {
        const universal = config.universalLocation;
        const first = universal[0];
        if (
          first &&
          LocationCodec.compare(
            { parents: 0, interior: [first] },
            { parents: 0, interior: [instr.value] },
          ) === 0
        )
          throw xcmFail('InvalidLocation');
        const origin = this.#origin();
        if (!config.universalAliases?.([origin, instr.value])) throw xcmFail('InvalidLocation');
        this.context.origin = relativeTo([instr.value], universal);
        return;
      }
      case 'ExportMessage': {
        // No MessageExporter (no bridges): polkadot-sdk's `()` exporter refuses every message as NotApplicable.
        const origin = this.#origin();
        if (!withinGlobal(config.universalLocation, origin)) throw xcmFail('Unanchored');
        throw xcmFail('Unroutable', 'no message exporter');
      }
      case 'LockAsset': {
        const { asset, unlocker } = instr.value;
        this.#withHoldingRollback(() => {
          const origin = this.#origin();
          const remoteAsset = reanchorAsset(asset, unlocker, config.universalLocation);
          if (!remoteAsset) throw xcmFail('ReanchorFailed');
          const ticket = this.#lock((l) => l.prepareLock(unlocker, asset, origin));
          const owner = reanchor(origin, unlocker, config.universalLocation);
          if (!owner) throw xcmFail('ReanchorFailed');
          const v = config.xcmSender.validate(unlocker, [
            { type: 'NoteUnlockable', value: { asset: remoteAsset, owner } },
          ]);
          if (!v.ok) throw new XcmFailure(sendErrorToXcmError(v.error));
          this.#takeFee(v.price, { type: 'LockAsset' });
          const e = ticket.enact();
          if (e) throw lockErrorToXcm(e);
          const d = config.xcmSender.deliver(v.ticket);
          if (!d.ok) throw new XcmFailure(sendErrorToXcmError(d.error));
        });
        return;
      }
      case 'UnlockAsset': {
        const origin = this.#origin();
        const { asset, target } = instr.value;
        const e = this.#lock((l) => l.prepareUnlock(origin, asset, target)).enact();
        if (e) throw lockErrorToXcm(e);
        return;
      }
      case 'NoteUnlockable': {
        const origin = this.#origin();
        const { asset, owner } = instr.value;
        const locker = config.assetLocker;
        const e = locker ? locker.noteUnlockable(origin, asset, owner) : 'NotApplicable';
        if (e) throw lockErrorToXcm(e);
        return;
      }
      case 'RequestUnlock': {
        const origin = this.#origin();
        const { asset, locker } = instr.value;
        const remoteAsset = reanchorAsset(asset, locker, config.universalLocation);
        const remoteTarget = reanchor(origin, locker, config.universalLocation);
        if (!remoteAsset || !remoteTarget) throw xcmFail('ReanchorFailed');
        const ticket = this.#lock((l) => l.prepareReduceUnlockable(locker, asset, origin));
        const v = config.xcmSender.validate(locker, [
          { type: 'UnlockAsset', value: { asset: remoteAsset, target: remoteTarget } },
        ]);
        if (!v.ok) throw new XcmFailure(sendErrorToXcmError(v.error));
        this.#withHoldingRollback(() => {
          this.#takeFee(v.price, { type: 'RequestUnlock' });
          const e = ticket.enact();
          if (e) throw lockErrorToXcm(e);
          const d = config.xcmSender.deliver(v.ticket);
          if (!d.ok) throw new XcmFailure(sendErrorToXcmError(d.error));
        });
        return;
      }
      case 'ExchangeAsset': {
        const { give, want, maximal } = instr.value;
        const old = this.holding.clone();
        const given = this.holding.saturatingTake(give);
        try {
          this.#tx.process(() => {
            this.#ensureCanSubsumeAssets(want.length);
            const received = config.assetExchanger?.exchangeAsset(this.context.origin, given, want, maximal);
            if (!received) throw xcmFail('NoDeal');
            this.holding.subsumeAssets(received);
          });
        } catch (err) {
          if (err instanceof XcmFailure) this.holding = old;
          throw err;
        }
        return;
      }
      case 'SetFeesMode':
        this.feesMode = { jitWithdraw: instr.value.jit_withdraw };
        return;
      case 'SetTopic':
        this.context.topic = instr.value;
        return;
      case 'ClearTopic':
        this.context.topic = undefined;
        return;
      case 'AliasOrigin': {
        const origin = this.#origin();
        if (!config.aliasers?.(origin, instr.value))
          throw xcmFail('NoPermission', 'Aliasers refuse the pair');
        this.context.origin = instr.value;
        return;
      }
      case 'UnpaidExecution': {
        const check = instr.value.check_origin;
        if (check !== undefined && !sameLocation(this.context.origin, check)) throw xcmFail('BadOrigin');
        return;
      }
      case 'HrmpNewChannelOpenRequest': {
        const { sender, max_message_size, max_capacity } = instr.value;
        this.#tx.process(() => config.hrmp?.newChannelOpenRequest?.(sender, max_message_size, max_capacity));
        return;
      }
      case 'HrmpChannelAccepted':
        this.#tx.process(() => config.hrmp?.channelAccepted?.(instr.value.recipient));
        return;
      case 'HrmpChannelClosing': {
        const { initiator, sender, recipient } = instr.value;
        this.#tx.process(() => config.hrmp?.channelClosing?.(initiator, sender, recipient));
        return;
      }
      default: {
        const unknown: never = instr;
        throw xcmFail('Unimplemented', `instruction ${(unknown as { type: string }).type}`);
      }
    }
  }

  #weighNested(xcm: Xcm): Weight {
    try {
      return this.config.weigher.weight(xcm, MAX_WEIGHT);
    } catch (err) {
      if (err instanceof XcmFailure) throw xcmFail('WeightNotComputable');
      throw err;
    }
  }

  #lock(
    prepare: (
      locker: NonNullable<XcmExecutorConfig['assetLocker']>,
    ) => { enact(): LockError | undefined } | LockError,
  ): { enact(): LockError | undefined } {
    const locker = this.config.assetLocker;
    const t = locker ? prepare(locker) : 'NotApplicable';
    if (typeof t === 'string') throw lockErrorToXcm(t);
    return t;
  }
}
