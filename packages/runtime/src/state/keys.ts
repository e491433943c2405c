/**
 * Storage keys travel through the overlay as latin1 strings: one char per byte, so JS string order is byte order,
 * Map lookups hash natively, and concatenating a precomputed pallet/item prefix with a hashed key is one string op.
 */
export type KeyString = string;

export function keyToString(bytes: Uint8Array): KeyString {
  // Short keys (the hot path: 32..80 bytes) are faster through fromCharCode than through a Buffer round trip.
  if (bytes.length <= 128) return String.fromCharCode.apply(null, bytes as unknown as number[]);
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('latin1');
}

export function keyFromString(key: KeyString): Uint8Array {
  const out = new Uint8Array(key.length);
  for (let i = 0; i < key.length; i++) out[i] = key.charCodeAt(i);
  return out;
}

/** The smallest key strictly greater than every key starting with `prefix`, or undefined if none (all 0xff). */
export function prefixEnd(prefix: KeyString): KeyString | undefined {
  let i = prefix.length - 1;
  while (i >= 0 && prefix.charCodeAt(i) === 0xff) i--;
  if (i < 0) return undefined;
  return prefix.slice(0, i) + String.fromCharCode(prefix.charCodeAt(i) + 1);
}
