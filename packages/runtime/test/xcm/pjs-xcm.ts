/**
 * The oracle: @polkadot/types 16.5.6 with the XCM lookup types of the Polkadot relay runtime's metadata
 * (`@polkadot/types-augment/lookup/polkadot`, generated from polkadot-sdk's own scale-info), and a converter from our
 * JS values to the input polkadot-js accepts, guided by our codecs' type descriptions.
 */
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { TypeRegistry as PjsRegistry } from '@polkadot/types';
import assetHubLookup from '@polkadot/types-augment/lookup/assetHubPolkadot';
import polkadotLookup from '@polkadot/types-augment/lookup/polkadot';
import { u8aToHex } from '@polkadot/util';
import type { AnyCodec } from '../../src/scale/index.ts';

/** polkadot-js names of the lookup types, by our codec's Rust path. */
export function pjsRegistry(): PjsRegistry {
  // The lookup refers to a few types by id (`[Lookup74;1]`); the file's comments name them.
  const file = readFileSync(
    createRequire(import.meta.url).resolve('@polkadot/types-augment/lookup/polkadot'),
    'utf8',
  );
  const names = new Map<string, string>();
  for (const m of file.matchAll(/\* (Lookup\d+): [^\n]*\n\s*\*\*\/\n\s*(\w+):/g)) names.set(m[1], m[2]);
  const json = JSON.stringify(polkadotLookup).replace(/Lookup\d+/g, (l) => names.get(l) ?? l);
  const registry = new PjsRegistry();
  registry.register({
    ...JSON.parse(json),
    // Defined in other runtimes' lookups, not the relay one.
    SpWeightsWeightV2Weight: { refTime: 'Compact<u64>', proofSize: 'Compact<u64>' },
    XcmVersionedAsset: (assetHubLookup as Record<string, unknown>).XcmVersionedAsset,
  });
  return registry;
}

const camel = (s: string) => s.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
const last = (codec: AnyCodec) => codec.info.path[codec.info.path.length - 1];

/** Our value → polkadot-js input for the same type. */
export function toPjs(codec: AnyCodec, value: unknown): unknown {
  const info = codec.info;
  const def = info.def;
  if (last(codec) === 'Weight') {
    const w = value as { refTime: bigint; proofSize: bigint };
    return { refTime: w.refTime, proofSize: w.proofSize };
  }
  if (last(codec) === 'Junctions' && def.kind === 'variant') {
    const list = value as unknown[];
    if (list.length === 0) return { Here: null };
    const variant = def.variants[list.length];
    const field = variant.fields[0].type;
    const j = field.info.def.kind === 'array' ? field.info.def.of : field;
    const items = list.map((x) => toPjs(j, x));
    return { [`X${list.length}`]: list.length === 1 && field.info.def.kind !== 'array' ? items[0] : items };
  }
  switch (def.kind) {
    case 'primitive':
    case 'compact':
      return value;
    case 'sequence':
    case 'array':
      if (value instanceof Uint8Array) return u8aToHex(value);
      return (value as unknown[]).map((v) => toPjs(def.of, v));
    case 'tuple':
      if (def.of.length === 0) return null;
      return (value as unknown[]).map((v, i) => toPjs(def.of[i], v));
    case 'composite': {
      if (def.fields.length === 1 && def.fields[0].name === undefined)
        return toPjs(def.fields[0].type, value);
      const out: Record<string, unknown> = {};
      for (const f of def.fields)
        out[camel(f.name!)] = toPjs(f.type, (value as Record<string, unknown>)[f.name!]);
      return out;
    }
    case 'variant': {
      if (info.path[0] === 'Option') {
        if (value === undefined) return null;
        return toPjs(info.params[0].type!, value);
      }
      const { type, value: inner } = value as { type: string; value?: unknown };
      const variant = def.variants.find((v) => v.name === type)!;
      if (variant.fields.length === 0) return { [type]: null };
      if (variant.fields.length === 1 && variant.fields[0].name === undefined)
        return { [type]: toPjs(variant.fields[0].type, inner) };
      if (variant.fields[0].name === undefined)
        return { [type]: (inner as unknown[]).map((x, i) => toPjs(variant.fields[i].type, x)) };
      const out: Record<string, unknown> = {};
      for (const f of variant.fields)
        out[camel(f.name!)] = toPjs(f.type, (inner as Record<string, unknown>)[f.name!]);
      return { [type]: out };
    }
    default:
      throw new Error(`no polkadot-js form for ${def.kind}`);
  }
}
