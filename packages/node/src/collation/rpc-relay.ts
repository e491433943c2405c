/**
 * `RelayChainInterface` over the relay chain node's JSON-RPC (cumulus' `--relay-chain-rpc-url`,
 * `cumulus/client/relay-chain-rpc-interface`): new best relay blocks from `chain_subscribeNewHeads`, headers from
 * `chain_getHeader`, runtime API calls with `state_call`, reads with `state_getStorage`, proofs with
 * `state_getReadProof`. So a collator (or a parachain full node) needs nothing of the relay chain but its RPC URL.
 *
 * `stateView(at)` must answer synchronously while the parachain inherent is built, so it fetches first what that
 * build reads: the para's HRMP channel indexes (round one, `state_getStorage`), then one proof of every key the
 * inherent proves (`collectRelayStateKeys`: the indexes name the channels; round two, `state_getReadProof`). Reads
 * are answered from that proof, checked against the relay block's state root; asking for a key it does not cover is
 * a `RelayRpcError`, never a silent "absent".
 */
import { DigestItemCodec, type Header, headerHash } from '@xstorage/runtime/block';
import { collectRelayStateKeys } from '@xstorage/runtime/pallets/parachain-system';
import { type ParaId, wellKnownKeys } from '@xstorage/runtime/parachains';
import { ProofDatabase, ProofTrie } from '@xstorage/runtime/trie';
import { JsonRpcClient, type JsonRpcClientOptions } from '../network/json-rpc-client.ts';
import type { RelayChainInterface, RelayHead, RelayStateView } from './relay-interface.ts';

export class RelayRpcError extends Error {
  override readonly name = 'RelayRpcError';
}

export interface RpcRelayOptions extends JsonRpcClientOptions {
  /** The relay node's WebSocket RPC URL (`ws://127.0.0.1:9944`). */
  url: string;
  /** The para whose relay state `stateView` prefetches. */
  paraId: ParaId;
}

/** Headers kept by hash (new heads arrive with them; `stateView` needs the state root). */
const HEADER_CACHE = 256;

const toHex = (b: Uint8Array) => `0x${Buffer.from(b).toString('hex')}`;
const HEX = /^0x(?:[0-9a-fA-F]{2})*$/;

function fromHex(v: unknown, what: string): Uint8Array {
  if (typeof v !== 'string' || !HEX.test(v)) throw new RelayRpcError(`${what}: not hex bytes`);
  return new Uint8Array(Buffer.from(v.slice(2), 'hex'));
}

function hash32(v: unknown, what: string): Uint8Array {
  const b = fromHex(v, what);
  if (b.length !== 32) throw new RelayRpcError(`${what}: ${b.length} bytes, not 32`);
  return b;
}

/** Substrate's header JSON → Header (the hash is then computed here, not trusted). */
export function headerFromJson(j: unknown): Header {
  if (typeof j !== 'object' || j === null) throw new RelayRpcError('header: not an object');
  const h = j as Record<string, unknown>;
  const n = h.number;
  const number =
    typeof n === 'string' && /^0x[0-9a-fA-F]{1,8}$/.test(n) ? Number.parseInt(n.slice(2), 16) : Number.NaN;
  if (!Number.isInteger(number) || number > 0xffff_ffff) throw new RelayRpcError('header: bad number');
  const logs = (h.digest as { logs?: unknown })?.logs;
  if (!Array.isArray(logs)) throw new RelayRpcError('header: no digest logs');
  return {
    parentHash: hash32(h.parentHash, 'header.parentHash'),
    number,
    stateRoot: hash32(h.stateRoot, 'header.stateRoot'),
    extrinsicsRoot: hash32(h.extrinsicsRoot, 'header.extrinsicsRoot'),
    digest: {
      logs: logs.map((l, i) => {
        try {
          return DigestItemCodec.decode(fromHex(l, `digest log ${i}`));
        } catch (err) {
          throw new RelayRpcError(`header: digest log ${i}: ${(err as Error).message}`);
        }
      }),
    },
  };
}

export class RpcRelayChain implements RelayChainInterface {
  readonly client: JsonRpcClient;
  readonly paraId: ParaId;
  readonly #headers = new Map<string, Header>();

  constructor(options: RpcRelayOptions) {
    this.client = new JsonRpcClient(options.url, options);
    this.paraId = options.paraId;
  }

  /** Connects; rejects when the relay node cannot be reached. */
  async connect(): Promise<void> {
    await this.client.connect();
  }

  close(): void {
    this.client.close();
  }

  #remember(header: Header): RelayHead {
    const hash = headerHash(header);
    const k = toHex(hash);
    this.#headers.delete(k);
    this.#headers.set(k, header);
    if (this.#headers.size > HEADER_CACHE) this.#headers.delete(this.#headers.keys().next().value as string);
    return { hash, header };
  }

  async genesisHash(): Promise<Uint8Array> {
    return hash32(await this.client.call('chain_getBlockHash', [0]), 'chain_getBlockHash(0)');
  }

  async header(at?: Uint8Array): Promise<RelayHead> {
    const known = at && this.#headers.get(toHex(at));
    if (known && at) return { hash: at, header: known };
    const j = await this.client.call('chain_getHeader', at ? [toHex(at)] : []);
    if (j === null) throw new RelayRpcError(`the relay chain has no block ${at ? toHex(at) : '(best)'}`);
    const head = this.#remember(headerFromJson(j));
    if (at && toHex(head.hash) !== toHex(at))
      throw new RelayRpcError(
        `chain_getHeader(${toHex(at)}) answered a header that hashes to ${toHex(head.hash)}`,
      );
    return head;
  }

  best(): Promise<RelayHead> {
    return this.header();
  }

  onNewBest(listener: (head: RelayHead) => void): () => void {
    return this.#follow('chain_subscribeNewHeads', 'chain_unsubscribeNewHeads', listener);
  }

  /** Every newly finalized relay block (a parachain full node finalizes what they include). */
  onFinalized(listener: (head: RelayHead) => void): () => void {
    return this.#follow('chain_subscribeFinalizedHeads', 'chain_unsubscribeFinalizedHeads', listener);
  }

  #follow(method: string, unsubscribe: string, listener: (head: RelayHead) => void): () => void {
    let off: (() => void) | undefined;
    let stopped = false;
    const onHeader = (j: unknown) => {
      let head: RelayHead;
      try {
        head = this.#remember(headerFromJson(j));
      } catch {
        return; // Not a header: nothing to build on.
      }
      if (!stopped) listener(head);
    };
    const start = (attempt: number) => {
      this.client
        .subscribe(method, unsubscribe, [], onHeader)
        .then((u) => {
          if (stopped) u();
          else off = u;
        })
        // The relay node is not up yet: keep trying (the collator waits for it).
        .catch(() => {
          if (!stopped) setTimeout(() => start(attempt + 1), Math.min(5000, 250 * 2 ** attempt)).unref();
        });
    };
    start(0);
    return () => {
      stopped = true;
      off?.();
    };
  }

  async storage(at: Uint8Array, key: Uint8Array): Promise<Uint8Array | undefined> {
    const v = await this.client.call('state_getStorage', [toHex(key), toHex(at)]);
    return v === null ? undefined : fromHex(v, 'state_getStorage');
  }

  async readProof(at: Uint8Array, keys: Uint8Array[]): Promise<Uint8Array[]> {
    const r = await this.client.call<{ at?: unknown; proof?: unknown }>('state_getReadProof', [
      keys.map(toHex),
      toHex(at),
    ]);
    if (!r || !Array.isArray(r.proof)) throw new RelayRpcError('state_getReadProof: no proof');
    return r.proof.map((p, i) => fromHex(p, `proof item ${i}`));
  }

  async call(at: Uint8Array, method: string, input: Uint8Array): Promise<Uint8Array> {
    return fromHex(
      await this.client.call('state_call', [method, toHex(input), toHex(at)]),
      `state_call ${method}`,
    );
  }

  async stateView(at: Uint8Array): Promise<RelayStateView> {
    const { header } = await this.header(at);
    const id = this.paraId;
    // Round one: the channel indexes name the channels whose state the inherent proves.
    const indexKeys = [wellKnownKeys.hrmpIngressChannelIndex(id), wellKnownKeys.hrmpEgressChannelIndex(id)];
    const indexes = new Map<string, Uint8Array | undefined>();
    await Promise.all(indexKeys.map(async (k) => indexes.set(toHex(k), await this.storage(at, k))));
    const { keys } = collectRelayStateKeys(id, (k) => {
      if (!indexes.has(toHex(k))) throw new RelayRpcError(`relay key ${toHex(k)} was not prefetched`);
      return indexes.get(toHex(k));
    });
    // Round two: one proof of everything the inherent proves and reads.
    const proof = await this.readProof(at, keys);
    const proven = new Set(keys.map(toHex));
    let trie: ProofTrie;
    try {
      trie = new ProofTrie(header.stateRoot, new ProofDatabase(proof), 1);
    } catch (err) {
      throw new RelayRpcError(`the relay's read proof is unusable: ${(err as Error).message}`);
    }
    return {
      read: (key) => {
        if (!proven.has(toHex(key))) throw new RelayRpcError(`relay key ${toHex(key)} was not prefetched`);
        try {
          return trie.get(key);
        } catch (err) {
          throw new RelayRpcError(
            `the relay's proof does not cover ${toHex(key)}: ${(err as Error).message}`,
          );
        }
      },
      prove: (wanted) => {
        const missing = wanted.find((k) => !proven.has(toHex(k)));
        if (missing) throw new RelayRpcError(`relay key ${toHex(missing)} was not prefetched`);
        return proof;
      },
    };
  }
}
