/**
 * The adapter interfaces the executor's `Config` is made of (xcm-executor `traits/*`), in TypeScript: each a small
 * object of functions. Failures are thrown `XcmFailure`s (where Rust returns `Err(XcmError)`); routers and barriers,
 * whose "failure" is ordinary flow (a tuple tries the next), return results instead. Tuples ("try each in turn")
 * are in tuples.ts.
 */
import type { Weight } from '../../frame/weights.ts';
import type { Origin } from '../../frame/origin.ts';
import type { RuntimeCallValue } from '../../frame/pallet.ts';
import type { DispatchOutcome } from '../../frame/runtime.ts';
import type {
  Asset,
  AssetId,
  Assets,
  Junction,
  Location,
  NetworkId,
  OriginKind,
  Response,
  SendError,
  Xcm,
  XcmContext,
  XcmHash,
} from '../index.ts';
import type { AssetsInHolding } from './holding.ts';
import type { InstructionSlice } from './instruction-slice.ts';
import type { ProcessMessageError } from '../../pallets/message-queue/types.ts';

/** `Contains<T>`. */
export type Contains<T> = (t: T) => boolean;
/** `ContainsPair<A, B>`. */
export type ContainsPair<A, B> = (a: A, b: B) => boolean;

/**
 * `TransactAsset`: moves assets between the holding register and on-chain accounts. Every method throws
 * `XcmFailure`; `AssetNotFound` / `Unimplemented` mean "not mine" and let a tuple try the next transactor.
 * Omitted methods behave as polkadot-sdk's defaults (`Err(Unimplemented)`, no-op check-in/out).
 */
export interface TransactAsset {
  canCheckIn?(origin: Location, what: Asset, context: XcmContext): void;
  checkIn?(origin: Location, what: Asset, context: XcmContext): void;
  canCheckOut?(dest: Location, what: Asset, context: XcmContext): void;
  checkOut?(dest: Location, what: Asset, context: XcmContext): void;
  depositAsset?(what: Asset, who: Location, context: XcmContext | undefined): void;
  /** Removes `what` from `who`; what it returns is always `what` (Rust's `AssetsInHolding` of it). */
  withdrawAsset?(what: Asset, who: Location, context: XcmContext | undefined): void;
  /** A direct transfer; `AssetNotFound`/`Unimplemented` fall back to withdraw + deposit (`transfer_asset`). */
  internalTransferAsset?(what: Asset, from: Location, to: Location, context: XcmContext): void;
}

/** `Properties`: what the barrier may learn and set about the message. */
export interface Properties {
  weightCredit: Weight;
  messageId?: XcmHash;
}

/** Why a barrier refused a message: which barrier, its `ProcessMessageError`, and what the barriers inside tried. */
export interface BarrierRejection {
  barrier: string;
  error: ProcessMessageError;
  /** The rejections of the barriers a combinator (tuple, WithComputedOrigin, …) asked. */
  inner?: BarrierRejection[];
}

/** `ShouldExecute`: undefined lets the message through. May rewrite instructions (e.g. `BuyExecution`'s limit). */
export interface ShouldExecute {
  readonly name: string;
  shouldExecute(
    origin: Location,
    instructions: InstructionSlice,
    maxWeight: Weight,
    properties: Properties,
  ): BarrierRejection | undefined;
}

/** `DenyExecution`: a rejection stops the message whatever the allow-barriers say. */
export interface DenyExecution {
  readonly name: string;
  denyExecution(
    origin: Location,
    instructions: InstructionSlice,
    maxWeight: Weight,
    properties: Properties,
  ): BarrierRejection | undefined;
}

/** `WeightBounds`: the most weight a message (or one instruction) may take. Throws `XcmFailure`; see `weigh`. */
export interface WeightBounds {
  /** Throws `XcmInstructionFailure` naming the instruction that could not be weighed or broke `weightLimit`. */
  weight(message: Xcm, weightLimit: Weight): Weight;
  instrWeight(instruction: Xcm[number]): Weight;
}

/** `WeightTrader`, one per message (`new()`): buys weight with assets from the holding, refunds unused weight. */
export interface WeightTrader {
  /** Takes the price of `weight` out of `payment` and returns the rest; throws `XcmFailure` (TooExpensive, …). */
  buyWeight(weight: Weight, payment: AssetsInHolding, context: XcmContext): AssetsInHolding;
  /** Gives back what `weight` of what was bought cost, if anything. */
  refundWeight(weight: Weight, context: XcmContext): Asset | undefined;
  /** What `weight` costs in `given` (XcmPaymentApi); throws `XcmFailure` when the trader does not take it. */
  quoteWeight?(weight: Weight, given: AssetId, context: XcmContext): Asset;
  /** `Drop`: hands what was kept to the revenue sink. Called once, when the message is done. */
  finish?(): void;
}
export type WeightTraderFactory = () => WeightTrader;

/** `ConvertOrigin`: a local dispatch origin for `origin` of `kind`, or undefined. */
export interface ConvertOrigin {
  readonly name?: string;
  convertOrigin(origin: Location, kind: OriginKind): Origin | undefined;
}

/** `ConvertLocation<AccountId>`: the local account a location stands for. */
export type ConvertLocation = (location: Location) => Uint8Array | undefined;

/** `OnResponse`: the query handler (pallet-xcm). */
export interface OnResponse {
  expectingResponse(origin: Location, queryId: bigint, querier: Location | undefined): boolean;
  /** Returns the weight it used. */
  onResponse(
    origin: Location,
    queryId: bigint,
    querier: Location | undefined,
    response: Response,
    maxWeight: Weight,
    context: XcmContext,
  ): Weight;
}

/** `DropAssets`: the asset trap, for what is left in holding at the end. Returns the weight it used. */
export interface DropAssets {
  dropAssets(origin: Location, assets: AssetsInHolding, context: XcmContext): Weight;
}

/** `ClaimAssets`: gives trapped assets back (`ClaimAsset`). */
export interface ClaimAssets {
  claimAssets(origin: Location, ticket: Location, assets: Assets, context: XcmContext): boolean;
}

/** `VersionChangeNotifier`: `SubscribeVersion` / `UnsubscribeVersion` (pallet-xcm). Throws `XcmFailure`. */
export interface VersionChangeNotifier {
  start(origin: Location, queryId: bigint, maxWeight: Weight, context: XcmContext): void;
  stop(origin: Location, context: XcmContext): void;
  isSubscribed(origin: Location): boolean;
}

/** `AssetExchange`: `ExchangeAsset` and delivery-fee swaps. */
export interface AssetExchange {
  /** What `give` bought of `want` (at least `want`, or, if `maximal`, all `give` can buy); undefined: no deal. */
  exchangeAsset(
    origin: Location | undefined,
    give: AssetsInHolding,
    want: Assets,
    maximal: boolean,
  ): AssetsInHolding | undefined;
  /** What it would take of `give`'s asset to get `want` (`maximal` false) or get for `give` (true). */
  quoteExchangePrice(give: Assets, want: Assets, maximal: boolean): Assets | undefined;
}

/** `FeeReason`: why a fee is charged. */
export type FeeReason =
  | { type: 'ChargeFees' }
  | { type: 'TransferReserveAsset' }
  | { type: 'DepositReserveAsset' }
  | { type: 'InitiateReserveWithdraw' }
  | { type: 'InitiateTeleport' }
  | { type: 'InitiateTransfer' }
  | { type: 'QueryPallet' }
  | { type: 'Report' }
  | { type: 'Export'; network: NetworkId; destination: Junction[] }
  | { type: 'LockAsset' }
  | { type: 'RequestUnlock' };

/** `FeeManager`: who pays no fees, and where paid fees go. */
export interface FeeManager {
  isWaived(origin: Location | undefined, reason: FeeReason): boolean;
  handleFee(fee: Assets, context: XcmContext | undefined, reason: FeeReason): void;
}

/** `CallDispatcher`: dispatches `Transact`'s call (the runtime's dispatch, possibly wrapped). */
export type CallDispatcher = (call: RuntimeCallValue, origin: Origin) => DispatchOutcome;

/** `ProcessTransaction`: runs an instruction's effects in a storage layer (or not). */
export interface ProcessTransaction {
  readonly isTransactional: boolean;
  /** Runs `f`; a thrown `XcmFailure` rolls its writes back (when transactional) and propagates. */
  process<T>(f: () => T): T;
}

/** `SendResult`: a ticket and the price of delivery, or why the router does not take the message. */
export type SendResult<Ticket> =
  | { ok: true; ticket: Ticket; price: Assets }
  | { ok: false; error: SendError };
export type DeliverResult = { ok: true; hash: XcmHash } | { ok: false; error: SendError };

/**
 * `SendXcm`: `validate` prices a message for `dest` (`NotApplicable`: another router may take it; any other error
 * stops the search); `deliver` sends a validated message and returns its id.
 */
export interface SendXcm<Ticket = unknown> {
  validate(dest: Location, message: Xcm): SendResult<Ticket>;
  deliver(ticket: Ticket): DeliverResult;
}

/** `PalletInfo` as `PalletsInfoAccess::infos()` gives it. */
export interface PalletInfoEntry {
  index: number;
  name: string;
  moduleName: string;
  crateVersion: { major: number; minor: number; patch: number };
}

/** `LockError` (xcm-executor `traits/asset_lock.rs`), mapped to `XcmError` by the executor. */
export type LockError =
  | 'NotApplicable'
  | 'WouldClobber'
  | 'BadOrigin'
  | 'NotLocked'
  | 'NotEnoughLocked'
  | 'Unimplemented'
  | 'NotTrusted'
  | 'BadOwner'
  | 'UnknownAsset'
  | 'AssetNotOwned'
  | 'NoResources'
  | 'UnexpectedState'
  | 'InUse';

/** `AssetLock`: the lock instructions. `prepare_*` return a ticket whose `enact` does it, or a `LockError`. */
export interface AssetLock {
  prepareLock(
    unlocker: Location,
    asset: Asset,
    owner: Location,
  ): { enact(): LockError | undefined } | LockError;
  prepareUnlock(
    unlocker: Location,
    asset: Asset,
    owner: Location,
  ): { enact(): LockError | undefined } | LockError;
  noteUnlockable(locker: Location, asset: Asset, owner: Location): LockError | undefined;
  prepareReduceUnlockable(
    locker: Location,
    asset: Asset,
    owner: Location,
  ): { enact(): LockError | undefined } | LockError;
}

/** The HRMP notification handlers (`HandleHrmpNewChannelOpenRequest`, …); throw `XcmFailure` to fail. */
export interface HrmpHandlers {
  newChannelOpenRequest?(sender: number, maxMessageSize: number, maxCapacity: number): void;
  channelAccepted?(recipient: number): void;
  channelClosing?(initiator: number, sender: number, recipient: number): void;
}
