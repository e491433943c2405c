/**
 * Turns one of our JS values into the input @polkadot/types accepts for the equivalent type, guided by our codec's
 * type description (so the same helper serves hand-written polkadot-js type names and lookup types). polkadot-js
 * reads a Uint8Array as already-SCALE-encoded, so byte strings go over as hex.
 */
import { u8aToHex } from '@polkadot/util';
import type { AnyCodec } from '../../src/scale/index.ts';

export function toPjs(codec: AnyCodec, value: unknown): unknown {
  const info = codec.info;
  const def = info.def;
  switch (def.kind) {
    case 'primitive':
    case 'compact':
      return value;
    case 'bitSequence':
      // polkadot-js builds a BitVec only from whole bytes or from its SCALE encoding.
      return codec.encode(value);
    case 'sequence':
    case 'array':
      if (value instanceof Uint8Array) return u8aToHex(value);
      return (value as unknown[]).map((v) => toPjs(def.of, v));
    case 'tuple':
      if (def.of.length === 0) return null;
      return (value as unknown[]).map((v, i) => toPjs(def.of[i], v));
    case 'composite': {
      if (info.path[0] === 'BTreeMap') {
        const [k, v] = [info.params[0].type!, info.params[1].type!];
        return new Map([...(value as Map<unknown, unknown>)].map(([a, b]) => [toPjs(k, a), toPjs(v, b)]));
      }
      if (info.path[0] === 'BTreeSet') {
        const t = info.params[0].type!;
        return new Set([...(value as Set<unknown>)].map((a) => toPjs(t, a)));
      }
      const out: Record<string, unknown> = {};
      for (const f of def.fields) out[f.name!] = toPjs(f.type, (value as Record<string, unknown>)[f.name!]);
      return out;
    }
    case 'variant': {
      if (info.path[0] === 'Option') {
        if (value === undefined) return null;
        const inner = toPjs(info.params[0].type!, value);
        // polkadot-js reads an empty input ('0x', '') as None; hand it Some(empty) as encoded bytes instead.
        return inner === '0x' || inner === '' ? codec.encode(value) : inner;
      }
      if (info.path[0] === 'Result') {
        const v = value as { ok?: unknown; err?: unknown };
        return 'ok' in v
          ? { Ok: toPjs(info.params[0].type!, v.ok) }
          : { Err: toPjs(info.params[1].type!, v.err) };
      }
      const { type, value: inner } = value as { type: string; value?: unknown };
      const variant = def.variants.find((x) => x.name === type)!;
      if (variant.fields.length === 0) return { [type]: null };
      if (variant.fields.length === 1 && variant.fields[0].name === undefined)
        return { [type]: toPjs(variant.fields[0].type, inner) };
      if (variant.fields[0].name === undefined)
        return { [type]: (inner as unknown[]).map((x, i) => toPjs(variant.fields[i].type, x)) };
      const out: Record<string, unknown> = {};
      for (const f of variant.fields)
        out[f.name!] = toPjs(f.type, (inner as Record<string, unknown>)[f.name!]);
      return { [type]: out };
    }
  }
}
