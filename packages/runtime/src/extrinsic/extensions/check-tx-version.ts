/** `frame_system::CheckTxVersion`: signs transaction_version (bumped when call encodings change). */
import { u32 } from '../../scale/index.ts';
import type { TransactionExtension } from './extension.ts';
import { emptyExtensionType, systemExtensionPath } from './extension-type.ts';

export const CheckTxVersion: TransactionExtension<undefined, number, undefined, undefined> = {
  identifier: 'CheckTxVersion',
  extra: emptyExtensionType(systemExtensionPath('check_tx_version', 'CheckTxVersion')),
  implicit: u32,
  computeImplicit: (env) => env.transactionVersion,
  validate: () => ({ val: undefined }),
  prepare: () => undefined,
};
