/**
 * SS58 addresses (sp_core::crypto::Ss58Codec, https://docs.substrate.io/reference/address-formats/):
 * base58(prefix ++ payload ++ checksum) where checksum = blake2b-512("SS58PRE" ++ prefix ++ payload), truncated to
 * 2 bytes for 32/33-byte payloads (account ids, compressed keys) and to 1 byte for account indices (1/2/4/8 bytes).
 * Prefixes 0..63 take one byte; 64..16383 take two bytes.
 */
import { base58Decode, base58Encode } from '@polkadot/util-crypto/base58';
import { blake2_512 } from './hashing.ts';

export class Ss58Error extends Error {
  override name = 'Ss58Error';
}

/** Payload sizes with a defined checksum length (same set as polkadot-js allowedDecodedLengths). */
const PAYLOAD_LENGTHS = [1, 2, 4, 8, 32, 33];
/** 46 and 47 are reserved (sp_core::crypto::Ss58AddressFormat::is_reserved); encodeAddress rejects them too. */
const RESERVED_PREFIXES = [46, 47];
const SS58PRE = new TextEncoder().encode('SS58PRE');
const MAX_ADDRESS_CHARS = 64;

function checksumLength(payloadLength: number): number {
  return payloadLength === 32 || payloadLength === 33 ? 2 : 1;
}

function checksum(data: Uint8Array): Uint8Array {
  const input = new Uint8Array(SS58PRE.length + data.length);
  input.set(SS58PRE, 0);
  input.set(data, SS58PRE.length);
  return blake2_512(input);
}

function checkPrefix(prefix: number): void {
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > 16383) {
    throw new Ss58Error(`prefix ${prefix} is not in 0..16383`);
  }
  if (RESERVED_PREFIXES.includes(prefix)) throw new Ss58Error(`prefix ${prefix} is reserved`);
}

export function ss58Encode(payload: Uint8Array, prefix = 42): string {
  checkPrefix(prefix);
  if (!PAYLOAD_LENGTHS.includes(payload.length)) {
    throw new Ss58Error(
      `bad length: payload of ${payload.length} bytes (expected one of ${PAYLOAD_LENGTHS.join(', ')})`,
    );
  }
  const prefixBytes =
    prefix < 64
      ? [prefix]
      : [((prefix & 0b1111_1100) >> 2) | 0b0100_0000, (prefix >> 8) | ((prefix & 0b11) << 6)];
  const body = new Uint8Array(prefixBytes.length + payload.length);
  body.set(prefixBytes, 0);
  body.set(payload, prefixBytes.length);
  const sum = checksum(body).subarray(0, checksumLength(payload.length));
  const out = new Uint8Array(body.length + sum.length);
  out.set(body, 0);
  out.set(sum, body.length);
  return base58Encode(out);
}

export interface DecodedAddress {
  payload: Uint8Array;
  prefix: number;
}

/**
 * Decodes an SS58 address. With `expectedPrefix`, an address of another network is an error (as sp-core's
 * `from_ss58check` does for the default format) rather than silently accepted.
 */
export function ss58Decode(address: string, expectedPrefix?: number): DecodedAddress {
  if (typeof address !== 'string' || address.length === 0 || address.length > MAX_ADDRESS_CHARS) {
    throw new Ss58Error(`bad length: an address has 1..${MAX_ADDRESS_CHARS} characters`);
  }
  let data: Uint8Array;
  try {
    data = base58Decode(address);
  } catch {
    throw new Ss58Error(`bad base58: "${address}" has characters outside the base58 alphabet`);
  }
  if (data.length < 2) throw new Ss58Error(`bad length: ${data.length} decoded bytes`);
  let prefix: number;
  let prefixLength: number;
  if (data[0] < 64) {
    prefix = data[0];
    prefixLength = 1;
  } else if (data[0] < 128) {
    const lower = ((data[0] << 2) | (data[1] >> 6)) & 0xff;
    const upper = data[1] & 0b0011_1111;
    prefix = lower | (upper << 8);
    prefixLength = 2;
  } else {
    throw new Ss58Error(`bad prefix: first byte 0x${data[0].toString(16)} is not an SS58 prefix`);
  }
  const payloadLength = PAYLOAD_LENGTHS.find((n) => prefixLength + n + checksumLength(n) === data.length);
  if (payloadLength === undefined) {
    throw new Ss58Error(`bad length: ${data.length} decoded bytes fit no SS58 payload size`);
  }
  if (RESERVED_PREFIXES.includes(prefix)) throw new Ss58Error(`prefix ${prefix} is reserved`);
  const bodyLength = prefixLength + payloadLength;
  const expected = checksum(data.subarray(0, bodyLength));
  for (let i = 0; i < data.length - bodyLength; i++) {
    if (data[bodyLength + i] !== expected[i]) throw new Ss58Error(`bad checksum in "${address}"`);
  }
  if (expectedPrefix !== undefined && prefix !== expectedPrefix) {
    throw new Ss58Error(`wrong prefix: address has prefix ${prefix}, expected ${expectedPrefix}`);
  }
  return { payload: data.slice(prefixLength, bodyLength), prefix };
}
