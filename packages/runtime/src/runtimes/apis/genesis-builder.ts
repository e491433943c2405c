/**
 * `sp_genesis_builder::GenesisBuilder` (version 2): the runtime's genesis config as JSON, as chain-spec tools use it.
 * `get_preset(None)` is the default `RuntimeGenesisConfig` (every pallet's default), `get_preset(Some(name))` a named
 * preset as a patch, `preset_names()` lists them, and `build_state(json)` writes the state a complete config
 * describes (every pallet with a genesis must be given; unknown pallets or fields are refused, as serde's
 * `deny_unknown_fields` does).
 *
 * JSON shapes follow frame's serde conventions where they can: pallets and fields in camelCase (`balances`,
 * `transactionPayment`), integers as JSON numbers (u128 balances included, written exactly), byte strings as
 * `0x` hex. One difference: polkadot-sdk writes account ids and public keys as SS58; we write hex, and accept either
 * on input (a value decoded from SS58 whose length fits the field).
 */
import { ss58Decode } from '../../crypto/ss58.ts';
import type { Runtime } from '../../frame/runtime.ts';
import type { RuntimeApiDecl, RuntimeApiImpl } from '../../frame/runtime-version.ts';
import { newtype } from '../../extrinsic/newtype.ts';
import { option, result, unit, vec } from '../../scale/composite.ts';
import { bytes, str } from '../../scale/primitives.ts';

/** sp_genesis_builder `DEV_RUNTIME_PRESET` */
export const DEV_RUNTIME_PRESET = 'development';

/** `sp_genesis_builder::PresetId` */
export const PresetIdCodec = newtype(bytes, ['sp_genesis_builder', 'PresetId'], 'Vec<u8>');

export const GenesisBuilderDecl: RuntimeApiDecl = {
  name: 'GenesisBuilder',
  version: 2,
  docs: [' API to interact with `RuntimeGenesisConfig` for the runtime'],
  methods: {
    build_state: {
      inputs: [['json', bytes]],
      output: result(unit, str),
      docs: [
        ' Build `RuntimeGenesisConfig` from a JSON blob not using any defaults and store it in the',
        ' storage.',
      ],
    },
    get_preset: {
      inputs: [['id', option(PresetIdCodec)]],
      output: option(bytes),
      docs: [
        ' Returns a JSON blob representation of the built-in `RuntimeGenesisConfig` identified by',
        ' `id`.',
      ],
    },
    preset_names: {
      inputs: [],
      output: vec(PresetIdCodec),
      docs: [' Returns a list of identifiers for available builtin `RuntimeGenesisConfig` presets.'],
    },
  },
};

/** Genesis configs by pallet name (`{ Balances: { balances: [...] }, Sudo: { key } }`). */
export type GenesisConfigs = Record<string, unknown>;

export class GenesisJsonError extends Error {
  override name = 'GenesisJsonError';
}

const camel = (palletName: string) => palletName.charAt(0).toLowerCase() + palletName.slice(1);
const hex = (b: Uint8Array) => `0x${Buffer.from(b).toString('hex')}`;

/** JSON text of a genesis value: bigints as exact numbers, byte strings as hex, Maps as objects. */
export function genesisToJson(value: unknown): string {
  const BIG = '\u0000big:';
  const text = JSON.stringify(value, (_k, v) => {
    if (typeof v === 'bigint') return `${BIG}${v.toString()}`;
    if (v instanceof Uint8Array) return hex(v);
    if (v instanceof Map) return Object.fromEntries(v);
    return v;
  });
  // Unquote the exact integers.
  return text.replace(/"\\u0000big:(-?\d+)"/g, '$1');
}

/** Parses JSON keeping integers exact (big ones as bigint). */
function parseExact(text: string): unknown {
  // Integers beyond 2^53 lose precision in JSON.parse: quote every integer token first, then read them back.
  const quoted = text.replace(
    /("(?:[^"\\]|\\.)*")|(?<![\w.+-])(-?\d+)(?![\d.eE])/g,
    (_m, s: string | undefined, n: string | undefined) => (s !== undefined ? s : `"\\u0001int:${n}"`),
  );
  return JSON.parse(quoted, (_k, v) =>
    typeof v === 'string' && v.startsWith('\u0001int:') ? BigInt(v.slice(5)) : v,
  );
}

function toBytes(v: unknown, length: number | undefined, where: string): Uint8Array {
  if (typeof v !== 'string') throw new GenesisJsonError(`${where}: expected a hex or SS58 string`);
  let out: Uint8Array;
  if (/^0x([0-9a-fA-F]{2})*$/.test(v)) out = new Uint8Array(Buffer.from(v.slice(2), 'hex'));
  else {
    try {
      out = ss58Decode(v).payload;
    } catch {
      throw new GenesisJsonError(`${where}: '${v}' is neither 0x hex nor SS58`);
    }
  }
  if (length !== undefined && out.length !== length)
    throw new GenesisJsonError(`${where}: expected ${length} bytes, got ${out.length}`);
  return out;
}

/** Converts parsed JSON to the genesis value `template` has the shape of (schema by example). */
function fromJson(v: unknown, template: unknown, where: string): unknown {
  if (template instanceof Uint8Array) return toBytes(v, template.length, where);
  if (typeof template === 'bigint') {
    if (typeof v === 'bigint') return v;
    if (typeof v === 'string' && /^\d+$/.test(v)) return BigInt(v);
    throw new GenesisJsonError(`${where}: expected an integer`);
  }
  if (typeof template === 'number') {
    if (typeof v === 'bigint' && v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= 0n) return Number(v);
    throw new GenesisJsonError(`${where}: expected an integer`);
  }
  if (typeof template === 'boolean' || typeof template === 'string') {
    if (typeof v !== typeof template) throw new GenesisJsonError(`${where}: expected a ${typeof template}`);
    return v;
  }
  if (Array.isArray(template)) {
    if (!Array.isArray(v)) throw new GenesisJsonError(`${where}: expected an array`);
    // A tuple's template has an element per position; a list's first element describes all of them.
    const isTuple = template.length > 1 && template.some((t) => kindOf(t) !== kindOf(template[0]));
    if (isTuple) {
      if (v.length !== template.length)
        throw new GenesisJsonError(`${where}: expected ${template.length} items`);
      return v.map((x, i) => fromJson(x, template[i], `${where}[${i}]`));
    }
    return v.map((x, i) => fromJson(x, template[0], `${where}[${i}]`));
  }
  if (template instanceof Map) {
    if (typeof v !== 'object' || v === null) throw new GenesisJsonError(`${where}: expected an object`);
    return new Map(Object.entries(v));
  }
  if (template !== null && typeof template === 'object') {
    if (typeof v !== 'object' || v === null || Array.isArray(v))
      throw new GenesisJsonError(`${where}: expected an object`);
    const t = template as Record<string, unknown>;
    for (const k of Object.keys(v))
      if (!(k in t)) throw new GenesisJsonError(`${where}: unknown field \`${k}\``);
    const out: Record<string, unknown> = {};
    for (const [k, tk] of Object.entries(t)) {
      const x = (v as Record<string, unknown>)[k];
      out[k] =
        x === undefined || x === null
          ? tk === undefined
            ? undefined
            : missing(tk, `${where}.${k}`)
          : fromJson(x, tk, `${where}.${k}`);
    }
    return out;
  }
  // No template (an optional field unset in the example): infer from the JSON.
  return infer(v);
}

/** The JSON kind a genesis value takes (tuples mix kinds; lists repeat one). */
function kindOf(v: unknown): string {
  if (v instanceof Uint8Array) return 'bytes';
  if (Array.isArray(v)) return 'array';
  return v === null ? 'null' : typeof v;
}

function missing(template: unknown, where: string): unknown {
  // Optional (None) fields are written as null; anything else must be present.
  if (template === undefined) return undefined;
  throw new GenesisJsonError(`${where}: missing field`);
}

function infer(v: unknown): unknown {
  if (typeof v === 'string' && /^0x([0-9a-fA-F]{2})*$/.test(v))
    return new Uint8Array(Buffer.from(v.slice(2), 'hex'));
  if (Array.isArray(v)) return v.map(infer);
  return v;
}

export interface GenesisBuilderOptions {
  /** Named presets (`development`, …): the genesis configs each gives. */
  presets: Record<string, () => GenesisConfigs>;
}

/** The genesis configs every pallet of `runtime` takes by default. */
function defaults(runtime: Runtime): GenesisConfigs {
  const out: GenesisConfigs = {};
  for (const { pallet } of runtime.pallets)
    if (pallet.genesis) out[pallet.name] = pallet.genesis.default?.() ?? {};
  return out;
}

function asJson(runtime: Runtime, configs: GenesisConfigs): Uint8Array {
  const out: Record<string, unknown> = {};
  for (const { pallet } of runtime.pallets)
    if (pallet.name in configs) out[camel(pallet.name)] = configs[pallet.name];
  return new TextEncoder().encode(genesisToJson(out));
}

/**
 * `build_state`: the complete config in `json` → each pallet's genesis build, in index order, into the current
 * state. Errors are the API's `Err(String)`.
 */
export function buildStateFromJson(
  runtime: Runtime,
  json: Uint8Array,
  examples: GenesisConfigs,
): { ok: undefined } | { err: string } {
  let parsed: unknown;
  try {
    parsed = parseExact(new TextDecoder('utf-8', { fatal: true }).decode(json));
  } catch (e) {
    return { err: `Invalid JSON blob: ${(e as Error).message}` };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    return { err: 'Invalid JSON blob: expected an object' };
  const withGenesis = runtime.pallets.filter(({ pallet }) => pallet.genesis);
  const byKey = new Map(withGenesis.map((e) => [camel(e.pallet.name), e]));
  for (const k of Object.keys(parsed))
    if (!byKey.has(k)) return { err: `Invalid JSON blob: unknown field \`${k}\`` };
  const configs: GenesisConfigs = {};
  try {
    for (const [key, { pallet }] of byKey) {
      const given = (parsed as Record<string, unknown>)[key];
      if (given === undefined) return { err: `Invalid JSON blob: missing field \`${key}\`` };
      const template = mergeTemplates(pallet.genesis!.default?.(), examples[pallet.name]);
      configs[pallet.name] = fromJson(given, template, key);
    }
  } catch (e) {
    if (e instanceof GenesisJsonError) return { err: `Invalid JSON blob: ${e.message}` };
    throw e;
  }
  for (const { pallet } of withGenesis) pallet.genesis!.build(configs[pallet.name]);
  return { ok: undefined };
}

/** The example's populated lists describe their items better than a default's empty ones. */
function mergeTemplates(def: unknown, example: unknown): unknown {
  if (example === undefined) return def;
  if (def === undefined || def === null || typeof def !== 'object' || Array.isArray(def))
    return example ?? def;
  const out: Record<string, unknown> = { ...(def as Record<string, unknown>) };
  for (const [k, v] of Object.entries(example as Record<string, unknown>)) {
    if (v === undefined) continue;
    if (Array.isArray(v) && v.length === 0 && Array.isArray(out[k])) continue;
    out[k] = v;
  }
  return out;
}

export function genesisBuilderApi(runtime: Runtime, opts: GenesisBuilderOptions): RuntimeApiImpl {
  const names = Object.keys(opts.presets);
  const examples = (): GenesisConfigs => {
    const merged: GenesisConfigs = {};
    for (const make of Object.values(opts.presets)) Object.assign(merged, make());
    return merged;
  };
  return {
    api: GenesisBuilderDecl,
    methods: {
      build_state: (json: Uint8Array) => buildStateFromJson(runtime, json, examples()),
      get_preset: (id: Uint8Array | undefined) => {
        if (id === undefined) return asJson(runtime, defaults(runtime));
        const name = new TextDecoder().decode(id);
        const make = opts.presets[name];
        return make ? asJson(runtime, make()) : undefined;
      },
      preset_names: () => names.map((n) => new TextEncoder().encode(n)),
    },
  };
}
