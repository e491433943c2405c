/**
 * Single-range `Range: bytes=` requests (RFC 9110 §14). Anything we do not serve as a range (other units,
 * several ranges, syntax errors) is ignored and the whole entity is sent, as RFC 9110 allows; a syntactically
 * valid range that misses the entity is a 416.
 */
import { RangeNotSatisfiableError } from './errors.ts';

export interface ByteRange {
  /** First byte, inclusive. */
  start: number;
  /** Last byte, inclusive. */
  end: number;
}

/** Returns the range to serve, undefined for "send everything", or throws {@link RangeNotSatisfiableError}. */
export function parseRange(header: string | undefined, size: number): ByteRange | undefined {
  if (header === undefined) return undefined;
  const m = /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(header);
  if (!m) return undefined;
  const [, first, last] = m as unknown as [string, string, string];
  if (first === '' && last === '') return undefined;
  if (first === '') {
    // Suffix range: the last N bytes.
    const n = Number(last);
    if (!Number.isSafeInteger(n)) return undefined;
    if (n === 0 || size === 0) throw new RangeNotSatisfiableError(size);
    return { start: Math.max(0, size - n), end: size - 1 };
  }
  const start = Number(first);
  if (!Number.isSafeInteger(start)) throw new RangeNotSatisfiableError(size);
  if (start >= size) throw new RangeNotSatisfiableError(size);
  let end = last === '' ? size - 1 : Number(last);
  if (!Number.isSafeInteger(end)) end = size - 1;
  if (end < start) return undefined;
  return { start, end: Math.min(end, size - 1) };
}
