/**
 * `frame_system::CheckNonce`: replay protection. A nonce below the account's is `Stale`; above it is valid for the
 * pool but `requires` the previous (who, nonce - 1) tag and is `Future` at dispatch. Every tx `provides`
 * SCALE((who, nonce)) = account id bytes ++ u32 little-endian. Accounts without providers/sufficients cannot pay
 * for their nonce storage: `Payment`.
 */
import { compact, u32 } from '../../scale/index.ts';
import { defaultValidity, invalid } from '../transaction-validity.ts';
import type { TransactionExtension } from './extension.ts';
import { systemExtensionPath, wrapperExtensionType } from './extension-type.ts';
import { unit } from '../../scale/index.ts';

export function nonceTag(who: Uint8Array, nonce: number): Uint8Array {
  const out = new Uint8Array(who.length + 4);
  out.set(who);
  new DataView(out.buffer).setUint32(who.length, nonce, true);
  return out;
}

export const CheckNonce: TransactionExtension<number, undefined, { nonce: number } | undefined, undefined> = {
  identifier: 'CheckNonce',
  extra: wrapperExtensionType(systemExtensionPath('check_nonce', 'CheckNonce'), compact(u32), 'T::Nonce'),
  implicit: unit,
  computeImplicit: () => undefined,
  validate({ env, who, extra }) {
    if (!who) return { val: undefined };
    const account = env.account(who);
    if (account.providers === 0 && account.sufficients === 0) throw invalid('Payment');
    if (extra < account.nonce) throw invalid('Stale');
    const validity = defaultValidity();
    validity.provides = [nonceTag(who, extra)];
    if (extra > account.nonce) validity.requires = [nonceTag(who, extra - 1)];
    return { validity, val: { nonce: account.nonce } };
  },
  prepare({ env, who, extra }, val) {
    if (!who || !val) return undefined;
    if (extra > val.nonce) throw invalid('Future');
    // Nonce is u32: wrapping matches `account.nonce += One::one()` in release builds only at u32::MAX, unreachable.
    env.setNonce(who, val.nonce + 1);
    return undefined;
  },
};
