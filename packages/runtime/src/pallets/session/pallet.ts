/**
 * pallet_session (polkadot-sdk substrate/frame/session), the part our chains use: the validator set and each
 * validator's session keys, rotated every `period` blocks (PeriodicSessions). `set_keys` queues keys for the session
 * after next; at a rotation the queued keys become current and the session handlers (Aura) hear about them. There is
 * no SessionManager (no staking or collator selection): the validator set stays the genesis one.
 * `Session.Validators` is also what polkadot-js's `api.derive.chain.getHeader` reads to name a block's author
 * (`validators[slot % len]` for an aura pre-runtime digest).
 */
import { AccountId } from '../../frame/account.ts';
import { currentRuntime } from '../../frame/env.ts';
import { ensureSigned } from '../../frame/origin.ts';
import { call, pallet } from '../../frame/pallet.ts';
import { addWeight, type Weight, weight } from '../../frame/weights.ts';
import { Codec } from '../../scale/codec.ts';
import { struct, tuple, vec } from '../../scale/composite.ts';
import { bool, bytes, bytesFixed, u32 } from '../../scale/primitives.ts';
import {
  canAccrueConsumers,
  decConsumers,
  incConsumers,
  incConsumersWithoutLimit,
  incProviders,
} from '../system/account.ts';
import { config as systemConfig } from '../system/pallet.ts';

/** `sp_core::crypto::KeyTypeId` (4 bytes, e.g. `aura`). */
export const KeyTypeIdCodec = bytesFixed(4);

/** One key type of the runtime's `SessionKeys` struct: its field and its KeyTypeId. */
export interface SessionKeyField {
  field: string;
  keyTypeId: Uint8Array;
}

/** `T::Keys` (`OpaqueKeys`): the runtime's `SessionKeys` struct, one public key per field. */
export interface SessionKeysDef {
  codec: Codec<Record<string, Uint8Array>>;
  fields: readonly SessionKeyField[];
}

/** A pallet taking part in sessions (`OneSessionHandler`), for one key type. */
export interface SessionHandler {
  keyTypeId: Uint8Array;
  onGenesisSession(validators: ReadonlyArray<readonly [Uint8Array, Uint8Array]>): void;
  onNewSession(
    changed: boolean,
    validators: ReadonlyArray<readonly [Uint8Array, Uint8Array]>,
    queued: ReadonlyArray<readonly [Uint8Array, Uint8Array]>,
  ): void;
  onDisabled?(index: number): void;
}

export interface SessionConfig {
  keys: SessionKeysDef;
  handlers: readonly SessionHandler[];
  /** `PeriodicSessions<Period, Offset>`: a session ends at blocks `offset + k × period`. */
  period: number;
  offset: number;
}

const p = pallet<SessionConfig>('Session', { module: 'pallet_session' });

/** `<runtime>::SessionKeys` with one 32-byte key per field, each described by `keyCodecs[field]`. */
export function sessionKeys(
  path: string[],
  fields: ReadonlyArray<SessionKeyField & { codec: Codec<Uint8Array>; typeName: string }>,
): SessionKeysDef {
  const shape = Object.fromEntries(fields.map((f) => [f.field, f.codec]));
  const names = Object.fromEntries(fields.map((f) => [f.field, f.typeName]));
  const codec = struct(shape, names).named(path) as unknown as Codec<Record<string, Uint8Array>>;
  return { codec, fields: fields.map(({ field, keyTypeId }) => ({ field, keyTypeId })) };
}

export class SessionConfigError extends Error {
  override name = 'SessionConfigError';
}

function keysDef(): SessionKeysDef {
  const cfg = currentRuntime()?.palletConfig('Session') as SessionConfig | undefined;
  if (!cfg?.keys) throw new SessionConfigError('this runtime has no Session pallet with session keys');
  return cfg.keys;
}

class KeysRefCodec extends Codec<Record<string, Uint8Array>> {
  constructor() {
    super(
      (w, v) => keysDef().codec.write(w, v),
      (r) => keysDef().codec.read(r),
      () => keysDef().codec.info,
      1,
    );
  }

  override get info() {
    return keysDef().codec.info;
  }
}

/** `T::Keys` of the current runtime. */
export const SessionKeysRef: Codec<Record<string, Uint8Array>> = new KeysRefCodec();

const ValidatorId = AccountId;

export const Validators = p.value('Validators', vec(ValidatorId), {
  default: [],
  docs: [' The current set of validators.'],
});
export const CurrentIndex = p.value('CurrentIndex', u32, {
  default: 0,
  docs: [' Current index of the session.'],
});
export const QueuedChanged = p.value('QueuedChanged', bool, {
  default: false,
  docs: [
    ' True if the underlying economic identities or weighting behind the validators',
    ' has changed in the queued validator set.',
  ],
});
export const QueuedKeys = p.value('QueuedKeys', vec(tuple(ValidatorId, SessionKeysRef)), {
  default: [],
  docs: [
    ' The queued keys for the next session. When the next session begins, these keys',
    " will be used to determine the validator's session keys.",
  ],
});
export const DisabledValidators = p.value('DisabledValidators', vec(u32), {
  default: [],
  docs: [' Indices of disabled validators.'],
});
export const NextKeys = p.map('NextKeys', ['Twox64Concat', ValidatorId], SessionKeysRef, {
  docs: [' The next session keys for a validator.'],
});
export const KeyOwner = p.map('KeyOwner', ['Twox64Concat', tuple(KeyTypeIdCodec, bytes)], ValidatorId, {
  docs: [' The owner of a key. The key is the `KeyTypeId` + the encoded key.'],
});

export const SessionEvent = p.events({
  NewSession: [
    0,
    struct({ session_index: u32 }, { session_index: 'SessionIndex' }),
    [
      ' New session has happened. Note that the argument is the session index, not the',
      ' block number as the type might suggest.',
    ],
  ],
});

export const SessionError = p.errors({
  InvalidProof: [0, [' Invalid ownership proof.']],
  NoAssociatedValidatorId: [1, [' No associated validator ID for account.']],
  DuplicatedKey: [2, [' Registered duplicate key.']],
  NoKeys: [3, [' No keys are associated with this account.']],
  NoAccount: [4, [" Key setting account is not live, so it's impossible to associate keys."]],
});

const cfg = () => p.config();
const sameBytes = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((v, i) => v === b[i]);

function dbReadsWrites(reads: number, writes: number): Weight {
  const db = systemConfig().dbWeight;
  return weight(Number(db.read) * reads + Number(db.write) * writes, 0);
}

/** Weights of the order of polkadot-sdk pallet_session's benchmarks (set_keys / purge_keys), with their db ops. */
export const SessionWeights = {
  setKeys: () => addWeight(weight(31_089_000, 3845), dbReadsWrites(4, 4)),
  purgeKeys: () => addWeight(weight(23_103_000, 3845), dbReadsWrites(1, 4)),
};

/** The raw key of type `keyTypeId` in a `SessionKeys` value (`get_raw`). */
function rawKey(keys: Record<string, Uint8Array>, keyTypeId: Uint8Array): Uint8Array | undefined {
  const f = cfg().keys.fields.find((x) => sameBytes(x.keyTypeId, keyTypeId));
  return f ? keys[f.field] : undefined;
}

/** `inner_set_keys`: checks no other validator owns these keys, moves key ownership, stores them. */
function innerSetKeys(
  who: Uint8Array,
  keys: Record<string, Uint8Array>,
): Record<string, Uint8Array> | undefined {
  const old = NextKeys.get(who);
  for (const { field, keyTypeId } of cfg().keys.fields) {
    const owner = KeyOwner.get([keyTypeId, keys[field]]);
    if (owner && !sameBytes(owner, who)) throw SessionError.fail('DuplicatedKey');
  }
  for (const { field, keyTypeId } of cfg().keys.fields) {
    const key = keys[field];
    if (old) {
      if (sameBytes(old[field], key)) continue;
      KeyOwner.remove([keyTypeId, old[field]]);
    }
    KeyOwner.set([keyTypeId, key], who);
  }
  NextKeys.set(who, keys);
  return old;
}

/** Pairs (validator, key of `keyTypeId`) of a queued-keys list, for one handler. */
function handlerView(
  list: ReadonlyArray<readonly [Uint8Array, Record<string, Uint8Array>]>,
  keyTypeId: Uint8Array,
): Array<readonly [Uint8Array, Uint8Array]> {
  const out: Array<readonly [Uint8Array, Uint8Array]> = [];
  for (const [v, k] of list) {
    const raw = rawKey(k, keyTypeId);
    if (raw) out.push([v, raw]);
  }
  return out;
}

const sameKeys = (a: Record<string, Uint8Array>, b: Record<string, Uint8Array>) =>
  cfg().keys.fields.every(({ field }) => sameBytes(a[field], b[field]));

/** `rotate_session`: queued keys become current; the next validator set (unchanged) has its keys queued. */
export function rotateSession(): void {
  const index = CurrentIndex.get();
  const changed = QueuedChanged.get();
  const sessionKeys = QueuedKeys.get();
  const validators = sessionKeys.map(([v]) => v);
  Validators.set(validators);
  if (changed) DisabledValidators.kill();
  const next = index + 1;
  CurrentIndex.set(next);
  // No SessionManager: the next validators are the current ones, their identities unchanged.
  let nextChanged = false;
  const queued: Array<[Uint8Array, Record<string, Uint8Array>]> = [];
  let i = 0;
  for (const v of validators) {
    const k = NextKeys.get(v);
    if (!k) continue;
    const now = sessionKeys[i++];
    if (!nextChanged && now && !sameKeys(now[1], k)) nextChanged = true;
    queued.push([v, k]);
  }
  QueuedKeys.set(queued);
  QueuedChanged.set(nextChanged);
  SessionEvent.deposit({ type: 'NewSession', value: { session_index: next } });
  for (const h of cfg().handlers)
    h.onNewSession(changed, handlerView(sessionKeys, h.keyTypeId), handlerView(queued, h.keyTypeId));
}

/** `ShouldEndSession` of `PeriodicSessions<Period, Offset>`. */
export function shouldEndSession(n: number): boolean {
  const { period, offset } = cfg();
  return period > 0 && n >= offset && (n - offset) % period === 0;
}

export const Session = p.build({
  docs: [],
  calls: {
    set_keys: call(
      0,
      { keys: SessionKeysRef, proof: bytes },
      {
        weight: SessionWeights.setKeys,
        dispatch(origin, { keys }) {
          const who = ensureSigned(origin);
          // `ValidatorIdOf` is the identity: every account may register keys.
          if (!canAccrueConsumers(who, 1)) throw SessionError.fail('NoAccount');
          const old = innerSetKeys(who, keys);
          if (!old) incConsumers(who);
        },
        typeNames: { keys: 'T::Keys', proof: 'Vec<u8>' },
        docs: [
          ' Sets the session key(s) of the function caller to `keys`.',
          ' Allows an account to set its session key prior to becoming a validator.',
          " This doesn't take effect until the next session.",
          '',
          ' The dispatch origin of this function must be signed.',
        ],
      },
    ),
    purge_keys: call(
      1,
      {},
      {
        weight: SessionWeights.purgeKeys,
        dispatch(origin) {
          const who = ensureSigned(origin);
          const old = NextKeys.take(who);
          if (!old) throw SessionError.fail('NoKeys');
          for (const { field, keyTypeId } of cfg().keys.fields) KeyOwner.remove([keyTypeId, old[field]]);
          decConsumers(who);
        },
        docs: [
          ' Removes any session key(s) of the function caller.',
          '',
          " This doesn't take effect until the next session.",
          '',
          ' The dispatch origin of this function must be Signed.',
        ],
      },
    ),
  },
  hooks: {
    onInitialize(n): Weight | void {
      if (!shouldEndSession(n)) return;
      rotateSession();
      return systemConfig().blockWeights.max_block;
    },
  },
  genesis: {
    default: (): SessionGenesis => ({ keys: [] }),
    build({ keys }: SessionGenesis) {
      for (const [account, validator, k] of keys) {
        if (innerSetKeys(validator, k))
          throw new SessionConfigError('genesis config must not contain duplicates');
        try {
          incConsumersWithoutLimit(account);
        } catch {
          // As upstream: an account without funds gets a provider so it can hold its keys.
          incProviders(account);
        }
      }
      const initial = keys.map(([, v]) => v);
      const queued: Array<[Uint8Array, Record<string, Uint8Array>]> = [];
      for (const v of initial) {
        const k = NextKeys.get(v);
        if (k) queued.push([v, k]);
      }
      for (const h of cfg().handlers) h.onGenesisSession(handlerView(queued, h.keyTypeId));
      Validators.set(initial);
      QueuedKeys.set(queued);
    },
  },
});

export interface SessionGenesis {
  /** `(account, validator id, keys)` */
  keys: Array<[Uint8Array, Uint8Array, Record<string, Uint8Array>]>;
}
