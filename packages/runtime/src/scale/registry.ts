/**
 * Builds scale-info's PortableRegistry from codecs: every type reachable from the registered codecs gets a
 * numeric id, and type references inside definitions become ids. Metadata (V14/V15) encodes the result.
 */
import type { AnyCodec } from './codec.ts';
import type { PrimitiveName, TypeInfo } from './type-info.ts';

export interface PortableField {
  name?: string;
  type: number;
  typeName?: string;
  docs: string[];
}

export interface PortableVariant {
  name: string;
  fields: PortableField[];
  index: number;
  docs: string[];
}

export type PortableTypeDef =
  | { type: 'Composite'; value: { fields: PortableField[] } }
  | { type: 'Variant'; value: { variants: PortableVariant[] } }
  | { type: 'Sequence'; value: { type: number } }
  | { type: 'Array'; value: { len: number; type: number } }
  | { type: 'Tuple'; value: number[] }
  | { type: 'Primitive'; value: { type: PrimitiveVariant } }
  | { type: 'Compact'; value: { type: number } }
  | { type: 'BitSequence'; value: { bitStoreType: number; bitOrderType: number } };

export type PrimitiveVariant =
  Capitalize<PrimitiveName> extends infer P ? (P extends string ? P : never) : never;

export interface PortableType {
  id: number;
  type: {
    path: string[];
    params: Array<{ name: string; type?: number }>;
    def: PortableTypeDef;
    docs: string[];
  };
}

/**
 * scale-info's `Registry` gives one id per Rust type, in first-seen (pre-order) order. Our codecs are values, so the
 * same Rust type is often built twice (`option(u32)` in two pallets, `bytes` and `vec(u8)`); such structurally
 * identical types share one id here as in scale-info. Identity: the portable content (path, params, def, docs)
 * with child types replaced by their own identities, interned to small numbers so keys stay short. A type met again
 * while its own identity is being computed (recursion) is identified by its object instead.
 */
export class TypeRegistry {
  readonly types: PortableType[] = [];
  readonly #ids = new Map<string, number>();
  readonly #structural = new Map<TypeInfo, string>();
  readonly #interned = new Map<string, number>();
  readonly #objects = new Map<TypeInfo, number>();
  readonly #visiting = new Set<TypeInfo>();

  /** The id of `codec`'s type, registering it and everything it refers to on first sight. */
  register(codec: AnyCodec): number {
    return this.#registerInfo(codec.info);
  }

  #registerInfo(info: TypeInfo): number {
    const key = this.#key(info);
    const known = this.#ids.get(key);
    if (known !== undefined) return known;
    const id = this.types.length;
    this.#ids.set(key, id);
    // Reserve the slot before resolving children so recursive types refer back to this id.
    const entry: PortableType = {
      id,
      type: { path: info.path, params: [], def: { type: 'Tuple', value: [] }, docs: info.docs },
    };
    this.types.push(entry);
    entry.type.params = info.params.map((p) =>
      p.type ? { name: p.name, type: this.register(p.type) } : { name: p.name },
    );
    entry.type.def = this.#def(info);
    return id;
  }

  #key(info: TypeInfo): string {
    const cached = this.#structural.get(info);
    if (cached !== undefined) return cached;
    if (this.#visiting.has(info)) {
      let n = this.#objects.get(info);
      if (n === undefined) this.#objects.set(info, (n = this.#objects.size));
      return `@${n}`;
    }
    this.#visiting.add(info);
    const ref = (c: AnyCodec) => this.#intern(this.#key(c.info));
    const field = (f: { name?: string; type: AnyCodec; typeName?: string; docs?: string[] }) => [
      f.name ?? null,
      ref(f.type),
      f.typeName ?? null,
      f.docs ?? [],
    ];
    const def = info.def;
    let d: unknown;
    switch (def.kind) {
      case 'primitive':
        d = def.name;
        break;
      case 'composite':
        d = def.fields.map(field);
        break;
      case 'variant':
        d = def.variants.map((v) => [v.name, v.index, v.fields.map(field), v.docs ?? []]);
        break;
      case 'sequence':
      case 'compact':
        d = ref(def.of);
        break;
      case 'array':
        d = [def.len, ref(def.of)];
        break;
      case 'tuple':
        d = def.of.map(ref);
        break;
      case 'bitSequence':
        d = [ref(def.store), ref(def.order)];
        break;
    }
    const params = info.params.map((p) => [p.name, p.type ? ref(p.type) : null]);
    const key = JSON.stringify([def.kind, info.path, params, d, info.docs]);
    this.#visiting.delete(info);
    // Keys holding `@n` name a specific object, so they stay sound when cached; twins of recursive types just
    // do not merge.
    this.#structural.set(info, key);
    return key;
  }

  #intern(key: string): number {
    let n = this.#interned.get(key);
    if (n === undefined) this.#interned.set(key, (n = this.#interned.size));
    return n;
  }

  #def(info: TypeInfo): PortableTypeDef {
    const def = info.def;
    const field = (f: {
      name?: string;
      type: AnyCodec;
      typeName?: string;
      docs?: string[];
    }): PortableField => ({
      name: f.name,
      type: this.register(f.type),
      typeName: f.typeName,
      docs: f.docs ?? [],
    });
    switch (def.kind) {
      case 'primitive':
        return {
          type: 'Primitive',
          value: { type: (def.name[0].toUpperCase() + def.name.slice(1)) as PrimitiveVariant },
        };
      case 'composite':
        return { type: 'Composite', value: { fields: def.fields.map(field) } };
      case 'variant':
        return {
          type: 'Variant',
          value: {
            // Declaration order, not index order: scale-info keeps the Rust source order (test_suite/tests/json.rs
            // `enums_with_scale_indexed_variants`).
            variants: def.variants.map((v) => ({
              name: v.name,
              index: v.index,
              fields: v.fields.map(field),
              docs: v.docs ?? [],
            })),
          },
        };
      case 'sequence':
        return { type: 'Sequence', value: { type: this.register(def.of) } };
      case 'array':
        return { type: 'Array', value: { len: def.len, type: this.register(def.of) } };
      case 'tuple':
        return { type: 'Tuple', value: def.of.map((c) => this.register(c)) };
      case 'compact':
        return { type: 'Compact', value: { type: this.register(def.of) } };
      case 'bitSequence': {
        const bitStoreType = this.register(def.store);
        return { type: 'BitSequence', value: { bitStoreType, bitOrderType: this.register(def.order) } };
      }
    }
  }
}
