/**
 * Placing an order: quoting its fee and sending it from the user's chain — through the chain's `xstorage` pallet
 * where it has one, through `polkadotXcm.send` with the same message where it has not, or directly on Crust.
 */
import type { ApiPromise } from '@polkadot/api';
import { encodeAddress } from '@polkadot/util-crypto';
import type { ChainConnections } from './connections.ts';
import { BadInputError, FeeAboveMaxError, InsufficientBalanceError, OrderFailedError } from './errors.ts';
import type { ChainDescription } from './networks.ts';
import type { XstorageSigner } from './signers.ts';
import { type Included, signAndWait } from './submit.ts';
import { formatAmount } from './units.ts';
import { siblingLocation, siblingUserAccount, transactMessage } from './xcm.ts';

/** How an order travels: the chain's pallet, `polkadotXcm.send`, or a transaction on Crust itself. */
export type OrderRoute = 'pallet' | 'polkadotXcm' | 'crust';
/** What pays: the user's chain's own token, or CRU. */
export type PayWith = 'native' | 'cru';

export interface FeeQuote {
  route: OrderRoute;
  pay: PayWith;
  /** The token `total` is in, and its decimals. */
  token: string;
  decimals: number;
  /** Crust's market fee for the order, in CRU units (base + byte fee × MiB + keys-count fee). */
  orderFee: bigint;
  /** XCM execution on Crust, in CRU units (0 on Crust itself). */
  executionFee: bigint;
  /** What the order costs the user in `token` (without their own chain's transaction fee). */
  total: bigint;
}

export interface OrderReceipt {
  cid: string;
  size: bigint;
  from: string;
  route: OrderRoute;
  pay: PayWith;
  /** The signer's address on its chain. */
  account: string;
  /** The account the order is placed for on Crust (SS58 prefix 66). */
  crustAccount: string;
  blockNumber: number;
  blockHash: string;
  /** The XCM message's topic (`polkadotXcm.Sent.messageId`; `messageQueue.Processed.id` on Crust). */
  messageId?: string;
  /** The pallet's order id. */
  orderId?: string;
  fee: FeeQuote;
  /** The relay's and Crust's best block just before the order was sent: watchers read from there. */
  relayFrom: number;
  crustFrom: number;
}

export interface PlaceOrderOptions {
  from: string;
  cid: string;
  size: bigint | number;
  pay?: PayWith;
  signer: XstorageSigner;
  /** Refuse (before sending) when the quote is above this, in the pay token's units. */
  maxFee?: bigint;
  /** Tip for the storage pot, CRU units (pallet route only). */
  tips?: bigint;
  /** Force a route (e.g. 'polkadotXcm' on a chain that has the pallet too). */
  route?: 'pallet' | 'polkadotXcm';
  signal?: AbortSignal;
}

const CID_RE = /^(Qm[1-9A-HJ-NP-Za-km-z]{44}|b[a-z2-7]{20,200}|z[1-9A-HJ-NP-Za-km-z]{20,200})$/;

/** Refuses strings that cannot be a CID before anything is signed. */
export function checkCid(cid: string): void {
  if (!CID_RE.test(cid)) throw new BadInputError(`'${cid}' is not a CID (Qm… or bafy…)`);
}

/** The chain has the parachain-side `xstorage` pallet (Crust's own, with `placeStorageOrderThroughParachain`, is not it). */
export function hasXstoragePallet(api: ApiPromise): boolean {
  const x = (api.tx as any).xstorage;
  return typeof x?.placeStorageOrder === 'function' && x.placeStorageOrderThroughParachain === undefined;
}

function routeOf(
  c: ChainConnections,
  from: ChainDescription,
  api: ApiPromise,
  o: { route?: string },
): OrderRoute {
  if (from.id === c.network.crust.id) return 'crust';
  if (o.route === 'polkadotXcm') return 'polkadotXcm';
  if (o.route === 'pallet' && !hasXstoragePallet(api))
    throw new BadInputError(`${from.id} has no xstorage pallet: use --route polkadotXcm`);
  return hasXstoragePallet(api) ? 'pallet' : 'polkadotXcm';
}

function currencyOf(pay: PayWith): string {
  return pay === 'cru' ? 'Cru' : 'Native';
}

/** What the market charges for `size` bytes now (MarketApi.order_fee on Crust). */
export async function marketOrderFee(crust: ApiPromise, size: bigint, at?: string): Promise<bigint> {
  const call = (crust.call as any).marketApi?.orderFee;
  if (call) {
    const q = at ? await (await crust.at(at)).call.marketApi.orderFee(size) : await call(size);
    return (q as any).total.toBigInt();
  }
  // Crust's own get_file_fee from the market's items.
  const MIB = 1_048_576n;
  const [base, byte, keys] = await Promise.all([
    crust.query.market.fileBaseFee(),
    crust.query.market.fileByteFee(),
    crust.query.market.fileKeysCountFee(),
  ]);
  return (
    (base as any).toBigInt() + (byte as any).toBigInt() * ((size + MIB - 1n) / MIB) + (keys as any).toBigInt()
  );
}

/** The Crust call a parachain's Transact carries: `xstorage.place_storage_order_through_parachain(cid, size)`. */
function crustOrderCall(crust: ApiPromise, cid: string, size: bigint): any {
  return (crust.tx as any).xstorage.placeStorageOrderThroughParachain(cid, size);
}

interface XcmPlan {
  derived: Uint8Array;
  message: ReturnType<typeof transactMessage>;
  executionFee: bigint;
  /** CRU (units) to move to the derived account first. */
  topUp: bigint;
}

/** Prices a Transact of `call` on Crust for `signer` of `from`, and what must be moved there first. */
async function planXcm(
  crust: ApiPromise,
  from: ChainDescription,
  signer: XstorageSigner,
  call: any,
  chargedByCall: bigint,
): Promise<XcmPlan> {
  const derived = siblingUserAccount(from.paraId, signer.accountId, from.accounts);
  const info = await call.paymentInfo(encodeAddress(derived, 42));
  const w = info.weight;
  const weight = { refTime: w.refTime.toBigInt() * 2n, proofSize: w.proofSize.toBigInt() * 2n + 65_536n };
  const draft = transactMessage({ fee: 1n, call: call.method.toU8a(), weight, refundTo: derived });
  // What Crust executes: the sender's DescendOrigin first, the router's SetTopic last.
  const descend = {
    DescendOrigin: {
      X1: [
        from.accounts === 'ethereum'
          ? { AccountKey20: { key: signer.accountId } }
          : { AccountId32: { id: signer.accountId } },
      ],
    },
  };
  const full = { V4: [descend, ...draft.V4, { SetTopic: new Uint8Array(32) }] };
  const pay = (crust.call as any).xcmPaymentApi;
  const weightRes = (await pay.queryXcmWeight(full)) as any;
  if (weightRes.isErr)
    throw new OrderFailedError(
      weightRes.asErr.type,
      `Crust cannot weigh the order message: ${weightRes.asErr.type}`,
    );
  const feeRes = (await pay.queryWeightToAssetFee(weightRes.asOk, {
    V4: { parents: 0, interior: 'Here' },
  })) as any;
  if (feeRes.isErr)
    throw new OrderFailedError(
      feeRes.asErr.type,
      `Crust cannot price the order message: ${feeRes.asErr.type}`,
    );
  const executionFee = feeRes.asOk.toBigInt();
  // Withdraw a margin over the quote; RefundSurplus gives back what execution did not use.
  const withdraw = executionFee + executionFee / 5n + 1n;
  const message = transactMessage({ fee: withdraw, call: call.method.toU8a(), weight, refundTo: derived });
  const ed = (crust.consts.balances.existentialDeposit as any).toBigInt();
  const have = ((await crust.query.system.account(derived)) as any).data.free.toBigInt();
  const need = chargedByCall + withdraw + ed;
  // The transfer's own execution on Crust is paid out of what it carries: add one more execution fee.
  const topUp = have >= need ? 0n : need - have + withdraw;
  return { derived, message, executionFee, topUp };
}

/**
 * The fee of an order of `size` bytes from `from`, paid with `pay`.
 *
 * @example
 * const q = await quoteOrder(connections, { from: 'acala', size: 1024n, pay: 'cru', signer });
 */
export async function quoteOrder(
  c: ChainConnections,
  o: { from: string; size: bigint; pay?: PayWith; signer?: XstorageSigner; route?: 'pallet' | 'polkadotXcm' },
): Promise<FeeQuote> {
  const from = c.chain(o.from);
  const crustDesc = c.network.crust;
  const [api, crust] = await Promise.all([c.api(from.id), c.api(crustDesc.id)]);
  const route = routeOf(c, from, api, o);
  const pay: PayWith = route === 'crust' ? 'cru' : (o.pay ?? (route === 'pallet' ? 'native' : 'cru'));
  const orderFee = await marketOrderFee(crust, o.size);
  const cru = { token: crustDesc.token, decimals: crustDesc.decimals };
  if (route === 'crust') return { route, pay, ...cru, orderFee, executionFee: 0n, total: orderFee };
  if (route === 'pallet') {
    const est = (api.call as any).xstorageApi?.estimateFee;
    if (!est) throw new BadInputError(`${from.id}'s xstorage pallet has no XstorageApi.estimate_fee`);
    const quote = async (p: PayWith) => ((await est(currencyOf(p), o.size)) as any).toBigInt() as bigint;
    // XstorageApi.estimate_fee is 0 when the order cannot be placed in that currency (no price of the chain's
    // token set, paused, no fee parameters, too large): without an explicit --pay, fall back to CRU.
    let p = pay;
    let total = await quote(p);
    if (total === 0n && o.pay === undefined && p === 'native') {
      p = 'cru';
      total = await quote(p);
    }
    if (total === 0n)
      throw new BadInputError(
        p === 'native'
          ? `${from.id} does not take ${from.token} for orders now (no ${from.token} price on the chain, or orders paused): pay with --pay cru`
          : `${from.id} cannot take an order of ${o.size} bytes now (orders paused, no fee parameters, or the file is too large)`,
      );
    return {
      route,
      pay: p,
      ...(p === 'cru' ? cru : { token: from.token, decimals: from.decimals }),
      orderFee,
      // In CRU: what the chain charges beyond the market's fee (execution on Crust and the way back).
      executionFee: p === 'cru' && total > orderFee ? total - orderFee : 0n,
      total,
    };
  }
  if (pay !== 'cru')
    throw new BadInputError(
      `${from.id} has no xstorage pallet: an order sent with polkadotXcm.send pays in CRU (--pay cru)`,
    );
  const signer = o.signer;
  let executionFee: bigint;
  if (signer) {
    executionFee = (
      await planXcm(crust, from, signer, crustOrderCall(crust, 'Qm'.padEnd(46, 'a'), o.size), orderFee)
    ).executionFee;
  } else {
    // No account yet: price the message for a zero account of the chain's kind.
    const zero = { accountId: new Uint8Array(from.accounts === 'ethereum' ? 20 : 32) } as XstorageSigner;
    executionFee = (
      await planXcm(crust, from, zero, crustOrderCall(crust, 'Qm'.padEnd(46, 'a'), o.size), orderFee)
    ).executionFee;
  }
  return { route, pay, ...cru, orderFee, executionFee, total: orderFee + executionFee };
}

/**
 * Everything that can be checked before an upload or an order is sent: the route, the quote against `maxFee`, and
 * that the account can pay (CRU on Crust or on its chain, its chain's token for the pallet's fee).
 *
 * @example
 * await preflightOrder(connections, { from: 'acala', size: 1024n, pay: 'cru', signer, maxFee: 10n ** 11n });
 */
export async function preflightOrder(
  c: ChainConnections,
  o: {
    from: string;
    size: bigint;
    pay?: PayWith;
    signer: XstorageSigner;
    maxFee?: bigint;
    route?: 'pallet' | 'polkadotXcm';
  },
): Promise<FeeQuote> {
  const fee = await quoteOrder(c, o);
  if (o.maxFee !== undefined && fee.total > o.maxFee)
    throw new FeeAboveMaxError(
      `the order costs ${formatAmount(fee.total, fee.decimals, fee.token)}, above --max-fee ${formatAmount(o.maxFee, fee.decimals, fee.token)}: raise --max-fee or store less`,
      fee.total,
      o.maxFee,
    );
  const from = c.chain(o.from);
  const crustDesc = c.network.crust;
  const api = await c.api(from.id);
  const short = (held: bigint, need: bigint, token: string, decimals: number, where: string) =>
    new InsufficientBalanceError(
      `${o.signer.address} holds ${formatAmount(held, decimals, token)} on ${where}; the order needs ${formatAmount(need, decimals, token)}: fund the account or pick another --pay`,
      need,
      held,
    );
  const free = async (a: ApiPromise) =>
    ((await a.query.system.account(o.signer.address)) as any).data.free.toBigInt();
  if (fee.route === 'crust' || (fee.route === 'pallet' && fee.pay === 'native')) {
    const held = await free(api);
    if (held < fee.total) throw short(held, fee.total, fee.token, fee.decimals, from.id);
  } else if (fee.route === 'pallet') {
    const held = await cruOnChain(api, crustDesc.paraId, o.signer.address);
    if (held < fee.total) throw short(held, fee.total, crustDesc.token, crustDesc.decimals, from.id);
  } else {
    const crust = await c.api(crustDesc.id);
    const plan = await planXcm(
      crust,
      from,
      o.signer,
      crustOrderCall(crust, 'Qm'.padEnd(46, 'a'), o.size),
      fee.orderFee,
    );
    const held = plan.topUp > 0n ? await cruOnChain(api, crustDesc.paraId, o.signer.address) : 0n;
    if (held < plan.topUp) throw short(held, plan.topUp, crustDesc.token, crustDesc.decimals, from.id);
  }
  if (fee.route !== 'crust' && (await free(api)) === 0n)
    throw short(0n, 1n, from.token, from.decimals, `${from.id} (its transaction fee)`);
  return fee;
}

async function bestNumber(api: ApiPromise): Promise<number> {
  return (await api.rpc.chain.getHeader()).number.toNumber();
}

/** The CRU a user holds on a sibling chain (`foreignAssets`, keyed by Crust's location). */
async function cruOnChain(api: ApiPromise, crustParaId: number, who: string): Promise<bigint> {
  const q = (api.query as any).foreignAssets?.account;
  if (!q) return 0n;
  const a = (await q(siblingLocation(crustParaId), who)) as any;
  return a.isSome ? a.unwrap().balance.toBigInt() : 0n;
}

/**
 * Sends `call` (a Crust call) from `from` as the user through `polkadotXcm.send`, moving CRU to the user's account
 * on Crust first when it holds too little (a reserve transfer in the same batch, delivered ahead on the channel).
 */
export async function sendTransactToCrust(
  c: ChainConnections,
  o: {
    from: string;
    signer: XstorageSigner;
    call: any;
    chargedByCall: bigint;
    what: string;
    signal?: AbortSignal;
  },
): Promise<{ included: Included; messageId?: string; derived: Uint8Array; executionFee: bigint }> {
  const from = c.chain(o.from);
  const crustDesc = c.network.crust;
  const [api, crust] = await Promise.all([c.api(from.id), c.api(crustDesc.id)]);
  const plan = await planXcm(crust, from, o.signer, o.call, o.chargedByCall);
  const dest = { V4: siblingLocation(crustDesc.paraId) };
  const send = (api.tx as any).polkadotXcm.send(dest, plan.message);
  let tx = send;
  if (plan.topUp > 0n) {
    const held = await cruOnChain(api, crustDesc.paraId, o.signer.address);
    if (held < plan.topUp)
      throw new InsufficientBalanceError(
        `${o.signer.address} holds ${formatAmount(held, crustDesc.decimals, crustDesc.token)} on ${from.id}; ${o.what} needs ${formatAmount(plan.topUp, crustDesc.decimals, crustDesc.token)} moved to its account on Crust: get CRU on ${from.id} first`,
        plan.topUp,
        held,
      );
    const transfer = (api.tx as any).polkadotXcm.transferAssets(
      dest,
      { V4: { parents: 0, interior: { X1: [{ AccountId32: { id: plan.derived } }] } } },
      { V4: [{ id: siblingLocation(crustDesc.paraId), fun: { Fungible: plan.topUp } }] },
      0,
      'Unlimited',
    );
    tx = (api.tx as any).utility?.batchAll ? (api.tx as any).utility.batchAll([transfer, send]) : undefined;
    if (!tx) {
      await signAndWait(api, transfer, o.signer, `moving CRU to ${from.id}'s account on Crust`, o.signal);
      tx = send;
    }
  }
  const included = await signAndWait(api, tx, o.signer, o.what, o.signal);
  const sent = included.events
    .map((e: any) => e.event)
    .filter((e: any) => e.section === 'polkadotXcm' && e.method === 'Sent')
    .find((e: any) => JSON.stringify(e.data.toJSON()).includes('ransact'));
  const messageId = sent ? (sent.data.messageId ?? sent.data[3])?.toHex() : undefined;
  return { included, messageId, derived: plan.derived, executionFee: plan.executionFee };
}

/**
 * Places a storage order for `cid` (`size` bytes, the gateway's reported size) from `from`, signed by `signer`.
 * Resolves once the order is in a block of `from`; follow it with `watchOrder(receipt)`.
 *
 * @example
 * const receipt = await placeOrder(connections, { from: 'acala', cid, size: 1024n, pay: 'cru', signer, maxFee: 10n ** 10n });
 */
export async function placeOrder(c: ChainConnections, o: PlaceOrderOptions): Promise<OrderReceipt> {
  checkCid(o.cid);
  const size = BigInt(o.size);
  if (size <= 0n) throw new BadInputError('an order needs a size above 0 bytes');
  const from = c.chain(o.from);
  const crustDesc = c.network.crust;
  const [api, crust, relay] = await Promise.all([c.api(from.id), c.api(crustDesc.id), c.api('relay')]);
  const fee = await preflightOrder(c, { ...o, size });
  const [relayFrom, crustFrom] = await Promise.all([bestNumber(relay), bestNumber(crust)]);
  const base = {
    cid: o.cid,
    size,
    from: from.id,
    route: fee.route,
    pay: fee.pay,
    account: o.signer.address,
    fee,
    relayFrom,
    crustFrom,
  };
  const what = `the order of ${o.cid} from ${from.id}`;
  if (fee.route === 'crust') {
    const tx = (crust.tx as any).market.placeStorageOrder(o.cid, size, o.tips ?? 0n, '');
    const inc = await signAndWait(crust, tx, o.signer, what, o.signal);
    return {
      ...base,
      crustAccount: encodeAddress(o.signer.accountId, crustDesc.ss58),
      blockNumber: inc.blockNumber,
      blockHash: inc.blockHash,
    };
  }
  if (fee.route === 'pallet') {
    const x = (api.tx as any).xstorage;
    const currency = currencyOf(fee.pay);
    const tx =
      x.placeStorageOrderWithLimits && (o.maxFee !== undefined || o.tips !== undefined)
        ? x.placeStorageOrderWithLimits(currency, o.cid, size, o.tips ?? 0n, o.maxFee ?? fee.total)
        : x.placeStorageOrder(currency, o.cid, size);
    const inc = await signAndWait(api, tx, o.signer, what, o.signal);
    const placed = inc.events
      .map((e: any) => e.event)
      .find((e: any) => e.section === 'xstorage' && e.method === 'OrderPlaced');
    // OrderPlaced { order_id, who, cid, size, currency_id, amount, message_id }: the topic Crust's queue reports.
    const sent = inc.events
      .map((e: any) => e.event)
      .find((e: any) => e.section === 'polkadotXcm' && e.method === 'Sent');
    const messageId: string | undefined = placed?.data.messageId?.toHex() ?? sent?.data?.messageId?.toHex?.();
    const orderId: string | undefined = placed?.data.orderId?.toHex();
    return {
      ...base,
      // The message descends to the user: the order is theirs on Crust, paid from their derived account.
      crustAccount: encodeAddress(
        siblingUserAccount(from.paraId, o.signer.accountId, from.accounts),
        crustDesc.ss58,
      ),
      blockNumber: inc.blockNumber,
      blockHash: inc.blockHash,
      messageId,
      orderId,
    };
  }
  const r = await sendTransactToCrust(c, {
    from: from.id,
    signer: o.signer,
    call: crustOrderCall(crust, o.cid, size),
    chargedByCall: fee.orderFee,
    what,
    signal: o.signal,
  });
  return {
    ...base,
    crustAccount: encodeAddress(r.derived, crustDesc.ss58),
    blockNumber: r.included.blockNumber,
    blockHash: r.included.blockHash,
    messageId: r.messageId,
  };
}
