/**
 * The runtime APIs the node calls through `state_call` (sp_api), one declaration each: trait name, version,
 * methods with SCALE input/output codecs. `RuntimeVersion.apis` (blake2_64 ids) and metadata V15's runtime API
 * list both derive from these declarations via the framework's `defineRuntime({ apis })`.
 */

import type { Block } from '../block/block.ts';
import { BlockCodec } from '../block/block.ts';
import type { Header } from '../block/header.ts';
import { HeaderCodec } from '../block/header.ts';
import type { ExtensionPipeline } from '../extrinsic/extensions/pipeline.ts';
import { H256 } from '../extrinsic/primitives.ts';
import type { SignatureScheme } from '../extrinsic/signature-scheme.ts';
import { type TransactionSource, TransactionSourceCodec } from '../extrinsic/transaction-validity.ts';
import { EXTRINSIC_FORMAT_VERSION, uncheckedExtrinsicType } from '../extrinsic/unchecked-extrinsic.ts';
import type { Runtime } from '../frame/runtime.ts';
import type { RuntimeApiDecl, RuntimeApiImpl } from '../frame/runtime-version.ts';
import { RuntimeVersionCodec } from '../frame/runtime-version.ts';
import { DispatchClassCodec, minWeight, type Weight, WeightCodec } from '../frame/weights.ts';
import {
  type AnyCodec,
  Codec,
  option,
  readCompactNumber,
  struct,
  u32,
  u128,
  unit,
  vec,
} from '../scale/index.ts';
import type { Executive } from './executive.ts';
import { CheckInherentsResultCodec, InherentDataCodec } from './inherents.ts';
import {
  ApplyExtrinsicResultCodec,
  ExtrinsicInclusionModeCodec,
  TransactionValidityCodec,
} from './validity-types.ts';

const balance = u128;

export const InclusionFeeCodec = struct(
  { base_fee: balance, len_fee: balance, adjusted_weight_fee: balance },
  { base_fee: 'Balance', len_fee: 'Balance', adjusted_weight_fee: 'Balance' },
).named(['pallet_transaction_payment', 'types', 'InclusionFee'], {
  params: [{ name: 'Balance', type: balance }],
});

export const FeeDetailsCodec = struct(
  { inclusion_fee: option(InclusionFeeCodec), tip: balance },
  { inclusion_fee: 'Option<InclusionFee<Balance>>', tip: 'Balance' },
).named(['pallet_transaction_payment', 'types', 'FeeDetails'], {
  params: [{ name: 'Balance', type: balance }],
});

export const RuntimeDispatchInfoCodec = struct(
  { weight: WeightCodec, class: DispatchClassCodec, partial_fee: balance },
  { weight: 'Weight', class: 'DispatchClass', partial_fee: 'Balance' },
).named(['pallet_transaction_payment', 'types', 'RuntimeDispatchInfo'], {
  params: [
    { name: 'Balance', type: balance },
    { name: 'Weight', type: WeightCodec },
  ],
});

const EXTRINSIC_VERSION_BYTES = new Set([EXTRINSIC_FORMAT_VERSION, 0x80 | EXTRINSIC_FORMAT_VERSION]);

/**
 * An extrinsic as a runtime API argument (`uxt`, `tx`, `extrinsic`): on the wire its full encoding, in metadata the
 * runtime's UncheckedExtrinsic itself (`Block::Extrinsic` in polkadot-sdk's API declarations), so V15 holds one type
 * for it. Clients that build the argument from that description (an opaque `Vec<u8>`) wrap an extrinsic already
 * encoded once more: polkadot-js's `api.call.transactionPaymentApi.queryInfo(hex, len)` and polkadot-api's
 * `Binary` send `Vec<u8>(encoded extrinsic)`. That form is accepted too. It is taken only when the plain reading
 * cannot be an extrinsic (its first byte is no extrinsic version) while the inner bytes are exactly one
 * length-prefixed extrinsic, so well-formed input never changes meaning.
 */
export function extrinsicArgument(extrinsic: AnyCodec): Codec<Uint8Array> {
  return new Codec<Uint8Array>(
    extrinsic.write,
    (r) => unwrapReencoded(extrinsic.read(r) as Uint8Array),
    () => extrinsic.info,
    extrinsic.minLength,
  );
}

function unwrapReencoded(xt: Uint8Array): Uint8Array {
  const [len, at] = readCompactNumber(xt, 0);
  if (len === 0 || EXTRINSIC_VERSION_BYTES.has(xt[at])) return xt;
  const inner = xt.subarray(at);
  let innerLen: number;
  let innerAt: number;
  try {
    [innerLen, innerAt] = readCompactNumber(inner, 0);
  } catch {
    return xt;
  }
  if (innerLen === 0 || innerAt + innerLen !== inner.length || !EXTRINSIC_VERSION_BYTES.has(inner[innerAt]))
    return xt;
  return inner.slice();
}

/** The runtime API declarations for a runtime whose extrinsics are `extrinsic` and accounts `accountId`. */
export function executiveApiDecls(encodedExtrinsic: AnyCodec, accountId: AnyCodec) {
  const extrinsic = extrinsicArgument(encodedExtrinsic);
  const Core: RuntimeApiDecl = {
    name: 'Core',
    version: 5,
    docs: [' The `Core` runtime api that every Substrate runtime needs to implement.'],
    methods: {
      version: { inputs: [], output: RuntimeVersionCodec, docs: [' Returns the version of the runtime.'] },
      execute_block: { inputs: [['block', BlockCodec]], output: unit, docs: [' Execute the given block.'] },
      initialize_block: {
        inputs: [['header', HeaderCodec]],
        output: ExtrinsicInclusionModeCodec,
        docs: [' Initialize a block with the given header and return the runtime executive mode.'],
      },
    },
  };
  const BlockBuilder: RuntimeApiDecl = {
    name: 'BlockBuilder',
    version: 6,
    methods: {
      apply_extrinsic: { inputs: [['extrinsic', extrinsic]], output: ApplyExtrinsicResultCodec },
      finalize_block: { inputs: [], output: HeaderCodec },
      inherent_extrinsics: { inputs: [['inherent', InherentDataCodec]], output: vec(extrinsic) },
      check_inherents: {
        inputs: [
          ['block', BlockCodec],
          ['data', InherentDataCodec],
        ],
        output: CheckInherentsResultCodec,
      },
    },
  };
  const TaggedTransactionQueue: RuntimeApiDecl = {
    name: 'TaggedTransactionQueue',
    version: 3,
    methods: {
      validate_transaction: {
        inputs: [
          ['source', TransactionSourceCodec],
          ['tx', extrinsic],
          ['block_hash', H256],
        ],
        output: TransactionValidityCodec,
      },
    },
  };
  const AccountNonceApi: RuntimeApiDecl = {
    name: 'AccountNonceApi',
    version: 1,
    methods: { account_nonce: { inputs: [['account', accountId]], output: u32 } },
  };
  const TransactionPaymentApi: RuntimeApiDecl = {
    name: 'TransactionPaymentApi',
    version: 4,
    methods: {
      query_info: {
        inputs: [
          ['uxt', extrinsic],
          ['len', u32],
        ],
        output: RuntimeDispatchInfoCodec,
      },
      query_fee_details: {
        inputs: [
          ['uxt', extrinsic],
          ['len', u32],
        ],
        output: FeeDetailsCodec,
      },
      query_weight_to_fee: { inputs: [['weight', WeightCodec]], output: balance },
      query_length_to_fee: { inputs: [['length', u32]], output: balance },
    },
  };
  return { Core, BlockBuilder, TaggedTransactionQueue, AccountNonceApi, TransactionPaymentApi };
}

export interface ExecutiveApiOptions {
  scheme: SignatureScheme;
  extensions: ExtensionPipeline;
  /** The executive, resolved at call time (it is built from the runtime these APIs become part of). */
  executive: () => Executive;
}

/**
 * The executive's runtime API implementations, as `defineRuntime({ apis })` entries (functions of the runtime,
 * so the extrinsic type can name the runtime's `RuntimeCall`).
 */
export function executiveApis(opts: ExecutiveApiOptions): Array<(runtime: Runtime) => RuntimeApiImpl> {
  const decls = (runtime: Runtime) =>
    executiveApiDecls(
      uncheckedExtrinsicType({ scheme: opts.scheme, call: runtime.callCodec, extensions: opts.extensions }),
      opts.scheme.accountId,
    );
  const ex = opts.executive;
  return [
    (runtime) => ({
      api: decls(runtime).Core,
      methods: {
        version: () => runtime.version,
        execute_block: (block: Block) => {
          ex().executeBlock(block);
        },
        initialize_block: (header: Header) => ex().initializeBlock(header),
      },
    }),
    (runtime) => ({
      api: decls(runtime).BlockBuilder,
      methods: {
        apply_extrinsic: (xt: Uint8Array) => ex().applyExtrinsic(xt),
        finalize_block: () => ex().finalizeBlock(),
        inherent_extrinsics: (data: { data: Map<Uint8Array, Uint8Array> }) =>
          ex().inherentExtrinsics(data.data),
        check_inherents: (block: Block, data: { data: Map<Uint8Array, Uint8Array> }) =>
          ex().checkInherents(block, data.data),
      },
    }),
    (runtime) => ({
      api: decls(runtime).TaggedTransactionQueue,
      methods: {
        validate_transaction: (source: { type: TransactionSource }, tx: Uint8Array, blockHash: Uint8Array) =>
          ex().validateTransaction(source.type, tx, blockHash),
      },
    }),
    (runtime) => ({
      api: decls(runtime).AccountNonceApi,
      methods: { account_nonce: (who: Uint8Array) => ex().accountNonce(who) },
    }),
    (runtime) => ({
      api: decls(runtime).TransactionPaymentApi,
      methods: {
        query_info: (uxt: Uint8Array, len: number) => ex().queryInfo(uxt, len),
        query_fee_details: (uxt: Uint8Array, len: number) => {
          const d = ex().queryFeeDetails(uxt, len);
          const i = d.inclusionFee;
          return {
            inclusion_fee: i && {
              base_fee: i.baseFee,
              len_fee: i.lenFee,
              adjusted_weight_fee: i.adjustedWeightFee,
            },
            tip: d.tip,
          };
        },
        query_weight_to_fee: (w: Weight) =>
          ex().env.fees.weightToFee(minWeight(w, ex().env.blockWeights.max_block)),
        query_length_to_fee: (len: number) => ex().env.fees.lengthToFee(len),
      },
    }),
  ];
}
