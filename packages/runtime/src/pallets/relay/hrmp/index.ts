export * from './channels.ts';
export {
  channelKey,
  HrmpAcceptedChannelRequestCount,
  type HrmpChannel,
  HrmpChannelCodec,
  HrmpChannelContents,
  HrmpChannelDigests,
  HrmpChannels,
  HrmpCloseChannelRequests,
  HrmpCloseChannelRequestsList,
  type HrmpConfig,
  HrmpEgressChannelsIndex,
  HrmpError,
  type HrmpErrorName,
  HrmpEvent,
  HrmpIngressChannelsIndex,
  type HrmpNotification,
  type HrmpOpenChannelRequest,
  HrmpOpenChannelRequestCodec,
  HrmpOpenChannelRequestCount,
  HrmpOpenChannelRequests,
  HrmpOpenChannelRequestsList,
  HrmpWatermarks,
} from './items.ts';
export * from './messages.ts';
export { Hrmp } from './pallet.ts';
