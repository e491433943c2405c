/** `sp_consensus_aura::AuraApi` (version 1): the slot duration and the current authorities, for the node. */
import type { RuntimeApiDecl, RuntimeApiImpl } from '../../frame/runtime-version.ts';
import { vec } from '../../scale/composite.ts';
import { AuraAuthorityIdCodec, Authorities, SlotDurationCodec, slotDuration } from './pallet.ts';

export const AuraApiDecl: RuntimeApiDecl = {
  name: 'AuraApi',
  version: 1,
  docs: [' API necessary for block authorship with aura.'],
  methods: {
    slot_duration: {
      inputs: [],
      output: SlotDurationCodec,
      docs: [
        ' Returns the slot duration for Aura.',
        '',
        ' Currently, only the value provided by this type at genesis will be used.',
      ],
    },
    authorities: {
      inputs: [],
      output: vec(AuraAuthorityIdCodec),
      docs: [' Return the current set of authorities.'],
    },
  },
};

export const auraApi: RuntimeApiImpl = {
  api: AuraApiDecl,
  methods: {
    slot_duration: () => slotDuration(),
    authorities: () => Authorities.get(),
  },
};
