/**
 * `polkadot_runtime_parachains::shared` (pallet `ParasShared`): the current session index, the active validators,
 * and the recent relay parents a candidate may be built on (`AllowedRelayParents`: a ring of (block hash, state root)
 * pairs ending at `latest_number`, as polkadot-js's Polkadot metadata lays out `AllowedRelayParentsTracker`).
 *
 * Validators: our relay has no staking or session keys; the validator set is given at genesis (`validators`, sr25519
 * `ValidatorId`s — the devnet has one, //Alice) and kept across sessions.
 */
import { H256 } from '../../extrinsic/primitives.ts';
import { pallet } from '../../frame/pallet.ts';
import { ValidatorIdCodec, ValidatorIndexCodec } from '../../parachains/candidate.ts';
import { type Codec, struct, tuple, u32, vec } from '../../scale/index.ts';

export interface AllowedRelayParentsTracker {
  /** Oldest first: (relay block hash, its state root). */
  buffer: Array<readonly [Uint8Array, Uint8Array]>;
  /** Number of the newest entry. */
  latest_number: number;
}
export const AllowedRelayParentsTrackerCodec: Codec<AllowedRelayParentsTracker> = struct(
  { buffer: vec(tuple(H256, H256)), latest_number: u32 },
  { buffer: 'VecDeque<(Hash, Hash)>', latest_number: 'BlockNumber' },
).named(['polkadot_runtime_parachains', 'shared', 'AllowedRelayParentsTracker'], {
  params: [
    { name: 'Hash', type: H256 },
    { name: 'BlockNumber', type: u32 },
  ],
});

const p = pallet<{}>('ParasShared', { module: 'polkadot_runtime_parachains::shared' });

export const CurrentSessionIndex = p.value('CurrentSessionIndex', u32, {
  default: 0,
  docs: [' The current session index.'],
});
export const ActiveValidatorIndices = p.value('ActiveValidatorIndices', vec(ValidatorIndexCodec), {
  default: [],
  docs: [
    ' All the validators actively participating in parachain consensus.',
    ' Indices are into the broader validator set.',
  ],
});
export const ActiveValidatorKeys = p.value('ActiveValidatorKeys', vec(ValidatorIdCodec), {
  default: [],
  docs: [
    ' The parachain attestation keys of the validators actively participating in parachain',
    ' consensus.',
  ],
});
export const AllowedRelayParents = p.value('AllowedRelayParents', AllowedRelayParentsTrackerCodec, {
  default: { buffer: [], latest_number: 0 },
  docs: [' All allowed relay-parents.'],
});

export const ParasShared = p.build({
  docs: [' Shared state of the parachain pallets: session, validators, allowed relay parents.'],
  genesis: {
    default: () => ({ validators: [] as Uint8Array[] }),
    build(g: { validators: Uint8Array[] }) {
      for (const v of g.validators)
        if (!(v instanceof Uint8Array) || v.length !== 32)
          throw new TypeError('ParasShared genesis: every validator is a 32-byte sr25519 public key');
      ActiveValidatorKeys.set(g.validators);
      ActiveValidatorIndices.set(g.validators.map((_, i) => i));
    },
  },
});

/**
 * `AllowedRelayParentsTracker::update`: note the parent block (its hash, state root and number) as an allowed relay
 * parent, keeping the newest `maxAncestry + 1` (polkadot-sdk: `allowed_ancestry_len + 1`).
 */
export function addAllowedRelayParent(
  hash: Uint8Array,
  stateRoot: Uint8Array,
  number: number,
  maxAncestry: number,
): void {
  AllowedRelayParents.mutate((t) => {
    // A gap (or a restart after a cleared buffer) would make the numbers derived from `latest_number` wrong.
    if (t.buffer.length > 0 && number !== t.latest_number + 1) t.buffer = [];
    t.buffer.push([hash, stateRoot]);
    const keep = maxAncestry + 1;
    if (t.buffer.length > keep) t.buffer.splice(0, t.buffer.length - keep);
    t.latest_number = number;
  });
}

/** `acquire_info`: the state root and number of an allowed relay parent, if `hash` is one. */
export function relayParentInfo(hash: Uint8Array): { stateRoot: Uint8Array; number: number } | undefined {
  const t = AllowedRelayParents.get();
  for (let i = t.buffer.length - 1; i >= 0; i--) {
    const [h, root] = t.buffer[i];
    if (equal(h, hash)) return { stateRoot: root, number: t.latest_number - (t.buffer.length - 1 - i) };
  }
  return undefined;
}

/** Session change: a new session index; relay parents of the old session are no longer allowed. */
export function sharedOnNewSession(session: number): void {
  CurrentSessionIndex.set(session);
  AllowedRelayParents.mutate((t) => {
    t.buffer = [];
  });
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
