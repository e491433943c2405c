/** Kubo RPC query argument parsing. */
import { BadArgumentError } from './errors.ts';

/** Go's `strconv.ParseBool`, which Kubo's RPC uses for boolean options. */
export function parseGoBool(option: string, value: string): boolean {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(value)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(value)) return false;
  throw new BadArgumentError(`${option}: invalid boolean "${value.slice(0, 40)}"`);
}

export function boolOption(query: URLSearchParams, name: string, dflt: boolean): boolean {
  const v = query.get(name);
  return v === null || v === '' ? dflt : parseGoBool(name, v);
}

/** Non-negative integer option (`offset`, `length`). */
export function intOption(query: URLSearchParams, name: string): number | undefined {
  const v = query.get(name);
  if (v === null || v === '') return undefined;
  const n = Number(v);
  if (!/^\d+$/.test(v) || !Number.isSafeInteger(n)) {
    throw new BadArgumentError(`${name}: expected a non-negative integer, got "${v.slice(0, 40)}"`);
  }
  return n;
}

/** All `arg` values (Kubo's positional arguments). */
export function args(query: URLSearchParams, argName: string, required: boolean): string[] {
  const all = query.getAll('arg');
  if (required && all.length === 0) throw new BadArgumentError(`argument "${argName}" is required`);
  return all;
}
