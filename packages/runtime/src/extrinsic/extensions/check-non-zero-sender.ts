/** `frame_system::CheckNonZeroSender`: the all-zero account (no known private key) may not sign. */
import { unit } from '../../scale/index.ts';
import { invalid } from '../transaction-validity.ts';
import type { TransactionExtension } from './extension.ts';
import { emptyExtensionType, systemExtensionPath } from './extension-type.ts';

export const CheckNonZeroSender: TransactionExtension<undefined, undefined, undefined, undefined> = {
  identifier: 'CheckNonZeroSender',
  extra: emptyExtensionType(systemExtensionPath('check_non_zero_sender', 'CheckNonZeroSender')),
  implicit: unit,
  computeImplicit: () => undefined,
  validate({ who }) {
    if (who?.every((b) => b === 0)) throw invalid('BadSigner');
    return { val: undefined };
  },
  prepare: () => undefined,
};
