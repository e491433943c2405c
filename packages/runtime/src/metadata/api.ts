/** The `Metadata` runtime API (sp_api::Metadata, version 2): metadata(), metadata_at_version(v), metadata_versions(). */
import type { Runtime } from '../frame/runtime.ts';
import type { RuntimeApiDecl, RuntimeApiImpl } from '../frame/runtime-version.ts';
import { option, vec } from '../scale/composite.ts';
import { u32 } from '../scale/primitives.ts';
import {
  generateMetadata,
  type MetadataVersion,
  OpaqueMetadataCodec,
  SUPPORTED_METADATA_VERSIONS,
} from './generate.ts';

export const MetadataApi: RuntimeApiDecl = {
  name: 'Metadata',
  version: 2,
  docs: [' The `Metadata` api trait that returns metadata for the runtime.'],
  methods: {
    metadata: { inputs: [], output: OpaqueMetadataCodec, docs: [' Returns the metadata of a runtime.'] },
    metadata_at_version: {
      inputs: [['version', u32]],
      output: option(OpaqueMetadataCodec),
      docs: [
        ' Returns the metadata at a given version.',
        '',
        " If the given `version` isn't supported, this will return `None`.",
        ' Use [`Self::metadata_versions`] to find out about supported metadata version of the runtime.',
      ],
    },
    metadata_versions: {
      inputs: [],
      output: vec(u32),
      docs: [
        ' Returns the supported metadata versions.',
        '',
        ' This can be used to call `metadata_at_version`.',
      ],
    },
  },
};

/**
 * The Metadata API implementation for `runtime` (pass it in `defineRuntime({ apis: [metadataApi, ...] })`).
 * Metadata bytes are generated once per version and cached: the runtime is immutable.
 */
export function metadataApi(runtime: Runtime): RuntimeApiImpl {
  const cache = new Map<MetadataVersion, Uint8Array>();
  const at = (v: MetadataVersion) => {
    let bytes = cache.get(v);
    if (!bytes) {
      bytes = generateMetadata(runtime, v);
      cache.set(v, bytes);
    }
    return bytes;
  };
  return {
    api: MetadataApi,
    methods: {
      // As Substrate: `metadata()` is V14, the version every client understands.
      metadata: () => at(14),
      metadata_at_version: (v: number) =>
        SUPPORTED_METADATA_VERSIONS.includes(v as MetadataVersion) ? at(v as MetadataVersion) : undefined,
      metadata_versions: () => [...SUPPORTED_METADATA_VERSIONS],
    },
  };
}
