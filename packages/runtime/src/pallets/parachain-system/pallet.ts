/**
 * cumulus_pallet_parachain_system (cumulus/pallets/parachain-system): `ParachainSystem`. The Mandatory inherent
 * `set_validation_data` (call 0) brings the relay parent's validation data, a proof of the relay state we need,
 * and the downward and horizontal messages; `sudo_send_upward_message` (call 1, Root). `on_initialize` clears the
 * previous block's outputs; `on_finalize` fills this block's (`UpwardMessages`, `HrmpOutboundMessages`,
 * `LastRelayChainBlockNumber`), which the collator turns into the candidate's commitments.
 */
import { Digest, ParentHash } from '../system/pallet.ts';
import { ensureNone, ensureRoot } from '../../frame/origin.ts';
import { call, constant } from '../../frame/pallet.ts';
import { addWeight, type Weight, weight } from '../../frame/weights.ts';
import { headDataHash, type ParaId, ParaIdCodec } from '../../parachains/ids.ts';
import { bytes, compact, u32 } from '../../scale/primitives.ts';
import { tuple } from '../../scale/composite.ts';
import { H256 } from '../../extrinsic/primitives.ts';
import { equalBytes, toHex } from '../../trie/nibbles.ts';
import { enqueueInboundDownwardMessages, enqueueInboundHorizontalMessages } from './inbound.ts';
import {
  AnnouncedHrmpMessagesPerCandidate,
  CustomValidationHeadData,
  db,
  DidSetValidationCode,
  HostConfiguration,
  HrmpOutboundMessages,
  HrmpWatermark,
  LastRelayChainBlockNumber,
  NewValidationCode,
  p,
  ProcessedDownwardMessages,
  RelayStateProof,
  RelevantMessagingState,
  UpgradeGoAheadStorage,
  UpgradeRestrictionSignal,
  UpwardMessages,
  ValidationData,
} from './items.ts';
import { moveUpwardMessages, sendUpwardMessage, takeHrmpOutbound } from './outbound.ts';
import { ParachainSystemPanic } from './panic.ts';
import { RelayChainStateProof, RelayStateProofError } from './relay-state.ts';
import { ParachainInherentDataCodec, type ParachainSystemConfig, type RelayNumberRule } from './types.ts';
import { applyGoAhead } from './upgrade.ts';

export function selfParaId(): ParaId {
  const id = p.config().selfParaId;
  return typeof id === 'function' ? id() : id;
}

function checkAssociatedRelayNumber(rule: RelayNumberRule, current: number, previous: number): void {
  if (rule === 'StrictlyIncreases' && current <= previous)
    throw new ParachainSystemPanic(
      'RelayParentNumber',
      `Relay chain block number needs to strictly increase between Parachain blocks! (${current} after ${previous})`,
    );
  if (rule === 'MonotonicallyIncreases' && current < previous)
    throw new ParachainSystemPanic(
      'RelayParentNumber',
      `Relay chain block number needs to monotonically increase between Parachain blocks! (${current} after ${previous})`,
    );
}

/** `rpsr_digest::relay_parent_storage_root_item`: Consensus(b"RPSR", (root, Compact(number)).encode()). */
const RPSR = new TextEncoder().encode('RPSR');
const RpsrCodec = tuple(H256, compact(u32));

function relayStateProof(
  paraId: ParaId,
  root: Uint8Array,
  nodes: Iterable<Uint8Array>,
): RelayChainStateProof {
  try {
    return new RelayChainStateProof(paraId, root, nodes);
  } catch (err) {
    throw new ParachainSystemPanic('InvalidRelayChainStateProof', (err as Error).message, { cause: err });
  }
}

function proven<T>(read: () => T): T {
  try {
    return read();
  } catch (err) {
    if (err instanceof RelayStateProofError)
      throw new ParachainSystemPanic('InvalidRelayChainStateProof', err.message, { cause: err });
    throw err;
  }
}

export const ParachainSystem = p.build({
  docs: [],
  calls: {
    set_validation_data: call(
      0,
      { data: ParachainInherentDataCodec },
      {
        weight: () => weight(0, 0),
        class: 'Mandatory',
        dispatch(origin, { data }) {
          ensureNone(origin);
          if (ValidationData.exists())
            throw new ParachainSystemPanic(
              'ValidationDataSetTwice',
              'ValidationData must be updated only once in a block',
            );
          const config = p.config();
          const paraId = selfParaId();
          const vfp = data.validation_data;
          checkAssociatedRelayNumber(
            config.checkAssociatedRelayNumber,
            vfp.relay_parent_number,
            LastRelayChainBlockNumber.get(),
          );
          const proof = relayStateProof(
            paraId,
            vfp.relay_parent_storage_root,
            data.relay_chain_state.trie_nodes,
          );

          if (config.expectParentIncluded) {
            // ExpectParentIncluded: the relay's latest head of ours is our parent (absent: an old collator).
            const head = proven(() => proof.readIncludedParaHead());
            if (head !== undefined && !equalBytes(headDataHash(head), ParentHash.get()))
              throw new ParachainSystemPanic(
                'ParentNotIncluded',
                `the relay's head of para ${paraId} hashes to ${toHex(headDataHash(head))}, our parent is ${toHex(ParentHash.get())}`,
              );
          }

          Digest.mutate((d) => {
            d.logs.push({
              type: 'Consensus',
              value: [RPSR, RpsrCodec.encode([vfp.relay_parent_storage_root, vfp.relay_parent_number])],
            });
          });

          const goAhead = proven(() => proof.readUpgradeGoAheadSignal());
          applyGoAhead(goAhead, vfp.relay_parent_number);
          UpgradeRestrictionSignal.set(proven(() => proof.readUpgradeRestrictionSignal()) ?? 'None');
          UpgradeGoAheadStorage.set(goAhead ?? 'None');

          const host = proven(() => proof.readAbridgedHostConfiguration());
          const messaging = proven(() => proof.readMessagingStateSnapshot(host));

          ValidationData.set(vfp);
          RelayStateProof.set(data.relay_chain_state);
          RelevantMessagingState.set(messaging);
          HostConfiguration.set(host);
          config.onValidationData?.(vfp);

          let total: Weight = enqueueInboundDownwardMessages(
            messaging.dmq_mqc_head,
            data.downward_messages,
            vfp.relay_parent_number,
          );
          total = addWeight(
            total,
            enqueueInboundHorizontalMessages(
              messaging.ingress_channels,
              data.horizontal_messages,
              vfp.relay_parent_number,
            ),
          );
          return { actualWeight: total, paysFee: 'No' };
        },
        typeNames: { data: 'ParachainInherentData' },
        docs: [
          ' Set the current validation data.',
          '',
          ' This should be invoked exactly once per block. It will panic at the finalization',
          ' phase if the call was not invoked.',
          '',
          ' The dispatch origin for this call must be `Inherent`',
          '',
          ' As a side effect, this function upgrades the current validation function',
          ' if the appropriate time has come.',
        ],
      },
    ),
    sudo_send_upward_message: call(
      1,
      { message: bytes },
      {
        weight: () => weight(1_000, 0),
        class: 'Operational',
        dispatch(origin, { message }) {
          ensureRoot(origin);
          sendUpwardMessage(message);
        },
        typeNames: { message: 'UpwardMessage' },
      },
    ),
  },
  constants: {
    SelfParaId: constant(
      ParaIdCodec,
      (c: ParachainSystemConfig) => (typeof c.selfParaId === 'function' ? c.selfParaId() : c.selfParaId),
      [' Returns the parachain ID we are running with.'],
    ),
  },
  hooks: {
    onInitialize() {
      let w = weight(0, 0);
      // Keep a NewValidationCode another on_initialize already set this block.
      if (!DidSetValidationCode.get()) {
        NewValidationCode.kill();
        w = addWeight(w, db(0, 1));
      }
      ValidationData.kill();
      ProcessedDownwardMessages.kill();
      HrmpWatermark.kill();
      UpwardMessages.kill();
      HrmpOutboundMessages.kill();
      CustomValidationHeadData.kill();
      w = addWeight(w, db(0, 6));
      // The announced HRMP count follows the (possibly stale) configuration: on_finalize takes no more pages.
      const announced = HostConfiguration.get()?.hrmp_max_message_num_per_candidate ?? 0;
      AnnouncedHrmpMessagesPerCandidate.set(announced);
      w = addWeight(w, db(1, 1));
      w = addWeight(w, db(3 + announced, 4 + announced));
      w = addWeight(w, db(1, 1));
      w = addWeight(w, db(1, 0));
      return w;
    },
    onFinalize() {
      DidSetValidationCode.kill();
      UpgradeRestrictionSignal.kill();
      UpgradeGoAheadStorage.kill();
      const vfp = ValidationData.get();
      if (!vfp)
        throw new ParachainSystemPanic(
          'ValidationDataMissing',
          'set_validation_data inherent needs to be present in every block!',
        );
      LastRelayChainBlockNumber.set(vfp.relay_parent_number);
      moveUpwardMessages();
      takeHrmpOutbound();
    },
  },
});
