/**
 * `frame_system::CheckMortality`: the extrinsic carries an `Era`; the signed payload carries the hash of the era's
 * birth block, which must still be in `System::BlockHash` (else `AncientBirthBlock`). Longevity = death - now.
 */
import { type Era, EraCodec, eraBirth, eraDeath } from '../era.ts';
import { H256 } from '../primitives.ts';
import { defaultValidity, invalid } from '../transaction-validity.ts';
import type { TransactionExtension } from './extension.ts';
import { systemExtensionPath, wrapperExtensionType } from './extension-type.ts';

export const CheckMortality: TransactionExtension<Era, Uint8Array, undefined, undefined> = {
  identifier: 'CheckMortality',
  extra: wrapperExtensionType(systemExtensionPath('check_mortality', 'CheckMortality'), EraCodec, 'Era'),
  implicit: H256,
  computeImplicit(env, era) {
    const hash = env.blockHash(eraBirth(era, env.blockNumber()));
    if (!hash) throw invalid('AncientBirthBlock');
    return hash;
  },
  validate({ env, extra }) {
    const now = BigInt(env.blockNumber());
    const death = eraDeath(extra, env.blockNumber());
    return { validity: { ...defaultValidity(), longevity: death > now ? death - now : 0n }, val: undefined };
  },
  prepare: () => undefined,
};
