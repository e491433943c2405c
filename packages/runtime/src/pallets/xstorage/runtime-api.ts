/**
 * `XstorageApi`: quote an order and follow it from a client, without placing anything.
 *
 *   const fee = await api.call.xstorageApi.estimateFee({ Cru: null }, size);   // what place_storage_order takes
 *   const order = await api.call.xstorageApi.order(orderId);                   // Option<Order>, with its status
 *
 * `estimate_fee` is the amount `place_storage_order` would take now (no tips) in the currency; 0 when no order of
 * that currency and size can be placed (paused, no fee parameters or native price, a size of 0 or not below Crust's
 * `MaximumFileSize`).
 */
import { H256 } from '../../extrinsic/primitives.ts';
import type { RuntimeApiDecl, RuntimeApiImpl } from '../../frame/runtime-version.ts';
import { option } from '../../scale/composite.ts';
import { u64, u128 } from '../../scale/primitives.ts';
import { estimateFee, Orders } from './pallet.ts';
import { type CurrencyId, CurrencyIdCodec, type Order, OrderCodec } from './types.ts';

export const XstorageApiDecl: RuntimeApiDecl = {
  name: 'XstorageApi',
  version: 1,
  docs: [' Quotes and follows cross-chain storage orders placed on Crust from this chain.'],
  methods: {
    estimate_fee: {
      inputs: [
        ['currency_id', CurrencyIdCodec],
        ['size', u64],
      ],
      output: u128,
      docs: [
        ' What an order of `size` bytes paid in `currency_id` takes now (no tips); 0 if it cannot be placed.',
      ],
    },
    order: {
      inputs: [['order_id', H256]],
      output: option(OrderCodec),
      docs: [' An order and its status.'],
    },
  },
};

export const xstorageApi: RuntimeApiImpl = {
  api: XstorageApiDecl,
  methods: {
    estimate_fee: (currency: CurrencyId, size: bigint): bigint => estimateFee(currency, size),
    order: (id: Uint8Array): Order | undefined => Orders.get(id),
  },
};
