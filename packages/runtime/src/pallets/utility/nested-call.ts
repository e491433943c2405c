/**
 * Calls carried inside calls (`Box<RuntimeCall>`, `Vec<RuntimeCall>`), as Utility, Proxy and Multisig take them, with
 * polkadot-sdk's decode depth limit: runtime API arguments and extrinsics are decoded with
 * `decode_all_with_depth_limit(MAX_EXTRINSIC_DEPTH = 256)`, and parity-scale-codec counts one level for every `Box`
 * and every `Vec` of non-primitive items. A hostile extrinsic nesting batches deeper than that fails to decode
 * (instead of exhausting the stack) before anything runs.
 */
import { currentRuntime } from '../../frame/env.ts';
import { RuntimeCallRef } from '../../frame/outer-enums.ts';
import type { RuntimeCallValue } from '../../frame/pallet.ts';
import { Codec } from '../../scale/codec.ts';
import { vec } from '../../scale/composite.ts';
import type { Reader } from '../../scale/io.ts';

/** frame_support `MAX_EXTRINSIC_DEPTH`. */
export const MAX_EXTRINSIC_DEPTH = 256;

/** `descend_ref` … `ascend_ref` around one nested read, counted on the reader (so separate decodes never mix). */
function descend<T>(r: Reader, read: () => T): T {
  if (r.depth + 1 > MAX_EXTRINSIC_DEPTH)
    r.fail(`call nesting deeper than the extrinsic depth limit ${MAX_EXTRINSIC_DEPTH}`);
  r.depth++;
  try {
    return read();
  } finally {
    r.depth--;
  }
}

/** One nesting level around `inner`; its type info stays late-bound (the call enum is the current runtime's). */
class Nested<T> extends Codec<T> {
  constructor(readonly inner: Codec<T>) {
    super(
      (w, v) => inner.write(w, v),
      (r) => descend(r, () => inner.read(r)),
      () => inner.info,
      inner.minLength,
    );
  }

  override get info() {
    return this.inner.info;
  }
}

const nested = <T>(inner: Codec<T>): Codec<T> => new Nested(inner);

/**
 * The current runtime's `RuntimeCall`: the env's, or outside any env the runtime whose outer enum is being decoded
 * (a node reading a block), as the account codecs resolve.
 */
class CallRef extends Codec<RuntimeCallValue> {
  constructor() {
    const pick = (): Codec<RuntimeCallValue> => currentRuntime()?.callCodec ?? RuntimeCallRef;
    super(
      (w, v) => pick().write(w, v),
      (r) => pick().read(r),
      () => pick().info,
      1,
    );
  }

  override get info() {
    return (currentRuntime()?.callCodec ?? RuntimeCallRef).info;
  }
}

const RuntimeCall = new CallRef();

/** `Box<<T as Config>::RuntimeCall>` */
export const BoxedCall: Codec<RuntimeCallValue> = nested(RuntimeCall);

/** `Vec<<T as Config>::RuntimeCall>` */
export const CallVec: Codec<RuntimeCallValue[]> = nested(vec(RuntimeCall));

/** Metadata type name of a boxed call argument. */
export const BOXED_CALL_NAME = 'Box<<T as Config>::RuntimeCall>';
export const CALL_VEC_NAME = 'Vec<<T as Config>::RuntimeCall>';
