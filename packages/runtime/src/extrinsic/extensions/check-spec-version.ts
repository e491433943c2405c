/** `frame_system::CheckSpecVersion`: signs the runtime's spec_version, so a runtime upgrade invalidates old txs. */
import { u32 } from '../../scale/index.ts';
import type { TransactionExtension } from './extension.ts';
import { emptyExtensionType, systemExtensionPath } from './extension-type.ts';

export const CheckSpecVersion: TransactionExtension<undefined, number, undefined, undefined> = {
  identifier: 'CheckSpecVersion',
  extra: emptyExtensionType(systemExtensionPath('check_spec_version', 'CheckSpecVersion')),
  implicit: u32,
  computeImplicit: (env) => env.specVersion,
  validate: () => ({ val: undefined }),
  prepare: () => undefined,
};
