/**
 * `polkadot_runtime_parachains::paras` (pallet `Paras`): the registered paras, their lifecycles, heads
 * (`Heads`, at the well-known key `para_head`), current validation code hash and the code by hash, and the most
 * recent relay parent a candidate of each para was built on. Paras are registered at genesis
 * (`{ paras: [{ id, head, validationCode }] }`) and are parachains from block 1.
 *
 * Not here (yet): code upgrades (`FutureCodeUpgrades`, PVF pre-checking, go-ahead signals; a candidate carrying new
 * validation code is refused as `PrematureCodeUpgrade`), on-demand/parathreads, onboarding after genesis.
 */
import { blake2_256 } from '../../crypto/hashing.ts';
import { ensureRoot } from '../../frame/origin.ts';
import { call, pallet } from '../../frame/pallet.ts';
import { weight } from '../../frame/weights.ts';
import { UpgradeGoAheadCodec, UpgradeRestrictionCodec } from '../../parachains/host-config.ts';
import {
  checkParaId,
  HeadDataCodec,
  type ParaId,
  ParaIdCodec,
  ValidationCodeCodec,
  ValidationCodeHashCodec,
} from '../../parachains/ids.ts';
import { type Codec, enumeration, u32, vec } from '../../scale/index.ts';

export type ParaLifecycle =
  | 'Onboarding'
  | 'Parathread'
  | 'Parachain'
  | 'UpgradingParathread'
  | 'DowngradingParachain'
  | 'OffboardingParathread'
  | 'OffboardingParachain';
export const ParaLifecycleCodec: Codec<ParaLifecycle> = enumeration({
  Onboarding: [0],
  Parathread: [1],
  Parachain: [2],
  UpgradingParathread: [3],
  DowngradingParachain: [4],
  OffboardingParathread: [5],
  OffboardingParachain: [6],
})
  .named(['polkadot_runtime_parachains', 'paras', 'ParaLifecycle'])
  .map(
    (v) => v.type,
    (type) => ({ type }),
  );

const p = pallet<{}>('Paras', { module: 'polkadot_runtime_parachains::paras' });

export const Parachains = p.value('Parachains', vec(ParaIdCodec), {
  default: [],
  docs: [
    ' All lease holding parachains. Ordered ascending by `ParaId`. On demand parachains are not',
    ' included.',
  ],
});
export const ParaLifecycles = p.map('ParaLifecycles', ['Twox64Concat', ParaIdCodec], ParaLifecycleCodec, {
  docs: [' The current lifecycle of a all known Para IDs.'],
});
export const Heads = p.map('Heads', ['Twox64Concat', ParaIdCodec], HeadDataCodec, {
  docs: [' The head-data of every registered para.'],
});
export const MostRecentContext = p.map('MostRecentContext', ['Twox64Concat', ParaIdCodec], u32, {
  docs: [' The context (relay-chain block number) of the most recent parachain head.'],
});
export const CurrentCodeHash = p.map(
  'CurrentCodeHash',
  ['Twox64Concat', ParaIdCodec],
  ValidationCodeHashCodec,
  {
    docs: [' The validation code hash of every live para.'],
  },
);
export const UpgradeGoAheadSignal = p.map(
  'UpgradeGoAheadSignal',
  ['Twox64Concat', ParaIdCodec],
  UpgradeGoAheadCodec,
  {
    docs: [
      ' This is used by the relay-chain to communicate to a parachain a go-ahead with in the upgrade',
      ' procedure.',
    ],
  },
);
export const UpgradeRestrictionSignal = p.map(
  'UpgradeRestrictionSignal',
  ['Twox64Concat', ParaIdCodec],
  UpgradeRestrictionCodec,
  {
    docs: [
      ' This is used by the relay-chain to communicate that there are restrictions for performing',
      ' an upgrade for this parachain.',
    ],
  },
);
export const CodeByHashRefs = p.map('CodeByHashRefs', ['Identity', ValidationCodeHashCodec], u32, {
  default: 0,
  docs: [' The number of reference on the validation code in [`CodeByHash`] storage.'],
});
export const CodeByHash = p.map('CodeByHash', ['Identity', ValidationCodeHashCodec], ValidationCodeCodec, {
  docs: [' Validation code stored by its hash.'],
});

export const ParasEvent = p.events({
  CurrentCodeUpdated: [0, ParaIdCodec, [' Current code has been updated for a Para. `para_id`']],
  CurrentHeadUpdated: [1, ParaIdCodec, [' Current head has been updated for a Para. `para_id`']],
  CodeUpgradeScheduled: [2, ParaIdCodec, [' A code upgrade has been scheduled for a Para. `para_id`']],
  NewHeadNoted: [3, ParaIdCodec, [' A new head has been noted for a Para. `para_id`']],
});

export const ParasError = p.errors({
  NotRegistered: [0, [' Para is not registered in our system.']],
  CannotOnboard: [1, [' Para cannot be onboarded because it is already tracked by our system.']],
  CannotUpgradeCode: [11, [' Parachain cannot currently schedule a code upgrade.']],
});

/** `is_valid_para`: registered and neither onboarding nor offboarding. */
export function isValidPara(id: ParaId): boolean {
  const l = ParaLifecycles.get(id);
  return l === 'Parachain' || l === 'Parathread';
}

export function paraHead(id: ParaId): Uint8Array | undefined {
  return Heads.get(id);
}

export function currentCodeHash(id: ParaId): Uint8Array | undefined {
  return CurrentCodeHash.get(id);
}

/** `can_upgrade_validation_code`: code upgrades are not supported here (see the header). */
export function canUpgradeValidationCode(_id: ParaId): boolean {
  return false;
}

/** `note_new_head`: the para's new head, built on relay parent `context`. */
export function noteNewHead(id: ParaId, head: Uint8Array, context: number): void {
  Heads.set(id, head);
  MostRecentContext.set(id, context);
  ParasEvent.deposit({ type: 'NewHeadNoted', value: id });
}

function setCode(id: ParaId, code: Uint8Array): void {
  const hash = blake2_256(code);
  const old = CurrentCodeHash.get(id);
  if (old) {
    const refs = CodeByHashRefs.get(old) - 1;
    if (refs <= 0) {
      CodeByHashRefs.remove(old);
      CodeByHash.remove(old);
    } else CodeByHashRefs.set(old, refs);
  }
  CodeByHashRefs.set(hash, CodeByHashRefs.get(hash) + 1);
  CodeByHash.set(hash, code);
  CurrentCodeHash.set(id, hash);
}

export interface ParaGenesis {
  id: ParaId;
  head: Uint8Array;
  validationCode: Uint8Array;
}

const forceWeight = () => weight(20_000_000, 3_500);

export const Paras = p.build({
  docs: [' The registered paras: heads, validation code, lifecycles.'],
  calls: {
    force_set_current_code: call(
      0,
      { para: ParaIdCodec, new_code: ValidationCodeCodec },
      {
        weight: forceWeight,
        dispatch(origin, { para, new_code }) {
          ensureRoot(origin);
          if (!ParaLifecycles.contains(para)) throw ParasError.fail('NotRegistered');
          setCode(para, new_code);
          ParasEvent.deposit({ type: 'CurrentCodeUpdated', value: para });
        },
        typeNames: { para: 'ParaId', new_code: 'ValidationCode' },
        docs: [' Set the storage for the parachain validation code immediately.'],
      },
    ),
    force_set_current_head: call(
      1,
      { para: ParaIdCodec, new_head: HeadDataCodec },
      {
        weight: forceWeight,
        dispatch(origin, { para, new_head }) {
          ensureRoot(origin);
          if (!ParaLifecycles.contains(para)) throw ParasError.fail('NotRegistered');
          Heads.set(para, new_head);
          ParasEvent.deposit({ type: 'CurrentHeadUpdated', value: para });
        },
        typeNames: { para: 'ParaId', new_head: 'HeadData' },
        docs: [' Set the storage for the current parachain head data immediately.'],
      },
    ),
    force_note_new_head: call(
      3,
      { para: ParaIdCodec, new_head: HeadDataCodec },
      {
        weight: forceWeight,
        dispatch(origin, { para, new_head }) {
          ensureRoot(origin);
          if (!ParaLifecycles.contains(para)) throw ParasError.fail('NotRegistered');
          noteNewHead(para, new_head, MostRecentContext.get(para) ?? 0);
        },
        typeNames: { para: 'ParaId', new_head: 'HeadData' },
        docs: [' Note a new block head for para within the context of the current block.'],
      },
    ),
  },
  genesis: {
    default: () => ({ paras: [] as ParaGenesis[] }),
    build(g: { paras: ParaGenesis[] }) {
      const ids: ParaId[] = [];
      for (const para of g.paras) {
        const id = checkParaId(para.id);
        if (ids.includes(id)) throw new TypeError(`Paras genesis: para ${id} given twice`);
        if (!(para.head instanceof Uint8Array) || !(para.validationCode instanceof Uint8Array))
          throw new TypeError(`Paras genesis: para ${id} needs head and validationCode bytes`);
        ids.push(id);
        ParaLifecycles.set(id, 'Parachain');
        Heads.set(id, para.head);
        MostRecentContext.set(id, 0);
        setCode(id, para.validationCode);
      }
      Parachains.set(ids.sort((a, b) => a - b));
    },
  },
});
