/**
 * `sp_runtime::generic::UncheckedExtrinsic`, format version 4: Compact<u32> length ++ version byte (0x84 signed,
 * 0x04 bare) ++ [signer address ++ signature ++ extra tuple, if signed] ++ call. The signature covers the signing
 * payload `call ++ extra ++ implicit` (blake2_256 of it when longer than 256 bytes).
 */
import { blake2_256 } from '../crypto/hashing.ts';
import {
  type AnyCodec,
  Codec,
  readCompactNumber,
  Reader,
  ScaleDecodeError,
  Writer,
  writeLength,
  bytes,
} from '../scale/index.ts';
import { OpaqueExtrinsicCodec } from '../block/block.ts';
import type { ExtrinsicMetadataInfo } from '../frame/runtime.ts';
import type { ExtensionPipeline } from './extensions/pipeline.ts';
import type { SignatureScheme } from './signature-scheme.ts';

export const EXTRINSIC_FORMAT_VERSION = 4;
const SIGNED = 0x84;
const BARE = 0x04;
const EMPTY = new Uint8Array(0);

/** Everything a runtime decides about its extrinsics: signer/signature kind, call enum, extension list. */
export interface ExtrinsicFormat<Call = any> {
  scheme: SignatureScheme;
  call: Codec<Call>;
  extensions: ExtensionPipeline;
}

export interface SignedPart {
  address: unknown;
  signature: unknown;
  /** One value per extension, in the pipeline's order. */
  extra: unknown[];
}

export interface UncheckedExtrinsic<Call = unknown> {
  signed?: SignedPart;
  call: Call;
}

/** A decoded extrinsic with the exact bytes it came from (hash, length fee and signing payload use those). */
export interface DecodedExtrinsic<Call = unknown> extends UncheckedExtrinsic<Call> {
  /** The whole extrinsic including its length prefix. */
  encoded: Uint8Array;
  /** The SCALE-encoded call as it appeared. */
  callBytes: Uint8Array;
  /** The SCALE-encoded extra tuple as it appeared (empty for bare extrinsics). */
  extraBytes: Uint8Array;
}

/** Bytes that are not a well-formed extrinsic of this runtime (Substrate fails the runtime call the same way). */
export class ExtrinsicDecodeError extends Error {
  override name = 'ExtrinsicDecodeError';
  constructor(
    message: string,
    override readonly cause?: unknown,
  ) {
    super(message);
  }
}

export function decodeExtrinsic<Call>(
  format: ExtrinsicFormat<Call>,
  input: Uint8Array,
): DecodedExtrinsic<Call> {
  try {
    const r = new Reader(input);
    const [expected, afterLength] = readCompactNumber(input, 0);
    r.offset = afterLength;
    const version = r.byte('extrinsic version');
    let signed: SignedPart | undefined;
    let extraBytes: Uint8Array = EMPTY;
    if (version === SIGNED) {
      const address = format.scheme.address.readChecked(r);
      const signature = format.scheme.signature.readChecked(r);
      const extraStart = r.offset;
      const extra = format.extensions.extra.readChecked(r);
      extraBytes = input.subarray(extraStart, r.offset);
      signed = { address, signature, extra };
    } else if (version !== BARE) {
      throw new ExtrinsicDecodeError(
        `unsupported extrinsic version byte 0x${version.toString(16).padStart(2, '0')}`,
      );
    }
    const callStart = r.offset;
    const call = format.call.readChecked(r);
    const callBytes = input.subarray(callStart, r.offset);
    if (r.offset - afterLength !== expected) {
      throw new ExtrinsicDecodeError(
        `invalid length prefix: says ${expected}, content is ${r.offset - afterLength}`,
      );
    }
    if (r.offset !== input.length)
      throw new ExtrinsicDecodeError(`${input.length - r.offset} trailing bytes`);
    return { signed, call, encoded: input, callBytes, extraBytes };
  } catch (err) {
    if (err instanceof ExtrinsicDecodeError) throw err;
    if (err instanceof ScaleDecodeError) throw new ExtrinsicDecodeError(`bad extrinsic: ${err.message}`, err);
    throw new ExtrinsicDecodeError(`bad extrinsic: ${(err as Error).message}`, err);
  }
}

export function encodeExtrinsic<Call>(
  format: ExtrinsicFormat<Call>,
  xt: UncheckedExtrinsic<Call>,
): Uint8Array {
  const body = new Writer(128);
  if (xt.signed) {
    body.byte(SIGNED);
    format.scheme.address.write(body, xt.signed.address);
    format.scheme.signature.write(body, xt.signed.signature);
    format.extensions.extra.write(body, xt.signed.extra);
  } else body.byte(BARE);
  format.call.write(body, xt.call);
  const out = new Writer(body.length + 5);
  writeLength(out, body.length);
  out.bytes(body.buf.subarray(0, body.length));
  return out.finish();
}

/** The bytes a signer signs: `call ++ extra ++ implicit`, or their blake2_256 when longer than 256 bytes. */
export function signingPayload(
  callBytes: Uint8Array,
  extraBytes: Uint8Array,
  implicitBytes: Uint8Array,
): Uint8Array {
  const raw = new Uint8Array(callBytes.length + extraBytes.length + implicitBytes.length);
  raw.set(callBytes, 0);
  raw.set(extraBytes, callBytes.length);
  raw.set(implicitBytes, callBytes.length + extraBytes.length);
  return raw.length > 256 ? blake2_256(raw) : raw;
}

/** `blake2_256` of the full encoding (length prefix included): the hash polkadot-js and the pool show. */
export function extrinsicHash(encoded: Uint8Array): Uint8Array {
  return blake2_256(encoded);
}

/**
 * The extrinsic as a runtime API argument / block item: wire value is the full encoding (length prefix included),
 * described as sp_runtime does (`Vec<u8>` under the path of `UncheckedExtrinsic` with its type parameters).
 */
export function uncheckedExtrinsicType(format: ExtrinsicFormat): AnyCodec {
  return new Codec<Uint8Array>(
    OpaqueExtrinsicCodec.write,
    OpaqueExtrinsicCodec.read,
    () => ({
      path: ['sp_runtime', 'generic', 'unchecked_extrinsic', 'UncheckedExtrinsic'],
      params: [
        { name: 'Address', type: format.scheme.address },
        { name: 'Call', type: format.call },
        { name: 'Signature', type: format.scheme.signature },
        { name: 'Extra', type: format.extensions.extra },
      ],
      def: { kind: 'composite', fields: [{ type: bytes }] },
      docs: ['UncheckedExtrinsic raw bytes, requires custom decoding routine'],
    }),
    1,
  );
}

/** What metadata's `extrinsic` section says about this format (the framework's `ExtrinsicMetadataInfo`). */
export function extrinsicMetadataInfo(
  format: Pick<ExtrinsicFormat, 'scheme' | 'extensions'>,
): ExtrinsicMetadataInfo {
  return {
    version: EXTRINSIC_FORMAT_VERSION,
    address: format.scheme.address,
    signature: format.scheme.signature,
    extra: format.extensions.extra,
    signedExtensions: format.extensions.metadata(),
  };
}
