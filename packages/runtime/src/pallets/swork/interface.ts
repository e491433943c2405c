/**
 * What swork offers other pallets through their Config: Crust's `SworkerInterface` for the market, and the
 * identity lookup and punishment the storage challenge pallet needs.
 */
import { equalBytes, type SworkerInterface } from '../market/primitives.ts';
import {
  AddedFilesCount,
  config,
  Free,
  Identities,
  ReportedFilesSize,
  ReportedInSlot,
  WorkReports,
} from './items.ts';
import { punish } from './workload.ts';
import { slotOf } from './works.ts';

const satSub = (a: bigint, b: bigint) => (a > b ? a - b : 0n);
const U64_MAX = 0xffff_ffff_ffff_ffffn;

export const sworkerInterface: SworkerInterface = {
  isWrReported(anchor, bn) {
    const current = slotOf(bn);
    const previous = satSub(current, BigInt(config().reportSlot));
    return ReportedInSlot.get(anchor, previous);
  },
  updateSpower(anchor, decreased, increased) {
    if (decreased === increased) return;
    const wr = WorkReports.get(anchor);
    if (!wr) return;
    const added = wr.spower + increased;
    wr.spower = satSub(added > U64_MAX ? U64_MAX : added, decreased);
    WorkReports.set(anchor, wr);
  },
  checkAnchor(who, anchor) {
    const identity = Identities.get(who);
    return identity !== undefined && equalBytes(identity.anchor, anchor);
  },
  filesSizeAndFreeSpace() {
    return [ReportedFilesSize.get(), Free.get()];
  },
  addedFilesCountAndClearRecord() {
    const n = AddedFilesCount.get();
    AddedFilesCount.set(0);
    return n;
  },
  getOwner(who) {
    return Identities.get(who)?.group;
  },
};

/** What the storage challenge pallet asks of swork. */
export interface SworkChallengeAccess {
  /** The anchor `who`'s identity currently reports under, if registered. */
  anchorOf(who: Uint8Array): Uint8Array | undefined;
  /** Punishes `who` as for a missed report: its workload counts zero for PunishmentSlots slots from now. */
  punish(who: Uint8Array): void;
}

export const sworkChallengeAccess: SworkChallengeAccess = {
  anchorOf: (who) => Identities.get(who)?.anchor,
  punish(who) {
    const identity = Identities.get(who);
    if (identity) punish(who, identity);
  },
};
