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
  | { type: 'Compact'; value: { type: number } };

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

export class TypeRegistry {
  readonly types: PortableType[] = [];
  // Keyed by the TypeInfo object: `lazy` and `map` share their inner codec's info, so they are one type.
  readonly #ids = new Map<TypeInfo, number>();

  /** The id of `codec`'s type, registering it and everything it refers to on first sight. */
  register(codec: AnyCodec): number {
    const info = codec.info;
    const known = this.#ids.get(info);
    if (known !== undefined) return known;
    const id = this.types.length;
    this.#ids.set(info, id);
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
            variants: [...def.variants]
              .sort((a, b) => a.index - b.index)
              .map((v) => ({
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
    }
  }
}
