/**
 * `polkadot_runtime_parachains::hrmp` storage, events, errors and config (pallet `Hrmp`), with polkadot-sdk's names,
 * hashers and layouts (`HrmpChannels`, `HrmpIngressChannelsIndex`, `HrmpEgressChannelsIndex` are well-known keys a
 * parachain reads through its relay state proof).
 */
import { H256 } from '../../../extrinsic/primitives.ts';
import { pallet } from '../../../frame/pallet.ts';
import { type HrmpChannelId, HrmpChannelIdCodec, type ParaId, ParaIdCodec } from '../../../parachains/ids.ts';
import { InboundHrmpMessageCodec } from '../../../parachains/messages.ts';
import { bool, type Codec, option, struct, tuple, u32, u128, unit, vec } from '../../../scale/index.ts';

const HRMP = ['polkadot_runtime_parachains', 'hrmp'];

/** `HrmpOpenChannelRequest`. */
export interface HrmpOpenChannelRequest {
  confirmed: boolean;
  /** Deprecated in polkadot-sdk (requests do not expire); always 0. */
  _age: number;
  sender_deposit: bigint;
  max_message_size: number;
  max_capacity: number;
  max_total_size: number;
}
export const HrmpOpenChannelRequestCodec: Codec<HrmpOpenChannelRequest> = struct(
  {
    confirmed: bool,
    _age: u32,
    sender_deposit: u128,
    max_message_size: u32,
    max_capacity: u32,
    max_total_size: u32,
  },
  { _age: 'SessionIndex', sender_deposit: 'Balance' },
).named([...HRMP, 'HrmpOpenChannelRequest']);

/** `HrmpChannel`: an `AbridgedHrmpChannel` followed by the two deposits. */
export interface HrmpChannel {
  max_capacity: number;
  max_total_size: number;
  max_message_size: number;
  msg_count: number;
  total_size: number;
  mqc_head: Uint8Array | undefined;
  sender_deposit: bigint;
  recipient_deposit: bigint;
}
export const HrmpChannelCodec: Codec<HrmpChannel> = struct(
  {
    max_capacity: u32,
    max_total_size: u32,
    max_message_size: u32,
    msg_count: u32,
    total_size: u32,
    mqc_head: option(H256),
    sender_deposit: u128,
    recipient_deposit: u128,
  },
  { mqc_head: 'Option<Hash>', sender_deposit: 'Balance', recipient_deposit: 'Balance' },
).named([...HRMP, 'HrmpChannel']);

/** What polkadot-sdk tells a para over DMP (as XCM) when a channel of theirs changes. */
export type HrmpNotification =
  | { type: 'HrmpNewChannelOpenRequest'; sender: ParaId; max_capacity: number; max_message_size: number }
  | { type: 'HrmpChannelAccepted'; recipient: ParaId }
  | { type: 'HrmpChannelClosing'; initiator: ParaId; sender: ParaId; recipient: ParaId };

export interface HrmpConfig {
  /**
   * `ReservableCurrency` for the channel deposits, held on the paras' sovereign accounts
   * (`"para" ++ u32_le(id) ++ zeros`). `reserve` fails by throwing a DispatchFailure.
   */
  currency: {
    reserve(who: Uint8Array, amount: bigint): void;
    unreserve(who: Uint8Array, amount: bigint): bigint;
  };
  /** `DefaultChannelSizeAndCapacityWithSystem`: (max_message_size, max_capacity) of channels with system paras. */
  defaultChannelSizeAndCapacityWithSystem?: readonly [maxMessageSize: number, maxCapacity: number];
  /**
   * Encodes a notification for `dest` as the downward message polkadot-sdk sends (a `VersionedXcm` with the
   * `HrmpNewChannelOpenRequest` / `HrmpChannelAccepted` / `HrmpChannelClosing` instruction); undefined sends nothing.
   * Absent: no notifications.
   */
  notification?: (dest: ParaId, notification: HrmpNotification) => Uint8Array | undefined;
}

export const p = pallet<HrmpConfig>('Hrmp', { module: 'polkadot_runtime_parachains::hrmp' });

export const HrmpOpenChannelRequests = p.map(
  'HrmpOpenChannelRequests',
  ['Twox64Concat', HrmpChannelIdCodec],
  HrmpOpenChannelRequestCodec,
  { docs: [' The set of pending HRMP open channel requests.'] },
);
export const HrmpOpenChannelRequestsList = p.value('HrmpOpenChannelRequestsList', vec(HrmpChannelIdCodec), {
  default: [],
});
export const HrmpOpenChannelRequestCount = p.map(
  'HrmpOpenChannelRequestCount',
  ['Twox64Concat', ParaIdCodec],
  u32,
  {
    default: 0,
    docs: [' This mapping tracks how many open channel requests are initiated by a given sender para.'],
  },
);
export const HrmpAcceptedChannelRequestCount = p.map(
  'HrmpAcceptedChannelRequestCount',
  ['Twox64Concat', ParaIdCodec],
  u32,
  {
    default: 0,
    docs: [' This mapping tracks how many open channel requests were accepted by a given recipient para.'],
  },
);
export const HrmpCloseChannelRequests = p.map(
  'HrmpCloseChannelRequests',
  ['Twox64Concat', HrmpChannelIdCodec],
  unit,
  {
    docs: [
      ' A set of pending HRMP close channel requests that are going to be closed during the session',
      ' change.',
    ],
  },
);
export const HrmpCloseChannelRequestsList = p.value('HrmpCloseChannelRequestsList', vec(HrmpChannelIdCodec), {
  default: [],
});
export const HrmpWatermarks = p.map('HrmpWatermarks', ['Twox64Concat', ParaIdCodec], u32, {
  docs: [' The HRMP watermark associated with each para.'],
});
export const HrmpChannels = p.map('HrmpChannels', ['Twox64Concat', HrmpChannelIdCodec], HrmpChannelCodec, {
  docs: [' HRMP channel data associated with each para.'],
});
export const HrmpIngressChannelsIndex = p.map(
  'HrmpIngressChannelsIndex',
  ['Twox64Concat', ParaIdCodec],
  vec(ParaIdCodec),
  {
    default: [],
    docs: [' Ingress index: the senders of the channels to a given recipient (sorted).'],
  },
);
export const HrmpEgressChannelsIndex = p.map(
  'HrmpEgressChannelsIndex',
  ['Twox64Concat', ParaIdCodec],
  vec(ParaIdCodec),
  {
    default: [],
    docs: [' Egress index: the recipients of the channels from a given sender (sorted).'],
  },
);
export const HrmpChannelContents = p.map(
  'HrmpChannelContents',
  ['Twox64Concat', HrmpChannelIdCodec],
  vec(InboundHrmpMessageCodec),
  { default: [], docs: [' Storage for the messages for each channel.'] },
);
export const HrmpChannelDigests = p.map(
  'HrmpChannelDigests',
  ['Twox64Concat', ParaIdCodec],
  vec(tuple(u32, vec(ParaIdCodec))),
  {
    default: [],
    docs: [' What paras sent a message at the given block number for a given receiver (ascending by block).'],
  },
);

const openEvent = {
  sender: ParaIdCodec,
  recipient: ParaIdCodec,
  proposed_max_capacity: u32,
  proposed_max_message_size: u32,
};
export const HrmpEvent = p.events({
  OpenChannelRequested: [0, openEvent, [' Open HRMP channel requested.']],
  OpenChannelCanceled: [
    1,
    { by_parachain: ParaIdCodec, channel_id: HrmpChannelIdCodec },
    [' An HRMP channel request sent by the receiver was canceled by either party.'],
  ],
  OpenChannelAccepted: [2, { sender: ParaIdCodec, recipient: ParaIdCodec }, [' Open HRMP channel accepted.']],
  ChannelClosed: [
    3,
    { by_parachain: ParaIdCodec, channel_id: HrmpChannelIdCodec },
    [' HRMP channel closed.'],
  ],
  HrmpChannelForceOpened: [4, openEvent, [' An HRMP channel was opened via Root origin.']],
  HrmpSystemChannelOpened: [5, openEvent, [' An HRMP channel was opened with a system chain.']],
  OpenChannelDepositsUpdated: [
    6,
    { sender: ParaIdCodec, recipient: ParaIdCodec },
    [" An HRMP channel's deposits were updated."],
  ],
});

export const HrmpError = p.errors({
  OpenHrmpChannelToSelf: [0, [' The sender tried to open a channel to themselves.']],
  OpenHrmpChannelInvalidRecipient: [1, [' The recipient is not a valid para.']],
  OpenHrmpChannelZeroCapacity: [2, [' The requested capacity is zero.']],
  OpenHrmpChannelCapacityExceedsLimit: [3, [' The requested capacity exceeds the global limit.']],
  OpenHrmpChannelZeroMessageSize: [4, [' The requested maximum message size is 0.']],
  OpenHrmpChannelMessageSizeExceedsLimit: [
    5,
    [' The open request requested the message size that exceeds the global limit.'],
  ],
  OpenHrmpChannelAlreadyExists: [6, [' The channel already exists']],
  OpenHrmpChannelAlreadyRequested: [7, [' There is already a request to open the same channel.']],
  OpenHrmpChannelLimitExceeded: [
    8,
    [' The sender already has the maximum number of allowed outbound channels.'],
  ],
  AcceptHrmpChannelDoesntExist: [9, [" The channel from the sender to the origin doesn't exist."]],
  AcceptHrmpChannelAlreadyConfirmed: [10, [' The channel is already confirmed.']],
  AcceptHrmpChannelLimitExceeded: [
    11,
    [' The recipient already has the maximum number of allowed inbound channels.'],
  ],
  CloseHrmpChannelUnauthorized: [
    12,
    [' The origin tries to close a channel where it is neither the sender nor the recipient.'],
  ],
  CloseHrmpChannelDoesntExist: [13, [" The channel to be closed doesn't exist."]],
  CloseHrmpChannelAlreadyUnderway: [14, [' The channel close request is already requested.']],
  CancelHrmpOpenChannelUnauthorized: [
    15,
    [' Canceling is requested by neither the sender nor recipient of the open channel request.'],
  ],
  OpenHrmpChannelDoesntExist: [16, [" The open request doesn't exist."]],
  OpenHrmpChannelAlreadyConfirmed: [
    17,
    [' Cannot cancel an HRMP open channel request because it is already confirmed.'],
  ],
  WrongWitness: [18, [' The provided witness data is wrong.']],
  ChannelCreationNotAuthorized: [19, [' The channel between these two chains cannot be authorized.']],
});

export type HrmpErrorName = Parameters<typeof HrmpError.fail>[0];

export function channelKey(sender: ParaId, recipient: ParaId): HrmpChannelId {
  return { sender, recipient };
}
