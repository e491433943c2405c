/**
 * The node's signature check for its runtime, with a bounded memory of signatures it has already verified TRUE,
 * after Bitcoin Core's signature cache (`CSignatureCache`).
 *
 * Why: a transaction's signature is checked when the pool admits it (`validate_transaction`), again whenever the
 * pool revalidates it, and again when this node applies it while authoring a block. The answer is a pure function
 * of (scheme, signer, message, signature), so a check that succeeded once can be answered from memory, and the
 * block author spends its time once per transaction instead of two or three times. The runtime still performs
 * every check it performs in Substrate (same call, same answer); only the host function is faster, as
 * `sp_io::crypto::sr25519_verify` is in a node with a batch/cache verifier.
 *
 * Safety rules:
 * - The key covers all four inputs exactly: it is the bytes kind ‖ len ‖ signature ‖ len ‖ signer ‖ len ‖ message
 *   themselves (lengths as u32 LE, so no two different tuples give the same key; no hash, so no collision to
 *   argue about), as a one-byte-per-char string. A tampered signature, message or key with a cached sibling
 *   misses and is verified in full. Messages longer than 256 bytes are signed as their blake2_256 by the extrinsic
 *   format, so keys stay small (about 110 bytes plus the message).
 * - Failures are never remembered: an invalid signature is verified (and refused) every time.
 * - Bounded: at most `capacity` entries, the oldest evicted first. A miss only costs a full verification, so a
 *   block from elsewhere (whose signatures this node never saw) is simply verified as before.
 */
import { type SignatureKind, type SignatureVerifier, verifySignature } from '@xstorage/runtime/crypto';

const KIND_BYTE: Record<SignatureKind, number> = { sr25519: 1, ed25519: 2, ecdsa: 3, ethereum: 4 };

export interface SignatureCacheStats {
  entries: number;
  capacity: number;
  hits: number;
  misses: number;
}

export class SignatureCache {
  readonly capacity: number;
  readonly #verify: SignatureVerifier;
  /** Key → true; Map iteration order is insertion order, so the first key is the oldest. */
  readonly #verified = new Map<string, true>();
  #hits = 0;
  #misses = 0;

  /** `verify` is the full check behind the cache (default: the plain one). */
  constructor(capacity: number, verify: SignatureVerifier = verifySignature) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(`signature cache capacity must be a positive integer, got ${capacity}`);
    }
    this.capacity = capacity;
    this.#verify = verify;
  }

  /** The cached check, as a `SignatureVerifier` to hand to the runtime. */
  readonly verify: SignatureVerifier = (kind, signature, message, signer) => {
    const kindByte = KIND_BYTE[kind];
    if (
      kindByte === undefined ||
      !(signature instanceof Uint8Array) ||
      !(message instanceof Uint8Array) ||
      !(signer instanceof Uint8Array)
    ) {
      return this.#verify(kind, signature, message, signer);
    }
    const key = cacheKey(kindByte, signature, message, signer);
    if (this.#verified.has(key)) {
      this.#hits++;
      return true;
    }
    this.#misses++;
    const ok = this.#verify(kind, signature, message, signer);
    if (ok) this.#insert(key);
    return ok;
  };

  /** Whether this exact check is remembered as verified. */
  has(kind: SignatureKind, signature: Uint8Array, message: Uint8Array, signer: Uint8Array): boolean {
    const kindByte = KIND_BYTE[kind];
    return kindByte !== undefined && this.#verified.has(cacheKey(kindByte, signature, message, signer));
  }

  /**
   * Remembers a check that the same full verification answered TRUE elsewhere (the node's verifier thread, see
   * signature-prefetch.ts). Never call it with anything else: the cache would then accept what it should refuse.
   */
  recordVerified(kind: SignatureKind, signature: Uint8Array, message: Uint8Array, signer: Uint8Array): void {
    const kindByte = KIND_BYTE[kind];
    if (kindByte === undefined) return;
    this.#insert(cacheKey(kindByte, signature, message, signer));
  }

  #insert(key: string): void {
    this.#verified.set(key, true);
    if (this.#verified.size > this.capacity) {
      this.#verified.delete(this.#verified.keys().next().value as string);
    }
  }

  stats(): SignatureCacheStats {
    return { entries: this.#verified.size, capacity: this.capacity, hits: this.#hits, misses: this.#misses };
  }

  clear(): void {
    this.#verified.clear();
  }
}

function cacheKey(kindByte: number, signature: Uint8Array, message: Uint8Array, signer: Uint8Array): string {
  const buf = Buffer.allocUnsafe(13 + signature.length + signer.length + message.length);
  let o = buf.writeUInt8(kindByte, 0);
  for (const part of [signature, signer, message]) {
    o = buf.writeUInt32LE(part.length, o);
    buf.set(part, o);
    o += part.length;
  }
  return buf.toString('latin1', 0, o);
}
