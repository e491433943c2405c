/** `frame_system::CheckGenesis`: signs the genesis hash (`BlockHash(0)`), so txs cannot replay across chains. */
import { H256 } from '../primitives.ts';
import type { TransactionExtension } from './extension.ts';
import { emptyExtensionType, systemExtensionPath } from './extension-type.ts';

export const CheckGenesis: TransactionExtension<undefined, Uint8Array, undefined, undefined> = {
  identifier: 'CheckGenesis',
  extra: emptyExtensionType(systemExtensionPath('check_genesis', 'CheckGenesis')),
  implicit: H256,
  // Before block 1 is initialized System holds a placeholder here, exactly as frame_system does.
  computeImplicit: (env) => env.blockHash(0) ?? new Uint8Array(32),
  validate: () => ({ val: undefined }),
  prepare: () => undefined,
};
