/**
 * The `ParachainHost` runtime API, the subset a node needs to build and validate candidates, with polkadot-sdk's
 * method names and encodings (polkadot/primitives/src/runtime_api.rs). Called at relay block P, "relay parent" means
 * P: its number is System's and its storage root is `sp_io::storage::root` of P's state, which the runtime asks of
 * the host through `storageRoot`.
 *
 * Inclusion is immediate here, so the `OccupiedCoreAssumption` changes nothing and there is never a candidate pending
 * availability (`candidate_pending_availability` is None).
 */
import { H256 } from '../../extrinsic/primitives.ts';
import type { RuntimeApiDecl, RuntimeApiImpl } from '../../frame/runtime-version.ts';
import {
  CandidateCommitmentsCodec,
  CommittedCandidateReceiptCodec,
  type PersistedValidationData,
  PersistedValidationDataCodec,
  persistedValidationDataHash,
  ValidatorIdCodec,
} from '../../parachains/candidate.ts';
import { AsyncBackingParamsCodec } from '../../parachains/host-config.ts';
import {
  type ParaId,
  ParaIdCodec,
  ValidationCodeCodec,
  ValidationCodeHashCodec,
} from '../../parachains/ids.ts';
import { InboundDownwardMessageCodec, InboundHrmpMessageCodec } from '../../parachains/messages.ts';
import { bool, btreeMap, type Codec, enumeration, option, tuple, u32, vec } from '../../scale/index.ts';
import { blockNumber } from '../system/block.ts';
import { activeConfig } from './configuration.ts';
import { dmqContents } from './dmp.ts';
import { inboundHrmpChannelsContents } from './hrmp/messages.ts';
import { checkValidationOutputs } from './inclusion.ts';
import { sessionIndexForChild } from './initializer.ts';
import { CodeByHash, CurrentCodeHash, isValidPara, paraHead } from './paras.ts';
import { ActiveValidatorKeys } from './shared.ts';

export type OccupiedCoreAssumption = 'Included' | 'TimedOut' | 'Free';
export const OccupiedCoreAssumptionCodec: Codec<OccupiedCoreAssumption> = enumeration({
  Included: [0],
  TimedOut: [1],
  Free: [2],
})
  .named(['polkadot_primitives', 'v8', 'OccupiedCoreAssumption'])
  .map(
    (v) => v.type,
    (type) => ({ type }),
  );

/**
 * The persisted validation data a candidate of `para` built on `relayParent` must commit to: the para's current head,
 * the relay parent's number and storage root, the configured max PoV size (polkadot-sdk
 * `make_persisted_validation_data`). Undefined for an unknown para.
 */
export function persistedValidationData(
  para: ParaId,
  relayParent: { number: number; storageRoot: Uint8Array },
): PersistedValidationData | undefined {
  const head = paraHead(para);
  if (!head) return undefined;
  return {
    parent_head: head,
    relay_parent_number: relayParent.number,
    relay_parent_storage_root: relayParent.storageRoot,
    max_pov_size: activeConfig().max_pov_size,
  };
}

export const ParachainHostApi: RuntimeApiDecl = {
  name: 'ParachainHost',
  version: 11,
  docs: [' The API for querying the state of parachains on-chain (the subset this relay implements).'],
  methods: {
    validators: { inputs: [], output: vec(ValidatorIdCodec), docs: [' Get the current validators.'] },
    persisted_validation_data: {
      inputs: [
        ['para_id', ParaIdCodec],
        ['assumption', OccupiedCoreAssumptionCodec],
      ],
      output: option(PersistedValidationDataCodec),
      docs: [
        ' Yields the persisted validation data for the given `ParaId` along with an assumption that',
        ' should be used if the para currently occupies a core.',
      ],
    },
    assumed_validation_data: {
      inputs: [
        ['para_id', ParaIdCodec],
        ['expected_persisted_validation_data_hash', H256],
      ],
      output: option(tuple(PersistedValidationDataCodec, ValidationCodeHashCodec)),
      docs: [
        ' Returns the persisted validation data for the given `ParaId` along with the corresponding',
        ' validation code hash, if the hash matches.',
      ],
    },
    check_validation_outputs: {
      inputs: [
        ['para_id', ParaIdCodec],
        ['outputs', CandidateCommitmentsCodec],
      ],
      output: bool,
      docs: [' Checks if the given validation outputs pass the acceptance criteria.'],
    },
    session_index_for_child: {
      inputs: [],
      output: u32,
      docs: [' Returns the session index expected at a child of the block.'],
    },
    validation_code: {
      inputs: [
        ['para_id', ParaIdCodec],
        ['assumption', OccupiedCoreAssumptionCodec],
      ],
      output: option(ValidationCodeCodec),
      docs: [' Fetch the validation code used by a para, making the given `OccupiedCoreAssumption`.'],
    },
    candidate_pending_availability: {
      inputs: [['para_id', ParaIdCodec]],
      output: option(CommittedCandidateReceiptCodec),
      docs: [' Get the receipt of a candidate pending availability (never: inclusion is immediate here).'],
    },
    dmq_contents: {
      inputs: [['recipient', ParaIdCodec]],
      output: vec(InboundDownwardMessageCodec),
      docs: [' Get all the pending inbound messages in the downward message queue for a para.'],
    },
    inbound_hrmp_channels_contents: {
      inputs: [['recipient', ParaIdCodec]],
      output: btreeMap(ParaIdCodec, vec(InboundHrmpMessageCodec)),
      docs: [' Get the contents of all channels addressed to the given recipient.'],
    },
    validation_code_by_hash: {
      inputs: [['hash', ValidationCodeHashCodec]],
      output: option(ValidationCodeCodec),
      docs: [' Get the validation code from its hash.'],
    },
    validation_code_hash: {
      inputs: [
        ['para_id', ParaIdCodec],
        ['assumption', OccupiedCoreAssumptionCodec],
      ],
      output: option(ValidationCodeHashCodec),
      docs: [
        ' Fetch the hash of the validation code used by a para, making the given `OccupiedCoreAssumption`.',
      ],
    },
    async_backing_params: {
      inputs: [],
      output: AsyncBackingParamsCodec,
      docs: [' Returns the state of parachain backing for a given para.'],
    },
    candidates_pending_availability: {
      inputs: [['para_id', ParaIdCodec]],
      output: vec(CommittedCandidateReceiptCodec),
      docs: [' Elastic scaling support (never any here).'],
    },
  },
};

/** The API implementation; `storageRoot` is the host's `sp_io::storage::root` of the current state. */
export function parachainHostApi(opts: { storageRoot: () => Uint8Array }): RuntimeApiImpl {
  const relayParent = () => ({ number: blockNumber(), storageRoot: opts.storageRoot() });
  const known = (para: ParaId) => isValidPara(para);
  return {
    api: ParachainHostApi,
    methods: {
      validators: () => ActiveValidatorKeys.get(),
      persisted_validation_data: (para: ParaId) =>
        known(para) ? persistedValidationData(para, relayParent()) : undefined,
      assumed_validation_data: (para: ParaId, expected: Uint8Array) => {
        if (!known(para)) return undefined;
        const pvd = persistedValidationData(para, relayParent());
        const code = CurrentCodeHash.get(para);
        if (!pvd || !code) return undefined;
        const hash = persistedValidationDataHash(pvd);
        return hash.every((b, i) => b === expected[i]) ? [pvd, code] : undefined;
      },
      check_validation_outputs: (para: ParaId, outputs) =>
        known(para) && checkValidationOutputs(para, blockNumber(), outputs) === undefined,
      session_index_for_child: () => sessionIndexForChild(),
      validation_code: (para: ParaId) => {
        const hash = CurrentCodeHash.get(para);
        return hash ? CodeByHash.get(hash) : undefined;
      },
      candidate_pending_availability: () => undefined,
      dmq_contents: (para: ParaId) => dmqContents(para),
      inbound_hrmp_channels_contents: (para: ParaId) => inboundHrmpChannelsContents(para),
      validation_code_by_hash: (hash: Uint8Array) => CodeByHash.get(hash),
      validation_code_hash: (para: ParaId) => CurrentCodeHash.get(para),
      async_backing_params: () => activeConfig().async_backing_params,
      candidates_pending_availability: () => [],
    },
  };
}
