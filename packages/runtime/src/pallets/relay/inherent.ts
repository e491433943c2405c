/**
 * `polkadot_runtime_parachains::paras_inherent` (pallet `ParaInherent`): the relay block author's Mandatory inherent
 * `enter(data)` (identifier `parachn0`), carrying polkadot's `ParachainsInherentData`: availability bitfields,
 * backed candidates, disputes and the parent header. It must be in every relay block (`on_finalize` panics
 * otherwise, as polkadot-sdk's does).
 *
 * `enter` checks the parent header against System's parent hash, records the parent (hash, state root, number) as an
 * allowed relay parent, then checks and enacts each backed candidate (see inclusion.ts). Bitfields are accepted and
 * ignored (availability is immediate here); dispute statement sets are ignored (no disputes: every validator runs on
 * this machine).
 */
import { headerHash } from '../../block/header.ts';
import type { InherentProvider } from '../../executive/inherents.ts';
import { inherentData } from '../../executive/inherents.ts';
import { ensureNone } from '../../frame/origin.ts';
import { call, pallet, type RuntimeCallValue } from '../../frame/pallet.ts';
import { weight } from '../../frame/weights.ts';
import {
  PARACHAINS_INHERENT_IDENTIFIER,
  type ParachainsInherentData,
  ParachainsInherentDataCodec,
} from '../../parachains/inherent-data.ts';
import { unit } from '../../scale/index.ts';
import { blockNumber, parentHash } from '../system/block.ts';
import { activeConfig } from './configuration.ts';
import { processCandidates } from './inclusion.ts';
import { addAllowedRelayParent } from './shared.ts';

/** A broken per-block invariant (polkadot-sdk panics; the block is invalid). */
export class ParaInherentPanic extends Error {
  override name = 'ParaInherentPanic';
}

export class ParasInherentDataError extends Error {
  override name = 'ParasInherentDataError';
}

const p = pallet<{}>('ParaInherent', { module: 'polkadot_runtime_parachains::paras_inherent' });

export const Included = p.value('Included', unit, {
  docs: [
    ' Whether the paras inherent was included within this block.',
    '',
    ' The `Option<()>` is effectively a `bool`, but it never hits storage in the `None` variant',
    " due to the guarantees of FRAME's storage APIs.",
  ],
});

export const ParaInherentError = p.errors({
  TooManyInclusionInherents: [0, [' Inclusion inherent called more than once per block.']],
  InvalidParentHeader: [
    1,
    [
      " The hash of the submitted parent header doesn't correspond to the saved block hash of",
      ' the parent.',
    ],
  ],
  CandidateConcludedInvalid: [2, [' Disputed candidate that was concluded invalid.']],
  InherentOverweight: [3, [' The data given to the inherent will result in an overweight block.']],
  DisputeStatementsUnsortedOrDuplicates: [4, [' The ordering of dispute statements was invalid.']],
  DisputeInvalid: [5, [' A dispute statement was invalid.']],
  BackedByDisabled: [6, [' A candidate was backed by a disabled validator']],
  BackedOnUnscheduledCore: [7, [' A candidate was backed even though the paraid was not scheduled.']],
  UnscheduledCandidate: [8, [' Too many candidates supplied.']],
});

/** Per candidate: two sr25519 verifications (collator, one validator), storage and hashing (rough). */
const PER_CANDIDATE = weight(250_000_000, 20_000);
const BASE = weight(50_000_000, 5_000);

export const ParaInherent = p.build({
  docs: [' The parachains inherent: backed candidates, checked and included in the relay block.'],
  calls: {
    enter: call(
      0,
      { data: ParachainsInherentDataCodec },
      {
        weight: ({ data }) => {
          const n = data.backed_candidates.length;
          return weight(
            BASE.refTime + n * PER_CANDIDATE.refTime,
            BASE.proofSize + n * PER_CANDIDATE.proofSize,
          );
        },
        class: 'Mandatory',
        dispatch(origin, { data }) {
          ensureNone(origin);
          if (Included.exists()) throw ParaInherentError.fail('TooManyInclusionInherents');
          const parent = headerHash(data.parent_header);
          if (!equal(parent, parentHash())) throw ParaInherentError.fail('InvalidParentHeader');
          Included.set(undefined);
          addAllowedRelayParent(
            parent,
            data.parent_header.stateRoot,
            blockNumber() - 1,
            activeConfig().async_backing_params.allowed_ancestry_len,
          );
          processCandidates(data.backed_candidates);
        },
        typeNames: { data: 'ParachainsInherentData<HeaderFor<T>>' },
        docs: [' Enter the paras inherent. This will process bitfields and backed candidates.'],
      },
    ),
  },
  hooks: {
    onFinalize() {
      if (!Included.exists()) throw new ParaInherentPanic('Bitfields and heads must be included every block');
      Included.kill();
    },
  },
});

/** The inherent data entry carrying `data`. */
export function parachainsInherentData(data: ParachainsInherentData): [Uint8Array, Uint8Array] {
  return [new TextEncoder().encode(PARACHAINS_INHERENT_IDENTIFIER), ParachainsInherentDataCodec.encode(data)];
}

const isEnter = (call: RuntimeCallValue) => call.type === 'ParaInherent' && call.value.type === 'enter';

/**
 * `ProvideInherent for ParaInherent`: the block author's node supplies the `parachn0` data (backed candidates it
 * collected, the parent header); missing or undecodable data is a `ParasInherentDataError`.
 */
export const paraInherentProvider: InherentProvider = {
  identifier: PARACHAINS_INHERENT_IDENTIFIER,
  create(data) {
    const raw = inherentData(data, PARACHAINS_INHERENT_IDENTIFIER);
    if (raw === undefined) throw new ParasInherentDataError('parachains inherent data (parachn0) not found');
    let decoded: ParachainsInherentData;
    try {
      decoded = ParachainsInherentDataCodec.decode(raw);
    } catch (err) {
      throw new ParasInherentDataError(
        `parachains inherent data is not a ParachainsInherentData: ${(err as Error).message}`,
      );
    }
    return ParaInherent.tx.enter({ data: decoded });
  },
  isInherent: isEnter,
};

function equal(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
