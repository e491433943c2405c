/**
 * `frame_metadata_hash_extension::CheckMetadataHash` (RFC-0078): one `mode` byte in the extrinsic; with mode
 * Enabled the signed payload carries `Some(metadata_hash)`, so an offline signer that saw other metadata produces a
 * signature that fails (BadProof). Enabled without a known hash is `Unknown(CannotLookup)`, as upstream.
 */
import { bytesFixed, Codec, enumeration, option } from '../../scale/index.ts';
import { unknown } from '../transaction-validity.ts';
import type { TransactionExtension } from './extension.ts';

export const MetadataHashModeCodec = enumeration({ Disabled: [0], Enabled: [1] }).named([
  'frame_metadata_hash_extension',
  'Mode',
]);
export type MetadataHashMode = { type: 'Disabled' } | { type: 'Enabled' };

const extraType = new Codec<MetadataHashMode>(
  MetadataHashModeCodec.write,
  MetadataHashModeCodec.read as (r: import('../../scale/index.ts').Reader) => MetadataHashMode,
  () => ({
    path: ['frame_metadata_hash_extension', 'CheckMetadataHash'],
    params: [{ name: 'T' }],
    def: { kind: 'composite', fields: [{ name: 'mode', type: MetadataHashModeCodec, typeName: 'Mode' }] },
    docs: [],
  }),
  1,
);

/** The extension for a runtime whose metadata hash is `metadataHash` (undefined: not known, mode 1 rejected). */
export function checkMetadataHash(
  metadataHash?: Uint8Array,
): TransactionExtension<MetadataHashMode, Uint8Array | undefined, undefined, undefined> {
  return {
    identifier: 'CheckMetadataHash',
    extra: extraType,
    implicit: option(bytesFixed(32)),
    computeImplicit(_env, mode) {
      if (mode.type === 'Disabled') return undefined;
      if (!metadataHash) throw unknown('CannotLookup');
      return metadataHash;
    },
    validate: () => ({ val: undefined }),
    prepare: () => undefined,
  };
}
