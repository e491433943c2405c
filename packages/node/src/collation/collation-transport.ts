/**
 * Collations over libp2p (`/<relay genesis>/collation/1`, request/response): a collator sends its `Collation`
 * (SCALE, collation.ts) to the relay chain validator's node and gets back what became of it, a SCALE
 * `CollationResult`:
 *
 *   enum CollationResult { Backed { candidate_hash: H256, relay_parent_number: u32 } = 0,
 *                          Invalid { reason: String, message: String } = 1, Refused(String) = 2 }
 *
 * Polkadot's collator protocol advertises first and lets the validator fetch (so validators choose what they spend
 * bandwidth on); with one validator that backs every para, the collator sends directly. The request is bounded by
 * the largest PoV the relay chain accepts (10 MiB) plus the receipt; a request that does not decode drops the peer.
 *
 * Both sides: `NetworkCollationTransport` is a collator's `submit`; `serveCollations` feeds the validator's
 * `CandidateBacking.submit`.
 */
import type { PeerId } from '@libp2p/interface';
import { type Multiaddr, multiaddr } from '@multiformats/multiaddr';
import { H256 } from '@xstorage/runtime/extrinsic';
import { enumeration, str, struct, u32 } from '@xstorage/runtime/scale';
import { NetworkMessageError, NetworkRequestError } from '../network/errors.ts';
import { collationProtocol } from '../network/protocols.ts';
import type { NetworkService } from '../network/service.ts';
import type { BackingEvent } from '../relay/backing.ts';
import { type Collation, CollationCodec } from './collation.ts';

/** Polkadot's `MAX_POV_SIZE` (10 MiB) and room for the candidate receipt. */
export const MAX_COLLATION_BYTES = 10 * 1024 * 1024 + 1024 * 1024;
const MAX_RESULT_BYTES = 64 * 1024;
/** Validation of a collation takes a re-execution of its block; generous for a loaded machine. */
export const COLLATION_TIMEOUT_MS = 30_000;

export const CollationResultCodec = enumeration({
  Backed: [0, struct({ candidate_hash: H256, relay_parent_number: u32 })],
  Invalid: [1, struct({ reason: str, message: str })],
  Refused: [2, str],
});

export type CollationResult = ReturnType<typeof CollationResultCodec.decode>;

/** Something that takes a collator's collations (the collator's `submit`). */
export type CollationSubmitter = (collation: Collation) => Promise<BackingEvent>;

export class CollationRefusedError extends Error {
  override readonly name = 'CollationRefusedError';
}

export function decodeCollationRequest(bytes: Uint8Array): Collation {
  try {
    return CollationCodec.decode(bytes);
  } catch (err) {
    throw new NetworkMessageError('Collation', (err as Error).message);
  }
}

function resultOf(e: BackingEvent): CollationResult {
  return e.kind === 'backed'
    ? {
        type: 'Backed',
        value: { candidate_hash: e.candidateHash, relay_parent_number: e.relayParentNumber },
      }
    : { type: 'Invalid', value: { reason: e.reason, message: e.message } };
}

/** The relay validator's side: every collation that arrives goes to `submit` (CandidateBacking.submit). */
export async function serveCollations(
  network: NetworkService,
  relayGenesis: Uint8Array,
  submit: CollationSubmitter,
): Promise<void> {
  await network.handleRequests({
    protocol: collationProtocol(relayGenesis),
    maxRequestBytes: MAX_COLLATION_BYTES,
    timeoutMs: COLLATION_TIMEOUT_MS,
    maxConcurrent: 32,
    handle: async (_peer, bytes) => {
      const collation = decodeCollationRequest(bytes);
      let result: CollationResult;
      try {
        result = resultOf(await submit(collation));
      } catch (err) {
        result = { type: 'Refused', value: (err as Error).message };
      }
      return CollationResultCodec.encode(result);
    },
  });
}

/** A collator's way to the relay validator over libp2p. */
export class NetworkCollationTransport {
  readonly #network: NetworkService;
  readonly #protocol: string;
  readonly #target: Multiaddr;
  readonly #peer: string | undefined;

  /** `validator`: the relay validator node's multiaddr (with `/p2p/<peer id>`). */
  constructor(network: NetworkService, relayGenesis: Uint8Array, validator: string) {
    this.#network = network;
    this.#protocol = collationProtocol(relayGenesis);
    this.#target = multiaddr(validator);
    this.#peer = this.#target.getComponents().find((c) => c.name === 'p2p')?.value;
  }

  readonly submit: CollationSubmitter = async (collation) => {
    const connected = this.#connectedPeer();
    const raw = await this.#network.request(
      connected ?? this.#target,
      this.#protocol,
      CollationCodec.encode(collation),
      { maxResponseBytes: MAX_RESULT_BYTES, timeoutMs: COLLATION_TIMEOUT_MS },
    );
    let r: CollationResult;
    try {
      r = CollationResultCodec.decode(raw);
    } catch (err) {
      throw new NetworkRequestError(
        `the validator's CollationResult does not decode: ${(err as Error).message}`,
      );
    }
    const para = collation.receipt.descriptor.para_id;
    if (r.type === 'Backed')
      return {
        kind: 'backed',
        para,
        candidateHash: r.value.candidate_hash,
        relayParentNumber: r.value.relay_parent_number,
      };
    if (r.type === 'Invalid')
      return { kind: 'invalid', para, reason: r.value.reason, message: r.value.message };
    throw new CollationRefusedError(`the relay validator refused the collation: ${r.value}`);
  };

  #connectedPeer(): PeerId | undefined {
    if (!this.#peer) return undefined;
    return this.#network.libp2p.getPeers().find((p) => p.toString() === this.#peer);
  }
}
