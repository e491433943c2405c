/**
 * The `Hrmp` pallet's calls and genesis, at polkadot-sdk's call indices. A para's own requests
 * (`hrmp_init_open_channel`, `hrmp_accept_open_channel`, `hrmp_close_channel`, `hrmp_cancel_open_request`,
 * `establish_channel_with_system`) need the `Parachain(id)` origin (an XCM Transact from the para); the `force_*` calls
 * need Root (polkadot-sdk's `ChannelManager`). Requests take effect at the next session change.
 */

import { accountKind } from '../../../frame/account.ts';
import { ensureRoot, ensureSigned } from '../../../frame/origin.ts';
import { call } from '../../../frame/pallet.ts';
import { weight } from '../../../frame/weights.ts';
import {
  HrmpChannelIdCodec,
  isSystemPara,
  type ParaId,
  ParaIdCodec,
  paraSovereignAccount,
} from '../../../parachains/ids.ts';
import { u32 } from '../../../scale/index.ts';
import { activeConfig } from '../configuration.ts';
import { ensureParachain } from '../origin.ts';
import {
  acceptOpenChannel,
  cancelOpenRequest,
  cleanHrmpAfterOutgoing,
  closeChannel,
  initOpenChannel,
  preopenHrmpChannels,
  processCloseChannelRequests,
  processOpenChannelRequests,
} from './channels.ts';
import {
  HrmpChannels,
  HrmpCloseChannelRequestsList,
  HrmpEgressChannelsIndex,
  HrmpError,
  HrmpEvent,
  HrmpIngressChannelsIndex,
  HrmpOpenChannelRequests,
  HrmpOpenChannelRequestsList,
  p,
} from './items.ts';

// polkadot-sdk's Polkadot weights (runtime/polkadot/src/weights/runtime_parachains_hrmp.rs), rounded.
const w = {
  init: () => weight(850_000_000, 3_900),
  accept: () => weight(770_000_000, 3_800),
  close: () => weight(650_000_000, 3_700),
  force: () => weight(900_000_000, 6_000),
};

/** The para accounts that hold deposits. */
const sovereign = (id: ParaId) => paraSovereignAccount(id, accountKind().length);

export const Hrmp = p.build({
  docs: [' Horizontally relay-routed message passing: channels between paras and their messages.'],
  calls: {
    hrmp_init_open_channel: call(
      0,
      { recipient: ParaIdCodec, proposed_max_capacity: u32, proposed_max_message_size: u32 },
      {
        weight: w.init,
        dispatch(origin, { recipient, proposed_max_capacity, proposed_max_message_size }) {
          const sender = ensureParachain(origin);
          initOpenChannel(sender, recipient, proposed_max_capacity, proposed_max_message_size);
          HrmpEvent.deposit({
            type: 'OpenChannelRequested',
            value: { sender, recipient, proposed_max_capacity, proposed_max_message_size },
          });
        },
        typeNames: { recipient: 'ParaId' },
        docs: [
          ' Initiate opening a channel from a parachain to a given recipient with given channel',
          ' parameters. The channel can be opened only after the recipient confirms it and only on a',
          ' session change.',
        ],
      },
    ),
    hrmp_accept_open_channel: call(
      1,
      { sender: ParaIdCodec },
      {
        weight: w.accept,
        dispatch(origin, { sender }) {
          const recipient = ensureParachain(origin);
          acceptOpenChannel(recipient, sender);
          HrmpEvent.deposit({ type: 'OpenChannelAccepted', value: { sender, recipient } });
        },
        typeNames: { sender: 'ParaId' },
        docs: [
          ' Accept a pending open channel request from the given sender.',
          '',
          ' The channel will be opened only on the next session boundary.',
        ],
      },
    ),
    hrmp_close_channel: call(
      2,
      { channel_id: HrmpChannelIdCodec },
      {
        weight: w.close,
        dispatch(origin, { channel_id }) {
          const by = ensureParachain(origin);
          closeChannel(by, channel_id);
          HrmpEvent.deposit({ type: 'ChannelClosed', value: { by_parachain: by, channel_id } });
        },
        typeNames: { channel_id: 'HrmpChannelId' },
        docs: [
          ' Initiate unilateral closing of a channel. The origin must be either the sender or the',
          ' recipient in the channel being closed.',
          '',
          ' The closure can only happen on a session change.',
        ],
      },
    ),
    force_clean_hrmp: call(
      3,
      { para: ParaIdCodec, num_inbound: u32, num_outbound: u32 },
      {
        weight: w.force,
        dispatch(origin, { para, num_inbound, num_outbound }) {
          ensureRoot(origin);
          if (HrmpIngressChannelsIndex.get(para).length > num_inbound) throw HrmpError.fail('WrongWitness');
          if (HrmpEgressChannelsIndex.get(para).length > num_outbound) throw HrmpError.fail('WrongWitness');
          cleanHrmpAfterOutgoing(para);
        },
        typeNames: { para: 'ParaId' },
        docs: [' This extrinsic triggers the cleanup of all the HRMP storage items that a para may have.'],
      },
    ),
    force_process_hrmp_open: call(
      4,
      { channels: u32 },
      {
        weight: w.force,
        dispatch(origin, { channels }) {
          ensureRoot(origin);
          if (HrmpOpenChannelRequestsList.get().length > channels) throw HrmpError.fail('WrongWitness');
          processOpenChannelRequests(activeConfig());
        },
        docs: [' Force process HRMP open channel requests.'],
      },
    ),
    force_process_hrmp_close: call(
      5,
      { channels: u32 },
      {
        weight: w.force,
        dispatch(origin, { channels }) {
          ensureRoot(origin);
          if (HrmpCloseChannelRequestsList.get().length > channels) throw HrmpError.fail('WrongWitness');
          processCloseChannelRequests();
        },
        docs: [' Force process HRMP close channel requests.'],
      },
    ),
    hrmp_cancel_open_request: call(
      6,
      { channel_id: HrmpChannelIdCodec, open_requests: u32 },
      {
        weight: w.close,
        dispatch(origin, { channel_id, open_requests }) {
          const by = ensureParachain(origin);
          if (HrmpOpenChannelRequestsList.get().length > open_requests) throw HrmpError.fail('WrongWitness');
          cancelOpenRequest(by, channel_id);
          HrmpEvent.deposit({ type: 'OpenChannelCanceled', value: { by_parachain: by, channel_id } });
        },
        typeNames: { channel_id: 'HrmpChannelId' },
        docs: [
          ' This cancels a pending open channel request. It can be canceled by either of the sender',
          ' or the recipient for that request.',
        ],
      },
    ),
    force_open_hrmp_channel: call(
      7,
      { sender: ParaIdCodec, recipient: ParaIdCodec, max_capacity: u32, max_message_size: u32 },
      {
        weight: w.force,
        dispatch(origin, { sender, recipient, max_capacity, max_message_size }) {
          ensureRoot(origin);
          // A pending request from the sender would make init_open_channel fail: cancel it first.
          const id = { sender, recipient };
          if (HrmpOpenChannelRequests.contains(id)) cancelOpenRequest(sender, id);
          initOpenChannel(sender, recipient, max_capacity, max_message_size);
          acceptOpenChannel(recipient, sender);
          HrmpEvent.deposit({
            type: 'HrmpChannelForceOpened',
            value: {
              sender,
              recipient,
              proposed_max_capacity: max_capacity,
              proposed_max_message_size: max_message_size,
            },
          });
        },
        typeNames: { sender: 'ParaId', recipient: 'ParaId' },
        docs: [
          ' Open a channel from a `sender` to a `recipient` `ParaId`. Although opened by governance,',
          " the `max_capacity` and `max_message_size` are still subject to the Relay Chain's",
          ' configured limits. The channel opens at the next session change.',
        ],
      },
    ),
    establish_system_channel: call(
      8,
      { sender: ParaIdCodec, recipient: ParaIdCodec },
      {
        weight: w.force,
        dispatch(origin, { sender, recipient }) {
          ensureSigned(origin);
          if (!isSystemPara(sender) || !isSystemPara(recipient))
            throw HrmpError.fail('ChannelCreationNotAuthorized');
          const config = activeConfig();
          initOpenChannel(
            sender,
            recipient,
            config.hrmp_channel_max_capacity,
            config.hrmp_channel_max_message_size,
          );
          acceptOpenChannel(recipient, sender);
          HrmpEvent.deposit({
            type: 'HrmpSystemChannelOpened',
            value: {
              sender,
              recipient,
              proposed_max_capacity: config.hrmp_channel_max_capacity,
              proposed_max_message_size: config.hrmp_channel_max_message_size,
            },
          });
          return { paysFee: 'No' };
        },
        typeNames: { sender: 'ParaId', recipient: 'ParaId' },
        docs: [' Establish an HRMP channel between two system chains.'],
      },
    ),
    poke_channel_deposits: call(
      9,
      { sender: ParaIdCodec, recipient: ParaIdCodec },
      {
        weight: w.force,
        dispatch(origin, { sender, recipient }) {
          ensureSigned(origin);
          const id = { sender, recipient };
          const channel = HrmpChannels.get(id);
          if (!channel) throw HrmpError.fail('OpenHrmpChannelDoesntExist');
          const system = isSystemPara(sender) || isSystemPara(recipient);
          const config = activeConfig();
          const newSender = system ? 0n : config.hrmp_sender_deposit;
          const newRecipient = system ? 0n : config.hrmp_recipient_deposit;
          if (newSender === channel.sender_deposit && newRecipient === channel.recipient_deposit) return;
          const currency = p.config().currency;
          const settle = (who: ParaId, current: bigint, next: bigint) => {
            if (current > next) currency.unreserve(sovereign(who), current - next);
            else if (next > current) currency.reserve(sovereign(who), next - current);
          };
          settle(sender, channel.sender_deposit, newSender);
          settle(recipient, channel.recipient_deposit, newRecipient);
          HrmpChannels.set(id, { ...channel, sender_deposit: newSender, recipient_deposit: newRecipient });
          HrmpEvent.deposit({ type: 'OpenChannelDepositsUpdated', value: { sender, recipient } });
        },
        typeNames: { sender: 'ParaId', recipient: 'ParaId' },
        docs: [' Update the deposits held for an HRMP channel to the latest `Configuration`.'],
      },
    ),
    establish_channel_with_system: call(
      10,
      { target_system_chain: ParaIdCodec },
      {
        weight: w.force,
        dispatch(origin, { target_system_chain }) {
          const sender = ensureParachain(origin);
          if (!isSystemPara(target_system_chain)) throw HrmpError.fail('ChannelCreationNotAuthorized');
          const [maxMessageSize, maxCapacity] = p.config().defaultChannelSizeAndCapacityWithSystem ?? [
            activeConfig().hrmp_channel_max_message_size,
            activeConfig().hrmp_channel_max_capacity,
          ];
          initOpenChannel(sender, target_system_chain, maxCapacity, maxMessageSize);
          acceptOpenChannel(target_system_chain, sender);
          initOpenChannel(target_system_chain, sender, maxCapacity, maxMessageSize);
          acceptOpenChannel(sender, target_system_chain);
          for (const [a, b] of [
            [sender, target_system_chain],
            [target_system_chain, sender],
          ])
            HrmpEvent.deposit({
              type: 'HrmpSystemChannelOpened',
              value: {
                sender: a,
                recipient: b,
                proposed_max_capacity: maxCapacity,
                proposed_max_message_size: maxMessageSize,
              },
            });
          return { paysFee: 'No' };
        },
        typeNames: { target_system_chain: 'ParaId' },
        docs: [' Establish a bidirectional HRMP channel between a parachain and a system chain.'],
      },
    ),
  },
  genesis: {
    default: () => ({ preopenHrmpChannels: [] as Array<[ParaId, ParaId, number, number]> }),
    /** `preopen_hrmp_channels`: (sender, recipient, max_capacity, max_message_size), open from block 1. */
    build(g: { preopenHrmpChannels: Array<[ParaId, ParaId, number, number]> }) {
      preopenHrmpChannels(g.preopenHrmpChannels);
    },
  },
});
