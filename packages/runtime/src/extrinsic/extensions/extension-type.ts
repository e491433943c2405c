/** scale-info descriptions of extension structs: `struct CheckNonce<T>(#[codec(compact)] T::Nonce)` and friends. */
import { Codec, type Infer } from '../../scale/index.ts';

const skippedT = [{ name: 'T' }];

/** A unit-like extension (`struct CheckWeight<T>(PhantomData<T>)`): nothing on the wire. */
export function emptyExtensionType(path: string[]): Codec<undefined> {
  return new Codec<undefined>(
    () => {},
    () => undefined,
    () => ({ path, params: skippedT, def: { kind: 'composite', fields: [] }, docs: [] }),
    0,
    () => 0,
  );
}

/** A one-field extension: the field's wire format under the extension's path. */
export function wrapperExtensionType<C extends Codec<any>>(path: string[], field: C, typeName: string): C {
  return new Codec<Infer<C>>(
    field.write,
    field.read,
    () => ({
      path,
      params: skippedT,
      def: { kind: 'composite', fields: [{ type: field, typeName }] },
      docs: [],
    }),
    field.minLength,
    field.compare,
  ) as C;
}

const sys = (file: string, name: string) => ['frame_system', 'extensions', file, name];
export const systemExtensionPath = sys;
