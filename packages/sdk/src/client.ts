/**
 * `createClient`: the SDK's entry point. One object that knows the network (chains as data), where their RPCs and
 * the gateway are, and does the whole journey: upload, quote, order, follow, read back, renew.
 */
import type { ApiPromise } from '@polkadot/api';
import { decodeAddress, encodeAddress } from '@polkadot/util-crypto';
import { ChainConnections, DEFAULT_CONNECT_TIMEOUT_MS } from './connections.ts';
import { defaultDevnetEndpoints, type Endpoints, parseEndpoints, readEndpointsFile } from './endpoints.ts';
import { BadInputError, NodeUnreachableError } from './errors.ts';
import { GatewayClient, type UploadEntry, type UploadProgress } from './gateway.ts';
import { type ChainDescription, DEVNET, NETWORKS, type NetworkDescription } from './networks.ts';
import {
  checkCid,
  type FeeQuote,
  hasXstoragePallet,
  type OrderReceipt,
  type PayWith,
  type PlaceOrderOptions,
  placeOrder,
  preflightOrder,
  quoteOrder,
  sendTransactToCrust,
} from './orders.ts';
import {
  cancelPrepaid,
  checkRenewals,
  type ScheduleAt,
  type ScheduledRenewal,
  schedulePrepaid,
} from './renewals.ts';
import { signerFromSecret, type XstorageSigner } from './signers.ts';
import { signAndWait } from './submit.ts';
import {
  type FileStatus,
  fileStatus,
  type OrderEvent,
  type WatchOptions,
  watchReceipt,
  watchReplicas,
} from './watch.ts';

export interface CreateClientOptions {
  /** The endpoints object, or the path of an `endpoints.json` (Node.js); default: a devnet on the default ports. */
  endpoints?: Endpoints | string;
  /** Which network the chains belong to (default: the devnet). */
  network?: NetworkDescription | keyof typeof NETWORKS;
  /** The gateway to upload to and read from (default: `endpoints.gateway`). */
  gateway?: string;
  /** How long to wait for a chain's RPC (default 10 s). */
  connectTimeoutMs?: number;
}

export interface StoreOptions extends Omit<PlaceOrderOptions, 'cid' | 'size'> {
  /** Upload progress (bytes of content sent). */
  onUploadProgress?: (p: UploadProgress) => void;
  /** Replicas the returned `events` follow up to (default 4). */
  replicas?: number;
  timeoutMs?: number;
}

export interface StoreResult {
  cid: string;
  size: bigint;
  receipt: OrderReceipt;
  /** The order's hops and replicas as they happen (see {@link OrderEvent}). */
  events: AsyncIterable<OrderEvent>;
}

/** What `orders()` lists: one order the account placed, with its file's state on Crust. */
export interface OrderSummary {
  cid: string;
  size: bigint;
  chain: string;
  blockNumber: number;
  route: 'pallet' | 'polkadotXcm' | 'crust';
  file?: FileStatus;
}

/**
 * Creates a client.
 *
 * @example
 * const client = await createClient({ endpoints: '/tmp/devnet/endpoints.json' });
 * const signer = await client.signer('//Alice', 'acala');
 * const { cid, events } = await client.store(new TextEncoder().encode('hello'), { from: 'acala', pay: 'cru', signer });
 * for await (const e of events) console.log(e.kind);
 * await client.disconnect();
 */
export async function createClient(options: CreateClientOptions = {}): Promise<XstorageClient> {
  const network =
    typeof options.network === 'string' ? NETWORKS[options.network] : (options.network ?? DEVNET);
  if (!network)
    throw new BadInputError(
      `unknown network '${String(options.network)}': use ${Object.keys(NETWORKS).join(', ')}`,
    );
  const endpoints =
    typeof options.endpoints === 'string'
      ? await readEndpointsFile(options.endpoints)
      : options.endpoints
        ? parseEndpoints(options.endpoints)
        : defaultDevnetEndpoints(undefined, undefined, network);
  return new XstorageClient(endpoints, network, options);
}

export class XstorageClient {
  readonly connections: ChainConnections;
  readonly #gatewayUrl: string | undefined;

  constructor(endpoints: Endpoints, network: NetworkDescription, options: CreateClientOptions = {}) {
    this.connections = new ChainConnections(
      endpoints,
      network,
      options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
    );
    this.#gatewayUrl = options.gateway ?? endpoints.gateway;
  }

  get network(): NetworkDescription {
    return this.connections.network;
  }

  get endpoints(): Endpoints {
    return this.connections.endpoints;
  }

  /**
   * The chains this client can reach (described by the network and listed in the endpoints).
   *
   * @example
   * client.chains().map((c) => `${c.id} ${c.paraId} ${c.token}`);
   */
  chains(): ChainDescription[] {
    return this.connections.chainIds.map((id) => this.connections.chain(id));
  }

  /** A chain's description; `UnknownChainError` for a name the network or the endpoints lack. */
  chain(id: string): ChainDescription {
    return this.connections.chain(id);
  }

  /**
   * A connected `@polkadot/api` for 'relay' or a chain id (shared by the client; do not disconnect it).
   *
   * @example
   * const crust = await client.api('crust'); await crust.query.market.filesV2(cid);
   */
  api(chain: string): Promise<ApiPromise> {
    return this.connections.api(chain);
  }

  /**
   * The gateway client; throws when neither the endpoints nor the options name a gateway.
   *
   * @example
   * await client.gateway.cat(cid);
   */
  get gateway(): GatewayClient {
    if (!this.#gatewayUrl)
      throw new NodeUnreachableError(
        '',
        'no gateway: the endpoints have no "gateway" (start the devnet with its storage nodes, or pass --gateway/`gateway`)',
      );
    return new GatewayClient(this.#gatewayUrl);
  }

  /**
   * A signer for `chain` from a secret (`//Alice`, a mnemonic; on Ethereum-style chains a 0x key or Alith…Faith).
   *
   * @example
   * const alith = await client.signer('Alith', 'moonbeam');
   */
  async signer(secret: string, chain: string): Promise<XstorageSigner> {
    return signerFromSecret(secret, this.chain(chain).accounts);
  }

  /**
   * The fee of storing `size` bytes from `from`, paid with `pay`.
   *
   * @example
   * const q = await client.estimateFee({ from: 'acala', size: 1_000_000n, pay: 'cru' });
   * formatAmount(q.total, q.decimals, q.token);
   */
  estimateFee(o: {
    from: string;
    size: bigint | number;
    pay?: PayWith;
    signer?: XstorageSigner;
    route?: 'pallet' | 'polkadotXcm';
  }): Promise<FeeQuote> {
    return quoteOrder(this.connections, { ...o, size: BigInt(o.size) });
  }

  /**
   * Checks an order before anything is uploaded or signed: the route, the fee against `maxFee`, the balances.
   *
   * @example
   * await client.preflight({ from: 'acala', size: 1_000_000n, pay: 'cru', signer, maxFee: 10n ** 11n });
   */
  preflight(o: {
    from: string;
    size: bigint;
    pay?: PayWith;
    signer: XstorageSigner;
    maxFee?: bigint;
    route?: 'pallet' | 'polkadotXcm';
  }): Promise<FeeQuote> {
    return preflightOrder(this.connections, o);
  }

  /**
   * Places an order for a CID already on the gateway or on IPFS.
   *
   * @example
   * const receipt = await client.placeOrder({ from: 'moonbeam', cid, size: 1024n, pay: 'cru', signer: alith });
   */
  placeOrder(o: PlaceOrderOptions): Promise<OrderReceipt> {
    return placeOrder(this.connections, o);
  }

  /**
   * Uploads a file or directory (a path on disk, bytes, or entries) through the gateway, signed by the account,
   * and places the order; `events` follows it.
   *
   * @example
   * const { cid, events } = await client.store('./photo.jpg', { from: 'acala', pay: 'cru', signer, maxFee: 10n ** 11n });
   * for await (const e of events) if (e.kind === 'replicas') console.log(`${e.count}/${e.target}`);
   */
  async store(input: string | Uint8Array | UploadEntry[], o: StoreOptions): Promise<StoreResult> {
    this.chain(o.from);
    let entries: UploadEntry[];
    if (typeof input === 'string') {
      const { entriesFromPath } = await import('./files.ts');
      entries = await entriesFromPath(input);
    } else if (input instanceof Uint8Array) entries = [{ path: 'file', content: input }];
    else entries = input;
    const approx = entries.reduce(
      (n, e) => n + BigInt(e.content instanceof Uint8Array ? e.content.length : (e.size ?? 0)),
      0n,
    );
    await this.preflight({ ...o, size: approx > 0n ? approx : 1n });
    const uploaded = await this.gateway.add(entries, {
      signer: o.signer,
      onProgress: o.onUploadProgress,
      signal: o.signal,
    });
    const receipt = await this.placeOrder({ ...o, cid: uploaded.cid, size: uploaded.size });
    return {
      cid: uploaded.cid,
      size: uploaded.size,
      receipt,
      events: this.watchOrder(receipt, { replicas: o.replicas, timeoutMs: o.timeoutMs, signal: o.signal }),
    };
  }

  /**
   * Follows an order: with a receipt, every hop then replicas; with a CID alone, its replicas on Crust.
   *
   * @example
   * for await (const e of client.watchOrder(cid, { replicas: 4, timeoutMs: 60_000 })) console.log(e);
   */
  watchOrder(order: OrderReceipt | string, options: WatchOptions = {}): AsyncIterable<OrderEvent> {
    if (typeof order !== 'string') return watchReceipt(this.connections, order, options);
    checkCid(order);
    const c = this.connections;
    return (async function* () {
      const crust = await c.api(c.network.crust.id);
      yield* watchReplicas(crust, order, c.network.crust.ss58, options.replicas ?? 4, options.signal);
    })();
  }

  /**
   * A file's order on Crust (size, replicas, expiry, prepaid), or undefined when Crust has none.
   *
   * @example
   * const s = await client.status(cid); console.log(s?.replicas.length);
   */
  async status(cid: string): Promise<FileStatus | undefined> {
    checkCid(cid);
    const crust = await this.api(this.network.crust.id);
    return fileStatus(crust, cid, this.network.crust.ss58);
  }

  /**
   * A file's bytes from the gateway.
   *
   * @example
   * const bytes = await client.getFile(cid);
   */
  async getFile(cid: string, options: { signal?: AbortSignal } = {}): Promise<Uint8Array> {
    checkCid(cid);
    return this.gateway.cat(cid, options);
  }

  /**
   * Adds `amount` CRU units to a file's renewal fund (`market.add_prepaid`), on Crust directly or from another chain
   * through `polkadotXcm.send` as the user's account there.
   *
   * @example
   * await client.addPrepaid({ cid, amount: 10n ** 12n, from: 'acala', signer });
   */
  async addPrepaid(o: {
    cid: string;
    amount: bigint;
    from: string;
    signer: XstorageSigner;
    signal?: AbortSignal;
  }): Promise<{ blockNumber: number; chain: string; messageId?: string }> {
    checkCid(o.cid);
    if (o.amount <= 0n) throw new BadInputError('the prepaid amount must be above 0');
    const crustId = this.network.crust.id;
    const crust = await this.api(crustId);
    const call = (crust.tx as any).market.addPrepaid(o.cid, o.amount);
    const what = `adding prepaid to ${o.cid}`;
    if (o.from === crustId) {
      const inc = await signAndWait(crust, call, o.signer, what, o.signal);
      return { blockNumber: inc.blockNumber, chain: crustId };
    }
    const r = await sendTransactToCrust(this.connections, {
      from: o.from,
      signer: o.signer,
      call,
      chargedByCall: o.amount,
      what,
      signal: o.signal,
    });
    return { blockNumber: r.included.blockNumber, chain: o.from, messageId: r.messageId };
  }

  /**
   * Schedules `market.add_prepaid(cid, amount)` on Crust for a future block of `from` (only OAK has the
   * `XstorageAutomation` pallet; other chains: `RenewalsUnsupportedError`). Resolves once the schedule is in a block,
   * with the task id, the block it fires at, the fee it will take (quoted now) and `events` following it.
   *
   * @example
   * const r = await client.schedulePrepaid(cid, 10n ** 12n, { from: 'oak', at: { in: 20 }, signer });
   * for await (const e of r.events) console.log(e.kind); // scheduled, sent, confirmed | failed | notSent
   */
  schedulePrepaid(
    cid: string,
    amount: bigint,
    o: { from: string; at: ScheduleAt; signer: XstorageSigner; timeoutMs?: number; signal?: AbortSignal },
  ): Promise<ScheduledRenewal> {
    return schedulePrepaid(this.connections, cid, amount, o);
  }

  /**
   * Cancels a scheduled renewal before its block (its owner only).
   *
   * @example
   * await client.cancelPrepaid(r.taskId, { from: 'oak', signer });
   */
  cancelPrepaid(
    taskId: string,
    o: { from: string; signer: XstorageSigner; signal?: AbortSignal },
  ): Promise<{ blockNumber: number; blockHash: string }> {
    return cancelPrepaid(this.connections, taskId, o);
  }

  /** Fails with `RenewalsUnsupportedError` unless `from` can schedule renewals (has `XstorageAutomation`). */
  checkRenewals(from: string): Promise<void> {
    return checkRenewals(this.connections, from);
  }

  /**
   * The orders `account` placed from `from` in its last `depth` blocks (default 1,000), newest first, with their
   * files' state on Crust.
   *
   * @example
   * const mine = await client.orders({ from: 'acala', account: signer.address });
   */
  async orders(o: { from: string; account: string; depth?: number }): Promise<OrderSummary[]> {
    const from = this.chain(o.from);
    const api = await this.api(from.id);
    const crust = await this.api(this.network.crust.id);
    const best = (await api.rpc.chain.getHeader()).number.toNumber();
    const depth = Math.min(o.depth ?? 1000, best);
    const me = from.accounts === 'ethereum' ? o.account.toLowerCase() : encodeAddress(o.account, 42);
    const found: OrderSummary[] = [];
    const pallet = hasXstoragePallet(api);
    for (let n = best; n > best - depth; n--) {
      const hash = (await api.rpc.chain.getBlockHash(n)).toHex();
      const block = await api.rpc.chain.getBlock(hash);
      for (const x of block.block.extrinsics as any) {
        if (!x.isSigned) continue;
        const signer =
          from.accounts === 'ethereum'
            ? x.signer.toString().toLowerCase()
            : encodeAddress(decodeAddress(x.signer.toString()), 42);
        if (signer !== me) continue;
        for (const order of ordersInCall(api, x.method, pallet, from.id === this.network.crust.id))
          found.push({
            ...order,
            chain: from.id,
            blockNumber: n,
            file: await fileStatus(crust, order.cid, this.network.crust.ss58),
          });
      }
    }
    return found;
  }

  /** Closes every connection. */
  async disconnect(): Promise<void> {
    await this.connections.disconnect();
  }
}

/** Orders inside a call: the pallet's, a `polkadotXcm.send` whose Transact is Crust's order call, batches of those. */
function ordersInCall(
  api: ApiPromise,
  call: any,
  pallet: boolean,
  onCrust: boolean,
): Array<Pick<OrderSummary, 'cid' | 'size' | 'route'>> {
  const s = call.section;
  const m = call.method;
  if (s === 'utility' && (m === 'batchAll' || m === 'batch' || m === 'forceBatch'))
    return call.args[0].flatMap((c: any) => ordersInCall(api, c, pallet, onCrust));
  if (onCrust && s === 'market' && m === 'placeStorageOrder')
    return [{ cid: call.args[0].toUtf8(), size: call.args[1].toBigInt(), route: 'crust' }];
  if (pallet && s === 'xstorage' && m.startsWith('placeStorageOrder'))
    return [{ cid: call.args[1].toUtf8(), size: BigInt(call.args[2].toString()), route: 'pallet' }];
  if (s === 'polkadotXcm' && m === 'send') {
    const json = JSON.stringify(call.args[1].toJSON());
    const enc = /"encoded":"(0x[0-9a-f]+)"/i.exec(json);
    // (127u8, 0u8, cid: Vec<u8>, size: u64): Crust's place_storage_order_through_parachain.
    if (enc && enc[1]!.startsWith('0x7f00')) {
      const t = api.createType('(u8, u8, Bytes, u64)', enc[1]) as any;
      return [{ cid: t[2].toUtf8(), size: t[3].toBigInt(), route: 'polkadotXcm' }];
    }
  }
  return [];
}
