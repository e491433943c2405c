/**
 * Opening and closing HRMP channels (polkadot-sdk `hrmp.rs`): a sender's request (`init_open_channel`, sender
 * deposit reserved), the recipient's acceptance (`accept_open_channel`, recipient deposit reserved), both taking effect
 * at the next session change (`processOpenChannelRequests`); closing requested by either side, effective at the next
 * session change too (deposits returned). Channels with a system para (id < 2000) need no deposits.
 */
import { accountKind } from '../../../frame/account.ts';
import { DispatchFailure } from '../../../frame/dispatch-error.ts';
import {
  compareChannelIds,
  type HrmpChannelId,
  isSystemPara,
  type ParaId,
  paraSovereignAccount,
} from '../../../parachains/ids.ts';
import { activeConfig, type HostConfiguration } from '../configuration.ts';
import { queueDownwardMessage } from '../dmp.ts';
import { isValidPara } from '../paras.ts';
import {
  HrmpAcceptedChannelRequestCount,
  HrmpChannelContents,
  HrmpChannels,
  HrmpCloseChannelRequests,
  HrmpCloseChannelRequestsList,
  HrmpEgressChannelsIndex,
  HrmpError,
  HrmpIngressChannelsIndex,
  type HrmpNotification,
  HrmpOpenChannelRequestCount,
  HrmpOpenChannelRequests,
  HrmpOpenChannelRequestsList,
  p,
} from './items.ts';

const sovereign = (id: ParaId) => paraSovereignAccount(id, accountKind().length);
const sameChannel = (a: HrmpChannelId) => (b: HrmpChannelId) => compareChannelIds(a, b) === 0;

/** Inserts `id` into the sorted `list` if absent. */
function insertSorted(list: ParaId[], id: ParaId): ParaId[] {
  let i = 0;
  while (i < list.length && list[i] < id) i++;
  if (list[i] !== id) list.splice(i, 0, id);
  return list;
}

function removeSorted(list: ParaId[], id: ParaId): ParaId[] {
  const i = list.indexOf(id);
  if (i >= 0) list.splice(i, 1);
  return list;
}

/** `send_to_para`: the notification as a downward message, if the runtime encodes one. */
function notify(dest: ParaId, n: HrmpNotification): void {
  const bytes = p.config().notification?.(dest, n);
  if (bytes) queueDownwardMessage(dest, bytes);
}

/** `init_open_channel` (`deposit` overrides the configured sender deposit). */
export function initOpenChannel(
  origin: ParaId,
  recipient: ParaId,
  proposedMaxCapacity: number,
  proposedMaxMessageSize: number,
  deposit?: bigint,
): void {
  if (origin === recipient) throw HrmpError.fail('OpenHrmpChannelToSelf');
  if (!isValidPara(recipient)) throw HrmpError.fail('OpenHrmpChannelInvalidRecipient');
  const config = activeConfig();
  if (proposedMaxCapacity === 0) throw HrmpError.fail('OpenHrmpChannelZeroCapacity');
  if (proposedMaxCapacity > config.hrmp_channel_max_capacity)
    throw HrmpError.fail('OpenHrmpChannelCapacityExceedsLimit');
  if (proposedMaxMessageSize === 0) throw HrmpError.fail('OpenHrmpChannelZeroMessageSize');
  if (proposedMaxMessageSize > config.hrmp_channel_max_message_size)
    throw HrmpError.fail('OpenHrmpChannelMessageSizeExceedsLimit');
  const id = { sender: origin, recipient };
  if (HrmpOpenChannelRequests.contains(id)) throw HrmpError.fail('OpenHrmpChannelAlreadyRequested');
  if (HrmpChannels.contains(id)) throw HrmpError.fail('OpenHrmpChannelAlreadyExists');
  const egress = HrmpEgressChannelsIndex.get(origin).length;
  const openRequests = HrmpOpenChannelRequestCount.get(origin);
  if (egress + openRequests >= config.hrmp_max_parachain_outbound_channels)
    throw HrmpError.fail('OpenHrmpChannelLimitExceeded');

  const system = isSystemPara(origin) || isSystemPara(recipient);
  const senderDeposit = deposit ?? (system ? 0n : config.hrmp_sender_deposit);
  if (senderDeposit > 0n) p.config().currency.reserve(sovereign(origin), senderDeposit);

  HrmpOpenChannelRequestCount.set(origin, openRequests + 1);
  HrmpOpenChannelRequests.set(id, {
    confirmed: false,
    _age: 0,
    sender_deposit: senderDeposit,
    max_capacity: proposedMaxCapacity,
    max_message_size: proposedMaxMessageSize,
    max_total_size: config.hrmp_channel_max_total_size,
  });
  HrmpOpenChannelRequestsList.mutate((l) => {
    l.push(id);
  });
  notify(recipient, {
    type: 'HrmpNewChannelOpenRequest',
    sender: origin,
    max_capacity: proposedMaxCapacity,
    max_message_size: proposedMaxMessageSize,
  });
}

/** `accept_open_channel`: `origin` (the recipient) confirms `sender`'s request. */
export function acceptOpenChannel(origin: ParaId, sender: ParaId, deposit?: bigint): void {
  const id = { sender, recipient: origin };
  const request = HrmpOpenChannelRequests.get(id);
  if (!request) throw HrmpError.fail('AcceptHrmpChannelDoesntExist');
  if (request.confirmed) throw HrmpError.fail('AcceptHrmpChannelAlreadyConfirmed');
  const config = activeConfig();
  const ingress = HrmpIngressChannelsIndex.get(origin).length;
  const accepted = HrmpAcceptedChannelRequestCount.get(origin);
  if (ingress + accepted >= config.hrmp_max_parachain_inbound_channels)
    throw HrmpError.fail('AcceptHrmpChannelLimitExceeded');
  const system = isSystemPara(origin) || isSystemPara(sender);
  const recipientDeposit = deposit ?? (system ? 0n : config.hrmp_recipient_deposit);
  if (recipientDeposit > 0n) p.config().currency.reserve(sovereign(origin), recipientDeposit);
  HrmpOpenChannelRequests.set(id, { ...request, confirmed: true });
  HrmpAcceptedChannelRequestCount.set(origin, accepted + 1);
  notify(sender, { type: 'HrmpChannelAccepted', recipient: origin });
}

function decreaseCount(map: typeof HrmpOpenChannelRequestCount, id: ParaId): void {
  const n = map.get(id);
  if (n <= 1) map.remove(id);
  else map.set(id, n - 1);
}

/** `cancel_open_request`: either party withdraws an unconfirmed request; the sender's deposit is returned. */
export function cancelOpenRequest(origin: ParaId, id: HrmpChannelId): void {
  if (origin !== id.sender && origin !== id.recipient)
    throw HrmpError.fail('CancelHrmpOpenChannelUnauthorized');
  const request = HrmpOpenChannelRequests.get(id);
  if (!request) throw HrmpError.fail('OpenHrmpChannelDoesntExist');
  if (request.confirmed) throw HrmpError.fail('OpenHrmpChannelAlreadyConfirmed');
  HrmpOpenChannelRequests.remove(id);
  HrmpOpenChannelRequestsList.set(HrmpOpenChannelRequestsList.get().filter((x) => !sameChannel(id)(x)));
  decreaseCount(HrmpOpenChannelRequestCount, id.sender);
  if (request.sender_deposit > 0n)
    p.config().currency.unreserve(sovereign(id.sender), request.sender_deposit);
}

/** `close_channel`: either party asks to close an open channel at the next session change. */
export function closeChannel(origin: ParaId, id: HrmpChannelId): void {
  if (origin !== id.sender && origin !== id.recipient) throw HrmpError.fail('CloseHrmpChannelUnauthorized');
  if (!HrmpChannels.contains(id)) throw HrmpError.fail('CloseHrmpChannelDoesntExist');
  if (HrmpCloseChannelRequests.contains(id)) throw HrmpError.fail('CloseHrmpChannelAlreadyUnderway');
  HrmpCloseChannelRequests.set(id, undefined);
  HrmpCloseChannelRequestsList.mutate((l) => {
    l.push(id);
  });
  const other = origin === id.sender ? id.recipient : id.sender;
  notify(other, {
    type: 'HrmpChannelClosing',
    initiator: origin,
    sender: id.sender,
    recipient: id.recipient,
  });
}

/**
 * `process_hrmp_open_channel_requests`: every confirmed request becomes a channel (if both paras are still valid);
 * unconfirmed ones wait. `config` is the configuration of the session that just ended.
 */
export function processOpenChannelRequests(config: HostConfiguration): void {
  const list = HrmpOpenChannelRequestsList.get();
  if (list.length === 0) return;
  // polkadot-sdk walks the list from the end with swap_remove; the resulting order is kept the same way.
  for (let i = list.length - 1; i >= 0; i--) {
    const id = list[i];
    const request = HrmpOpenChannelRequests.get(id);
    if (!request?.confirmed) continue;
    if (isValidPara(id.sender) && isValidPara(id.recipient)) {
      const system = isSystemPara(id.sender) || isSystemPara(id.recipient);
      // A request whose sender deposit was waived was waived at both ends.
      const waived = system || (request.sender_deposit === 0n && config.hrmp_sender_deposit !== 0n);
      HrmpChannels.set(id, {
        max_capacity: request.max_capacity,
        max_total_size: request.max_total_size,
        max_message_size: request.max_message_size,
        msg_count: 0,
        total_size: 0,
        mqc_head: undefined,
        sender_deposit: request.sender_deposit,
        recipient_deposit: waived ? 0n : config.hrmp_recipient_deposit,
      });
      HrmpIngressChannelsIndex.set(
        id.recipient,
        insertSorted(HrmpIngressChannelsIndex.get(id.recipient), id.sender),
      );
      HrmpEgressChannelsIndex.set(
        id.sender,
        insertSorted(HrmpEgressChannelsIndex.get(id.sender), id.recipient),
      );
    }
    decreaseCount(HrmpOpenChannelRequestCount, id.sender);
    decreaseCount(HrmpAcceptedChannelRequestCount, id.recipient);
    // swap_remove
    list[i] = list[list.length - 1];
    list.pop();
    HrmpOpenChannelRequests.remove(id);
  }
  HrmpOpenChannelRequestsList.set(list);
}

/** `process_hrmp_close_channel_requests`: closes every channel whose closing was requested. */
export function processCloseChannelRequests(): void {
  for (const id of HrmpCloseChannelRequestsList.take()) {
    HrmpCloseChannelRequests.remove(id);
    closeHrmpChannel(id);
  }
}

/** `close_hrmp_channel`: removes the channel, its messages and index entries; returns both deposits. Idempotent. */
export function closeHrmpChannel(id: HrmpChannelId): void {
  const channel = HrmpChannels.take(id);
  if (channel) {
    const currency = p.config().currency;
    if (channel.sender_deposit > 0n) currency.unreserve(sovereign(id.sender), channel.sender_deposit);
    if (channel.recipient_deposit > 0n)
      currency.unreserve(sovereign(id.recipient), channel.recipient_deposit);
  }
  HrmpChannelContents.remove(id);
  HrmpEgressChannelsIndex.set(id.sender, removeSorted(HrmpEgressChannelsIndex.get(id.sender), id.recipient));
  HrmpIngressChannelsIndex.set(
    id.recipient,
    removeSorted(HrmpIngressChannelsIndex.get(id.recipient), id.sender),
  );
}

/** `clean_hrmp_after_outgoing`: every channel of an offboarded para closes. */
export function cleanHrmpAfterOutgoing(para: ParaId): void {
  HrmpOpenChannelRequestCount.remove(para);
  HrmpAcceptedChannelRequestCount.remove(para);
  const channels = [
    ...HrmpIngressChannelsIndex.take(para).map((sender) => ({ sender, recipient: para })),
    ...HrmpEgressChannelsIndex.take(para).map((recipient) => ({ sender: para, recipient })),
  ].sort(compareChannelIds);
  for (let i = 0; i < channels.length; i++) {
    if (i > 0 && compareChannelIds(channels[i - 1], channels[i]) === 0) continue;
    closeHrmpChannel(channels[i]);
  }
}

/** Session change (`initializer_on_new_session`): requests made in the ending session take effect. */
export function hrmpOnNewSession(prevConfig: HostConfiguration, outgoing: readonly ParaId[]): void {
  for (const para of outgoing) cleanHrmpAfterOutgoing(para);
  processOpenChannelRequests(prevConfig);
  processCloseChannelRequests();
}

export class HrmpGenesisError extends Error {
  override name = 'HrmpGenesisError';
}

/** Genesis `preopen_hrmp_channels`: as if requested and accepted, then a session change. */
export function preopenHrmpChannels(
  channels: ReadonlyArray<readonly [ParaId, ParaId, number, number]>,
): void {
  for (const [sender, recipient, maxCapacity, maxMessageSize] of channels) {
    try {
      initOpenChannel(sender, recipient, maxCapacity, maxMessageSize);
      acceptOpenChannel(recipient, sender);
    } catch (err) {
      if (err instanceof DispatchFailure)
        throw new HrmpGenesisError(`cannot preopen HRMP channel ${sender} → ${recipient}: ${err.message}`);
      throw err;
    }
  }
  processOpenChannelRequests(activeConfig());
}
