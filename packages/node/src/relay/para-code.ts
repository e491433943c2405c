/**
 * The validator's view of parachain validation code: a parachain's code on the relay chain is its runtime's
 * `:code` identity (runtime/src/frame/runtime-code.ts), so a code hash names one of the runtime profiles this
 * node knows, and "running the PVF" is executing that profile's runtime statelessly. Runtimes are assembled once
 * per profile, with the proof-backed storage root as their host function.
 */
import { blake2_256 } from '@xstorage/runtime/crypto';
import { runtimeCode } from '@xstorage/runtime/frame';
import type { ChainRuntime, RuntimeProfile } from '@xstorage/runtime/runtimes';
import { runtimeProfiles } from '@xstorage/runtime/runtimes';
import { proofStorageRoot } from '@xstorage/runtime/state';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

export interface ValidationRuntime {
  profile: RuntimeProfile;
  /** The runtime with the proof-backed storage root (for stateless execution). */
  runtime: ChainRuntime;
}

export class ParaCodeRegistry {
  readonly #byHash = new Map<string, RuntimeProfile>();
  readonly #runtimes = new Map<string, ValidationRuntime>();

  constructor(
    profiles: readonly RuntimeProfile[] = runtimeProfiles().filter((p) => p.role.kind === 'parachain'),
  ) {
    for (const p of profiles) this.#byHash.set(hex(blake2_256(runtimeCode(p.make().runtime))), p);
  }

  /** The runtime whose code hashes to `codeHash`, if this node has it. */
  runtimeFor(codeHash: Uint8Array): ValidationRuntime | undefined {
    const k = hex(codeHash);
    const known = this.#runtimes.get(k);
    if (known) return known;
    const profile = this.#byHash.get(k);
    if (!profile) return undefined;
    const v = { profile, runtime: profile.make({ storageRoot: proofStorageRoot }) };
    this.#runtimes.set(k, v);
    return v;
  }
}
