/**
 * A transaction extension (FRAME `TransactionExtension`, formerly `SignedExtension`): data it adds to the
 * extrinsic (`extra`), data it adds only to the signed payload (`implicit`, a.k.a. additionalSigned), and the
 * validate → prepare → postDispatch life cycle. Methods throw `TransactionValidityError` to reject.
 */
import type { Codec } from '../../scale/index.ts';
import type { ValidTransaction } from '../transaction-validity.ts';
import type {
  BlockLength,
  BlockWeights,
  ConsumedWeight,
  DispatchInfo,
  PostDispatchInfo,
  Weight,
} from './weights.ts';

export interface AccountNonceInfo {
  nonce: number;
  providers: number;
  sufficients: number;
}

/** What the fee extension asks of the chain's currency (implemented by the balances pallet). */
export interface OnChargeTransaction {
  /** Checks the fee could be withdrawn, changing nothing; throws `Invalid(Payment)` if not. */
  canWithdrawFee(who: Uint8Array, fee: bigint, tip: bigint): void;
  /** Withdraws the fee; returns what was withdrawn (the "liquidity info") for the later correction. */
  withdrawFee(who: Uint8Array, fee: bigint, tip: bigint): bigint;
  /** Refunds `withdrawn - actualFee` and deposits the rest (to the treasury/author/burn, as the runtime likes). */
  correctAndDepositFee(who: Uint8Array, actualFee: bigint, tip: bigint, withdrawn: bigint): void;
}

export interface FeeConfig {
  /** `WeightToFee` (applied to the weight capped at max_block). */
  weightToFee(w: Weight): bigint;
  /** `LengthToFee`. */
  lengthToFee(len: number): bigint;
  /** `NextFeeMultiplier` as FixedU128 inner value (1.0 = 10^18). */
  nextFeeMultiplier(): bigint;
  /** `OperationalFeeMultiplier` (5 on Polkadot). */
  operationalFeeMultiplier: number;
  /** Withdrawal adapter; absent = fees are computed but nothing is charged (no currency yet). */
  onCharge?: OnChargeTransaction;
  /** Deposits `TransactionFeePaid { who, actual_fee, tip }` if the runtime has transaction-payment events. */
  onFeePaid?(who: Uint8Array, actualFee: bigint, tip: bigint): void;
}

/**
 * The System storage the extensions read and write. Its own interface because the executive reaches the same
 * storage through frame_system (`ExecutiveSystem` extends it), so both see one set of accessors.
 */
export interface ExtensionState {
  blockNumber(): number;
  /** `System::BlockHash(n)`; undefined when pruned or in the future. */
  blockHash(n: number): Uint8Array | undefined;
  account(who: Uint8Array): AccountNonceInfo;
  setNonce(who: Uint8Array, nonce: number): void;
  blockWeight(): ConsumedWeight;
  setBlockWeight(w: ConsumedWeight): void;
  allExtrinsicsLen(): number;
  setAllExtrinsicsLen(n: number): void;
}

/** The chain state and constants extensions read and write (backed by the System pallet). */
export interface ExtensionEnv extends ExtensionState {
  readonly specVersion: number;
  readonly transactionVersion: number;
  readonly blockWeights: BlockWeights;
  readonly blockLength: BlockLength;
  readonly fees: FeeConfig;
}

export interface ValidateArgs<Extra> {
  env: ExtensionEnv;
  /** The signer's account id, or undefined for a bare (unsigned) extrinsic. */
  who: Uint8Array | undefined;
  extra: Extra;
  info: DispatchInfo;
  len: number;
}

export interface PostDispatchArgs<Pre> {
  env: ExtensionEnv;
  pre: Pre;
  info: DispatchInfo;
  post: PostDispatchInfo;
  len: number;
  ok: boolean;
}

export interface TransactionExtension<Extra = any, Implicit = any, Val = any, Pre = any> {
  /** The name polkadot-js looks up (`CheckNonce`, `ChargeTransactionPayment`, ...). */
  readonly identifier: string;
  readonly extra: Codec<Extra>;
  readonly implicit: Codec<Implicit>;
  /** The additionalSigned value; throws e.g. `AncientBirthBlock`. */
  computeImplicit(env: ExtensionEnv, extra: Extra): Implicit;
  /** Read-only check; returns its contribution to validity and a value for `prepare`. */
  validate(args: ValidateArgs<Extra>): { validity?: ValidTransaction; val: Val };
  /** The state-changing part before dispatch (nonce increment, fee withdrawal). */
  prepare(args: ValidateArgs<Extra>, val: Val): Pre;
  postDispatch?(args: PostDispatchArgs<Pre>): void;
  /** Bare extrinsics (inherents, unsigned): only extensions that also guard those implement these. */
  bareValidate?(env: ExtensionEnv, info: DispatchInfo, len: number): ValidTransaction | undefined;
  bareValidateAndPrepare?(env: ExtensionEnv, info: DispatchInfo, len: number): void;
  barePostDispatch?(env: ExtensionEnv, info: DispatchInfo, post: PostDispatchInfo): void;
}
