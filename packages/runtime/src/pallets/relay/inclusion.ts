/**
 * `polkadot_runtime_parachains::inclusion` (pallet `ParaInclusion`): the acceptance checks a backed candidate must pass
 * and its enactment (new head, DMQ pruned, HRMP ingress pruned to the watermark, outbound HRMP queued, upward messages
 * handed to the relay's message queue).
 *
 * Divergence from Polkadot: backing and inclusion happen in the same relay block. Polkadot backs a candidate in one
 * block (it occupies a core, `CandidateBacked`) and includes it once 2/3 of validators attest availability of its
 * erasure-coded PoV in a later block's bitfields (`CandidateIncluded`). Our validators all run on one machine, so
 * availability is immediate: an accepted candidate is backed and enacted at once, and both events are emitted in that
 * order. There is no `PendingAvailability` and no timeout. A candidate that fails a check is dropped with a
 * `CandidateRejected { para_id, candidate_hash, reason }` event (ours; Polkadot only logs) and never advances its para;
 * the other candidates of the block still go in.
 *
 * The backing group of every para is the whole active validator set (no scheduler, one core per para, `CoreIndex` =
 * the para's position in `Paras.Parachains`, `GroupIndex` 0). Quorum: valid statements from at least
 * min(validators, `minimum_backing_votes`) validators (polkadot-sdk's `effective_minimum_backing_votes`; the devnet
 * with one validator, //Alice, needs her one statement).
 */
import { verifySignature } from '../../crypto/signatures.ts';
import { newtype } from '../../extrinsic/newtype.ts';
import { H256 } from '../../extrinsic/primitives.ts';
import { state } from '../../frame/env.ts';
import { pallet } from '../../frame/pallet.ts';
import {
  attestationPayload,
  type BackedCandidate,
  CandidateReceiptCodec,
  type CommittedCandidateReceipt,
  candidateHash,
  collatorSignaturePayload,
  persistedValidationDataHash,
  toPlainReceipt,
} from '../../parachains/candidate.ts';
import { HeadDataCodec, headDataHash, type ParaId, ParaIdCodec } from '../../parachains/ids.ts';
import * as wellKnownKeys from '../../parachains/well-known-keys.ts';
import { type Codec, enumeration, struct, tuple, u32 } from '../../scale/index.ts';
import { activeConfig, type HostConfiguration } from './configuration.ts';
import { checkProcessedDownwardMessages, pruneDmq } from './dmp.ts';
import { checkHrmpWatermark, checkOutboundHrmp, pruneHrmp, queueOutboundHrmp } from './hrmp/messages.ts';
import {
  canUpgradeValidationCode,
  currentCodeHash,
  isValidPara,
  MostRecentContext,
  noteNewHead,
  Parachains,
  paraHead,
} from './paras.ts';
import { ActiveValidatorKeys, CurrentSessionIndex, relayParentInfo } from './shared.ts';

/** The queue footprint of a para's upward messages in the relay's message queue. */
export interface UpwardQueueFootprint {
  count: number;
  size: number;
}

export interface InclusionConfig {
  /**
   * Receives the upward messages of an included candidate (signals after the UMP separator removed), in order: the
   * relay wires this to its message queue / XCM executor. Runs inside the block.
   */
  receiveUpward?: (para: ParaId, messages: Uint8Array[]) => void;
  /** What the para's upward queue holds now (polkadot-sdk `MessageQueue::footprint`); default empty. */
  upwardQueueFootprint?: (para: ParaId) => UpwardQueueFootprint;
}

const V6 = ['polkadot_primitives', 'v6'];
/** `CoreIndex(u32)` / `GroupIndex(u32)`. */
export const CoreIndexCodec: Codec<number> = newtype(u32, [...V6, 'CoreIndex'], 'u32');
export const GroupIndexCodec: Codec<number> = newtype(u32, [...V6, 'GroupIndex'], 'u32');

/** Why a candidate was dropped: polkadot-sdk's acceptance errors, with the detail its logs carry. */
export const CandidateRejectionCodec = enumeration({
  UnknownPara: [0],
  DisallowedRelayParent: [1],
  RelayParentMovedBackwards: [2, struct({ relay_parent_number: u32, most_recent_context: u32 })],
  ValidationDataHashMismatch: [3],
  InvalidValidationCodeHash: [4],
  ParaHeadMismatch: [5],
  NotCollatorSigned: [6],
  HeadDataTooLarge: [7, struct({ size: u32, max: u32 })],
  PrematureCodeUpgrade: [8],
  NewCodeTooLarge: [9],
  DmpAdvancementRule: [10],
  DmpUnderflow: [11, struct({ processed: u32, queue_length: u32 })],
  UmpMoreMessagesThanPermitted: [12, struct({ sent: u32, permitted: u32 })],
  UmpMessageSize: [13, struct({ idx: u32, msg_size: u32, max_size: u32 })],
  UmpCapacityExceeded: [14, struct({ count: u32, limit: u32 })],
  UmpTotalSizeExceeded: [15, struct({ total_size: u32, limit: u32 })],
  HrmpWatermarkAdvancementRule: [16, struct({ new_watermark: u32, last_watermark: u32 })],
  HrmpWatermarkAheadRelayParent: [17, struct({ new_watermark: u32, relay_parent_number: u32 })],
  HrmpWatermarkLandsOnBlockWithNoMessages: [18, struct({ new_watermark: u32 })],
  HrmpMoreMessagesThanPermitted: [19, struct({ sent: u32, permitted: u32 })],
  HrmpNotSorted: [20, struct({ idx: u32 })],
  HrmpNoSuchChannel: [21, struct({ idx: u32, recipient: ParaIdCodec })],
  HrmpMaxMessageSizeExceeded: [22, struct({ idx: u32, msg_size: u32, max_size: u32 })],
  HrmpTotalSizeExceeded: [23, struct({ idx: u32, total_size: u32, limit: u32 })],
  HrmpCapacityExceeded: [24, struct({ idx: u32, count: u32, limit: u32 })],
  InvalidBacking: [25],
  InsufficientBacking: [26, struct({ valid: u32, needed: u32 })],
  DuplicateCandidate: [27],
}).named(['polkadot_runtime_parachains', 'inclusion', 'CandidateRejection']);
export type CandidateRejection = ReturnType<typeof CandidateRejectionCodec.decode>;

const p = pallet<InclusionConfig>('ParaInclusion', { module: 'polkadot_runtime_parachains::inclusion' });

export const InclusionEvent = p.events({
  CandidateBacked: [
    0,
    tuple(CandidateReceiptCodec, HeadDataCodec, CoreIndexCodec, GroupIndexCodec),
    [' A candidate was backed. `[candidate, head_data]`'],
  ],
  CandidateIncluded: [
    1,
    tuple(CandidateReceiptCodec, HeadDataCodec, CoreIndexCodec, GroupIndexCodec),
    [' A candidate was included. `[candidate, head_data]`'],
  ],
  CandidateTimedOut: [
    2,
    tuple(CandidateReceiptCodec, HeadDataCodec, CoreIndexCodec),
    [' A candidate timed out. `[candidate, head_data]`'],
  ],
  UpwardMessagesReceived: [
    3,
    { from: ParaIdCodec, count: u32 },
    [' Some upward messages have been received and will be processed.'],
  ],
  CandidateRejected: [
    4,
    { para_id: ParaIdCodec, candidate_hash: H256, reason: CandidateRejectionCodec },
    [' A backed candidate failed an acceptance check and was dropped; its para did not advance.'],
  ],
});

export const InclusionError = p.errors({
  UnsortedOrDuplicateValidatorIndices: [0, [' Validator indices are out of order or contains duplicates.']],
  UnsortedOrDuplicateDisputeStatementSet: [
    1,
    [' Dispute statement sets are out of order or contain duplicates.'],
  ],
  UnsortedOrDuplicateBackedCandidates: [
    2,
    [' Backed candidates are out of order (core index) or contain duplicates.'],
  ],
  UnexpectedRelayParent: [3, [' A different relay parent was provided compared to the on-chain stored one.']],
  WrongBitfieldSize: [4, [' Availability bitfield has unexpected size.']],
  BitfieldAllZeros: [5, [' Bitfield consists of zeros only.']],
  BitfieldDuplicateOrUnordered: [
    6,
    [' Multiple bitfields submitted by same validator or validators out of order by index.'],
  ],
  ValidatorIndexOutOfBounds: [7, [' Validator index out of bounds.']],
  InvalidBitfieldSignature: [8, [' Invalid signature']],
  UnscheduledCandidate: [9, [' Candidate submitted but para not scheduled.']],
  CandidateScheduledBeforeParaFree: [
    10,
    [' Candidate scheduled despite pending candidate already existing for the para.'],
  ],
  ScheduledOutOfOrder: [11, [' Scheduled cores out of order.']],
  HeadDataTooLarge: [12, [' Head data exceeds the configured maximum.']],
  PrematureCodeUpgrade: [13, [' Code upgrade prematurely.']],
  NewCodeTooLarge: [14, [' Output code is too large']],
  DisallowedRelayParent: [15, [" The candidate's relay-parent was not allowed."]],
  InvalidAssignment: [16, [' Failed to compute group index for the core.']],
  InvalidGroupIndex: [17, [' Invalid group index in core assignment.']],
  InsufficientBacking: [18, [' Insufficient (non-majority) backing.']],
  InvalidBacking: [19, [' Invalid (bad signature, unknown validator, etc.) backing.']],
  NotCollatorSigned: [20, [' Collator did not sign PoV.']],
  ValidationDataHashMismatch: [21, [' The validation data hash does not match expected.']],
  IncorrectDownwardMessageHandling: [22, [' The downward message queue is not processed correctly.']],
  InvalidUpwardMessages: [23, [' At least one upward message sent does not pass the acceptance criteria.']],
  HrmpWatermarkMishandling: [24, [" The candidate didn't follow the rules of HRMP watermark advancement."]],
  InvalidOutboundHrmp: [25, [' The HRMP messages sent by the candidate is not valid.']],
  InvalidValidationCodeHash: [26, [' The validation code hash of the candidate is not valid.']],
  ParaHeadMismatch: [
    27,
    [
      " The `para_head` hash in the candidate descriptor doesn't match the hash of the actual",
      ' para head in the commitments.',
    ],
  ],
});

export type InclusionErrorName = Parameters<typeof InclusionError.fail>[0];

/** polkadot-sdk's coarse `inclusion::Error` for a rejection (what its dispatch error would be). */
export function inclusionErrorOf(r: CandidateRejection): InclusionErrorName {
  switch (r.type) {
    case 'UnknownPara':
    case 'DuplicateCandidate':
      return 'UnscheduledCandidate';
    case 'DisallowedRelayParent':
    case 'RelayParentMovedBackwards':
      return 'DisallowedRelayParent';
    case 'DmpAdvancementRule':
    case 'DmpUnderflow':
      return 'IncorrectDownwardMessageHandling';
    case 'UmpMoreMessagesThanPermitted':
    case 'UmpMessageSize':
    case 'UmpCapacityExceeded':
    case 'UmpTotalSizeExceeded':
      return 'InvalidUpwardMessages';
    case 'HrmpWatermarkAdvancementRule':
    case 'HrmpWatermarkAheadRelayParent':
    case 'HrmpWatermarkLandsOnBlockWithNoMessages':
      return 'HrmpWatermarkMishandling';
    case 'HrmpMoreMessagesThanPermitted':
    case 'HrmpNotSorted':
    case 'HrmpNoSuchChannel':
    case 'HrmpMaxMessageSizeExceeded':
    case 'HrmpTotalSizeExceeded':
    case 'HrmpCapacityExceeded':
      return 'InvalidOutboundHrmp';
    case 'InsufficientBacking':
      return 'InsufficientBacking';
    default:
      return r.type;
  }
}

export const ParaInclusion = p.build({
  docs: [' Acceptance checks and enactment of backed parachain candidates (backed and included at once).'],
});

/** The UMP separator: messages after the first empty one are UMP signals, not messages (`skip_ump_signals`). */
export function skipUmpSignals(messages: readonly Uint8Array[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const m of messages) {
    if (m.length === 0) break;
    out.push(m);
  }
  return out;
}

function upwardFootprint(para: ParaId): UpwardQueueFootprint {
  return p.config().upwardQueueFootprint?.(para) ?? { count: 0, size: 0 };
}

/** `check_upward_messages`. */
export function checkUpwardMessages(
  config: HostConfiguration,
  para: ParaId,
  upward: readonly Uint8Array[],
): CandidateRejection | undefined {
  const messages = skipUmpSignals(upward);
  if (messages.length > config.max_upward_message_num_per_candidate)
    return {
      type: 'UmpMoreMessagesThanPermitted',
      value: { sent: messages.length, permitted: config.max_upward_message_num_per_candidate },
    };
  const queue = upwardFootprint(para);
  if (queue.count + messages.length > config.max_upward_queue_count)
    return {
      type: 'UmpCapacityExceeded',
      value: {
        count: Math.min(queue.count + messages.length, 0xffff_ffff),
        limit: config.max_upward_queue_count,
      },
    };
  let size = queue.size;
  for (let idx = 0; idx < messages.length; idx++) {
    const len = messages[idx].length;
    if (len > config.max_upward_message_size)
      return {
        type: 'UmpMessageSize',
        value: { idx, msg_size: len, max_size: config.max_upward_message_size },
      };
    if (size + len > config.max_upward_queue_size)
      return {
        type: 'UmpTotalSizeExceeded',
        value: { total_size: Math.min(size + len, 0xffff_ffff), limit: config.max_upward_queue_size },
      };
    size += len;
  }
  return undefined;
}

/** `check_validation_outputs`: head size, code upgrade, DMP, UMP, HRMP watermark and outbound HRMP. */
export function checkValidationOutputs(
  para: ParaId,
  relayParentNumber: number,
  c: CommittedCandidateReceipt['commitments'],
  config: HostConfiguration = activeConfig(),
): CandidateRejection | undefined {
  if (c.head_data.length > config.max_head_data_size)
    return { type: 'HeadDataTooLarge', value: { size: c.head_data.length, max: config.max_head_data_size } };
  if (c.new_validation_code !== undefined) {
    if (!canUpgradeValidationCode(para)) return { type: 'PrematureCodeUpgrade' };
    if (c.new_validation_code.length > config.max_code_size) return { type: 'NewCodeTooLarge' };
  }
  const dmp = checkProcessedDownwardMessages(para, relayParentNumber, c.processed_downward_messages);
  if (dmp?.type === 'AdvancementRule') return { type: 'DmpAdvancementRule' };
  if (dmp?.type === 'Underflow')
    return { type: 'DmpUnderflow', value: { processed: dmp.processed, queue_length: dmp.queueLength } };
  const ump = checkUpwardMessages(config, para, c.upward_messages);
  if (ump) return ump;
  const wm = checkHrmpWatermark(para, relayParentNumber, c.hrmp_watermark);
  if (wm?.type === 'AdvancementRule')
    return {
      type: 'HrmpWatermarkAdvancementRule',
      value: { new_watermark: wm.new_watermark, last_watermark: wm.last_watermark },
    };
  if (wm?.type === 'AheadRelayParent')
    return {
      type: 'HrmpWatermarkAheadRelayParent',
      value: { new_watermark: wm.new_watermark, relay_parent_number: wm.relay_parent_number },
    };
  if (wm?.type === 'LandsOnBlockWithNoMessages')
    return { type: 'HrmpWatermarkLandsOnBlockWithNoMessages', value: { new_watermark: wm.new_watermark } };
  const out = checkOutboundHrmp(config.hrmp_max_message_num_per_candidate, para, c.horizontal_messages);
  if (out) {
    switch (out.type) {
      case 'MoreMessagesThanPermitted':
        return { type: 'HrmpMoreMessagesThanPermitted', value: { sent: out.sent, permitted: out.permitted } };
      case 'NotSorted':
        return { type: 'HrmpNotSorted', value: { idx: out.idx } };
      case 'NoSuchChannel':
        return { type: 'HrmpNoSuchChannel', value: { idx: out.idx, recipient: out.recipient } };
      case 'MaxMessageSizeExceeded':
        return {
          type: 'HrmpMaxMessageSizeExceeded',
          value: { idx: out.idx, msg_size: out.msg_size, max_size: out.max_size },
        };
      case 'TotalSizeExceeded':
        return {
          type: 'HrmpTotalSizeExceeded',
          value: { idx: out.idx, total_size: out.total_size, limit: out.limit },
        };
      case 'CapacityExceeded':
        return { type: 'HrmpCapacityExceeded', value: { idx: out.idx, count: out.count, limit: out.limit } };
    }
  }
  return undefined;
}

/**
 * `check_candidate_backing` with the whole validator set as the group: one bit per validator, votes in the order of
 * the set bits, each an sr25519 signature of the `CompactStatement` payload under `SigningContext { session, relay
 * parent }`; at least min(validators, minimum_backing_votes) of them.
 */
export function checkBacking(
  backed: BackedCandidate,
  hash: Uint8Array,
  config: HostConfiguration,
): CandidateRejection | undefined {
  const validators = ActiveValidatorKeys.get();
  const group = validators.length;
  if (group === 0) return { type: 'InvalidBacking' };
  if (backed.validator_indices.length !== group || backed.validity_votes.length > group)
    return { type: 'InvalidBacking' };
  const context = {
    session_index: CurrentSessionIndex.get(),
    parent_hash: backed.candidate.descriptor.relay_parent,
  };
  let signed = 0;
  let vote = 0;
  for (let i = 0; i < group && vote < backed.validity_votes.length; i++) {
    if (!backed.validator_indices[i]) continue;
    const attestation = backed.validity_votes[vote++];
    const payload = attestationPayload(attestation, hash, context);
    if (!verifySignature('sr25519', attestation.value, payload, validators[i]))
      return { type: 'InvalidBacking' };
    signed++;
  }
  if (signed !== backed.validity_votes.length) return { type: 'InvalidBacking' };
  const needed = Math.min(group, config.minimum_backing_votes);
  if (signed < needed) return { type: 'InsufficientBacking', value: { valid: signed, needed } };
  return undefined;
}

/**
 * Every check of a backed candidate against the current state (polkadot-sdk `verify_backed_candidate`,
 * `check_backing_votes`, the collator signature). Returns the relay parent number, or why the candidate is refused.
 */
export function checkBackedCandidate(
  backed: BackedCandidate,
  hash: Uint8Array = candidateHash(backed.candidate),
): { ok: true; relayParentNumber: number } | { ok: false; reason: CandidateRejection } {
  const fail = (reason: CandidateRejection) => ({ ok: false as const, reason });
  const { descriptor, commitments } = backed.candidate;
  const para = descriptor.para_id;
  if (!isValidPara(para)) return fail({ type: 'UnknownPara' });
  const parentHead = paraHead(para);
  const codeHash = currentCodeHash(para);
  if (!parentHead || !codeHash) return fail({ type: 'UnknownPara' });
  const rp = relayParentInfo(descriptor.relay_parent);
  if (!rp) return fail({ type: 'DisallowedRelayParent' });
  const context = MostRecentContext.get(para);
  if (context !== undefined && rp.number < context)
    return fail({
      type: 'RelayParentMovedBackwards',
      value: { relay_parent_number: rp.number, most_recent_context: context },
    });
  const config = activeConfig();
  const pvdHash = persistedValidationDataHash({
    parent_head: parentHead,
    relay_parent_number: rp.number,
    relay_parent_storage_root: rp.stateRoot,
    max_pov_size: config.max_pov_size,
  });
  if (!equal(pvdHash, descriptor.persisted_validation_data_hash))
    return fail({ type: 'ValidationDataHashMismatch' });
  if (!equal(codeHash, descriptor.validation_code_hash)) return fail({ type: 'InvalidValidationCodeHash' });
  if (!equal(headDataHash(commitments.head_data), descriptor.para_head))
    return fail({ type: 'ParaHeadMismatch' });
  if (
    !verifySignature(
      'sr25519',
      descriptor.signature,
      collatorSignaturePayload(descriptor),
      descriptor.collator,
    )
  )
    return fail({ type: 'NotCollatorSigned' });
  const outputs = checkValidationOutputs(para, rp.number, commitments, config);
  if (outputs) return fail(outputs);
  const backing = checkBacking(backed, hash, config);
  if (backing) return fail(backing);
  return { ok: true, relayParentNumber: rp.number };
}

/** `receive_upward_messages`: hands the messages to the relay's queue and records the queue's new footprint. */
function receiveUpwardMessages(para: ParaId, upward: readonly Uint8Array[]): void {
  const messages = skipUmpSignals(upward);
  if (messages.length === 0) return;
  p.config().receiveUpward?.(para, messages);
  InclusionEvent.deposit({ type: 'UpwardMessagesReceived', value: { from: para, count: messages.length } });
  onUpwardQueueChanged(para, upwardFootprint(para));
}

/**
 * `OnQueueChanged`: writes the para's upward queue use (deprecated `relay_dispatch_queue_size`) and what is left of it
 * (`relay_dispatch_queue_remaining_capacity`), which the para reads through its relay state proof. The relay's
 * message queue calls this when it services a para's queue.
 */
export function onUpwardQueueChanged(para: ParaId, fp: UpwardQueueFootprint): void {
  const config = activeConfig();
  const pair = (a: number, b: number) => {
    const out = new Uint8Array(8);
    const v = new DataView(out.buffer);
    v.setUint32(0, Math.min(a, 0xffff_ffff), true);
    v.setUint32(4, Math.min(b, 0xffff_ffff), true);
    return out;
  };
  state().set(wellKnownKeys.relayDispatchQueueSize(para), pair(fp.count, fp.size));
  state().set(
    wellKnownKeys.relayDispatchQueueRemainingCapacity(para),
    pair(
      Math.max(config.max_upward_queue_count - fp.count, 0),
      Math.max(config.max_upward_queue_size - fp.size, 0),
    ),
  );
}

/** The para's availability core: its position among the parachains. */
export function coreIndexOf(para: ParaId): number {
  const i = Parachains.get().indexOf(para);
  return Math.max(i, 0);
}

/** `enact_candidate` (after `process_candidates`' backing): the candidate's effects, in polkadot-sdk's order. */
export function enactCandidate(candidate: CommittedCandidateReceipt, relayParentNumber: number): void {
  const para = candidate.descriptor.para_id;
  const c = candidate.commitments;
  const plain = toPlainReceipt(candidate);
  const core = coreIndexOf(para);
  InclusionEvent.deposit({ type: 'CandidateBacked', value: [plain, c.head_data, core, 0] });
  pruneDmq(para, c.processed_downward_messages);
  receiveUpwardMessages(para, c.upward_messages);
  pruneHrmp(para, c.hrmp_watermark);
  queueOutboundHrmp(para, c.horizontal_messages);
  InclusionEvent.deposit({ type: 'CandidateIncluded', value: [plain, c.head_data, core, 0] });
  noteNewHead(para, c.head_data, relayParentNumber);
}

/**
 * Checks and enacts each backed candidate in turn (a later candidate of the same para builds on the earlier one's
 * head); a failing candidate is dropped with `CandidateRejected`. Returns the hashes of the included candidates.
 */
export function processCandidates(backed: readonly BackedCandidate[]): Uint8Array[] {
  const included: Uint8Array[] = [];
  const seen = new Set<string>();
  for (const b of backed) {
    const hash = candidateHash(b.candidate);
    const key = Buffer.from(hash).toString('hex');
    const para = b.candidate.descriptor.para_id;
    const reject = (reason: CandidateRejection) =>
      InclusionEvent.deposit({
        type: 'CandidateRejected',
        value: { para_id: para, candidate_hash: hash, reason },
      });
    if (seen.has(key)) {
      reject({ type: 'DuplicateCandidate' });
      continue;
    }
    seen.add(key);
    const checked = checkBackedCandidate(b, hash);
    if (!checked.ok) {
      reject(checked.reason);
      continue;
    }
    // Every write of the enactment or none (a throw here is a runtime bug and aborts the block anyway).
    state().transactional(() => enactCandidate(b.candidate, checked.relayParentNumber));
    included.push(hash);
  }
  return included;
}

/** Writes full upward-queue capacity for `para` (genesis and new paras). */
export function initUpwardQueueKeys(para: ParaId): void {
  onUpwardQueueChanged(para, { count: 0, size: 0 });
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
