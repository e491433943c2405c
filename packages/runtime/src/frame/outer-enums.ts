/**
 * Stand-ins for the runtime's outer enums inside pallet types that are defined before any runtime exists
 * (System.Events holds `EventRecord<RuntimeEvent, H256>`, Sudo takes `Box<RuntimeCall>`). They encode, decode and
 * describe themselves (for metadata) as the current env's runtime's enum.
 */
import { Codec } from '../scale/codec.ts';
import { currentEnv } from './env.ts';

class OuterEnumRef extends Codec<any> {
  constructor(readonly pick: () => Codec<any>) {
    super(
      (w, v) => pick().write(w, v),
      (r) => pick().read(r),
      () => pick().info,
      1,
    );
  }

  override get info() {
    return this.pick().info;
  }
}

/** The current runtime's `RuntimeCall`. */
export const RuntimeCallRef: Codec<any> = new OuterEnumRef(() => currentEnv('RuntimeCall').runtime.callCodec);
/** The current runtime's `RuntimeEvent`. */
export const RuntimeEventRef: Codec<any> = new OuterEnumRef(
  () => currentEnv('RuntimeEvent').runtime.eventCodec,
);
