/**
 * Rust tuple structs with one field (`struct AccountId32([u8; 32])`): the same bytes as the field, but scale-info
 * describes them as a composite with one unnamed field under the Rust path, which is what polkadot-js and subxt
 * expect to find in metadata.
 */
import { Codec } from '../scale/index.ts';

export function newtype<T>(inner: Codec<T>, path: string[], typeName?: string): Codec<T> {
  return new Codec<T>(
    inner.write,
    inner.read,
    () => ({
      path,
      params: [],
      def: { kind: 'composite', fields: [{ type: inner, typeName }] },
      docs: [],
    }),
    inner.minLength,
    inner.compare,
  );
}
