/**
 * A Polkadot-style block of signed `balances.transferKeepAlive` extrinsics described with our SCALE DSL, and the
 * same block built with @polkadot/types from Polkadot's own metadata (the oracle). Shared by the differential test
 * and `bench/runtime-scale.bench.ts`. The shapes follow polkadot-sdk: `sp_runtime::generic::Header`,
 * `sp_runtime::generic::UncheckedExtrinsic` (v4, signed: 0x84), `MultiAddress`, `MultiSignature`, `Era`.
 */
import type { TypeRegistry as PjsRegistry } from '@polkadot/types';
import {
  Codec,
  type Infer,
  bytes,
  bytesFixed,
  compact,
  enumeration,
  lengthPrefixed,
  struct,
  tuple,
  u8,
  u16,
  u32,
  u128,
  unit,
  vec,
} from '../../src/scale/index.ts';
import { polkadotRegistry } from '../support/polkadot-js.ts';

const hash = bytesFixed(32);

export const MultiAddress = enumeration({
  Id: [0, hash],
  Index: [1, compact(u32)],
  Raw: [2, bytes],
  Address32: [3, bytesFixed(32)],
  Address20: [4, bytesFixed(20)],
});

export const MultiSignature = enumeration({
  Ed25519: [0, bytesFixed(64)],
  Sr25519: [1, bytesFixed(64)],
  Ecdsa: [2, bytesFixed(65)],
});

/** `sp_runtime::generic::Era`: 0x00 immortal, else two bytes (the first never zero) of period/phase. */
export type Era = { type: 'Immortal' } | { type: 'Mortal'; value: number };
export const EraCodec = new Codec<Era>(
  (w, v) => {
    if (v.type === 'Immortal') w.byte(0);
    else u16.write(w, v.value);
  },
  (r) => {
    const first = r.byte('Era');
    if (first === 0) return { type: 'Immortal' };
    return { type: 'Mortal', value: first | (r.byte('Era') << 8) };
  },
  unit.info,
  1,
);

/** `RuntimeCall` with only `Balances` (index 5 in Polkadot) and its `transfer_keep_alive` (3). */
export const Call = enumeration({
  Balances: [
    5,
    enumeration({
      transferKeepAlive: [3, struct({ dest: MultiAddress, value: compact(u128) })],
    }),
  ],
});

export const SignedExtrinsic = struct({
  version: u8,
  signer: MultiAddress,
  signature: MultiSignature,
  era: EraCodec,
  nonce: compact(u32),
  tip: compact(u128),
  call: Call,
});

export const DigestItem = enumeration({
  Other: [0, bytes],
  Consensus: [4, tuple(bytesFixed(4), bytes)],
  Seal: [5, tuple(bytesFixed(4), bytes)],
  PreRuntime: [6, tuple(bytesFixed(4), bytes)],
  RuntimeEnvironmentUpdated: [8],
});

export const Header = struct({
  parentHash: hash,
  number: compact(u32),
  stateRoot: hash,
  extrinsicsRoot: hash,
  digest: struct({ logs: vec(DigestItem) }),
});

/** Each extrinsic is itself `Vec<u8>`-wrapped on the wire (as `UncheckedExtrinsic` encodes). */
export const Block = struct({ header: Header, extrinsics: vec(lengthPrefixed(SignedExtrinsic)) });
export type BlockValue = Infer<typeof Block>;

/** Deterministic pseudo-random bytes (xorshift32) so every run builds the same block. */
function prng(seed: number) {
  let x = seed >>> 0 || 1;
  const next = () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x;
  };
  return {
    next,
    bytes(n: number) {
      const out = new Uint8Array(n);
      for (let i = 0; i < n; i++) out[i] = next() & 0xff;
      return out;
    },
  };
}

export function makeBlock(extrinsicCount: number, seed = 42): BlockValue {
  const rnd = prng(seed);
  const extrinsics = [];
  for (let i = 0; i < extrinsicCount; i++) {
    extrinsics.push({
      version: 0x84,
      signer: { type: 'Id' as const, value: rnd.bytes(32) },
      signature: { type: 'Sr25519' as const, value: rnd.bytes(64) },
      // period 64 (trailing zeros 6 → 5), phase < 64: the low nibble is never zero.
      era: { type: 'Mortal' as const, value: ((rnd.next() % 64) << 4) | 5 },
      nonce: rnd.next() % 100_000,
      tip: i % 10 === 0 ? BigInt(rnd.next() % 1_000_000) : 0n,
      call: {
        type: 'Balances' as const,
        value: {
          type: 'transferKeepAlive' as const,
          value: {
            dest: { type: 'Id' as const, value: rnd.bytes(32) },
            value: BigInt(rnd.next()) * 1_000_000_000n + BigInt(rnd.next() % 1_000_000_000),
          },
        },
      },
    });
  }
  return {
    header: {
      parentHash: rnd.bytes(32),
      number: 1_234_567,
      stateRoot: rnd.bytes(32),
      extrinsicsRoot: rnd.bytes(32),
      digest: {
        logs: [
          { type: 'PreRuntime' as const, value: [Uint8Array.from([66, 65, 66, 69]), rnd.bytes(20)] },
          { type: 'Seal' as const, value: [Uint8Array.from([66, 65, 66, 69]), rnd.bytes(64)] },
        ] as BlockValue['header']['digest']['logs'],
      },
    },
    extrinsics,
  };
}

/**
 * @polkadot/types registry with Polkadot's metadata and the three signed extensions our extrinsics carry
 * (CheckMortality → era, CheckNonce → Compact nonce, ChargeTransactionPayment → Compact tip).
 */
export function polkadotJsRegistry(): PjsRegistry {
  return polkadotRegistry(['CheckMortality', 'CheckNonce', 'ChargeTransactionPayment']);
}
