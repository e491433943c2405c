/**
 * `sp_runtime::multiaddress::MultiAddress<AccountId, AccountIndex>`: how a signed extrinsic names its signer.
 * Polkadot-style runtimes use `AccountIndex = ()`, whose `Compact<()>` encodes to nothing.
 */
import { Codec, type AnyCodec, bytes, bytesFixed, enumeration, unit } from '../scale/index.ts';
import { AccountId32 } from './primitives.ts';

export type MultiAddress =
  | { type: 'Id'; value: Uint8Array }
  | { type: 'Index'; value: number | undefined }
  | { type: 'Raw'; value: Uint8Array }
  | { type: 'Address32'; value: Uint8Array }
  | { type: 'Address20'; value: Uint8Array };

/** `Compact<()>`: zero bytes on the wire, described as a compact of the unit type. */
export const compactUnit = new Codec<undefined>(
  () => {},
  () => undefined,
  { path: [], params: [], def: { kind: 'compact', of: unit }, docs: [] },
  0,
  () => 0,
);

export function multiAddressCodec(
  accountIndex: AnyCodec = compactUnit,
  indexType = unit,
): Codec<MultiAddress> {
  const inner = enumeration({
    Id: [0, AccountId32],
    Index: [1, accountIndex],
    Raw: [2, bytes],
    Address32: [3, bytesFixed(32)],
    Address20: [4, bytesFixed(20)],
  });
  return new Codec<MultiAddress>(
    inner.write,
    inner.read as (r: import('../scale/index.ts').Reader) => MultiAddress,
    () => ({
      ...inner.info,
      path: ['sp_runtime', 'multiaddress', 'MultiAddress'],
      params: [
        { name: 'AccountId', type: AccountId32 },
        { name: 'AccountIndex', type: indexType },
      ],
    }),
    inner.minLength,
    inner.compare as (a: MultiAddress, b: MultiAddress) => number,
  );
}

/** The Polkadot/Kusama/Crust form: `MultiAddress<AccountId32, ()>`. */
export const MultiAddressCodec = multiAddressCodec();
