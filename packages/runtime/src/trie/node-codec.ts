/**
 * Substrate trie node codec (sp_trie::node_codec / node_header, Polkadot spec "Trie node encoding"):
 *
 *   header     first byte: 0b01 leaf, 0b10 branch without value, 0b11 branch with value (6-bit length field);
 *              0b001 leaf with hashed value (5-bit), 0b0001 branch with hashed value (4-bit); 0x00 empty trie.
 *              The partial key's nibble count fills the length field; when it does not fit, the field is all ones
 *              and the rest follows as bytes of 255 ending with one byte < 255 (total bounded by u16::MAX).
 *   partial    nibbles packed two per byte; an odd count puts the first nibble alone in the low half of a byte.
 *   bitmap     branches: u16 little-endian, bit i set when child i exists.
 *   value      inline: SCALE compact length ++ bytes; hashed (state version 1, values >= 33 bytes): 32-byte hash.
 *   children   each as SCALE Vec<u8>: a 32-byte blake2_256 hash, or the child's own encoding when shorter.
 */
import { compactLength, readCompactNumber, writeCompact } from '../scale/compact.ts';
import { ScaleDecodeError } from '../scale/errors.ts';

export class TrieNodeDecodeError extends Error {
  override name = 'TrieNodeDecodeError';
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(`${message} (at byte ${offset})`);
  }
}

export const HASH_LENGTH = 32;
/** sp_core::storage::TRIE_VALUE_NODE_THRESHOLD: with state version 1, values of this many bytes or more are hashed. */
export const VALUE_HASH_THRESHOLD = 33;
/** trie-db NIBBLE_SIZE_BOUND: a partial key cannot have more nibbles than u16::MAX. */
export const MAX_PARTIAL_NIBBLES = 0xffff;

export type NodeValue = { hashed: false; data: Uint8Array } | { hashed: true; hash: Uint8Array };

export type DecodedNode =
  | { kind: 'empty' }
  | { kind: 'leaf'; partial: Uint8Array; value: NodeValue }
  | {
      kind: 'branch';
      partial: Uint8Array;
      value: NodeValue | undefined;
      /** 16 entries: a 32-byte hash, an inline node encoding (< 32 bytes), or undefined. */
      children: Array<Uint8Array | undefined>;
    };

export const LEAF = 0b01 << 6;
export const BRANCH_NO_VALUE = 0b10 << 6;
export const BRANCH_WITH_VALUE = 0b11 << 6;
export const HASHED_VALUE_LEAF = 0b001 << 5;
export const HASHED_VALUE_BRANCH = 0b0001 << 4;

/** Bytes taken by a node header for `nibbleCount` nibbles after a prefix of `prefixBits` bits. */
export function headerLength(nibbleCount: number, prefixBits: number): number {
  const max = 0xff >> prefixBits;
  if (nibbleCount < max) return 1;
  return 2 + Math.floor((nibbleCount - max) / 255);
}

/** Writes a node header at `out[offset]` (default: the start); returns its length. */
export function writeHeader(
  out: Uint8Array,
  prefix: number,
  prefixBits: number,
  nibbleCount: number,
  offset = 0,
): number {
  const max = 0xff >> prefixBits;
  if (nibbleCount < max) {
    out[offset] = prefix | nibbleCount;
    return 1;
  }
  out[offset] = prefix | max;
  let rest = nibbleCount - max;
  let o = offset + 1;
  while (rest >= 255) {
    out[o++] = 255;
    rest -= 255;
  }
  out[o++] = rest;
  return o - offset;
}

/**
 * Encodes one node. `partial` holds one nibble per element (`start`/`count` select a window). `value` is the raw
 * value, or its 32-byte hash when `valueHashed`. `children` is undefined for a leaf, else 16 child references.
 */
export function encodeNodeParts(
  partial: Uint8Array,
  start: number,
  count: number,
  value: Uint8Array | undefined,
  valueHashed: boolean,
  children: ArrayLike<Uint8Array | undefined> | undefined,
): Uint8Array {
  if (count > MAX_PARTIAL_NIBBLES)
    throw new RangeError(`partial key of ${count} nibbles exceeds ${MAX_PARTIAL_NIBBLES}`);
  let prefix: number;
  let prefixBits: number;
  if (children === undefined) {
    if (value === undefined) throw new RangeError('a leaf needs a value');
    prefix = valueHashed ? HASHED_VALUE_LEAF : LEAF;
    prefixBits = valueHashed ? 3 : 2;
  } else if (value === undefined) {
    prefix = BRANCH_NO_VALUE;
    prefixBits = 2;
  } else {
    prefix = valueHashed ? HASHED_VALUE_BRANCH : BRANCH_WITH_VALUE;
    prefixBits = valueHashed ? 4 : 2;
  }
  let size = headerLength(count, prefixBits) + ((count + 1) >> 1);
  if (value !== undefined) size += valueHashed ? HASH_LENGTH : compactLength(value.length) + value.length;
  if (children !== undefined) {
    size += 2;
    for (let i = 0; i < 16; i++) {
      const c = children[i];
      if (c !== undefined) size += compactLength(c.length) + c.length;
    }
  }
  const out = new Uint8Array(size);
  let o = writeHeader(out, prefix, prefixBits, count);
  let i = start;
  const end = start + count;
  if (count & 1) out[o++] = partial[i++];
  while (i < end) {
    out[o++] = (partial[i] << 4) | partial[i + 1];
    i += 2;
  }
  let bitmapAt = -1;
  if (children !== undefined) {
    bitmapAt = o;
    o += 2;
  }
  if (value !== undefined) {
    if (!valueHashed) o = writeCompact(out, o, value.length);
    out.set(value, o);
    o += value.length;
  }
  if (children !== undefined) {
    let bitmap = 0;
    for (let c = 0; c < 16; c++) {
      const ref = children[c];
      if (ref === undefined) continue;
      bitmap |= 1 << c;
      o = writeCompact(out, o, ref.length);
      out.set(ref, o);
      o += ref.length;
    }
    out[bitmapAt] = bitmap & 0xff;
    out[bitmapAt + 1] = bitmap >> 8;
  }
  return out;
}

/** Encodes a decoded node (the inverse of `decodeNode`). */
export function encodeNode(node: DecodedNode): Uint8Array {
  if (node.kind === 'empty') return new Uint8Array([0]);
  const v = node.value;
  const value = v === undefined ? undefined : v.hashed ? v.hash : v.data;
  if (v?.hashed && v.hash.length !== HASH_LENGTH) throw new RangeError('a hashed value must be 32 bytes');
  return encodeNodeParts(
    node.partial,
    0,
    node.partial.length,
    value,
    v?.hashed ?? false,
    node.kind === 'branch' ? node.children : undefined,
  );
}

function readSize(input: Uint8Array, first: number, prefixBits: number): [number, number] {
  const max = 0xff >> prefixBits;
  let n = first & max;
  let o = 1;
  if (n < max) return [n, o];
  for (;;) {
    if (o >= input.length) throw new TrieNodeDecodeError('truncated partial key length', o);
    const b = input[o++];
    n += b;
    if (n > MAX_PARTIAL_NIBBLES)
      throw new TrieNodeDecodeError('partial key length exceeds u16::MAX nibbles', o - 1);
    if (b < 255) return [n, o];
  }
}

function readLength(input: Uint8Array, offset: number): [number, number] {
  try {
    return readCompactNumber(input, offset);
  } catch (e) {
    if (e instanceof ScaleDecodeError) throw new TrieNodeDecodeError(e.message, e.offset);
    throw e;
  }
}

/** Decodes one node; any malformed input (bad header, truncation, trailing bytes, bad padding) is a TrieNodeDecodeError. */
export function decodeNode(input: Uint8Array): DecodedNode {
  if (!(input instanceof Uint8Array) || input.length === 0) throw new TrieNodeDecodeError('empty input', 0);
  const first = input[0];
  if (first === 0) {
    if (input.length !== 1) throw new TrieNodeDecodeError('trailing bytes after empty node', 1);
    return { kind: 'empty' };
  }
  let kind: 'leaf' | 'branch';
  let valueKind: 'none' | 'inline' | 'hashed';
  let prefixBits: number;
  switch (first >> 6) {
    case 0b01:
      [kind, valueKind, prefixBits] = ['leaf', 'inline', 2];
      break;
    case 0b10:
      [kind, valueKind, prefixBits] = ['branch', 'none', 2];
      break;
    case 0b11:
      [kind, valueKind, prefixBits] = ['branch', 'inline', 2];
      break;
    default:
      if (first >> 5 === 0b001) [kind, valueKind, prefixBits] = ['leaf', 'hashed', 3];
      else if (first >> 4 === 0b0001) [kind, valueKind, prefixBits] = ['branch', 'hashed', 4];
      else throw new TrieNodeDecodeError(`unknown node header 0x${first.toString(16).padStart(2, '0')}`, 0);
  }
  const [count, afterHeader] = readSize(input, first, prefixBits);
  let o = afterHeader;
  const byteCount = (count + 1) >> 1;
  if (o + byteCount > input.length) throw new TrieNodeDecodeError('truncated partial key', o);
  const partial = new Uint8Array(count);
  let p = 0;
  if (count & 1) {
    if (input[o] >> 4 !== 0) throw new TrieNodeDecodeError('non-zero padding in odd partial key', o);
    partial[p++] = input[o++] & 0x0f;
  }
  while (p < count) {
    partial[p++] = input[o] >> 4;
    partial[p++] = input[o++] & 0x0f;
  }
  let bitmap = 0;
  if (kind === 'branch') {
    if (o + 2 > input.length) throw new TrieNodeDecodeError('truncated children bitmap', o);
    bitmap = input[o] | (input[o + 1] << 8);
    if (bitmap === 0) throw new TrieNodeDecodeError('branch without children', o);
    o += 2;
  }
  let value: NodeValue | undefined;
  if (valueKind === 'inline') {
    const [len, next] = readLength(input, o);
    if (next + len > input.length) throw new TrieNodeDecodeError('truncated value', next);
    value = { hashed: false, data: input.slice(next, next + len) };
    o = next + len;
  } else if (valueKind === 'hashed') {
    if (o + HASH_LENGTH > input.length) throw new TrieNodeDecodeError('truncated value hash', o);
    value = { hashed: true, hash: input.slice(o, o + HASH_LENGTH) };
    o += HASH_LENGTH;
  }
  if (kind === 'leaf') {
    if (o !== input.length) throw new TrieNodeDecodeError('trailing bytes after leaf', o);
    return { kind, partial, value: value! };
  }
  const children: Array<Uint8Array | undefined> = new Array(16).fill(undefined);
  for (let i = 0; i < 16; i++) {
    if ((bitmap & (1 << i)) === 0) continue;
    const [len, next] = readLength(input, o);
    if (len > HASH_LENGTH) throw new TrieNodeDecodeError(`child reference of ${len} bytes (max 32)`, o);
    if (len === 0) throw new TrieNodeDecodeError('empty child reference', o);
    if (next + len > input.length) throw new TrieNodeDecodeError('truncated child reference', next);
    children[i] = input.slice(next, next + len);
    o = next + len;
  }
  if (o !== input.length) throw new TrieNodeDecodeError('trailing bytes after branch', o);
  return { kind, partial, value, children };
}
