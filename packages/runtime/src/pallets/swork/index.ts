/**
 * Crust's storage workers (`swork`) without SGX: a worker key (sr25519) bound to an account, allowlisted code
 * identities, signed work reports once per slot whose added/deleted files update market replicas, groups, and the
 * end-of-slot workload with punishment. report.ts holds what a storage node needs to build a valid report.
 */
export { type SworkChallengeAccess, sworkChallengeAccess, sworkerInterface } from './interface.ts';
export * from './items.ts';
export { Swork, type SworkGenesis, SworkWeights } from './pallet.ts';
export * from './report.ts';
export * from './types.ts';
export { isFullyReported, punish } from './workload.ts';
export { register, reportWorks, slotOf } from './works.ts';
