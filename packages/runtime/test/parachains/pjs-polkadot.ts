/**
 * The outside oracle for parachain types and relay storage: polkadot-js's bundled Polkadot metadata
 * (@polkadot/types-support static-polkadot, polkadot_primitives v6 whose wire layouts v8 keeps) with its type
 * registry (to encode/decode by Rust path) and its decorated storage (to compute `api.query.<pallet>.<item>` keys).
 */
import { Metadata, TypeRegistry } from '@polkadot/types';
import { decorateStorage } from '@polkadot/types/metadata/decorate';
import metaStatic from '@polkadot/types-support/metadata/static-polkadot';

export const registry = new TypeRegistry();
export const metadata = new Metadata(registry, metaStatic);
registry.setMetadata(metadata);

const latest = metadata.asLatest;

/** The registry type name (`Lookup<id>`) of the Rust type at `path` (e.g. `polkadot_primitives::v6::CandidateDescriptor`). */
export function pjsType(path: string): string {
  const found = latest.lookup.types.find((t) => t.type.path.map(String).join('::') === path);
  if (!found) throw new Error(`no type ${path} in the Polkadot metadata`);
  return `Lookup${found.id.toNumber()}`;
}

/** Decodes `bytes` as the Rust type at `path` and re-encodes it (what polkadot-js makes of our encoding). */
export function pjsRoundTrip(path: string, bytes: Uint8Array) {
  const value = registry.createType(pjsType(path), bytes);
  return { value, reencoded: value.toU8a() };
}

export const pjsStorage = decorateStorage(registry, latest, metadata.version);

/** A pallet's index, storage item names, and call / event / error variants as Polkadot has them. */
export function polkadotPallet(name: string) {
  const p = latest.pallets.find((x) => x.name.toString() === name);
  if (!p) throw new Error(`no pallet ${name}`);
  const variants = (id: number | undefined) =>
    id === undefined
      ? []
      : latest.lookup.getSiType(id).def.asVariant.variants.map((v) => ({
          index: v.index.toNumber(),
          name: v.name.toString(),
          fields: v.fields.map((f) => ({
            name: f.name.isSome ? f.name.unwrap().toString() : undefined,
            type: latest.lookup.getSiType(f.type).path.map(String).join('::'),
          })),
        }));
  return {
    index: p.index.toNumber(),
    storage: p.storage.isSome
      ? p.storage.unwrap().items.map((s) => ({
          name: s.name.toString(),
          modifier: s.modifier.toString(),
          hashers: s.type.isMap ? s.type.asMap.hashers.map((h) => h.toString()) : [],
        }))
      : [],
    calls: variants(p.calls.isSome ? p.calls.unwrap().type.toNumber() : undefined),
    events: variants(p.events.isSome ? p.events.unwrap().type.toNumber() : undefined),
    errors: variants(p.errors.isSome ? p.errors.unwrap().type.toNumber() : undefined),
  };
}
