/** Thrown for any malformed SCALE input. Decoders never throw anything else on untrusted bytes. */
export class ScaleDecodeError extends Error {
  override name = 'ScaleDecodeError';
  constructor(
    message: string,
    /** Byte offset in the input where decoding failed. */
    readonly offset: number,
  ) {
    super(`${message} (at byte ${offset})`);
  }
}

/** Thrown when a value cannot be encoded as the given type (out of range, wrong shape). */
export class ScaleEncodeError extends Error {
  override name = 'ScaleEncodeError';
}

/** A type definition that cannot work, raised when the codec is built (never on data). */
export class ScaleDefinitionError extends Error {
  override name = 'ScaleDefinitionError';
}
