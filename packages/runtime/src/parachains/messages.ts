/**
 * Messages between paras and the relay (polkadot-core-primitives, polkadot-parachain-primitives): outbound and
 * inbound HRMP messages, inbound downward messages, upward messages, their per-candidate bounds, and the
 * message-queue-chain (MQC) heads that let a para prove which messages it was sent.
 *
 * MQC link (polkadot-sdk `hrmp.rs` `queue_outbound_hrmp`, `dmp.rs` `queue_downward_message`, cumulus
 * `MessageQueueChain::extend_{hrmp,downward}`): `new = blake2_256((prev_head, sent_at, blake2_256(data.encode())).encode())`
 * where `data.encode()` is the payload as `Vec<u8>` (compact length first: `T::Hashing::hash_of(&data)`), `prev_head`
 * is 32 zero bytes for an empty chain, and `sent_at` the u32 relay block number the message was queued in.
 */
import { blake2_256 } from '../crypto/hashing.ts';
import { bytes, type Codec, struct, u32, vec, Writer } from '../scale/index.ts';
import { type ParaId, ParaIdCodec } from './ids.ts';

const CORE = 'polkadot_core_primitives';
const blockNumberParam = [{ name: 'BlockNumber', type: u32 }];

/** `OutboundHrmpMessage<Id>`: what a candidate sends to a sibling. */
export interface OutboundHrmpMessage {
  recipient: ParaId;
  data: Uint8Array;
}
export const OutboundHrmpMessageCodec: Codec<OutboundHrmpMessage> = struct(
  { recipient: ParaIdCodec, data: bytes },
  { recipient: 'Id', data: 'alloc::vec::Vec<u8>' },
).named([CORE, 'OutboundHrmpMessage'], { params: [{ name: 'Id', type: ParaIdCodec }] });

/** `InboundHrmpMessage<BlockNumber>`: an HRMP message as its recipient sees it. */
export interface InboundHrmpMessage {
  /** Relay block in which the sending candidate was enacted. */
  sent_at: number;
  data: Uint8Array;
}
export const InboundHrmpMessageCodec: Codec<InboundHrmpMessage> = struct(
  { sent_at: u32, data: bytes },
  { sent_at: 'BlockNumber', data: 'alloc::vec::Vec<u8>' },
).named([CORE, 'InboundHrmpMessage'], { params: blockNumberParam });

/** `InboundDownwardMessage<BlockNumber>`: a relay → para message with the relay block it was queued in. */
export interface InboundDownwardMessage {
  sent_at: number;
  msg: Uint8Array;
}
export const InboundDownwardMessageCodec: Codec<InboundDownwardMessage> = struct(
  { sent_at: u32, msg: bytes },
  { sent_at: 'BlockNumber', msg: 'DownwardMessage' },
).named([CORE, 'InboundDownwardMessage'], { params: blockNumberParam });

/** `MAX_UPWARD_MESSAGE_NUM`: the bound of `UpwardMessages` (a decode limit; the config's limits are lower). */
export const MAX_UPWARD_MESSAGE_NUM = 16 * 1024;
/** `MAX_HORIZONTAL_MESSAGE_NUM`: the bound of `HorizontalMessages`. */
export const MAX_HORIZONTAL_MESSAGE_NUM = 16 * 1024;

/** `BoundedVec<T, ConstU32<max>>`: `Vec<T>` on the wire, refusing more than `max` items either way. */
export function boundedVec<T>(of: Codec<T>, max: number): Codec<T[]> {
  const inner = vec(of, max);
  return inner.named(['bounded_collections', 'bounded_vec', 'BoundedVec'], {
    params: [{ name: 'T', type: of }, { name: 'S' }],
  });
}

/** `UpwardMessages = BoundedVec<Vec<u8>, ConstU32<MAX_UPWARD_MESSAGE_NUM>>`. */
export const UpwardMessagesCodec: Codec<Uint8Array[]> = boundedVec(bytes, MAX_UPWARD_MESSAGE_NUM);
/** `HorizontalMessages = BoundedVec<OutboundHrmpMessage<Id>, ConstU32<MAX_HORIZONTAL_MESSAGE_NUM>>`. */
export const HorizontalMessagesCodec: Codec<OutboundHrmpMessage[]> = boundedVec(
  OutboundHrmpMessageCodec,
  MAX_HORIZONTAL_MESSAGE_NUM,
);

/** The head of an empty message queue chain (`Hash::default()`). */
export const EMPTY_MQC_HEAD: Uint8Array = new Uint8Array(32);

/** One MQC link: blake2_256((prev_head, sent_at, blake2_256(payload as Vec<u8>)).encode()). */
export function extendMqc(prevHead: Uint8Array, sentAt: number, payload: Uint8Array): Uint8Array {
  if (!(prevHead instanceof Uint8Array) || prevHead.length !== 32)
    throw new TypeError('MQC head must be 32 bytes');
  const w = new Writer(72);
  bytes.write(w, payload);
  const payloadHash = blake2_256(w.finish());
  const link = new Writer(68);
  link.bytes(prevHead);
  u32.write(link, sentAt);
  link.bytes(payloadHash);
  return blake2_256(link.finish());
}

/** `MessageQueueChain::extend_hrmp`. */
export function extendHrmpMqc(prevHead: Uint8Array, msg: InboundHrmpMessage): Uint8Array {
  return extendMqc(prevHead, msg.sent_at, msg.data);
}

/** `MessageQueueChain::extend_downward`. */
export function extendDownwardMqc(prevHead: Uint8Array, msg: InboundDownwardMessage): Uint8Array {
  return extendMqc(prevHead, msg.sent_at, msg.msg);
}

/** The head after all of `messages`, starting from `from` (the empty chain by default). */
export function hrmpMqcHead(messages: readonly InboundHrmpMessage[], from = EMPTY_MQC_HEAD): Uint8Array {
  let head = from;
  for (const m of messages) head = extendHrmpMqc(head, m);
  return head;
}

export function downwardMqcHead(
  messages: readonly InboundDownwardMessage[],
  from = EMPTY_MQC_HEAD,
): Uint8Array {
  let head = from;
  for (const m of messages) head = extendDownwardMqc(head, m);
  return head;
}
