/** Token amounts: whole-token decimal strings ⇄ integer units. */
import { BadInputError } from './errors.ts';

/**
 * `"1.5"` CRU (12 decimals) → `1_500_000_000_000n`. Accepts an integer or a decimal with at most `decimals`
 * fractional digits; refuses negatives, exponents and junk.
 *
 * @example
 * parseAmount('0.01', 12); // 10_000_000_000n
 */
export function parseAmount(text: string, decimals: number): bigint {
  const t = text.trim();
  const m = /^(\d{1,30})(?:\.(\d+))?$/.exec(t);
  if (!m) throw new BadInputError(`'${text}' is not an amount: write a number like 0.5 or 12`);
  const frac = m[2] ?? '';
  if (frac.length > decimals) throw new BadInputError(`'${text}' has more than ${decimals} decimals`);
  return BigInt(m[1]!) * 10n ** BigInt(decimals) + BigInt(frac.padEnd(decimals, '0') || '0');
}

/**
 * `1_500_000_000_000n`, 12, 'CRU' → `"1.5 CRU"`; trailing zeros dropped.
 *
 * @example
 * formatAmount(181_800n, 12, 'CRU'); // '0.0000001818 CRU'
 */
export function formatAmount(units: bigint, decimals: number, symbol?: string): string {
  const neg = units < 0n;
  const v = neg ? -units : units;
  const base = 10n ** BigInt(decimals);
  const whole = v / base;
  const frac = (v % base).toString().padStart(decimals, '0').replace(/0+$/, '');
  const s = `${neg ? '-' : ''}${whole}${frac ? `.${frac}` : ''}`;
  return symbol ? `${s} ${symbol}` : s;
}
